package org.mixq.nn.quant;

import org.mixq.nn.Layer;
import org.mixq.nn.Parameter;

/**
 * A convolution or linear layer whose weights (and optionally input activations) can be fake
 * quantized; the bit widths can change between steps without rebuilding the model.
 */
public interface QuantizableLayer extends Layer {

    /** The weight tensor that is quantized (per output channel, dim 0). */
    Parameter weight();

    int weightBits();

    /** 1..8, or 32 for full precision; takes effect at the next forward. */
    void setWeightBits(int bits);

    /** 32 when the input is not quantized. */
    int activationBits();

    /**
     * 2..8, or 32 for full precision; takes effect at the next forward.
     *
     * @throws IllegalArgumentException for a value below 32 on a layer whose input is not
     *                                  post-ReLU ({@link #activationQuantizable()} false)
     */
    void setActivationBits(int bits);

    boolean activationQuantizable();

    /** The input quantizer, or null when the input cannot be quantized. */
    ActivationQuantizer activationQuantizer();
}
