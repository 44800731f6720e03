package org.mixq.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's single-precision FMA ceiling: each thread runs twelve independent chains of
 * vector FMAs in registers (twelve, so that two FMA pipes with a four-cycle latency never wait),
 * no memory traffic. GFLOP/s here is the roof for every GEMM and convolution figure of the same
 * run: a kernel's share of it says how much of the machine it uses, whatever machine that is.
 * The vectors are the JVM's preferred width (512 bits with AVX-512); on cores that split a
 * 512-bit FMA in two, as these Zen 5 virtual CPUs do (a C loop of 256-bit FMAs runs at the same
 * rate), that is still the full rate.
 *
 * <pre>java -jar bench/target/benchmarks.jar PeakFlopsBench -p threads=1,2</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class PeakFlopsBench {
    /**
     * Steps of twelve FMAs per thread and call: about 3 ms at 100 GFLOP/s per core, so that the
     * hand-off to the pool thread (tens of microseconds) stays near 1% of a call.
     */
    private static final int STEPS = 1_000_000;
    private static final int CHAINS = 12;
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    @State(Scope.Benchmark)
    public static class Pool {
        @Param({"1", "2"})
        public int threads;

        /** Threads besides the benchmark's own, which runs one share itself. */
        ExecutorService executor;

        @Setup(Level.Trial)
        public void open() {
            executor = threads > 1 ? Executors.newFixedThreadPool(threads - 1) : null;
        }

        @TearDown(Level.Trial)
        public void close() {
            if (executor != null) {
                executor.shutdownNow();
            }
        }

        double gflop() {
            return 2.0 * STEPS * CHAINS * SPECIES.length() * threads * 1e-9;
        }
    }

    /** One share per thread: the pool's threads, and this one. */
    @Benchmark
    public float fma(Pool p, Gflops f) throws Exception {
        f.gflop += p.gflop();
        List<Future<Float>> parts = new ArrayList<>();
        for (int t = 1; t < p.threads; t++) {
            parts.add(p.executor.submit(PeakFlopsBench::chains));
        }
        float sum = chains();
        for (Future<Float> part : parts) {
            sum += part.get();
        }
        return sum;
    }

    /**
     * x = x * a + b on twelve registers; the sum is returned so that nothing is dead code. The
     * species is a constant: only then does C2 (OSR-compiling this loop) emit vector instructions
     * instead of boxed vector objects.
     */
    private static float chains() {
        VectorSpecies<Float> s = SPECIES;
        FloatVector a = FloatVector.broadcast(s, 0.999f);
        FloatVector b = FloatVector.broadcast(s, 1e-3f);
        FloatVector x0 = FloatVector.broadcast(s, 0f), x1 = FloatVector.broadcast(s, 1f);
        FloatVector x2 = FloatVector.broadcast(s, 2f), x3 = FloatVector.broadcast(s, 3f);
        FloatVector x4 = FloatVector.broadcast(s, 4f), x5 = FloatVector.broadcast(s, 5f);
        FloatVector x6 = FloatVector.broadcast(s, 6f), x7 = FloatVector.broadcast(s, 7f);
        FloatVector x8 = FloatVector.broadcast(s, 8f), x9 = FloatVector.broadcast(s, 9f);
        FloatVector x10 = FloatVector.broadcast(s, 10f), x11 = FloatVector.broadcast(s, 11f);
        for (int i = 0; i < STEPS; i++) {
            x0 = x0.fma(a, b);
            x1 = x1.fma(a, b);
            x2 = x2.fma(a, b);
            x3 = x3.fma(a, b);
            x4 = x4.fma(a, b);
            x5 = x5.fma(a, b);
            x6 = x6.fma(a, b);
            x7 = x7.fma(a, b);
            x8 = x8.fma(a, b);
            x9 = x9.fma(a, b);
            x10 = x10.fma(a, b);
            x11 = x11.fma(a, b);
        }
        return x0.add(x1).add(x2).add(x3).add(x4).add(x5).add(x6).add(x7).add(x8).add(x9).add(x10).add(x11)
                .reduceLanes(VectorOperators.ADD);
    }
}
