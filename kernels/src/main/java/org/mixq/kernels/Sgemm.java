package org.mixq.kernels;

import jcuda.driver.CUdeviceptr;

/**
 * A strided-batched, row-major SGEMM provider (cuBLAS or the hand-written kernel):
 * for each b below {@code batch}, {@code C_b = alpha * op(A_b) * op(B_b) + beta * C_b} with
 * {@code X_b = X + b * strideX}; op(A) is m x k, op(B) k x n, C m x n; lda, ldb, ldc are the
 * row lengths of A, B, C as stored. With beta = 0, C is not read.
 */
interface Sgemm {
    /** "cuBLAS 12.6.4" or "hand-written". */
    String name();

    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, CUdeviceptr a, int lda, long strideA,
               CUdeviceptr b, int ldb, long strideB, float beta, CUdeviceptr c, int ldc, long strideC, int batch);
}
