package org.mixq.kernels;

import jcuda.driver.CUdeviceptr;

/** Launches the kernels of {@code pooling.cu}; arguments are already validated. */
final class PoolingKernels {
    private static final int THREADS = CudaContext.THREADS;

    private final CudaContext ctx;
    private final KernelModule.Kernel maxForward;
    private final KernelModule.Kernel maxBackward;
    private final KernelModule.Kernel avgForward;
    private final KernelModule.Kernel avgBackward;

    PoolingKernels(CudaContext ctx) {
        this.ctx = ctx;
        KernelModule m = ctx.module(KernelSource.POOLING);
        maxForward = m.function("max_pool_forward");
        maxBackward = m.function("max_pool_backward");
        avgForward = m.function("global_avg_pool_forward");
        avgBackward = m.function("global_avg_pool_backward");
    }

    void maxForward(CUdeviceptr y, CUdeviceptr x, int planes, int h, int w, int window, int stride) {
        int outH = (h - window) / stride + 1;
        int outW = (w - window) / stride + 1;
        long total = (long) planes * outH * outW;
        if (total > 0) {
            ctx.launch(maxForward, ctx.grid(total, THREADS), 1, 1, THREADS, y, x, planes, h, w, window, stride, outH,
                    outW);
        }
    }

    /** One thread per input element; overwrites all of dx. */
    void maxBackward(CUdeviceptr dx, CUdeviceptr dy, CUdeviceptr x, CUdeviceptr y, int planes, int h, int w,
                     int window, int stride) {
        int outH = (h - window) / stride + 1;
        int outW = (w - window) / stride + 1;
        long total = (long) planes * h * w;
        if (total > 0) {
            ctx.launch(maxBackward, ctx.grid(total, THREADS), 1, 1, THREADS, dx, dy, x, y, planes, h, w, window,
                    stride, outH, outW);
        }
    }

    void avgForward(CUdeviceptr y, CUdeviceptr x, int planes, int hw) {
        if (planes > 0) {
            ctx.launch(avgForward, ctx.grid(planes, THREADS), 1, 1, THREADS, y, x, planes, hw);
        }
    }

    void avgBackward(CUdeviceptr dx, CUdeviceptr dy, int planes, int hw) {
        long total = (long) planes * hw;
        if (total > 0) {
            ctx.launch(avgBackward, ctx.grid(total, THREADS), 1, 1, THREADS, dx, dy, planes, hw);
        }
    }
}
