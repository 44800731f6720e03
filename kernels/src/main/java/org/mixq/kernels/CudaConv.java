package org.mixq.kernels;

import jcuda.driver.CUdeviceptr;
import org.mixq.core.ConvGeometry;

/**
 * Convolutions: cuDNN where it loaded and has a suitable algorithm for the shape, else im2col
 * and GEMM (cuBLAS or the hand-written kernel). The bias is added, and its gradient summed, by
 * the elementwise kernels on both paths.
 *
 * <p>im2col path, for a group of images whose column matrices fit {@link #COLUMN_BUDGET}:
 * forward {@code y_i = W · col_i} and backward data {@code col_i = W^T · dy_i} then col2im,
 * both one strided-batched GEMM per group ({@code W} shared, stride 0); filter gradient
 * {@code dW += dY · col^T} as one GEMM whose reduction runs over every image of the group
 * ({@code dY} reordered to {@code [k][images*p*q]}, the columns to {@code [c*r*s][images*p*q]}).
 */
final class CudaConv {
    /** Column-matrix floats per group: 32 Mi floats = 128 MiB. */
    static final long COLUMN_BUDGET = 32L << 20;

    private final CudaContext ctx;
    private final Cudnn cudnn;
    private final Sgemm gemm;
    private final Im2colKernels im2col;
    private final ElementwiseKernels elementwise;

    CudaConv(CudaContext ctx, Cudnn cudnn, Sgemm gemm, Im2colKernels im2col, ElementwiseKernels elementwise) {
        this.ctx = ctx;
        this.cudnn = cudnn;
        this.gemm = gemm;
        this.im2col = im2col;
        this.elementwise = elementwise;
    }

    void forward(CUdeviceptr y, CUdeviceptr x, CUdeviceptr w, CUdeviceptr bias, ConvGeometry g) {
        if (cudnn == null || !cudnn.forward(y, x, w, g)) {
            im2colForward(y, x, w, g);
        }
        if (bias != null) {
            elementwise.biasAdd(y, bias, g.n(), g.k(), g.p() * g.q());
        }
    }

    void backwardData(CUdeviceptr dx, CUdeviceptr dy, CUdeviceptr w, ConvGeometry g) {
        if (cudnn == null || !cudnn.backwardData(dx, dy, w, g)) {
            im2colBackwardData(dx, dy, w, g);
        }
    }

    void backwardFilter(CUdeviceptr dw, CUdeviceptr dBias, CUdeviceptr dy, CUdeviceptr x, ConvGeometry g) {
        if (cudnn == null || !cudnn.backwardFilter(dw, dy, x, g)) {
            im2colBackwardFilter(dw, dy, x, g);
        }
        if (dBias != null) {
            elementwise.biasBackward(dBias, dy, g.n(), g.k(), g.p() * g.q());
        }
    }

    private void im2colForward(CUdeviceptr y, CUdeviceptr x, CUdeviceptr w, ConvGeometry g) {
        long crs = (long) g.c() * g.r() * g.s();
        long pq = (long) g.p() * g.q();
        long chw = (long) g.c() * g.h() * g.w();
        long kpq = g.k() * pq;
        int group = group(g, crs * pq);
        try (CudaBuffer col = ctx.scratch(group * crs * pq * Float.BYTES)) {
            for (int n0 = 0; n0 < g.n(); n0 += group) {
                int images = Math.min(group, g.n() - n0);
                im2col.im2col(col.ptr(), at(x, n0 * chw), images, g, crs * pq, pq);
                gemm.sgemm(false, false, g.k(), (int) pq, (int) crs, 1f, w, (int) crs, 0, col.ptr(), (int) pq, crs * pq,
                        0f, at(y, n0 * kpq), (int) pq, kpq, images);
            }
        }
    }

    private void im2colBackwardData(CUdeviceptr dx, CUdeviceptr dy, CUdeviceptr w, ConvGeometry g) {
        long crs = (long) g.c() * g.r() * g.s();
        long pq = (long) g.p() * g.q();
        long chw = (long) g.c() * g.h() * g.w();
        long kpq = g.k() * pq;
        int group = group(g, crs * pq);
        try (CudaBuffer col = ctx.scratch(group * crs * pq * Float.BYTES)) {
            for (int n0 = 0; n0 < g.n(); n0 += group) {
                int images = Math.min(group, g.n() - n0);
                gemm.sgemm(true, false, (int) crs, (int) pq, g.k(), 1f, w, (int) crs, 0, at(dy, n0 * kpq), (int) pq, kpq,
                        0f, col.ptr(), (int) pq, crs * pq, images);
                im2col.col2im(at(dx, n0 * chw), col.ptr(), images, g, crs * pq, pq);
            }
        }
    }

    private void im2colBackwardFilter(CUdeviceptr dw, CUdeviceptr dy, CUdeviceptr x, ConvGeometry g) {
        long crs = (long) g.c() * g.r() * g.s();
        long pq = (long) g.p() * g.q();
        long chw = (long) g.c() * g.h() * g.w();
        long kpq = g.k() * pq;
        int group = group(g, Math.max(crs, g.k()) * pq);
        try (CudaBuffer col = ctx.scratch(group * crs * pq * Float.BYTES);
             CudaBuffer rows = ctx.scratch(group * kpq * Float.BYTES)) {
            for (int n0 = 0; n0 < g.n(); n0 += group) {
                int images = Math.min(group, g.n() - n0);
                long width = images * pq;
                im2col.im2col(col.ptr(), at(x, n0 * chw), images, g, pq, width);
                im2col.imagesToRows(rows.ptr(), at(dy, n0 * kpq), images, g.k(), (int) pq);
                gemm.sgemm(false, true, g.k(), (int) crs, (int) width, 1f, rows.ptr(), (int) width, 0, col.ptr(),
                        (int) width, 0, 1f, dw, (int) crs, 0, 1);
            }
        }
    }

    /** Images per GEMM group: as many as keep {@code perImage * images} within the budget. */
    private static int group(ConvGeometry g, long perImage) {
        long images = COLUMN_BUDGET / Math.max(1, perImage);
        return (int) Math.max(1, Math.min(g.n(), images));
    }

    private static CUdeviceptr at(CUdeviceptr p, long floats) {
        return floats == 0 ? p : p.withByteOffset(floats * Float.BYTES);
    }
}
