package org.mixq.bench;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.mixq.core.Backend;
import org.mixq.core.Tensor;
import org.mixq.core.cpu.CpuBackend;
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
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.results.RunResult;

/**
 * CPU weight fake quantization over 16M floats (512 channels x 32768) against
 * {@code System.arraycopy} of the same 64 MiB in the same run: the op is memory-bound, so its
 * reference is the memory bandwidth a plain copy reaches.
 *
 * <p>Bytes each op really moves, per call ({@code N} = 16M floats of 4 bytes):
 * forward reads {@code w} and writes {@code wq} and {@code mask} (3 x 4N; the per-channel
 * second read of {@code w} hits L2); backward reads {@code dwq}, {@code mask}, {@code dw} and
 * writes {@code dw} (4 x 4N); the copy reads and writes once (2 x 4N).
 *
 * <p>Two copies are measured, because they store differently. {@code System.arraycopy} of a
 * large block is a HotSpot stub whose stores skip the cache (measured on a Zen 5 machine: from
 * about 1M floats on, 64 MiB in chunks of 1M floats copy in 60 % of the time of chunks of 256K).
 * A Java loop cannot store that way: every store first reads its cache line from memory
 * (read-for-ownership), so a loop copy moves 3 x 4N bytes, not 2, and the fake quantization's
 * two outputs cost the same. {@code loopCopy}, the plain loop C2 vectorizes, is the bandwidth
 * Java code reaches; the ratio to it says whether the op is at that bound.
 *
 * <p>{@code java -jar benchmarks.jar FakeQuant} gives the raw times;
 * {@code java -cp benchmarks.jar org.mixq.bench.FakeQuantBench [JMH options]} runs the same
 * benchmarks and prints GB/s and the ratio to the copy, e.g. with {@code -p threads=1,2} (the
 * copy is single-threaded whatever the parameter) or {@code -p bits=1,4} (binary weights take
 * the mean-magnitude path). A JMH {@code -jvmArgsAppend} on the command line replaces the
 * {@code @Fork} arguments below: repeat {@code --add-modules=jdk.incubator.vector} there.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xmx4g", "-XX:+AlwaysPreTouch"})
public class FakeQuantBench {
    static final int CHANNELS = 512;
    static final int INNER = 32768;
    static final long ELEMENTS = (long) CHANNELS * INNER;

    /** CPU threads of the backend; 0 = all available processors. */
    @Param({"0"})
    public int threads;

    /** Weight bits of the forward benchmark. */
    @Param({"4"})
    public int bits;

    private Backend backend;
    private Tensor w;
    private Tensor wq;
    private Tensor mask;
    private Tensor scale;
    private Tensor dw;
    private Tensor dwq;
    private float[] copySrc;
    private float[] copyDst;

    @Setup(Level.Trial)
    public void setUp() {
        backend = new CpuBackend(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        SplittableRandom rnd = new SplittableRandom(42);
        w = filled(rnd);
        dwq = filled(rnd);
        wq = backend.alloc(CHANNELS, INNER);
        mask = backend.alloc(CHANNELS, INNER);
        scale = backend.alloc(CHANNELS);
        dw = backend.alloc(CHANNELS, INNER);
        backend.fakeQuantWeightsForward(wq, mask, scale, w, bits);
        copySrc = CpuBackend.data(w).clone();
        copyDst = new float[copySrc.length];
    }

    private Tensor filled(SplittableRandom rnd) {
        Tensor t = backend.alloc(CHANNELS, INNER);
        float[] data = CpuBackend.data(t);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return t;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
    }

    @Benchmark
    public Tensor forward() {
        backend.fakeQuantWeightsForward(wq, mask, scale, w, bits);
        return wq;
    }

    @Benchmark
    public Tensor backward() {
        backend.fakeQuantWeightsBackward(dw, dwq, mask);
        return dw;
    }

    @Benchmark
    public float[] arraycopy() {
        System.arraycopy(copySrc, 0, copyDst, 0, copySrc.length);
        return copyDst;
    }

    @Benchmark
    public float[] loopCopy() {
        float[] src = copySrc;
        float[] dst = copyDst;
        for (int i = 0; i < src.length; i++) {
            dst[i] = src[i];
        }
        return dst;
    }

    /** Bytes a call of {@code benchmark} moves to or from memory (as the op reads and writes them, without read-for-ownership). */
    static long bytesMoved(String benchmark) {
        long arrays = switch (benchmark) {
            case "forward" -> 3;
            case "backward" -> 4;
            case "arraycopy", "loopCopy" -> 2;
            default -> throw new IllegalArgumentException("benchmark: unknown " + benchmark);
        };
        return arrays * ELEMENTS * Float.BYTES;
    }

    /** Runs the benchmarks with the given JMH options and prints GB/s beside the copy's of the same parameters. */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .parent(new CommandLineOptions(args))
                .include(FakeQuantBench.class.getName() + "\\.")
                .build()).run();
        Map<String, Double> copyGbs = new HashMap<>();
        Map<String, Double> loopCopyGbs = new HashMap<>();
        for (RunResult r : results) {
            if (name(r).equals("arraycopy")) {
                copyGbs.put(params(r), gbPerSecond(r));
            } else if (name(r).equals("loopCopy")) {
                loopCopyGbs.put(params(r), gbPerSecond(r));
            }
        }
        System.out.printf("%n%-10s %-12s %10s %8s %9s %12s%n", "benchmark", "params", "ms/op", "GB/s", "x copy", "x loop copy");
        for (RunResult r : results) {
            double gbs = gbPerSecond(r);
            System.out.printf("%-10s %-12s %10.3f %8.1f %9.2f %12.2f%n", name(r), params(r), r.getPrimaryResult().getScore(),
                    gbs, gbs / copyGbs.getOrDefault(params(r), Double.NaN),
                    gbs / loopCopyGbs.getOrDefault(params(r), Double.NaN));
        }
    }

    private static String params(RunResult r) {
        return "t=" + r.getParams().getParam("threads") + ",b=" + r.getParams().getParam("bits");
    }

    private static String name(RunResult r) {
        String label = r.getParams().getBenchmark();
        return label.substring(label.lastIndexOf('.') + 1);
    }

    private static double gbPerSecond(RunResult r) {
        double seconds = r.getPrimaryResult().getScore() / 1e3;
        return bytesMoved(name(r)) / seconds / 1e9;
    }
}
