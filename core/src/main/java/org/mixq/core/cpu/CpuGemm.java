package org.mixq.core.cpu;

import dev.ludovic.netlib.blas.JavaBLAS;
import java.lang.reflect.Constructor;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * SGEMM for the CPU backend: one provider chosen once, one single-threaded {@link GemmLane} per
 * thread, and a split of each product by output columns (or rows) between the lanes.
 *
 * <p>Providers, fastest first (bench/RESULTS.md has them side by side on one machine):
 * <ul>
 * <li>OPENBLAS: the OpenBLAS natives of JavaCPP's presets; absent natives (the GPU bundle omits
 * them) raise a {@link LinkageError} at first use, which is caught here. On Java 22 and later,
 * with native access enabled, it is called through the Foreign Function API on the Java arrays
 * in place ({@code OpenBlasFfmLane}, compiled for Java 22 and loaded by reflection); otherwise
 * through JavaCPP's JNI binding with operands copied through native memory ({@link OpenBlasLane}).
 * <li>OPENBLAS_JNI: the second binding on any Java, for tests and benchmarks that compare them.
 * <li>VECTOR: {@link VectorGemmLane}, the Vector API on Java arrays; needs the
 * jdk.incubator.vector module at run time. Near OpenBLAS on square products, behind it on the
 * convolutions' long thin ones.
 * <li>NETLIB: dev.ludovic.netlib's pure-Java BLAS, a reference for the benchmarks; fast only as
 * VectorBLAS (the same module). Its native variant is never asked for, so a system BLAS with
 * threads of its own cannot sneak in under our split.
 * <li>JAVA: {@link JavaGemmLane}, plain loops, always available.
 * <li>AUTO: OpenBLAS, else VECTOR, else JAVA; {@link #providerReason()} says why.
 * </ul>
 *
 * <p>Work is split by output ownership (each element of c is computed by one lane in full),
 * never over the reduction, so with OpenBLAS and the Java kernel results are repeatable and do
 * not depend on the thread count (they block the depth by its length alone). netlib's
 * VectorBLAS is neither: it picks its depth blocks from the whole block's size, so the last
 * bits of a deep product depend on the split, and its transposed kernels round differently
 * while the JIT warms up (the same call gave three different results in its first four runs).
 */
public final class CpuGemm implements AutoCloseable {
    public enum Provider { AUTO, OPENBLAS, OPENBLAS_JNI, VECTOR, NETLIB, JAVA }

    /**
     * Below this many multiply-adds per thread a product stays on one thread: handing work to
     * a pool thread costs tens of microseconds, 2^21 multiply-adds take about 40. It also keeps
     * every part above the size (about 100^3) under which OpenBLAS switches to its small-matrix
     * kernels, whose rounding differs: splitting must not change the kernel.
     */
    private static final long MIN_MACS_PER_PART = 1L << 21;
    /**
     * Blocks of columns (or rows) handed to threads start at multiples of 16, one 512-bit vector
     * of floats, so that no kernel's vector block is cut in two by a thread boundary.
     */
    private static final int SPLIT_ALIGN = 16;

    private final CpuThreads threads;
    private final Provider provider;
    private final String reason;
    private final GemmLane[] lanes;

    /**
     * @throws IllegalStateException when an explicitly requested provider cannot be loaded
     *                               (AUTO falls back instead)
     */
    CpuGemm(CpuThreads threads, Provider requested) {
        Objects.requireNonNull(requested, "gemm provider");
        this.threads = threads;
        Choice choice = choose(requested);
        this.provider = choice.provider;
        this.reason = choice.reason;
        this.lanes = new GemmLane[threads.threads()];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = choice.lanes.get();
        }
    }

    /** The provider in use: OPENBLAS, OPENBLAS_JNI, VECTOR, NETLIB or JAVA (never AUTO). */
    public String provider() {
        return provider.name();
    }

    /** Why this provider was chosen, and what it is (library build, kernels, implementation). */
    public String providerReason() {
        return reason;
    }

    /**
     * Row-major BLAS SGEMM on all threads: {@code c = alpha * op(a) * op(b) + beta * c}, op(a)
     * m x k, op(b) k x n, c m x n, each stored from its offset with the given leading dimension
     * (row stride). beta = 0 never reads c, so NaN in c does not propagate.
     */
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        checkOperand("a", a, aOff, lda, transA ? k : m, transA ? m : k);
        checkOperand("b", b, bOff, ldb, transB ? n : k, transB ? k : n);
        checkOperand("c", c, cOff, ldc, m, n);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0f) {
            GemmLane.scale(c, cOff, ldc, m, n, beta);
            return;
        }
        long macs = (long) m * n * k;
        int parts = (int) Math.min(threads.threads(), Math.max(1, macs / MIN_MACS_PER_PART));
        boolean byColumns = n >= m;
        parts = Math.min(parts, Math.max(1, (byColumns ? n : m) / SPLIT_ALIGN));
        if (parts == 1) {
            lanes[0].sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        int split = parts;
        threads.forRange(split, 1, (from, to) -> {
            for (int part = from; part < to; part++) {
                if (byColumns) {
                    int j0 = blockStart(n, split, part);
                    int j1 = blockStart(n, split, part + 1);
                    lanes[part].sgemm(transA, transB, m, j1 - j0, k, alpha, a, aOff, lda,
                            b, bOff + (transB ? j0 * ldb : j0), ldb, beta, c, cOff + j0, ldc);
                } else {
                    int i0 = blockStart(m, split, part);
                    int i1 = blockStart(m, split, part + 1);
                    lanes[part].sgemm(transA, transB, i1 - i0, n, k, alpha, a, aOff + (transA ? i0 : i0 * lda), lda,
                            b, bOff, ldb, beta, c, cOff + i0 * ldc, ldc);
                }
            }
        });
    }

    /** The lane of worker {@code part} (0 .. threads-1), for callers that split work themselves. */
    GemmLane lane(int part) {
        return lanes[part];
    }

    @Override
    public void close() {
        for (GemmLane lane : lanes) {
            lane.close();
        }
    }

    /** First column (or row) of part {@code part} of {@code parts}, rounded to {@link #SPLIT_ALIGN}. */
    static int blockStart(int n, int parts, int part) {
        if (part == parts) {
            return n;
        }
        int j = (int) ((long) n * part / parts);
        return Math.min(n, (j + SPLIT_ALIGN / 2) / SPLIT_ALIGN * SPLIT_ALIGN);
    }

    /** A rows x cols operand stored from {@code off} with row stride {@code ld} must lie inside the array. */
    private static void checkOperand(String name, float[] x, int off, int ld, int rows, int cols) {
        if (x == null) {
            throw new IllegalArgumentException("sgemm: " + name + " is null");
        }
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("sgemm: " + name + " is " + rows + " x " + cols + ", sizes must be >= 0");
        }
        if (ld < cols) {
            throw new IllegalArgumentException("sgemm: ld" + name + " = " + ld + " is less than the " + cols + " columns of " + name);
        }
        long last = rows == 0 || cols == 0 ? off : (long) off + (long) (rows - 1) * ld + cols;
        if (off < 0 || last > x.length) {
            throw new IllegalArgumentException("sgemm: " + name + " (" + rows + " x " + cols + ", ld " + ld + ", offset " + off
                    + ") does not fit its array of " + x.length);
        }
    }

    // ---- provider choice ------------------------------------------------------------------------

    private record Choice(Provider provider, String reason, Supplier<GemmLane> lanes) {
    }

    private static Choice choose(Provider requested) {
        return switch (requested) {
            case JAVA -> java("requested");
            case VECTOR -> {
                if (!vectorApi()) {
                    throw new IllegalStateException("gemm provider VECTOR was requested but the jdk.incubator.vector module"
                            + " is not loaded (run with --add-modules jdk.incubator.vector)");
                }
                yield vector("requested");
            }
            case OPENBLAS, OPENBLAS_JNI -> {
                try {
                    yield openBlas("requested", requested == Provider.OPENBLAS);
                } catch (LinkageError e) {
                    throw new IllegalStateException("gemm provider " + requested + " was requested but did not load: " + describe(e), e);
                }
            }
            case NETLIB -> {
                try {
                    JavaBLAS blas = JavaBLAS.getInstance();
                    yield new Choice(Provider.NETLIB, "requested; netlib " + blas.getClass().getSimpleName(),
                            () -> new NetlibLane(blas));
                } catch (LinkageError e) {
                    throw new IllegalStateException("gemm provider NETLIB was requested but did not load: " + describe(e), e);
                }
            }
            case AUTO -> auto();
        };
    }

    private static Choice auto() {
        String openBlasFailure;
        try {
            return openBlas("fastest available", true);
        } catch (LinkageError e) {
            openBlasFailure = "OpenBLAS did not load (" + describe(e) + ")";
        }
        if (vectorApi()) {
            return vector(openBlasFailure);
        }
        return java(openBlasFailure + "; no Vector API (run with --add-modules jdk.incubator.vector)");
    }

    private static Choice openBlas(String why, boolean inPlace) {
        String build = why + "; " + OpenBlasLane.load();
        String copying = "; called through JNI, operands copied through native memory";
        if (!inPlace) {
            return new Choice(Provider.OPENBLAS_JNI, build + copying, OpenBlasLane::new);
        }
        if (Runtime.version().feature() < 22) {
            return new Choice(Provider.OPENBLAS, build + copying + " (the in-place call needs Java 22)", OpenBlasLane::new);
        }
        if (!nativeAccess()) {
            return new Choice(Provider.OPENBLAS, build + copying
                    + " (run with --enable-native-access=ALL-UNNAMED to call it in place)", OpenBlasLane::new);
        }
        Constructor<?> inPlaceLane;
        try {
            // initializing the class links cblas_sgemm, so a missing symbol shows here, once
            inPlaceLane = Class.forName(CpuGemm.class.getPackageName() + ".OpenBlasFfmLane").getDeclaredConstructor();
        } catch (ReflectiveOperationException | LinkageError e) {
            Throwable cause = e instanceof ExceptionInInitializerError init && init.getCause() != null ? init.getCause() : e;
            return new Choice(Provider.OPENBLAS, build + copying + " (no in-place binding: " + describe(cause) + ")",
                    OpenBlasLane::new);
        }
        return new Choice(Provider.OPENBLAS, build + "; called in place on Java arrays through the Foreign Function API",
                () -> {
                    try {
                        return (GemmLane) inPlaceLane.newInstance();
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException("OpenBLAS in-place binding: " + describe(e), e);
                    }
                });
    }

    /** Whether this module may call native code without warnings ({@code Module.isNativeAccessEnabled}, Java 22). */
    private static boolean nativeAccess() {
        try {
            return (Boolean) Module.class.getMethod("isNativeAccessEnabled").invoke(CpuGemm.class.getModule());
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    private static Choice vector(String why) {
        return new Choice(Provider.VECTOR, why + "; Vector API SGEMM, " + VectorGemmLane.bits() + "-bit vectors",
                VectorGemmLane::new);
    }

    /** Whether the incubating Vector API module is in this JVM (a JVM flag adds it). */
    static boolean vectorApi() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    private static Choice java(String why) {
        return new Choice(Provider.JAVA, why + "; blocked Java SGEMM", JavaGemmLane::new);
    }

    /** One line: the error's class and first message line, and its cause's (class-initialization failures hide the reason there). */
    private static String describe(Throwable e) {
        StringBuilder s = new StringBuilder(e.getClass().getSimpleName());
        if (e.getMessage() != null) {
            s.append(": ").append(e.getMessage().lines().findFirst().orElse(""));
        }
        if (e.getCause() != null && e.getCause() != e) {
            s.append(" <- ").append(describe(e.getCause()));
        }
        return s.toString();
    }
}
