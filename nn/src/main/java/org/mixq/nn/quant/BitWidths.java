package org.mixq.nn.quant;

import org.mixq.core.Quantizer;

/** Validation of bit widths, shared by the quantizers and by policies checked before they are applied. */
public final class BitWidths {
    private BitWidths() {
    }

    /** Weights: 1..8, or 32 for full precision. */
    public static void checkWeight(String layer, int bits) {
        if (bits != Quantizer.FULL_PRECISION && (bits < Quantizer.MIN_WEIGHT_BITS || bits > Quantizer.MAX_BITS)) {
            throw new IllegalArgumentException("layer " + layer + ": weight bits must be in " + Quantizer.MIN_WEIGHT_BITS
                    + ".." + Quantizer.MAX_BITS + " or " + Quantizer.FULL_PRECISION + ", got " + bits);
        }
    }

    /**
     * Input activations: 2..8, or 32 for full precision; only 32 when the input is not a ReLU
     * output (the first layer sees the signed, normalized image).
     */
    public static void checkActivation(String layer, int bits, boolean quantizable) {
        if (!quantizable && bits != Quantizer.FULL_PRECISION) {
            throw new IllegalArgumentException("layer " + layer + ": its input is the signed network input; activation"
                    + " bits apply only to post-ReLU inputs, so it must stay at " + Quantizer.FULL_PRECISION + ", got " + bits);
        }
        if (bits != Quantizer.FULL_PRECISION && (bits < Quantizer.MIN_ACTIVATION_BITS || bits > Quantizer.MAX_BITS)) {
            throw new IllegalArgumentException("layer " + layer + ": activation bits must be in " + Quantizer.MIN_ACTIVATION_BITS
                    + ".." + Quantizer.MAX_BITS + " or " + Quantizer.FULL_PRECISION + ", got " + bits);
        }
    }
}
