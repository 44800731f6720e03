package org.mixq.kernels;

import jcuda.driver.CUdeviceptr;

/** Launches the kernels of {@code fake_quant.cu}; arguments are already validated. */
final class FakeQuantKernels {
    /** Threads per block; FQ_THREADS in fake_quant.cu. */
    private static final int THREADS = 256;
    /** Threads of the resident weight kernel's blocks; FQ_RESIDENT_THREADS in fake_quant.cu. */
    private static final int RESIDENT_THREADS = 1024;
    /** Blocks of 256 threads that a multiprocessor runs at once (2048 threads). */
    private static final int BLOCKS_PER_MULTIPROCESSOR = 8;
    /** Most blocks of the clip-gradient reduction, whose partials one thread then adds. */
    private static final int MAX_REDUCTION_BLOCKS = 1024;

    private final CudaContext ctx;
    private final CudaOptions.WeightQuantKernel weightKernel;
    private final KernelModule.Kernel weightsForward;
    private final KernelModule.Kernel weightsForwardResident;
    private final KernelModule.Kernel weightsBackward;
    private final KernelModule.Kernel activationsForward;
    private final KernelModule.Kernel activationsBackward;
    private final KernelModule.Kernel clipGradFinalize;

    FakeQuantKernels(CudaContext ctx, CudaOptions.WeightQuantKernel weightKernel) {
        this.ctx = ctx;
        this.weightKernel = weightKernel;
        KernelModule m = ctx.module(KernelSource.FAKE_QUANT);
        weightsForward = m.function("fake_quant_weights_forward");
        weightsForwardResident = m.function("fake_quant_weights_forward_resident");
        weightsBackward = m.function("fake_quant_weights_backward");
        activationsForward = m.function("fake_quant_activations_forward");
        activationsBackward = m.function("fake_quant_activations_backward");
        clipGradFinalize = m.function("fake_quant_clip_grad_finalize");
    }

    /** Reduction, scale, wq and mask in a single launch, by the kernel that {@link #resident} picks. */
    void weightsForward(CUdeviceptr wq, CUdeviceptr mask, CUdeviceptr scale, CUdeviceptr w, int channels, int inner,
                        int bits) {
        if (channels == 0) {
            return;
        }
        int sms = ctx.info.multiprocessors();
        if (resident(weightKernel, channels, inner, sms, ctx.info.l2Bytes())) {
            ctx.launch(weightsForwardResident, Math.min(channels, sms), 1, 1, RESIDENT_THREADS, wq, mask, scale, w,
                    channels, inner, bits);
        } else {
            ctx.launch(weightsForward, channels, 1, 1, THREADS, wq, mask, scale, w, inner, bits);
        }
    }

    /**
     * Whether the resident kernel serves: as asked, or, for AUTO, where three quarters of the L2
     * hold one channel per multiprocessor but not the channels that one block per channel keeps
     * between their two reads (eight per multiprocessor). Then the resident kernel reads each
     * weight once from memory and the other twice (napkin math in fake_quant.cu).
     */
    static boolean resident(CudaOptions.WeightQuantKernel choice, int channels, int inner, int sms, long l2Bytes) {
        if (choice != CudaOptions.WeightQuantKernel.AUTO) {
            return choice == CudaOptions.WeightQuantKernel.RESIDENT;
        }
        long channelBytes = (long) inner * Float.BYTES;
        long budget = l2Bytes / 4 * 3;
        long inFlight = Math.min(channels, (long) BLOCKS_PER_MULTIPROCESSOR * sms) * channelBytes;
        return channels > sms && sms * channelBytes <= budget && inFlight > budget;
    }

    void weightsBackward(CUdeviceptr dw, CUdeviceptr dwq, CUdeviceptr mask, int n) {
        if (n > 0) {
            ctx.launch(weightsBackward, ctx.grid((n + 3) / 4, THREADS), 1, 1, THREADS, dw, dwq, mask, n);
        }
    }

    void activationsForward(CUdeviceptr y, CUdeviceptr x, CUdeviceptr clip, int n, int bits) {
        if (n > 0) {
            ctx.launch(activationsForward, ctx.grid((n + 3) / 4, THREADS), 1, 1, THREADS, y, x, clip, n, bits);
        }
    }

    /**
     * PACT backward: dx, plus the clip gradient added into dClip[0]. The grid size depends only
     * on n (never on the device), so the clip gradient's summation order is fixed.
     */
    void activationsBackward(CUdeviceptr dx, CUdeviceptr dClip, CUdeviceptr dy, CUdeviceptr x, CUdeviceptr clip,
                             int n) {
        if (n == 0) {
            return;
        }
        int blocks = reductionBlocks(n);
        try (CudaBuffer partial = ctx.scratch((long) blocks * Double.BYTES)) {
            ctx.launch(activationsBackward, blocks, 1, 1, THREADS, dx, partial.ptr(), dy, x, clip, n);
            ctx.launch(clipGradFinalize, 1, 1, 1, 1, dClip, partial.ptr(), blocks);
        }
    }

    /** About 8 elements per thread, at most {@link #MAX_REDUCTION_BLOCKS} blocks. */
    static int reductionBlocks(long n) {
        long blocks = (n + 8L * THREADS - 1) / (8L * THREADS);
        return (int) Math.max(1, Math.min(MAX_REDUCTION_BLOCKS, blocks));
    }
}
