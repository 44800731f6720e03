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
 * <p>The loops are plain Java written so that C2 auto-vectorizes them: on JDK 25 that measured
 * faster than a Vector API kernel, and it keeps the true float32 division and
 * {@code Math.rint} that the CUDA kernels mirror bit for bit. On JDK 17 the same loops are
 * correct but mostly scalar.
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
                float s = channelScale(w, offset, inner, bits);
                scale[c] = s;
                if (bits == 1) {
                    binaryChannel(wq, mask, w, offset, inner, s);
                } else if (s >= Float.MIN_NORMAL && s <= Float.MAX_VALUE) {
                    roundChannel(wq, mask, w, offset, inner, s);
                } else {
                    quantizeChannel(wq, mask, w, offset, inner, s, bits);
                }
            }
        });
    }

    /**
     * Quantizes with given channel scales instead of the max-based ones: the max-based scale
     * clips only when it is subnormal, so clipping and its mask are reached (and tested) through
     * this entry point, as a clipping threshold or a learned step size would use it.
     */
    void quantizeWithScale(float[] wq, float[] mask, float[] w, float[] scale, int channels, int inner, int bits) {
        threads.forRange(channels, channelsPerThread(inner), (from, to) -> {
            for (int c = from; c < to; c++) {
                if (bits == 1) {
                    binaryChannel(wq, mask, w, c * inner, inner, scale[c]);
                } else {
                    quantizeChannel(wq, mask, w, c * inner, inner, scale[c], bits);
                }
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

    /**
     * Max |w| of a channel. Four quarters are scanned side by side: C2 vectorizes each running
     * maximum, and four independent ones hide the latency that a single Math.max chain (with
     * its NaN and signed-zero handling) would expose. The maximum does not depend on the order.
     */
    static float maxAbs(float[] w, int offset, int length) {
        int quarter = length / 4;
        float m0 = 0f;
        float m1 = 0f;
        float m2 = 0f;
        float m3 = 0f;
        for (int i = offset; i < offset + quarter; i++) {
            m0 = Math.max(m0, Math.abs(w[i]));
            m1 = Math.max(m1, Math.abs(w[i + quarter]));
            m2 = Math.max(m2, Math.abs(w[i + 2 * quarter]));
            m3 = Math.max(m3, Math.abs(w[i + 3 * quarter]));
        }
        float max = Math.max(Math.max(m0, m1), Math.max(m2, m3));
        for (int i = offset + 4 * quarter; i < offset + length; i++) {
            max = Math.max(max, Math.abs(w[i]));
        }
        return max;
    }

    /**
     * Mean |w| of a channel, summed in double: a float sum over tens of thousands of values
     * would lose digits. As in {@link #maxAbs}, four quarters are summed side by side (four
     * independent chains of additions instead of one); in double the order changes the float
     * mean only in rare last-bit cases, which the CUDA kernel's tree reduction shares.
     */
    static float meanAbs(float[] w, int offset, int length) {
        if (length == 0) {
            return 0f;
        }
        return (float) (DoubleSums.sumAbs(w, offset, length) / length);
    }

    /**
     * The fast path of {@link #quantizeChannel} for a channel quantized with its own max-based
     * scale {@code s = fl(max|w| / qmax)}, where {@code s} is a normal, finite float. Then nothing
     * can clip: s is within a relative 2^-24 of max/qmax, so every float quotient |w / s| is at
     * most qmax (1 + 2^-22) < qmax + 0.5 and rounds into [-qmax, qmax]; and max|w| is finite, so
     * no w is NaN or infinite. The clamp is the identity and the mask is all ones.
     */
    static void roundChannel(float[] wq, float[] mask, float[] w, int offset, int length, float s) {
        for (int i = offset; i < offset + length; i++) {
            // a true float32 division, not a multiply by 1/s: CUDA divides too, bit for bit
            wq[i] = (float) Math.rint(w[i] / s) * s;
            mask[i] = 1f;
        }
    }

    /** {@link Quantizer#quantizeWeight} and {@link Quantizer#weightMask} for b >= 2 with any scale. */
    static void quantizeChannel(float[] wq, float[] mask, float[] w, int offset, int length, float scale, int bits) {
        for (int i = offset; i < offset + length; i++) {
            wq[i] = Quantizer.quantizeWeight(w[i], scale, bits);
            mask[i] = Quantizer.weightMask(w[i], scale, bits);
        }
    }

    /** Binary weights, {@code w >= 0 ? scale : -scale}, mask 1 (binary weights never clip). */
    static void binaryChannel(float[] wq, float[] mask, float[] w, int offset, int length, float scale) {
        for (int i = offset; i < offset + length; i++) {
            // the select in a form C2 vectorizes (it does not vectorize a select, and random
            // signs would mispredict a branch half the time): signum is -1, -0/0, 1 or NaN, so
            // k is -1, 1, 3 or 0 (the int conversion maps NaN to 0), and 2k - 1 clamped to
            // [-1, 1] is -1, 1, 1 or -1: NaN >= 0 is false, hence -1 like a negative weight.
            int k = (int) (2f * Math.signum(w[i]) + 1f);
            wq[i] = Math.max(-1, Math.min(1, 2 * k - 1)) * scale;
            mask[i] = 1f;
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
     * {@code dClip[0] += sum(dy * (x >= clip))}, the sum taken in double. Both are products, as
     * the contract writes them (an infinite dy times 0 is NaN).
     *
     * <p>Per block: {@code dy * (x >= clip)} is first written into the block of {@code dx} and
     * summed from there (in cache), then {@code dx} is overwritten with its own values. Writing
     * the clipped products into a separate scratch array would stop C2 from vectorizing: it
     * cannot prove that the scratch array, indexed differently, is not one of the inputs.
     */
    void activationsBackward(float[] dx, float[] dClip, float[] dy, float[] x, float clip, int size) {
        if (dx == dy || dx == x) {
            activationsBackwardInPlace(dx, dClip, dy, x, clip, size);
            return;
        }
        int blocks = (size + CLIP_SUM_BLOCK - 1) / CLIP_SUM_BLOCK;
        double[] partial = new double[blocks];
        threads.forRange(blocks, Math.max(1, MIN_ELEMENTS_PER_THREAD / CLIP_SUM_BLOCK), (from, to) -> {
            for (int b = from; b < to; b++) {
                int start = b * CLIP_SUM_BLOCK;
                int end = Math.min(size, start + CLIP_SUM_BLOCK);
                aboveClip(dx, dy, x, clip, start, end);
                partial[b] = DoubleSums.sum(dx, start, end - start);
                insideClip(dx, dy, x, clip, start, end);
            }
        });
        double sum = 0;
        for (double p : partial) {
            sum += p;
        }
        dClip[0] = (float) (dClip[0] + sum);
    }

    /**
     * {@link #activationsBackward} when {@code dx} is also an input: one pass that reads each
     * element before it overwrites it (C2 keeps it scalar). The sum runs in index order; in
     * double that changes the float result only in rare last-bit cases.
     */
    private static void activationsBackwardInPlace(float[] dx, float[] dClip, float[] dy, float[] x, float clip, int size) {
        double sum = 0;
        for (int i = 0; i < size; i++) {
            float xi = x[i];
            float dyi = dy[i];
            sum += dyi * (xi >= clip ? 1f : 0f);
            dx[i] = dyi * (xi > 0f && xi < clip ? 1f : 0f);
        }
        dClip[0] = (float) (dClip[0] + sum);
    }

    // The indicators below are written in a form C2 vectorizes (it does not vectorize a select,
    // and random x around the clip would mispredict a branch): clip is finite and a difference of
    // two distinct floats is never 0, so a signum of a difference is 1, 0 or -1 exactly as the
    // comparison goes; the int conversion maps NaN (from a NaN x) to 0, where every comparison
    // with NaN is false.

    /** {@code out = dy * (x >= clip)}: signum(x - clip) + 1 is 2, 1 or 0 above, at or below the clip. */
    static void aboveClip(float[] out, float[] dy, float[] x, float clip, int from, int to) {
        for (int i = from; i < to; i++) {
            out[i] = dy[i] * Math.min(1, (int) (Math.signum(x[i] - clip) + 1f));
        }
    }

    /** {@code dx = dy * (0 < x < clip)}: signum(x) and signum(clip - x) are both 1 exactly inside. */
    static void insideClip(float[] dx, float[] dy, float[] x, float clip, int from, int to) {
        for (int i = from; i < to; i++) {
            dx[i] = dy[i] * Math.max(0, Math.min((int) Math.signum(x[i]), (int) Math.signum(clip - x[i])));
        }
    }
}
