package org.mixq.kernels;

import jcuda.driver.CUdeviceptr;

/**
 * Launches the tiled SGEMM of {@code gemm.cu}: row-major, optional transposes, strided batches.
 * Grid: (column tiles, row tiles, batch); the grid's y and z limits (65535) are met by
 * launching row blocks and batches in slices.
 */
final class GemmKernels implements Sgemm {
    private static final int TILE = 128;
    private static final int THREADS = 256;
    private static final int MAX_GRID_YZ = 65535;

    private final CudaContext ctx;
    private final KernelModule.Kernel sgemm;

    GemmKernels(CudaContext ctx) {
        this.ctx = ctx;
        sgemm = ctx.module(KernelSource.GEMM).function("sgemm_tiled");
    }

    @Override
    public String name() {
        return "hand-written";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, CUdeviceptr a, int lda,
                      long strideA, CUdeviceptr b, int ldb, long strideB, float beta, CUdeviceptr c, int ldc,
                      long strideC, int batch) {
        if (m == 0 || n == 0 || batch == 0) {
            return;
        }
        int colTiles = (n + TILE - 1) / TILE;
        int rowsPerSlice = MAX_GRID_YZ * TILE;
        for (int b0 = 0; b0 < batch; b0 += MAX_GRID_YZ) {
            int batches = Math.min(MAX_GRID_YZ, batch - b0);
            for (int r0 = 0; r0 < m; r0 += rowsPerSlice) {
                int rows = Math.min(rowsPerSlice, m - r0);
                // rows r0.. of op(A) start at row r0 of A, or at column r0 of A^T
                long aOffset = b0 * strideA + (transA ? r0 : (long) r0 * lda);
                long cOffset = b0 * strideC + (long) r0 * ldc;
                ctx.launch(sgemm, colTiles, (rows + TILE - 1) / TILE, batches, THREADS, transA ? 1 : 0, transB ? 1 : 0,
                        rows, n, k, alpha, offset(a, aOffset), lda, strideA, offset(b, b0 * strideB), ldb, strideB,
                        beta, offset(c, cOffset), ldc, strideC);
            }
        }
    }

    private static CUdeviceptr offset(CUdeviceptr p, long floats) {
        return floats == 0 ? p : p.withByteOffset(floats * Float.BYTES);
    }
}
