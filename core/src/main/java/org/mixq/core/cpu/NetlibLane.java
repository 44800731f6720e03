package org.mixq.core.cpu;

import dev.ludovic.netlib.blas.BLAS;

/**
 * netlib's SGEMM (dev.ludovic.netlib), which is column-major Fortran BLAS with array offsets.
 * A row-major matrix read column-major is its transpose, so the row-major product
 * {@code C = op(A) op(B)} is computed as the column-major {@code C^T = op(B)^T op(A)^T}: the
 * operands swap places, each keeps its own transpose flag, m and n swap. No copies are needed.
 * Single-threaded: {@link CpuGemm} splits the work between lanes.
 */
final class NetlibLane implements GemmLane {
    private final BLAS blas;

    NetlibLane(BLAS blas) {
        this.blas = blas;
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        blas.sgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha, b, bOff, ldb, a, aOff, lda, beta, c, cOff, ldc);
    }

    @Override
    public void close() {
    }
}
