package org.mixq.core.cpu;

import java.util.Arrays;
import org.mixq.core.ConvGeometry;

/**
 * 2-D convolution (cross-correlation, NCHW, KCRS filters) as im2col + SGEMM, following the
 * cuDNN/Caffe lowering: per image, {@code y[K, PQ] = w[K, CRS] * col[CRS, PQ]}.
 *
 * <p>Several images share one GEMM when their planes are small ({@code n = images * PQ}
 * columns), because a GEMM with few columns is slow (a 4 x 4 plane gives 16); the product then
 * lands in a scratch [K, images*PQ] matrix and is scattered to NCHW. A 1 x 1, stride-1,
 * unpadded filter multiplies the image as it is stored, without unfolding it, when an image
 * alone has enough columns.
 *
 * <p>Threads: forward and backward-data split the batch into one contiguous range of images
 * per thread, each thread unfolding and multiplying its own images with its own GEMM lane and
 * scratch (scratch is cached here and grows to the largest layer seen). The filter gradient is
 * a sum over images, so it is not split by image: groups of images (a size fixed by the layer,
 * not the thread count) are unfolded in parallel, then one all-thread GEMM adds each group's
 * contribution, every element of dw owned by one thread. Results are deterministic for a
 * thread count; with OpenBLAS or the Java GEMM the filter gradient does not depend on it at all.
 */
final class CpuConv {
    /** Columns wanted in one GEMM: below a few hundred, BLAS kernels lose much of their speed. */
    private static final int TARGET_COLUMNS = 512;
    /** Columns wanted in the filter-gradient GEMM, whose reduction runs over them. */
    private static final int TARGET_FILTER_COLUMNS = 1024;
    /** Largest column matrix per thread, in floats (16 MiB): half the 32 MiB L3 for two threads. */
    private static final long COLUMN_BUDGET = 1L << 22;

    private final CpuThreads threads;
    private final CpuGemm gemm;
    private final Scratch[] scratch;
    /** The whole-batch lane: CpuGemm itself, all threads, used when there are fewer images than threads. */
    private final GemmLane allThreads;
    private final Scratch shared = new Scratch();

