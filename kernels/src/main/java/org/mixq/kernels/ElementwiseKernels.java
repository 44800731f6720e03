package org.mixq.kernels;

import jcuda.driver.CUdeviceptr;

/** Launches the kernels of {@code elementwise.cu}; arguments are already validated. */
final class ElementwiseKernels {
    private static final int THREADS = CudaContext.THREADS;

    private final CudaContext ctx;
    private final KernelModule.Kernel add;
    private final KernelModule.Kernel biasAdd;
    private final KernelModule.Kernel biasBackwardPartial;
    private final KernelModule.Kernel biasBackwardFinalize;
    private final KernelModule.Kernel reluForward;
    private final KernelModule.Kernel reluBackward;
    private final KernelModule.Kernel sgd;

    ElementwiseKernels(CudaContext ctx) {
        this.ctx = ctx;
        KernelModule m = ctx.module(KernelSource.ELEMENTWISE);
        add = m.function("add");
        biasAdd = m.function("bias_add");
        biasBackwardPartial = m.function("bias_backward_partial");
        biasBackwardFinalize = m.function("bias_backward_finalize");
        reluForward = m.function("relu_forward");
        reluBackward = m.function("relu_backward");
        sgd = m.function("sgd");
    }

    void add(CUdeviceptr y, CUdeviceptr a, CUdeviceptr b, int n) {
        if (n > 0) {
            ctx.launch(add, vectorGrid(n), 1, 1, THREADS, y, a, b, n);
        }
    }

    /** {@code y[i, ch, j] += bias[ch]} over {@code [n, c, inner]}. */
    void biasAdd(CUdeviceptr y, CUdeviceptr bias, int n, int c, int inner) {
        int total = n * c * inner;
        if (total > 0) {
            ctx.launch(biasAdd, vectorGrid(total), 1, 1, THREADS, y, bias, c, inner, total);
        }
    }

    /** {@code dBias[ch] += sum of dy over n and inner}, in a fixed order (see {@link #chunks}). */
    void biasBackward(CUdeviceptr dBias, CUdeviceptr dy, int n, int c, int inner) {
        long perChannel = (long) n * inner;
        if (c == 0 || perChannel == 0) {
            return;
        }
        int chunks = chunks(perChannel);
        try (CudaBuffer partial = ctx.scratch((long) c * chunks * Double.BYTES)) {
            ctx.launch(biasBackwardPartial, chunks, c, 1, THREADS, partial.ptr(), dy, n, c, inner);
            ctx.launch(biasBackwardFinalize, (c + THREADS - 1) / THREADS, 1, 1, THREADS, dBias, partial.ptr(), c,
                    chunks);
        }
    }

    void reluForward(CUdeviceptr y, CUdeviceptr x, int n) {
        if (n > 0) {
            ctx.launch(reluForward, vectorGrid(n), 1, 1, THREADS, y, x, n);
        }
    }

    void reluBackward(CUdeviceptr dx, CUdeviceptr dy, CUdeviceptr y, int n) {
        if (n > 0) {
            ctx.launch(reluBackward, vectorGrid(n), 1, 1, THREADS, dx, dy, y, n);
        }
    }

    void sgd(CUdeviceptr param, CUdeviceptr velocity, CUdeviceptr grad, int n, float lr, float momentum,
             float weightDecay) {
        if (n > 0) {
            ctx.launch(sgd, vectorGrid(n), 1, 1, THREADS, param, velocity, grad, n, lr, momentum, weightDecay);
        }
    }

    /** Kernels that read float4s need a quarter of the threads. */
    private int vectorGrid(int n) {
        return ctx.grid((n + 3L) / 4, THREADS);
    }

    /**
     * Blocks per channel of a per-channel reduction: about 4096 values each, at most 256. A
     * function of the sizes only, so the summation order never depends on the device.
     */
    static int chunks(long perChannel) {
        return (int) Math.max(1, Math.min(256, (perChannel + 4095) / 4096));
    }
}
