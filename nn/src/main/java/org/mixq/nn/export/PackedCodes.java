package org.mixq.nn.export;

import org.mixq.core.Quantizer;

/**
 * Integer codes of fake-quantized weights, and the weights decoded from them; the formulas are
 * {@link Quantizer}'s, per output channel (channel = dim 0, {@code wq.length / channels}
 * contiguous elements each).
 *
 * <p>The decoded weights {@code q * s} are a fixed point of fake quantization, so a model loaded
 * with them and set to the same bit widths computes with the same weights and scales. At b >= 2
 * the recomputed scale is {@code fl(fl(qmax * s) / qmax)}, and it is {@code s}: s is the rounded
 * quotient {@code fl(M / qmax)} of the channel's original maximum M, and {@code fl(qmax * s)},
 * the float nearest to {@code qmax * s}, is at least as near to it as M, so its quotient rounds
 * to s as well (this does not hold for an arbitrary float s, only for one that is such a
 * quotient); then every {@code rint(q * s / s)} is q again. At b = 1 the recomputed scale is
 * the mean of {@code |+-s|}, summed in double: exact.
 *
 * <p>For b >= 2 a weight {@code w_q = q * s} with {@code |q| <= qmax = 2^(b-1) - 1} has the
 * unsigned code {@code q + qmax} in {@code [0, 2 qmax]} (the code {@code 2^b - 1} is never
 * used); the sign of a zero is not kept: {@code q = 0} decodes to {@code +0}. For b = 1
 * ({@code w_q = +-s}) the code is 1 for {@code +s} and 0 for {@code -s}.
 */
final class PackedCodes {
    private PackedCodes() {
    }

    /**
     * The codes of {@code wq}, the output of {@link org.mixq.core.Backend#fakeQuantWeightsForward}
     * with the scales it wrote. {@code q = rint(w_q / s)} is exact: {@code w_q} is the float
     * product {@code q * s}, within a relative 2^-24 of it, and {@code |q| <= 127}. Each element is
     * checked to be exactly {@code q * s} (or {@code +-s} at one bit).
     */
    static int[] encode(float[] wq, float[] scale, int bits) {
        int inner = inner(wq.length, scale.length);
        int[] codes = new int[wq.length];
        int qmax = bits == 1 ? 1 : Quantizer.weightQmax(bits);
        for (int c = 0; c < scale.length; c++) {
            float s = scale[c];
            for (int i = c * inner; i < (c + 1) * inner; i++) {
                if (bits == 1) {
                    if (wq[i] != s && wq[i] != -s) {
                        throw new IllegalArgumentException("wq[" + i + "] = " + wq[i] + " is not +-" + s + " (channel " + c + ")");
                    }
                    // the sign bit rather than wq >= 0, so that -0 (which is -s when s = 0) decodes to itself
                    codes[i] = Float.floatToRawIntBits(wq[i]) >= 0 ? 1 : 0;
                } else {
                    float q = (float) Math.rint(wq[i] / Quantizer.divisor(s));
                    if (!(Math.abs(q) <= qmax) || q * s != wq[i]) {
                        throw new IllegalArgumentException("wq[" + i + "] = " + wq[i] + " is not an integer multiple q * " + s
                                + " with |q| <= " + qmax + " (channel " + c + ")");
                    }
                    codes[i] = (int) q + qmax;
                }
            }
        }
        return codes;
    }

    /** The fake-quantized weights {@code q * s} (or {@code +-s}) of the codes. */
    static float[] decode(int[] codes, float[] scale, int bits) {
        int inner = inner(codes.length, scale.length);
        float[] w = new float[codes.length];
        int qmax = bits == 1 ? 1 : Quantizer.weightQmax(bits);
        for (int c = 0; c < scale.length; c++) {
            float s = scale[c];
            for (int i = c * inner; i < (c + 1) * inner; i++) {
                int code = codes[i];
                if (bits == 1) {
                    if (code != 0 && code != 1) {
                        throw new IllegalArgumentException("codes[" + i + "] = " + code + " is not a 1-bit code");
                    }
                    w[i] = code == 1 ? s : -s;
                } else {
                    if (code < 0 || code > 2 * qmax) {
                        throw new IllegalArgumentException("codes[" + i + "] = " + code + " is outside 0.." + 2 * qmax
                                + " for " + bits + "-bit weights");
                    }
                    w[i] = (code - qmax) * s;
                }
            }
        }
        return w;
    }

    private static int inner(int size, int channels) {
        if (channels < 1 || size % channels != 0) {
            throw new IllegalArgumentException(size + " weights do not split into " + channels + " channels");
        }
        return size / channels;
    }
}