    CpuConv(CpuThreads threads, CpuGemm gemm) {
        this.threads = threads;
        this.gemm = gemm;
        this.scratch = new Scratch[threads.threads()];
        for (int i = 0; i < scratch.length; i++) {
            scratch[i] = new Scratch();
        }
        this.allThreads = new GemmLane() {
            @Override
            public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
                              int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
                gemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            }

            @Override
            public void close() {
            }
        };
    }

    /** Overwrites {@code y = conv(x, w) + bias} (bias may be null). */
    void forward(float[] y, float[] x, float[] w, float[] bias, ConvGeometry g) {
        int crs = g.c() * g.r() * g.s();
        int pq = g.p() * g.q();
        int kpq = g.k() * pq;
        int chw = g.c() * g.h() * g.w();
        overImages(g, (lane, ws, first, count) -> {
            if (count == 1 && pointwise(g)) {
                lane.sgemm(false, false, g.k(), pq, crs, 1f, w, 0, crs, x, first * chw, pq, 0f, y, first * kpq, pq);
                addBias(y, first * kpq, bias, g.k(), pq);
                return;
            }
            int cols = count * pq;
            float[] col = unfold(ws, x, first, count, g);
            if (count == 1) {
                lane.sgemm(false, false, g.k(), pq, crs, 1f, w, 0, crs, col, 0, pq, 0f, y, first * kpq, pq);
                addBias(y, first * kpq, bias, g.k(), pq);
                return;
            }
            float[] tmp = ws.tmp(g.k() * cols);
            lane.sgemm(false, false, g.k(), cols, crs, 1f, w, 0, crs, col, 0, cols, 0f, tmp, 0, cols);
            for (int i = 0; i < count; i++) {
                for (int k = 0; k < g.k(); k++) {
                    int to = (first + i) * kpq + k * pq;
                    int from = k * cols + i * pq;
                    float b = bias == null ? 0f : bias[k];
                    for (int j = 0; j < pq; j++) {
                        y[to + j] = tmp[from + j] + b;
                    }
                }
            }
        });
    }

    /** Overwrites {@code dx} with the gradient of the convolution with respect to its input. */
    void backwardData(float[] dx, float[] dy, float[] w, ConvGeometry g) {
        int crs = g.c() * g.r() * g.s();
        int pq = g.p() * g.q();
        int kpq = g.k() * pq;
        int chw = g.c() * g.h() * g.w();
        overImages(g, (lane, ws, first, count) -> {
            if (count == 1 && pointwise(g)) {
                lane.sgemm(true, false, crs, pq, g.k(), 1f, w, 0, crs, dy, first * kpq, pq, 0f, dx, first * chw, pq);
                return;
            }
            int cols = count * pq;
            float[] col = ws.col((long) crs * cols);
            if (count == 1) {
                lane.sgemm(true, false, crs, pq, g.k(), 1f, w, 0, crs, dy, first * kpq, pq, 0f, col, 0, pq);
            } else {
                float[] dyCols = gatherOutputs(ws, dy, first, count, g);
                lane.sgemm(true, false, crs, cols, g.k(), 1f, w, 0, crs, dyCols, 0, cols, 0f, col, 0, cols);
            }
            float[] dxp = ws.padded(Im2col.paddedSize(g));
            for (int i = 0; i < count; i++) {
                Arrays.fill(dxp, 0, Im2col.paddedSize(g), 0f);
                Im2col.fold(dxp, col, i * pq, cols, g);
                Im2col.crop(dx, (first + i) * chw, dxp, g);
            }
        });
    }

    /** Accumulates the filter gradient into {@code dw} and, when not null, the bias gradient into {@code dBias}. */
    void backwardFilter(float[] dw, float[] dBias, float[] dy, float[] x, ConvGeometry g) {
        int crs = g.c() * g.r() * g.s();
        int pq = g.p() * g.q();
        int group = groupSize(g, g.n(), TARGET_FILTER_COLUMNS);
        for (int first = 0; first < g.n(); first += group) {
            int count = Math.min(group, g.n() - first);
            int cols = count * pq;
            int start = first;
            float[] col = shared.col((long) crs * cols);
            float[] dyCols = shared.tmp(g.k() * cols);
            overParts(count, (part, begin, end) -> {
                for (int i = begin; i < end; i++) {
                    unfoldInto(col, i * pq, cols, scratch[part], x, start + i, g);
                    copyOutputs(dyCols, cols, i * pq, dy, start + i, g);
                }
            });
            gemm.sgemm(false, true, g.k(), crs, cols, 1f, dyCols, 0, cols, col, 0, cols, 1f, dw, 0, crs);
        }
        if (dBias != null) {
            biasGradient(dBias, dy, g.n(), g.k(), pq);
        }
    }

    // ---- work splitting ----------------------------------------------------------------------

    @FunctionalInterface
    private interface ImageGroup {
        void run(GemmLane lane, Scratch ws, int first, int count);
    }

    /**
     * Calls {@code body} on consecutive groups of images: with at least as many images as
     * threads, each thread takes a contiguous range of images and works on it with its own lane
     * and scratch; with fewer, the groups run one after another and each GEMM uses all threads.
     */
    private void overImages(ConvGeometry g, ImageGroup body) {
        int t = threads.threads();
        if (g.n() < t || t == 1) {
            int group = groupSize(g, g.n(), TARGET_COLUMNS);
            GemmLane lane = t == 1 ? gemm.lane(0) : allThreads;
            for (int first = 0; first < g.n(); first += group) {
                body.run(lane, scratch[0], first, Math.min(group, g.n() - first));
            }
            return;
        }
        overParts(g.n(), (part, begin, end) -> {
            int group = groupSize(g, end - begin, TARGET_COLUMNS);
            for (int first = begin; first < end; first += group) {
                body.run(gemm.lane(part), scratch[part], first, Math.min(group, end - first));
            }
        });
    }

    @FunctionalInterface
    private interface PartRange {
        void run(int part, int begin, int end);
    }

    /** Splits {@code [0, items)} into one contiguous range per thread (at most one per item); part i runs on one thread. */
    private void overParts(int items, PartRange body) {
        int parts = Math.min(threads.threads(), items);
        threads.forRange(parts, 1, (from, to) -> {
            for (int part = from; part < to; part++) {
                body.run(part, (int) ((long) items * part / parts), (int) ((long) items * (part + 1) / parts));
            }
        });
    }

    /** Images per GEMM: enough for {@code target} columns, at most {@code images}, within the column budget. */
    private static int groupSize(ConvGeometry g, int images, int target) {
        int pq = g.p() * g.q();
        long crs = (long) g.c() * g.r() * g.s();
        int wanted = (target + pq - 1) / pq;
        int affordable = (int) Math.max(1, COLUMN_BUDGET / (crs * pq));
        return Math.max(1, Math.min(Math.min(wanted, affordable), images));
    }

    private static boolean pointwise(ConvGeometry g) {
        return g.r() == 1 && g.s() == 1 && g.strideH() == 1 && g.strideW() == 1 && g.padH() == 0 && g.padW() == 0;
    }

    // ---- data movement -------------------------------------------------------------------------

    /** The column matrix [CRS, count*PQ] of images first..first+count-1. */
    private static float[] unfold(Scratch ws, float[] x, int first, int count, ConvGeometry g) {
        int cols = count * g.p() * g.q();
        float[] col = ws.col((long) g.c() * g.r() * g.s() * cols);
        for (int i = 0; i < count; i++) {
            unfoldInto(col, i * g.p() * g.q(), cols, ws, x, first + i, g);
        }
        return col;
    }

    /** Unfolds image {@code image} into the columns from {@code colOff} of a matrix with row stride {@code ld}. */
    private static void unfoldInto(float[] col, int colOff, int ld, Scratch ws, float[] x, int image, ConvGeometry g) {
        int chw = g.c() * g.h() * g.w();
        if (g.padH() == 0 && g.padW() == 0) {
            Im2col.unfold(col, colOff, ld, x, image * chw, g.h(), g.w(), g);
            return;
        }
        float[] xp = ws.padded(Im2col.paddedSize(g));
        Im2col.pad(xp, x, image * chw, g);
        Im2col.unfold(col, colOff, ld, xp, 0, Im2col.paddedH(g), Im2col.paddedW(g), g);
    }

    /** dy of images first..first+count-1 as one [K, count*PQ] matrix. */
    private static float[] gatherOutputs(Scratch ws, float[] dy, int first, int count, ConvGeometry g) {
        int cols = count * g.p() * g.q();
        float[] out = ws.tmp(g.k() * cols);
        for (int i = 0; i < count; i++) {
            copyOutputs(out, cols, i * g.p() * g.q(), dy, first + i, g);
        }
        return out;
    }

    /** {@code out[k*ld + colOff + pq] = dy[image][k][pq]}. */
    private static void copyOutputs(float[] out, int ld, int colOff, float[] dy, int image, ConvGeometry g) {
        int pq = g.p() * g.q();
        for (int k = 0; k < g.k(); k++) {
            System.arraycopy(dy, (image * g.k() + k) * pq, out, k * ld + colOff, pq);
        }
    }

    private static void addBias(float[] y, int off, float[] bias, int k, int pq) {
        if (bias == null) {
            return;
        }
        for (int ch = 0; ch < k; ch++) {
            float b = bias[ch];
            int at = off + ch * pq;
            for (int j = 0; j < pq; j++) {
                y[at + j] += b;
            }
        }
    }

    /** {@code dBias[k] += sum over images and pixels of dy[n][k][pq]}, in double, split by channel. */
    private void biasGradient(float[] dBias, float[] dy, int n, int k, int pq) {
        threads.forRange(k, Math.max(1, (1 << 16) / Math.max(1, n * pq)), (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * k + ch) * pq;
                    for (int j = 0; j < pq; j++) {
                        sum += dy[base + j];
                    }
                }
                dBias[ch] += (float) sum;
            }
        });
    }

    /** One thread's reusable buffers; each grows to the largest request and is never shrunk. */
    private static final class Scratch {
        private float[] col = new float[0];
        private float[] tmp = new float[0];
        private float[] padded = new float[0];

        float[] col(long size) {
            if (col.length < size) {
                col = new float[Math.toIntExact(size)];
            }
            return col;
        }

        float[] tmp(long size) {
            if (tmp.length < size) {
                tmp = new float[Math.toIntExact(size)];
            }
            return tmp;
        }

        float[] padded(int size) {
            if (padded.length < size) {
                padded = new float[size];
            }
            return padded;
        }
    }
}
