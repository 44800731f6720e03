package org.mixq.core.cpu;

import java.lang.reflect.Constructor;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * SGEMM for the CPU backend: one provider chosen once, one single-threaded {@link GemmLane} per
 * thread, and a split of each product into tiles of output columns (or rows) that the threads
 * take whole.
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
 * <li>JAVA: {@link JavaGemmLane}, plain loops, always available; VECTOR and JAVA compute every
 * element as the same single chain of FMAs over the depth in order, so they agree bit for bit
 * with each other on every machine, whatever its vector width (see {@link GemmLane}).
 * <li>AUTO: OpenBLAS, else VECTOR, else JAVA; {@link #providerReason()} says why.
 * <li>ORDERED: VECTOR where the Vector API is loaded, else JAVA: the reproducible mode's GEMM.
 * </ul>
 *
 * <p>Work is split by output ownership (each element of c is computed by one lane in full),
 * never over the reduction, into tiles whose number and boundaries follow from the product's
 * shape alone ({@link #tiles}); threads take whole tiles, each tile one call of a lane. A BLAS
 * may round an element differently depending on where it falls in the block it is handed
 * (OpenBLAS's AVX2 kernels do: with blocks that followed the thread count, a 48 x 100 x 1000
 * product differed in its last bits between one thread and three), so fixed tiles make every
 * provider's result independent of the thread count.
 * (dev.ludovic.netlib's VectorBLAS is no provider: its transposed kernels rounded differently
 * before and after JIT compilation; the benchmarks call it directly as a reference.)
 */
public final class CpuGemm implements AutoCloseable {
    public enum Provider { AUTO, OPENBLAS, OPENBLAS_JNI, VECTOR, JAVA, ORDERED }

    /**
     * Fewest multiply-adds in a tile: enough work that handing it to a pool thread, as it cost
     * when this was set, is a small part of it (bench/RESULTS.md, "Figures that stood in source
     * comments").
     */
    static final long MIN_MACS_PER_TILE = 1L << 21;
    /**
     * Most tiles per product: enough for 16 threads to share a large product evenly, few enough
     * that each BLAS call still packs a sizeable block.
     */
    static final int MAX_TILES = 32;
    /**
     * Tiles start at multiples of 16 columns (or rows), one 512-bit vector of floats, so that no
     * kernel's vector block is cut in two by a tile boundary.
     */
    static final int SPLIT_ALIGN = 16;

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

    /** The provider in use: OPENBLAS, OPENBLAS_JNI, VECTOR or JAVA (never AUTO or ORDERED). */
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
        boolean byColumns = n >= m;
        int tiles = tiles((long) m * n * k, byColumns ? n : m);
        if (tiles == 1) {
            lanes[0].sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        threads.forParts(tiles, (part, first, end) -> {
            GemmLane lane = lanes[part];
            for (int tile = first; tile < end; tile++) {
                if (byColumns) {
                    int j0 = blockStart(n, tiles, tile);
                    int j1 = blockStart(n, tiles, tile + 1);
                    lane.sgemm(transA, transB, m, j1 - j0, k, alpha, a, aOff, lda,
                            b, bOff + (transB ? j0 * ldb : j0), ldb, beta, c, cOff + j0, ldc);
                } else {
                    int i0 = blockStart(m, tiles, tile);
                    int i1 = blockStart(m, tiles, tile + 1);
                    lane.sgemm(transA, transB, i1 - i0, n, k, alpha, a, aOff + (transA ? i0 : i0 * lda), lda,
                            b, bOff, ldb, beta, c, cOff + i0 * ldc, ldc);
                }
            }
        });
    }

    /**
     * How many tiles a product of {@code macs} multiply-adds, split along a dimension of
     * {@code extent}, is cut into: a function of the shape alone, never of the thread count.
     */
    static int tiles(long macs, int extent) {
        return (int) Math.min(MAX_TILES, Math.min(Math.max(1, macs / MIN_MACS_PER_TILE), Math.max(1, extent / SPLIT_ALIGN)));
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
            case ORDERED -> vectorApi() ? vector("reproducible mode") : java("reproducible mode; no Vector API");
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
