package org.mixq.core.cpu;

import org.mixq.core.Quantizer;

/**
 * Fake quantization for the CPU backend: the formulas of {@link Quantizer}, element for element,
 * as plain loops over raw arrays.
 *
 * <p>Weights go channel by channel (channel = dim 0, {@code inner} contiguous elements each):
 * one pass for the scale (max|w|, or mean|w| for binary weights), one pass that writes
 * {@code wq} and {@code mask}. A channel of 128 KiB stays in L2 between the two passes, so
 * memory sees one read of {@code w} and one write of each output. Channels run in parallel.
 *
 * <p>The loops are deliberately simple: C2 auto-vectorizes each of them (float division,
 * {@code Math.rint}, min/max, the mask select), which on JDK 25 measured faster than a
 * Vector API kernel, and they keep the true float32 division and half-to-even rounding that
 * the CUDA kernels mirror bit for bit.
 */
final class CpuFakeQuant {
    /** Fewer elements than this per thread cost more in hand-off than they save. */
    private static final int MIN_ELEMENTS_PER_THREAD = 1 << 15;

    /**
     * Block of the PACT clip-gradient sum. The partial sums of fixed blocks are added in block
     * order, so {@code dClip} does not depend on the thread count.
     */
    private static final int CLIP_SUM_BLOCK = 1 << 14;

    private final CpuThreads threads;

    CpuFakeQuant(CpuThreads threads) {
        this.threads = threads;
    }

    // ---- weights -------------------------------------------------------------------------------

    /** Overwrites {@code wq}, {@code mask} and {@code scale[channels]} from {@code w[channels, inner]}. */
    void weightsForward(float[] wq, float[] mask, float[] scale, float[] w, int channels, int inner, int bits) {
        threads.forRange(channels, channelsPerThread(inner), (from, to) -> {
            for (int c = from; c < to; c++) {
                int offset = c * inner;
                scale[c] = channelScale(w, offset, inner, bits);
                quantizeChannel(wq, mask, w, offset, inner, scale[c], bits);
            }
        });
    }

    /**
     * Quantizes with given channel scales instead of the max-based ones: the max-based scale
     * never clips, so clipping and its mask are reached (and tested) through this entry point,
     * as a clipping threshold or a learned step size would use it.
     */
    void quantizeWithScale(float[] wq, float[] mask, float[] w, float[] scale, int channels, int inner, int bits) {
        threads.forRange(channels, channelsPerThread(inner), (from, to) -> {
            for (int c = from; c < to; c++) {
                quantizeChannel(wq, mask, w, c * inner, inner, scale[c], bits);
            }
        });
    }

    /** Straight-through estimator: accumulates {@code dw += dwq * mask}. */
    void weightsBackward(float[] dw, float[] dwq, float[] mask, int size) {
        threads.forRange(size, MIN_ELEMENTS_PER_THREAD, (from, to) -> {
            for (int i = from; i < to; i++) {
                dw[i] += dwq[i] * mask[i];
            }
        });
    }

    private static int channelsPerThread(int inner) {
        return Math.max(1, MIN_ELEMENTS_PER_THREAD / Math.max(1, inner));
    }

    /** {@link Quantizer#weightScale} of one channel. */
    static float channelScale(float[] w, int offset, int length, int bits) {
        if (bits == 1) {
            return Quantizer.weightScale(0f, meanAbs(w, offset, length), bits);
        }
        return Quantizer.weightScale(maxAbs(w, offset, length), 0f, bits);
    }

    static float maxAbs(float[] w, int offset, int length) {
        float max = 0f;
        for (int i = offset; i < offset + length; i++) {
            max = Math.max(max, Math.abs(w[i]));
        }
        return max;
    }

