package org.mixq.core;

/**
 * The quantizer formulas, in one place; every backend mirrors them element for element.
 *
 * <p>Weights: symmetric, per output channel. For b >= 2, {@code s = max|w_c| / qmax} with
 * {@code qmax = 2^(b-1) - 1}; {@code q = clamp(rint(w / s), -qmax, qmax)}; {@code w_q = q * s}.
 * For b = 1 (binary), {@code s = mean|w_c|} and {@code w_q = s} for {@code w >= 0}, else {@code -s}.
 * Rounding is half-to-even ({@link Math#rint}, CUDA {@code rintf}) and the quotient is a true
 * IEEE float32 division (no reciprocal multiply), so CPU and GPU agree bit for bit. A zero
 * channel has {@code s = 0}; it is divided by 1 instead and quantizes to zeros.
 *
 * <p>The straight-through mask is computed from the rounded value before clamping,
 * {@code |rint(w/s)| <= qmax}: the float32 quotient at the channel maximum can exceed qmax by
 * one ulp (e.g. -7.00000048 at b = 4), which a mask written as {@code |w/s| <= qmax} would
 * wrongly clip. With the max-based scale nothing clips unless the scale is subnormal (a channel
 * with max|w| below about qmax * 2^-126, where the scale loses relative precision); the mask
 * matters for scales chosen otherwise (clipping thresholds, LSQ). Binary weights have no
 * clipping range: mask 1.
 *
 * <p>Activations: unsigned, per tensor, after ReLU: {@code s = clip / (2^b - 1)},
 * {@code y = rint(clamp(x, 0, clip) / s) * s}; PACT (Choi et al. 2018) gradients.
 */
public final class Quantizer {
    public static final int MIN_WEIGHT_BITS = 1;
    public static final int MIN_ACTIVATION_BITS = 2;
    public static final int MAX_BITS = 8;
    /** Bit width that means "not quantized". */
    public static final int FULL_PRECISION = 32;

    private Quantizer() {
    }

    /** Largest signed level of a b-bit symmetric weight quantizer, {@code 2^(b-1) - 1}. */
    public static int weightQmax(int bits) {
        return (1 << (bits - 1)) - 1;
    }

    /** Largest unsigned level of a b-bit activation quantizer, {@code 2^b - 1}. */
    public static int activationQmax(int bits) {
        return (1 << bits) - 1;
    }

    /** Channel scale from the channel's max |w| (b >= 2) or mean |w| (b = 1). */
    public static float weightScale(float maxAbs, float meanAbs, int bits) {
        return bits == 1 ? meanAbs : maxAbs / weightQmax(bits);
    }

    /** The divisor used for a scale: a zero scale divides by 1 so a zero channel stays zero. */
    public static float divisor(float scale) {
        return scale == 0f ? 1f : scale;
    }

    /** Fake-quantized weight for a channel scale. */
    public static float quantizeWeight(float w, float scale, int bits) {
        if (bits == 1) {
            return w >= 0f ? scale : -scale;
        }
        int qmax = weightQmax(bits);
        float q = (float) Math.rint(w / divisor(scale));
        return Math.max(-qmax, Math.min(qmax, q)) * scale;
    }

    /** 1 where the straight-through gradient passes, 0 where the value was clipped. */
    public static float weightMask(float w, float scale, int bits) {
        if (bits == 1) {
            return 1f;
        }
        float q = (float) Math.rint(w / divisor(scale));
        return Math.abs(q) <= weightQmax(bits) ? 1f : 0f;
    }

    /** Activation step for a clip threshold. */
    public static float activationScale(float clip, int bits) {
        return clip / activationQmax(bits);
    }

    public static float quantizeActivation(float x, float clip, int bits) {
        float s = activationScale(clip, bits);
        float c = Math.max(0f, Math.min(clip, x));
        return (float) Math.rint(c / s) * s;
    }

    /**
     * Bits that store one weight of a layer at {@code bits}: a 1..8-bit weight packs into that
     * many bits, full precision takes 32.
     */
    public static int storageBits(int bits) {
        return bits >= FULL_PRECISION ? 32 : bits;
    }
}
