package org.mixq.kernels;

import jcuda.driver.CUdeviceptr;
import org.mixq.core.ConvGeometry;

/**
 * Launches the kernels of {@code im2col.cu}. A column buffer of {@code images} images is
 * addressed by an image stride and a row stride (see im2col.cu), which gives the per-image
 * layout {@code [images][c*r*s][p*q]} or the batch layout {@code [c*r*s][images*p*q]}.
 */
final class Im2colKernels {
    private static final int THREADS = CudaContext.THREADS;

    private final CudaContext ctx;
    private final KernelModule.Kernel im2col;
    private final KernelModule.Kernel col2im;
    private final KernelModule.Kernel imagesToRows;

    Im2colKernels(CudaContext ctx) {
        this.ctx = ctx;
        KernelModule m = ctx.module(KernelSource.IM2COL);
        im2col = m.function("im2col");
        col2im = m.function("col2im");
        imagesToRows = m.function("images_to_rows");
    }

    /** Column matrix of {@code images} images starting at x (already offset to the first image). */
    void im2col(CUdeviceptr col, CUdeviceptr x, int images, ConvGeometry g, long imageStride, long rowStride) {
        long total = (long) images * g.c() * g.r() * g.s() * g.p() * g.q();
        if (total > 0) {
            ctx.launch(im2col, ctx.grid(total, THREADS), 1, 1, THREADS, col, x, images, g.c(), g.h(), g.w(), g.r(),
                    g.s(), g.p(), g.q(), g.strideH(), g.strideW(), g.padH(), g.padW(), imageStride, rowStride);
        }
    }

    /** Overwrites dx of {@code images} images with the sum of their column entries. */
    void col2im(CUdeviceptr dx, CUdeviceptr col, int images, ConvGeometry g, long imageStride, long rowStride) {
        long total = (long) images * g.c() * g.h() * g.w();
        if (total > 0) {
            ctx.launch(col2im, ctx.grid(total, THREADS), 1, 1, THREADS, dx, col, images, g.c(), g.h(), g.w(), g.r(),
                    g.s(), g.p(), g.q(), g.strideH(), g.strideW(), g.padH(), g.padW(), imageStride, rowStride);
        }
    }

    /** {@code out[k][images * pq] <- in[images][k][pq]}. */
    void imagesToRows(CUdeviceptr out, CUdeviceptr in, int images, int k, int pq) {
        long total = (long) images * k * pq;
        if (total > 0) {
            ctx.launch(imagesToRows, ctx.grid(total, THREADS), 1, 1, THREADS, out, in, images, k, pq);
        }
    }
}
