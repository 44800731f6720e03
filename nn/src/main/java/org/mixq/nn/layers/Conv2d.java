package org.mixq.nn.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.mixq.core.Backend;
import org.mixq.core.ConvSpec;
import org.mixq.core.Quantizer;
import org.mixq.core.Shape;
import org.mixq.core.Tensor;
import org.mixq.nn.Init;
import org.mixq.nn.Mode;
import org.mixq.nn.Parameter;
import org.mixq.nn.Scratch;
import org.mixq.nn.quant.ActivationQuantizer;
import org.mixq.nn.quant.QuantizableLayer;
import org.mixq.nn.quant.WeightQuantizer;

/**
 * 2-D convolution with square kernels, weights {@code [cOut, cIn, k, k]} (KCRS), optional bias,
 * and optional fake quantization of its weights and of its input.
 *
 * <p>Forward: {@code x -> quantize input -> conv(x_q, quantize(W))}. Backward: the filter
 * gradient is taken with respect to the quantized weights and passed through the
 * straight-through mask; the data gradient uses the same quantized weights.
 */
public final class Conv2d implements QuantizableLayer {
    private final Backend backend;
    private final String name;
    private final ConvSpec spec;
    private final Parameter weight;
    private final Parameter bias;
    private final WeightQuantizer weightQuantizer;
    private final ActivationQuantizer inputQuantizer;
    private final Scratch output;
    private final Scratch dInput;
    private Tensor savedInput;
    private Tensor savedWeights;

    /**
     * @param quantizableInput whether the input is post-ReLU (non-negative) so that its
     *                         activations may be quantized; false for the first layer
     * @param rnd              initializes the weights: Kaiming normal, fan-out (torchvision)
     */
    public Conv2d(Backend backend, String name, int cIn, int cOut, int kernel, int stride, int pad, boolean withBias,
                  boolean quantizableInput, SplittableRandom rnd) {
        if (cIn < 1 || cOut < 1 || kernel < 1) {
            throw new IllegalArgumentException("conv " + name + ": channels and kernel must be >= 1, got cIn=" + cIn
                    + " cOut=" + cOut + " kernel=" + kernel);
        }
        this.backend = backend;
        this.name = name;
        this.spec = ConvSpec.of(stride, pad);
        this.weight = new Parameter(backend, name + ".weight", Shape.of(cOut, cIn, kernel, kernel), true);
        weight.set(Init.kaimingNormalFanOut(weight.size(), cOut * kernel * kernel, rnd));
        this.bias = withBias ? new Parameter(backend, name + ".bias", Shape.of(cOut), false) : null;
        if (bias != null) {
            bias.set(Init.linearDefault(cOut, cIn * kernel * kernel, rnd));
        }
        this.weightQuantizer = new WeightQuantizer(backend, name);
        this.inputQuantizer = quantizableInput ? new ActivationQuantizer(backend, name) : null;
        this.output = new Scratch(backend);
        this.dInput = new Scratch(backend);
    }

    public ConvSpec spec() {
        return spec;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor in = inputQuantizer == null ? x : inputQuantizer.forward(x);
        Tensor w = weightQuantizer.forward(weight.value());
        Tensor y = output.get(x.dim(0), weight.shape().dim(0), spec.outH(x.dim(2), w.dim(2)), spec.outW(x.dim(3), w.dim(3)));
        backend.conv2dForward(y, in, w, bias == null ? null : bias.value(), spec);
        savedInput = in;
        savedWeights = w;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor dw = weightQuantizer.gradientTarget(weight.grad());
        if (dw != weight.grad()) {
            // conv2dBackwardFilter accumulates; dL/dw_q must start from zero each step
            backend.fill(dw, 0f);
        }
        backend.conv2dBackwardFilter(dw, bias == null ? null : bias.grad(), dy, savedInput, spec);
        weightQuantizer.backward(weight.grad());
        Tensor dx = dInput.get(savedInput.shape());
        backend.conv2dBackwardData(dx, dy, savedWeights, spec);
        return inputQuantizer == null ? dx : inputQuantizer.backward(dx);
    }

    @Override
    public Parameter weight() {
        return weight;
    }

    /** The bias, or null. */
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
        QuantLayers.setActivationBits(name, inputQuantizer, bits);
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
