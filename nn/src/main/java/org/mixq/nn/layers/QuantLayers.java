package org.mixq.nn.layers;

import org.mixq.nn.quant.ActivationQuantizer;
import org.mixq.nn.quant.BitWidths;

/** What Conv2d and Linear share about their input quantizer. */
final class QuantLayers {
    private QuantLayers() {
    }

    static void setActivationBits(String layer, ActivationQuantizer quantizer, int bits) {
        BitWidths.checkActivation(layer, bits, quantizer != null);
        if (quantizer != null) {
            quantizer.setBits(bits);
        }
    }
}
