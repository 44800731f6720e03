package org.mixq.kernels;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasMath;
import jcuda.jcublas.cublasOperation;
import jcuda.jcublas.cublasStatus;
import jcuda.runtime.cudaStream_t;

/**
 * SGEMM through cuBLAS (JCublas2 12.6, whose native needs libcublas.so.12; a CUDA 13 cuBLAS is
 * libcublas.so.13 and does not satisfy it). cuBLAS is column-major: a row-major C = op(A) op(B)
 * is the column-major C^T = op(B)^T op(A)^T, so the operands are passed swapped, with m and n
 * exchanged and each transpose flag kept with its matrix.
 *
 * <p>Math mode CUBLAS_DEFAULT_MATH computes FP32 GEMMs in FP32; TF32 tensor cores only when
 * asked ({@link CudaOptions#tf32()}).
 */
final class Cublas implements Sgemm, AutoCloseable {
    private final cublasHandle handle = new cublasHandle();
    private final String version;
    private boolean closed;

    /** Opens a handle on the context's stream; a LinkageError means the library is missing. */
    Cublas(CudaContext ctx, boolean tf32) {
        check(JCublas2.cublasCreate(handle), "cublasCreate");
        try {
            check(JCublas2.cublasSetStream(handle, new cudaStream_t(ctx.stream)), "cublasSetStream");
            check(JCublas2.cublasSetMathMode(handle, tf32 ? cublasMath.CUBLAS_TF32_TENSOR_OP_MATH
                    : cublasMath.CUBLAS_DEFAULT_MATH), "cublasSetMathMode");
            int[] v = new int[1];
            check(JCublas2.cublasGetVersion(handle, v), "cublasGetVersion");
            version = (v[0] / 10000) + "." + (v[0] % 10000) / 100 + "." + v[0] % 100 + (tf32 ? ", TF32" : "");
        } catch (RuntimeException e) {
            JCublas2.cublasDestroy(handle);
            throw e;
        }
    }

    @Override
    public String name() {
        return "cuBLAS " + version;
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, CUdeviceptr a, int lda,
                      long strideA, CUdeviceptr b, int ldb, long strideB, float beta, CUdeviceptr c, int ldc,
                      long strideC, int batch) {
        if (m == 0 || n == 0 || batch == 0) {
            return;
        }
        // cuBLAS rejects a leading dimension of 0 even when k = 0 leaves the matrix empty
        int ldA = Math.max(1, lda);
        int ldB = Math.max(1, ldb);
        int opA = transA ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        int opB = transB ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        check(JCublas2.cublasSgemmStridedBatched(handle, opB, opA, n, m, k, Pointer.to(new float[] {alpha}),
                b, ldB, strideB, a, ldA, strideA, Pointer.to(new float[] {beta}), c, ldc, strideC, batch),
                "cublasSgemmStridedBatched");
    }

    private static void check(int status, String call) {
        if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
            throw new CudaCallException(call, status, cublasStatus.stringFor(status));
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            check(JCublas2.cublasDestroy(handle), "cublasDestroy");
        }
    }
}
