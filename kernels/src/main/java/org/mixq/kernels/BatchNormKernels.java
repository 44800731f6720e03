package org.mixq.kernels;

import jcuda.driver.CUdeviceptr;

/**
 * Launches the kernels of {@code batch_norm.cu}: each per-channel sum is a partial kernel over
 * a (chunks x channels) grid followed by a one-thread-per-channel finalize, with the chunk
 * count a function of the sizes only ({@link ElementwiseKernels#chunks}), so the statistics are
 * the same on every run. Arguments are already validated.
 */
final class BatchNormKernels {
    private static final int THREADS = CudaContext.THREADS;

    private final CudaContext ctx;
    private final KernelModule.Kernel statsPartial;
    private final KernelModule.Kernel meanFinalize;
    private final KernelModule.Kernel varFinalize;
    private final KernelModule.Kernel inferenceInvStd;
    private final KernelModule.Kernel normalize;
    private final KernelModule.Kernel backwardPartial;
    private final KernelModule.Kernel backwardFinalize;
    private final KernelModule.Kernel backwardDx;

    BatchNormKernels(CudaContext ctx) {
        this.ctx = ctx;
        KernelModule m = ctx.module(KernelSource.BATCH_NORM);
        statsPartial = m.function("bn_stats_partial");
        meanFinalize = m.function("bn_mean_finalize");
        varFinalize = m.function("bn_var_finalize");
        inferenceInvStd = m.function("bn_inference_inv_std");
        normalize = m.function("bn_normalize");
        backwardPartial = m.function("bn_backward_partial");
        backwardFinalize = m.function("bn_backward_finalize");
        backwardDx = m.function("bn_backward_dx");
    }

    void forwardTraining(CUdeviceptr y, CUdeviceptr saveMean, CUdeviceptr saveInvStd, CUdeviceptr runningMean,
                         CUdeviceptr runningVar, CUdeviceptr x, CUdeviceptr gamma, CUdeviceptr beta, int n, int c,
                         int inner, float momentum, float eps) {
        long count = (long) n * inner;
        if (c == 0) {
            return;
        }
        int chunks = ElementwiseKernels.chunks(count);
        int perChannelGrid = channelGrid(c);
        try (CudaBuffer partial = ctx.scratch((long) c * chunks * Double.BYTES);
             CudaBuffer mean = ctx.scratch((long) c * Double.BYTES)) {
            // pass 1: sums -> mean (double); pass 2: squared deviations -> variance
            ctx.launch(statsPartial, chunks, c, 1, THREADS, partial.ptr(), x, new CUdeviceptr(), n, c, inner);
            ctx.launch(meanFinalize, perChannelGrid, 1, 1, THREADS, mean.ptr(), partial.ptr(), c, chunks, count);
            ctx.launch(statsPartial, chunks, c, 1, THREADS, partial.ptr(), x, mean.ptr(), n, c, inner);
            ctx.launch(varFinalize, perChannelGrid, 1, 1, THREADS, saveMean, saveInvStd, runningMean, runningVar,
                    mean.ptr(), partial.ptr(), c, chunks, count, momentum, eps);
        }
        normalize(y, x, saveMean, saveInvStd, gamma, beta, c, inner, count * c);
    }

    void forwardInference(CUdeviceptr y, CUdeviceptr x, CUdeviceptr gamma, CUdeviceptr beta, CUdeviceptr runningMean,
                          CUdeviceptr runningVar, int n, int c, int inner, float eps) {
        if (c == 0) {
            return;
        }
        try (CudaBuffer invStd = ctx.scratch((long) c * Float.BYTES)) {
            ctx.launch(inferenceInvStd, channelGrid(c), 1, 1, THREADS, invStd.ptr(), runningVar, c, eps);
            normalize(y, x, runningMean, invStd.ptr(), gamma, beta, c, inner, (long) n * c * inner);
        }
    }

    void backward(CUdeviceptr dx, CUdeviceptr dGamma, CUdeviceptr dBeta, CUdeviceptr dy, CUdeviceptr x,
                  CUdeviceptr gamma, CUdeviceptr saveMean, CUdeviceptr saveInvStd, int n, int c, int inner) {
        long count = (long) n * inner;
        if (c == 0 || count == 0) {
            return;
        }
        int chunks = ElementwiseKernels.chunks(count);
        try (CudaBuffer partial = ctx.scratch(2L * c * chunks * Double.BYTES);
             CudaBuffer coef = ctx.scratch(3L * c * Float.BYTES)) {
            ctx.launch(backwardPartial, chunks, c, 1, THREADS, partial.ptr(), dy, x, saveMean, saveInvStd, n, c, inner);
            ctx.launch(backwardFinalize, channelGrid(c), 1, 1, THREADS, dGamma, dBeta, coef.ptr(), partial.ptr(), gamma,
                    saveInvStd, c, chunks, count);
            long total = count * c;
            ctx.launch(backwardDx, ctx.grid(total, THREADS), 1, 1, THREADS, dx, dy, x, saveMean, saveInvStd, coef.ptr(),
                    c, inner, total);
        }
    }

    private void normalize(CUdeviceptr y, CUdeviceptr x, CUdeviceptr mean, CUdeviceptr invStd, CUdeviceptr gamma,
                           CUdeviceptr beta, int c, int inner, long total) {
        if (total > 0) {
            ctx.launch(normalize, ctx.grid(total, THREADS), 1, 1, THREADS, y, x, mean, invStd, gamma, beta, c, inner,
                    total);
        }
    }

    private static int channelGrid(int c) {
        return (c + THREADS - 1) / THREADS;
    }
}
