package org.mixq.nn.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.mixq.core.Backend;
import org.mixq.core.Quantizer;
import org.mixq.core.Tensor;
import org.mixq.core.testing.RandomArrays;
import org.mixq.nn.models.Model;
import org.mixq.nn.models.ModelConfig;
import org.mixq.nn.models.Models;
import org.mixq.nn.quant.BitPolicy;
import org.mixq.nn.quant.LayerBits;
import org.mixq.nn.quant.QuantLayerInfo;
import org.mixq.nn.quant.QuantizableLayer;

/** Small CIFAR-shaped models with every tensor set to non-default values, and mixed bit policies, for the export tests. */
final class ExportFixtures {
    /** Weight bit widths the policies cycle through: every packed width and full precision. */
    static final int[] WEIGHT_BITS = {1, 2, 3, 4, 5, 6, 7, 8, 32};
    /** Activation bit widths cycled over the layers whose inputs can be quantized. */
    static final int[] ACTIVATION_BITS = {32, 4, 8, 2, 32, 3};

    private ExportFixtures() {
    }

    /** VGG-11 at 1/16 width: convolutions of 4..32 channels and a 32-to-10 head; 9 quantizable layers. */
    static Model vgg11(Backend b, long seed) {
        return randomized(Models.create(b, new ModelConfig("vgg11", 0.0625f, 3, 32, 32, 10, seed)), seed);
    }

    /** ResNet-20 at 1/4 width, with projection shortcuts. */
    static Model resnet20(Backend b, long seed) {
        return randomized(Models.create(b, new ModelConfig("resnet20", 0.25f, 3, 32, 32, 10, seed)), seed);
    }

    /**
     * Layer i gets weight bits {@code WEIGHT_BITS[(i + shift) % 9]}; the layers that can quantize
     * their input cycle through {@link #ACTIVATION_BITS}.
     */
    static BitPolicy mixedPolicy(Model model, int shift) {
        List<LayerBits> layers = new ArrayList<>();
        int a = 0;
        for (QuantLayerInfo info : model.quantLayerInfos()) {
            int wbits = WEIGHT_BITS[(info.index() + shift) % WEIGHT_BITS.length];
            int abits = info.activationQuantizable() ? ACTIVATION_BITS[a++ % ACTIVATION_BITS.length] : Quantizer.FULL_PRECISION;
            layers.add(new LayerBits(info.name(), wbits, abits));
        }
        return new BitPolicy(layers);
    }

    /**
     * Sets batch-norm parameters and running statistics, biases and clip thresholds to random
     * values (a fresh model's ones, 0 and 1, would hide a tensor written in the wrong place),
     * and zeroes output channel 0 of every weight (the zero-scale path of the quantizer).
     */
    private static Model randomized(Model model, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<String> weights = new ArrayList<>();
        for (QuantizableLayer l : model.quantizableLayers()) {
            weights.add(l.weight().name());
        }
        for (Map.Entry<String, Tensor> e : model.state().entrySet()) {
            Tensor t = e.getValue();
            String name = e.getKey();
            float[] v;
            if (weights.contains(name)) {
                v = t.toArray();
                Arrays.fill(v, 0, t.size() / t.dim(0), 0f);
            } else if (name.endsWith(".runningVar") || name.endsWith(".clip")) {
                v = RandomArrays.uniform(rnd, t.size(), 0.5f, 3f);
            } else {
                v = RandomArrays.gaussian(rnd, t.size(), 0.3f);
            }
            model.backend().copyIn(t, v);
        }
        return model;
    }
}