    /**
     * Mean |w| of a channel, summed in double in index order: a float sum over tens of
     * thousands of values would lose digits, and the double sum rounds to the same float in
     * any order except in rare last-bit cases.
     */
    static float meanAbs(float[] w, int offset, int length) {
        if (length == 0) {
            return 0f;
        }
        double sum = 0;
        for (int i = offset; i < offset + length; i++) {
            sum += Math.abs(w[i]);
        }
        return (float) (sum / length);
    }

    /** {@link Quantizer#quantizeWeight} and {@link Quantizer#weightMask} over one channel. */
    static void quantizeChannel(float[] wq, float[] mask, float[] w, int offset, int length, float scale, int bits) {
        int end = offset + length;
        if (bits == 1) {
            for (int i = offset; i < end; i++) {
                // w >= 0 ? scale : -scale in a form C2 vectorizes (it does not vectorize the
                // select, and random signs would mispredict a branch half the time): signum is
                // -1, -0/0, 1 or NaN, so k is -1, 1, 3 or 0 (the int conversion maps NaN to 0),
                // and 2k - 1 clamped to [-1, 1] is -1, 1, 1 or -1: NaN >= 0 is false, hence -1.
                int k = (int) (2f * Math.signum(w[i]) + 1f);
                wq[i] = Math.max(-1, Math.min(1, 2 * k - 1)) * scale;
                mask[i] = 1f;
            }
            return;
        }
        float qmax = Quantizer.weightQmax(bits);
        float outside = qmax + 1f;
        // a true float32 division, not a multiply by 1/scale: CUDA divides too, bit for bit
        float divisor = Quantizer.divisor(scale);
        for (int i = offset; i < end; i++) {
            float q = (float) Math.rint(w[i] / divisor);
            // |q| <= qmax ? 1 : 0 in a form C2 vectorizes (it does not vectorize the select):
            // q is a whole number, so qmax + 1 - |q| is >= 1 inside the range and <= 0 outside;
            // the int conversion maps NaN to 0 and -Infinity to Integer.MIN_VALUE.
            mask[i] = Math.max(0, Math.min(1, (int) (outside - Math.abs(q))));
            wq[i] = Math.max(-qmax, Math.min(qmax, q)) * scale;
        }
    }

    // ---- activations ---------------------------------------------------------------------------

    /** {@link Quantizer#quantizeActivation}: overwrites {@code y}. */
    void activationsForward(float[] y, float[] x, float clip, int size, int bits) {
        float step = Quantizer.activationScale(clip, bits);
        threads.forRange(size, MIN_ELEMENTS_PER_THREAD, (from, to) -> {
            for (int i = from; i < to; i++) {
                float clamped = Math.max(0f, Math.min(clip, x[i]));
                y[i] = (float) Math.rint(clamped / step) * step;
            }
        });
    }

    /**
     * PACT backward (Choi et al. 2018): overwrites {@code dx = dy * (0 < x < clip)}; accumulates
     * {@code dClip[0] += sum(dy * (x >= clip))}, the sum taken in double.
     */
    void activationsBackward(float[] dx, float[] dClip, float[] dy, float[] x, float clip, int size) {
        int blocks = (size + CLIP_SUM_BLOCK - 1) / CLIP_SUM_BLOCK;
        double[] partial = new double[blocks];
        threads.forRange(blocks, Math.max(1, MIN_ELEMENTS_PER_THREAD / CLIP_SUM_BLOCK), (from, to) -> {
            for (int b = from; b < to; b++) {
                int start = b * CLIP_SUM_BLOCK;
                int end = Math.min(size, start + CLIP_SUM_BLOCK);
                double sum = 0;
                for (int i = start; i < end; i++) {
                    float xi = x[i];
                    dx[i] = dy[i] * (xi > 0f && xi < clip ? 1f : 0f);
                    if (xi >= clip) {
                        sum += dy[i];
                    }
                }
                partial[b] = sum;
            }
        });
        double sum = 0;
        for (double p : partial) {
            sum += p;
        }
        dClip[0] = (float) (dClip[0] + sum);
    }
}
