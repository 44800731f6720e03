package org.mixq.core.cpu;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * One thread's SGEMM engine: row-major {@code c = alpha * op(a) * op(b) + beta * c} on the
 * calling thread only, with its own memory. {@link CpuGemm} owns one lane per thread and splits
 * a product between them; the convolution runs one lane per worker. A lane is used by one
 * thread at a time. Callers pass {@code m, n, k >= 1} and {@code alpha != 0} (CpuGemm answers
 * the degenerate cases itself); with {@code beta == 0} c is never read.
 *
 * <p>mixq's own lanes ({@link VectorGemmLane}, {@link JavaGemmLane}) compute every element as
 * one chain of fused multiply-adds, {@code c = fma(alpha * a[i][p], b[p][j], c)} for p = 0, 1,
 * ..., k-1 in order, starting from {@code beta * c} (from +0 when beta = 0). That order follows
 * from the problem alone: not from the vector width, the blocking, the tile or the thread an
 * element falls in; and an FMA is one IEEE operation, the same in a vector lane and in
 * {@link Math#fma}. So the two lanes give the same bits as each other on every x86-64 machine
 * and JDK, which is what the reproducible mode builds on.
 *
 * <p>Besides products of Java arrays, a lane offers three scratch matrices (slots {@link #A},
 * {@link #B}, {@link #C}) in the memory its kernel reads directly: native memory for OpenBLAS,
 * heap arrays otherwise. A caller that builds an operand anyway (an unfolded image) writes it
 * there and saves the copy a BLAS in native memory would otherwise make; an operand reused
 * across products (a filter) is written once.
 */
abstract class GemmLane implements AutoCloseable {
    static final int A = 0;
    static final int B = 1;
    static final int C = 2;

    private final float[][] heap = {new float[0], new float[0], new float[0]};

    /**
     * {@code c = beta * c} over an m x n block; beta = 0 writes zeros without reading c (BLAS
     * semantics, also when k = 0 or alpha = 0), beta = 1 touches nothing.
     */
    static void scale(float[] c, int cOff, int ldc, int m, int n, float beta) {
        if (beta == 1f) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) {
                Arrays.fill(c, row, row + n, 0f);
            } else {
                for (int j = 0; j < n; j++) {
                    c[row + j] *= beta;
                }
            }
        }
    }

    abstract void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                        float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc);

    /**
     * Scratch matrix {@code slot} with room for {@code size} floats, as an absolute-indexed
     * buffer. Its contents survive until the slot is asked for with a larger size; ask for the
     * largest size first.
     */
    FloatBuffer scratch(int slot, int size) {
        if (heap[slot].length < size) {
            heap[slot] = new float[size];
        }
        return FloatBuffer.wrap(heap[slot]);
    }

    /** The product of the scratch matrices, each dense row-major: {@code C = alpha * op(A) * op(B) + beta * C}. */
    void sgemmScratch(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta) {
        sgemmScratch(transA, transB, m, n, k, alpha, 0, transA ? m : k, 0, transB ? k : n, beta, 0, n);
    }

    /**
     * The product of blocks of the scratch matrices: each operand starts at its offset in its
     * slot and has the given leading dimension, as in {@link #sgemm}.
     */
    void sgemmScratch(boolean transA, boolean transB, int m, int n, int k, float alpha, int aOff, int lda, int bOff,
                      int ldb, float beta, int cOff, int ldc) {
        sgemm(transA, transB, m, n, k, alpha, heap[A], aOff, lda, heap[B], bOff, ldb, beta, heap[C], cOff, ldc);
    }

    /** Frees native memory, if the lane holds any. */
    @Override
    public void close() {
    }
}
