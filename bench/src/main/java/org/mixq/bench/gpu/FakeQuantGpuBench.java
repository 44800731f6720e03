package org.mixq.bench.gpu;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.mixq.core.Tensor;
import org.mixq.kernels.CudaBackend;
import org.mixq.kernels.CudaBackendProvider;
import org.mixq.kernels.CudaOptions;
import org.mixq.kernels.CudaTimer;

/**
 * Fake quantization on the GPU against a device-to-device copy of the same bytes, timed with
 * CUDA events (median of {@link #RUNS} runs after {@link #WARMUP}). Weights are a
 * [4096, n / 4096] per-channel tensor at 4 bits; activations one n-element tensor.
 *
 * <p>Napkin math, in bytes each run must move at least: copy 8n (read, write); weight forward
 * 12n (read w; write wq and mask; the second read of w after the per-channel reduction comes
 * from L2 where the channel is still there, else it is 16n: the 256 KiB channels here stay there
 * with the resident kernel, not with one block per channel, and both are timed); weight
 * backward 16n (read dw, dwq, mask; write dw); activation forward 8n; activation backward 12n
 * (read dy and x; write dx).
 *
 * <p>Usage: {@code FakeQuantGpuBench [n]}, n a multiple of 4096 (default 2^28 floats, 1 GiB).
 */
public final class FakeQuantGpuBench {
    static final int CHANNELS = 4096;
    static final int WARMUP = 2;
    static final int RUNS = 10;

    private FakeQuantGpuBench() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1 << 28;
        if (n % CHANNELS != 0) {
            throw new IllegalArgumentException("n must be a multiple of " + CHANNELS + ", got " + n);
        }
        float[] host = random(n, 42);
        int inner = n / CHANNELS;
        try (CudaBackend gpu = CudaBackendProvider.create(CudaOptions.fromSystemProperties());
             CudaTimer timer = gpu.timer();
             Tensor w = gpu.alloc(CHANNELS, inner);
             Tensor out = gpu.alloc(CHANNELS, inner);
             Tensor mask = gpu.alloc(CHANNELS, inner);
             Tensor scale = gpu.alloc(CHANNELS);
             Tensor clip = gpu.alloc(1);
             Tensor dClip = gpu.alloc(1)) {
            System.out.println(gpu.describe());
            gpu.copyIn(w, host);
            gpu.copyIn(clip, new float[] {0.5f});
            double elementBytes = 4.0 * n;
            GpuReport.bandwidth("copy d2d (reference)", time(timer, () -> gpu.copy(out, w)), 2 * elementBytes,
                    n + " floats");
            GpuReport.bandwidth("fq weights fwd 4b", time(timer, () -> gpu.fakeQuantWeightsForward(out, mask, scale, w, 4)),
                    3 * elementBytes, CHANNELS + " channels; 12 B/elem");
            for (CudaOptions.WeightQuantKernel k : List.of(CudaOptions.WeightQuantKernel.BLOCK,
                    CudaOptions.WeightQuantKernel.RESIDENT)) {
                weightsForwardWith(k, host, inner, elementBytes);
            }
            GpuReport.bandwidth("fq weights bwd", time(timer, () -> gpu.fakeQuantWeightsBackward(out, w, mask)),
                    4 * elementBytes, "dw += dwq*mask; 16 B/elem");
            GpuReport.bandwidth("fq act fwd 4b", time(timer, () -> gpu.fakeQuantActivationsForward(out, w, clip, 4)),
                    2 * elementBytes, "8 B/elem");
            GpuReport.bandwidth("fq act bwd (PACT)",
                    time(timer, () -> gpu.fakeQuantActivationsBackward(out, dClip, mask, w, clip)),
                    3 * elementBytes, "dx and dClip; 12 B/elem");
            System.out.println(gpu.poolStatistics());
        }
    }

    /**
     * The weight forward with one kernel forced (mixq.cuda.fqweights), on a backend of its own
     * (tensors belong to one backend): the two kernels side by side, whichever AUTO picked above.
     */
    private static void weightsForwardWith(CudaOptions.WeightQuantKernel kernel, float[] host, int inner,
                                           double elementBytes) {
        try (CudaBackend gpu = CudaBackendProvider.create(CudaOptions.fromSystemProperties().withFqWeights(kernel));
             CudaTimer timer = gpu.timer();
             Tensor w = gpu.alloc(CHANNELS, inner);
             Tensor out = gpu.alloc(CHANNELS, inner);
             Tensor mask = gpu.alloc(CHANNELS, inner);
             Tensor scale = gpu.alloc(CHANNELS)) {
            gpu.copyIn(w, host);
            String name = kernel.name().toLowerCase(Locale.ROOT);
            float[] ms = time(timer, () -> gpu.fakeQuantWeightsForward(out, mask, scale, w, 4));
            GpuReport.bandwidth("fq weights fwd 4b " + name, ms, 3 * elementBytes,
                    "mixq.cuda.fqweights=" + name + "; 12 B/elem");
        }
    }

    /** Device milliseconds of each timed run of {@code op}. */
    static float[] time(CudaTimer timer, Runnable op) {
        for (int i = 0; i < WARMUP; i++) {
            op.run();
        }
        float[] ms = new float[RUNS];
        for (int i = 0; i < RUNS; i++) {
            timer.start();
            op.run();
            ms[i] = timer.stopMillis();
        }
        return ms;
    }

    /** Uniform values in [-1, 1), filled in parallel blocks each with its own split of one seeded generator. */
    static float[] random(int n, long seed) {
        float[] a = new float[n];
        int block = 1 << 20;
        int blocks = (n + block - 1) / block;
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom[] streams = new SplittableRandom[blocks];
        for (int i = 0; i < blocks; i++) {
            streams[i] = root.split();
        }
        IntStream.range(0, blocks).parallel().forEach(b -> {
            SplittableRandom r = streams[b];
            for (int i = b * block, end = Math.min(n, i + block); i < end; i++) {
                a[i] = (float) (r.nextDouble() * 2 - 1);
            }
        });
        return a;
    }
}
