package org.mixq.nn.quant;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.mixq.core.Quantizer;

/** Bit widths for some or all of a model's quantizable layers, by layer name, in network order. */
public record BitPolicy(List<LayerBits> layers) {
    public BitPolicy {
        layers = List.copyOf(layers);
        Set<String> seen = new HashSet<>();
        for (LayerBits l : layers) {
            if (!seen.add(l.name())) {
                throw new IllegalArgumentException("policy: layer '" + l.name() + "' appears twice");
            }
        }
    }

    /** Every layer at full precision. */
    public static BitPolicy fullPrecision(List<QuantLayerInfo> infos) {
        return uniform(infos, Quantizer.FULL_PRECISION, Quantizer.FULL_PRECISION);
    }

    /** Every layer at the same widths; activation bits stay 32 on layers that cannot quantize their input. */
    public static BitPolicy uniform(List<QuantLayerInfo> infos, int weightBits, int activationBits) {
        List<LayerBits> ls = new ArrayList<>();
        for (QuantLayerInfo i : infos) {
            ls.add(new LayerBits(i.name(), weightBits, i.activationQuantizable() ? activationBits : Quantizer.FULL_PRECISION));
        }
        return new BitPolicy(ls);
    }

    /** Weight bits per layer in network order, activations at full precision. */
    public static BitPolicy ofWeightBits(List<QuantLayerInfo> infos, int[] weightBits) {
        if (weightBits.length != infos.size()) {
            throw new IllegalArgumentException("policy: " + weightBits.length + " weight bit widths for " + infos.size() + " layers");
        }
        List<LayerBits> ls = new ArrayList<>();
        for (int i = 0; i < weightBits.length; i++) {
            ls.add(new LayerBits(infos.get(i).name(), weightBits[i], Quantizer.FULL_PRECISION));
        }
        return new BitPolicy(ls);
    }

    /** The entry for {@code name}, or null. */
    public LayerBits get(String name) {
        for (LayerBits l : layers) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        return null;
    }
}
