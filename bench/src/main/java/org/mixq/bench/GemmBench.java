package org.mixq.bench;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_full;
import org.mixq.core.Backend;
import org.mixq.core.Tensor;
import org.mixq.core.cpu.CpuBackend;
import org.mixq.core.cpu.CpuGemm;
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
 * Square SGEMM {@code C = A B} (row-major, 2 n^3 flops): the engine's path through the Backend
 * interface (AUTO provider, OpenBLAS where it loads; in place on Java 22+), the same through
 * OpenBLAS's JNI binding, which copies, and the pure-Java providers, against
 * OpenBLAS called directly on native buffers with its own threads and netlib's SGEMM split by
 * hand. The secondary result {@code gflop} is GFLOP/s.
 *
 * <pre>java -jar bench/target/benchmarks.jar GemmBench -p size=1024 -p threads=2</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class GemmBench {

    @State(Scope.Benchmark)
    public static class Operands {
        @Param({"256", "512", "1024"})
        public int size;
        @Param({"1", "2"})
        public int threads;

        float[] a;
        float[] b;
        float[] c;

        @Setup(Level.Trial)
        public void fill() {
            SplittableRandom rnd = new SplittableRandom(1);
            a = random(rnd, size * size);
            b = random(rnd, size * size);
            c = new float[size * size];
        }

        double gflop() {
            return 2.0 * size * size * size * 1e-9;
        }
    }

    /** A CPU backend with the given GEMM provider and its three tensors. */
    public abstract static class Engine {
        Backend backend;
        Tensor a;
        Tensor b;
        Tensor c;

        void open(Operands o, CpuGemm.Provider provider) {
            backend = new CpuBackend(o.threads, provider);
            a = backend.alloc(o.size, o.size);
            b = backend.alloc(o.size, o.size);
            c = backend.alloc(o.size, o.size);
            backend.copyIn(a, o.a);
            backend.copyIn(b, o.b);
        }

        @TearDown(Level.Trial)
        public void close() {
            backend.close();
        }
    }

    @State(Scope.Benchmark)
    public static class AutoEngine extends Engine {
        @Setup(Level.Trial)
        public void open(Operands o) {
            open(o, CpuGemm.Provider.AUTO);
            System.out.println("\n" + backend.describe());
        }
    }

    /** OpenBLAS through JNI with its operands copied through native memory: the binding before Java 22. */
    @State(Scope.Benchmark)
    public static class JniEngine extends Engine {
        @Setup(Level.Trial)
        public void open(Operands o) {
            open(o, CpuGemm.Provider.OPENBLAS_JNI);
        }
    }

    @State(Scope.Benchmark)
    public static class JavaEngine extends Engine {
        @Setup(Level.Trial)
        public void open(Operands o) {
            open(o, CpuGemm.Provider.JAVA);
        }
    }

    @State(Scope.Benchmark)
    public static class VectorEngine extends Engine {
        @Setup(Level.Trial)
        public void open(Operands o) {
            open(o, CpuGemm.Provider.VECTOR);
        }
    }

    /** OpenBLAS at its best: operands already in native memory, its own thread pool. */
    @State(Scope.Benchmark)
    public static class OpenBlas {
        FloatPointer a;
        FloatPointer b;
        FloatPointer c;

        @Setup(Level.Trial)
        public void open(Operands o) {
            openblas_full.openblas_set_num_threads(o.threads);
            a = new FloatPointer(o.a);
            b = new FloatPointer(o.b);
            c = new FloatPointer((long) o.size * o.size);
            System.out.println("\n" + openblas_full.openblas_get_config().getString() + ", "
                    + openblas_full.openblas_get_corename().getString() + " kernels, " + o.threads + " thread(s)");
        }

        @TearDown(Level.Trial)
        public void close() {
            a.close();
            b.close();
            c.close();
        }
    }

    /** netlib's single-threaded SGEMM with the columns of C split by hand between a fixed pool. */
    @State(Scope.Benchmark)
    public static class Netlib {
        BLAS blas;
        ExecutorService pool;

        @Setup(Level.Trial)
        public void open(Operands o) {
            blas = JavaBLAS.getInstance();
            pool = Executors.newFixedThreadPool(o.threads);
            System.out.println("\nnetlib " + blas.getClass().getSimpleName());
        }

        @TearDown(Level.Trial)
        public void close() {
            pool.shutdownNow();
        }
    }

    @Benchmark
    public void engine(Operands o, AutoEngine e, Gflops f) {
        e.backend.gemm(e.c, e.a, e.b, false, false, 1f, 0f);
        f.gflop += o.gflop();
    }

    @Benchmark
    public void engineJni(Operands o, JniEngine e, Gflops f) {
        e.backend.gemm(e.c, e.a, e.b, false, false, 1f, 0f);
        f.gflop += o.gflop();
    }

    @Benchmark
    public void engineJava(Operands o, JavaEngine e, Gflops f) {
        e.backend.gemm(e.c, e.a, e.b, false, false, 1f, 0f);
        f.gflop += o.gflop();
    }

    @Benchmark
    public void engineVector(Operands o, VectorEngine e, Gflops f) {
        e.backend.gemm(e.c, e.a, e.b, false, false, 1f, 0f);
        f.gflop += o.gflop();
    }

    @Benchmark
    public void openBlasDirect(Operands o, OpenBlas ob, Gflops f) {
        int n = o.size;
        openblas_full.cblas_sgemm(openblas_full.CblasRowMajor, openblas_full.CblasNoTrans, openblas_full.CblasNoTrans,
                n, n, n, 1f, ob.a, n, ob.b, n, 0f, ob.c, n);
        f.gflop += o.gflop();
    }

    /** Row-major C = A B is column-major C^T = B^T A^T: columns j0..j1 of C are rows j0..j1 of C^T. */
    @Benchmark
    public void netlibDirect(Operands o, Netlib nl, Gflops f) throws InterruptedException, ExecutionException {
        int n = o.size;
        List<Future<?>> parts = new ArrayList<>();
        for (int t = 0; t < o.threads; t++) {
            int j0 = n * t / o.threads;
            int j1 = n * (t + 1) / o.threads;
            parts.add(nl.pool.submit(() -> nl.blas.sgemm("N", "N", j1 - j0, n, n, 1f, o.b, j0, n, o.a, 0, n, 0f, o.c, j0, n)));
        }
        for (Future<?> p : parts) {
            p.get();
        }
        f.gflop += o.gflop();
    }

    static float[] random(SplittableRandom rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }
}
