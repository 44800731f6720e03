package org.mixq.kernels;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/**
 * Launches the kernels of {@code loss.cu}. The arguments are validated; the labels' values are
 * not (reading them would wait for the device), and the kernels give NaN for a bad one.
 */
final class LossKernels {
    private static final int THREADS = CudaContext.THREADS;

    private final CudaContext ctx;
    private final KernelModule.Kernel forward;
    private final KernelModule.Kernel mean;
    private final KernelModule.Kernel backward;
    private final KernelModule.Kernel countCorrect;

    LossKernels(CudaContext ctx) {
        this.ctx = ctx;
        KernelModule m = ctx.module(KernelSource.LOSS);
        forward = m.function("softmax_xent_forward");
        mean = m.function("softmax_xent_mean");
        backward = m.function("softmax_xent_backward");
        countCorrect = m.function("count_correct");
    }

    /** Probabilities and per-row losses (one thread per row), then their mean in row order. */
    void forward(CUdeviceptr loss, CUdeviceptr probs, CUdeviceptr logits, CUdeviceptr labels, int n, int classes) {
        try (CudaBuffer rowLoss = ctx.scratch((long) Math.max(n, 1) * Double.BYTES)) {
            if (n > 0) {
                ctx.launch(forward, ctx.grid(n, THREADS), 1, 1, THREADS, probs, rowLoss.ptr(), logits, labels, n,
                        classes);
            }
            ctx.launch(mean, 1, 1, 1, 1, loss, rowLoss.ptr(), n);
        }
    }

    void backward(CUdeviceptr dLogits, CUdeviceptr probs, CUdeviceptr labels, int n, int classes) {
        long total = (long) n * classes;
        if (total > 0) {
            ctx.launch(backward, ctx.grid(total, THREADS), 1, 1, THREADS, dLogits, probs, labels, n, classes);
        }
    }

    /** Counts on the device and reads the count back (a synchronizing copy of 4 bytes). */
    int countCorrect(CUdeviceptr logits, CUdeviceptr labels, int n, int classes) {
        if (n == 0) {
            return 0;
        }
        try (CudaBuffer count = ctx.scratch(Integer.BYTES)) {
            CudaDiagnostics.check(JCudaDriver.cuMemsetD32Async(count.ptr(), 0, 1, ctx.stream), "cuMemsetD32Async");
            ctx.launch(countCorrect, ctx.grid(n, THREADS), 1, 1, THREADS, count.ptr(), logits, labels, n, classes);
            int[] host = new int[1];
            CudaDiagnostics.check(JCudaDriver.cuMemcpyDtoH(Pointer.to(host), count.ptr(), Integer.BYTES), "cuMemcpyDtoH");
            return host[0];
        }
    }
}
