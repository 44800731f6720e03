package org.mixq.nn.quant;

/**
 * The bit widths of one quantizable layer: weights 1..8 or 32, input activations 2..8 or 32
 * (32 = full precision).
 */
public record LayerBits(String name, int weightBits, int activationBits) {
    public LayerBits {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("layer bits: name is empty");
        }
    }
}
