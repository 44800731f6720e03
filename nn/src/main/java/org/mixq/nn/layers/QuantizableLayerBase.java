package org.mixq.nn.layers;

import java.util.ArrayList;
import java.util.List;
import org.mixq.core.Backend;
import org.mixq.core.Quantizer;
import org.mixq.core.Tensor;
import org.mixq.nn.Parameter;
import org.mixq.nn.Scratch;
import org.mixq.nn.quant.ActivationQuantizer;
import org.mixq.nn.quant.BitWidths;
import org.mixq.nn.quant.QuantizableLayer;
import org.mixq.nn.quant.WeightQuantizer;

/**
 * What Conv2d and Linear share: a weight fake-quantized per output channel, an optional bias,
 * an optional input quantizer (only where the input is post-ReLU), their bit widths, and the
 * buffers forward saves for backward.
 */
abstract class QuantizableLayerBase implements QuantizableLayer {
    protected final Backend backend;
    protected final String name;
    protected final Parameter weight;
    protected final Parameter bias;
    protected final WeightQuantizer weightQuantizer;
    protected final ActivationQuantizer inputQuantizer;
    protected final Scratch output;
    protected final Scratch dInput;
    protected Tensor savedInput;
    protected Tensor savedWeights;

    /** {@code bias} may be null; {@code quantizableInput} says whether the input may be quantized. */
    QuantizableLayerBase(Backend backend, String name, Parameter weight, Parameter bias, boolean quantizableInput) {
        this.backend = backend;
        this.name = name;
        this.weight = weight;
        this.bias = bias;
        this.weightQuantizer = new WeightQuantizer(backend, name);
        this.inputQuantizer = quantizableInput ? new ActivationQuantizer(backend, name) : null;
        this.output = new Scratch(backend);
        this.dInput = new Scratch(backend);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Parameter weight() {
        return weight;
    }

    /** The bias, or null for a layer without one. */
    public Parameter bias() {
        return bias;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        ps.add(weight);
        if (bias != null) {
            ps.add(bias);
        }
        if (inputQuantizer != null) {
            ps.add(inputQuantizer.clip());
        }
        return ps;
    }

    @Override
    public int weightBits() {
        return weightQuantizer.bits();
    }

    @Override
    public void setWeightBits(int bits) {
        weightQuantizer.setBits(bits);
    }

    @Override
    public int activationBits() {
        return inputQuantizer == null ? Quantizer.FULL_PRECISION : inputQuantizer.bits();
    }

    @Override
    public void setActivationBits(int bits) {
        BitWidths.checkActivation(name, bits, inputQuantizer != null);
        if (inputQuantizer != null) {
            inputQuantizer.setBits(bits);
        }
    }

    @Override
    public boolean activationQuantizable() {
        return inputQuantizer != null;
    }

    @Override
    public ActivationQuantizer activationQuantizer() {
        return inputQuantizer;
    }

    @Override
    public void close() {
        weight.close();
        if (bias != null) {
            bias.close();
        }
        weightQuantizer.close();
        if (inputQuantizer != null) {
            inputQuantizer.close();
        }
        output.close();
        dInput.close();
    }
}
