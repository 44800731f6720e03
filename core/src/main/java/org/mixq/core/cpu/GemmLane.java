package org.mixq.core.cpu;

/**
 * One thread's SGEMM engine: row-major {@code c = alpha * op(a) * op(b) + beta * c} on the
 * calling thread only, with its own scratch memory. {@link CpuGemm} owns one lane per thread
 * and splits a product between them; the convolution calls a lane from each of its workers.
 * A lane is used by one thread at a time. Callers pass {@code m, n, k >= 1} and
 * {@code alpha != 0} (CpuGemm answers the degenerate cases itself); with {@code beta == 0}
 * c is never read.
 */
interface GemmLane extends AutoCloseable {
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
               float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc);

    /** Frees the lane's native scratch memory, if any. */
    @Override
    void close();
}
