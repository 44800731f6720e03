package org.mixq.core.cpu;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_full;

/**
 * OpenBLAS's {@code cblas_sgemm} through the JavaCPP presets, on operands staged in native
 * memory owned by this lane.
 *
 * <p>Why staging: JavaCPP passes a {@code float[]} (or a heap FloatBuffer) through JNI
 * Get/ReleaseFloatArrayElements, which on HotSpot copies the WHOLE array in and back out on
 * every call: a small product inside a large array pays for copying the whole array, and two
 * threads writing disjoint columns of one c would overwrite each other's results with stale
 * copies. So each lane copies exactly the blocks it needs into its own native buffers (bulk
 * copies through direct FloatBuffer views, no JNI per row) and copies the block of c back, a
 * small share of a large product's time (both measured: bench/RESULTS.md, "OpenBLAS staging").
 * Callers that build an operand anyway write it into the lane's native scratch instead
 * ({@link #scratch}), which costs no copy.
 *
 * <p>OpenBLAS's own thread count is process-wide; it is pinned to 1 and {@link CpuGemm}
 * splits work between lanes, so that concurrent lanes (the convolution runs one per worker)
 * never contend for OpenBLAS's thread pool and results do not depend on another backend's
 * setting.
 */
final class OpenBlasLane extends GemmLane {
    private final Staging a = new Staging();
    private final Staging b = new Staging();
    private final Staging c = new Staging();
    private final Staging[] scratch = {new Staging(), new Staging(), new Staging()};

    /**
     * Loads the natives and pins OpenBLAS to one thread; returns its build configuration (for a
     * DYNAMIC_ARCH build it names the kernels picked for this processor). Throws
     * {@link LinkageError} when the JavaCPP or OpenBLAS natives are absent.
     */
    static String load() {
        openblas_full.openblas_set_num_threads(1);
        return openblas_full.openblas_get_config().getString().trim() + ", one thread per lane";
    }

    @Override
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        int aCols = transA ? m : k;
        int bCols = transB ? k : n;
        this.a.stage(a, aOff, lda, transA ? k : m, aCols);
        this.b.stage(b, bOff, ldb, transB ? n : k, bCols);
        if (beta != 0f) {
            this.c.stage(c, cOff, ldc, m, n);
        } else {
            this.c.reserve((long) m * n);
        }
        openblas_full.cblas_sgemm(openblas_full.CblasRowMajor,
                transA ? openblas_full.CblasTrans : openblas_full.CblasNoTrans,
                transB ? openblas_full.CblasTrans : openblas_full.CblasNoTrans,
                m, n, k, alpha, this.a.pointer, aCols, this.b.pointer, bCols, beta, this.c.pointer, n);
        this.c.unstage(c, cOff, ldc, m, n);
    }

    /** A direct (native-memory) buffer that cblas_sgemm reads and writes in place. */
    @Override
    FloatBuffer scratch(int slot, int size) {
        scratch[slot].reserve(size);
        return scratch[slot].view;
    }

    @Override
    void sgemmScratch(boolean transA, boolean transB, int m, int n, int k, float alpha, int aOff, int lda, int bOff,
                      int ldb, float beta, int cOff, int ldc) {
        openblas_full.cblas_sgemm(openblas_full.CblasRowMajor,
                transA ? openblas_full.CblasTrans : openblas_full.CblasNoTrans,
                transB ? openblas_full.CblasTrans : openblas_full.CblasNoTrans,
                m, n, k, alpha, at(A, aOff), lda, at(B, bOff), ldb, beta, at(C, cOff), ldc);
    }

    /** Scratch slot {@code slot} from element {@code offset} on. */
    private FloatPointer at(int slot, int offset) {
        FloatPointer p = scratch[slot].pointer;
        return offset == 0 ? p : new FloatPointer(p).position(offset);
    }

    @Override
    public void close() {
        a.close();
        b.close();
        c.close();
        for (Staging s : scratch) {
            s.close();
        }
    }

    /** A growable native buffer holding one dense row-major operand. */
    private static final class Staging {
        FloatPointer pointer;
        FloatBuffer view;

        /**
         * Ensures room for {@code size} floats, keeping the contents when there is room already;
         * grows by half again to avoid reallocating on every step up.
         */
        void reserve(long size) {
            if (pointer != null && pointer.capacity() >= size) {
                return;
            }
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("gemm: an operand of " + size + " floats is larger than a native staging buffer");
            }
            long grown = Math.min(Integer.MAX_VALUE, Math.max(size, (pointer == null ? 0 : pointer.capacity()) * 3 / 2));
            close();
            pointer = new FloatPointer(grown);
            view = pointer.asBuffer();
        }

        /** Copies the rows x cols block at {@code src[off]} (row stride ld) densely into native memory. */
        void stage(float[] src, int off, int ld, int rows, int cols) {
            reserve((long) rows * cols);
            if (ld == cols) {
                view.put(0, src, off, rows * cols);
                return;
            }
            for (int r = 0; r < rows; r++) {
                view.put(r * cols, src, off + r * ld, cols);
            }
        }

        /** Copies the dense native block back into {@code dst[off]} with row stride ld. */
        void unstage(float[] dst, int off, int ld, int rows, int cols) {
            if (ld == cols) {
                view.get(0, dst, off, rows * cols);
                return;
            }
            for (int r = 0; r < rows; r++) {
                view.get(r * cols, dst, off + r * ld, cols);
            }
        }

        void close() {
            if (pointer != null) {
                pointer.close();
                pointer = null;
                view = null;
            }
        }
    }
}
