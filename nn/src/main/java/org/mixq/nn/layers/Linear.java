package org.mixq.nn.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.mixq.core.Backend;
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
 * Fully connected layer {@code y = x W^T + b}, weights {@code [out, in]} (PyTorch's layout, so
 * per-output-channel quantization is per row), with optional fake quantization of weights and
 * input. Any input of shape {@code [n, ...]} is read as {@code [n, in]}.
 */
public final class Linear implements QuantizableLayer {
    private final Backend backend;
    private final String name;
    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;
    private final WeightQuantizer weightQuantizer;
    private final ActivationQuantizer inputQuantizer;
    private final Scratch output;
    private final Scratch dInput;
    private Tensor savedInput;
    private Tensor savedWeights;

    /** Weights and bias initialized as PyTorch's default, U(-1/sqrt(in), 1/sqrt(in)). */
    public Linear(Backend backend, String name, int in, int out, boolean quantizableInput, SplittableRandom rnd) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("linear " + name + ": in and out must be >= 1, got " + in + ", " + out);
        }
        this.backend = backend;
        this.name = name;
        this.in = in;
        this.out = out;
        this.weight = new Parameter(backend, name + ".weight", Shape.of(out, in), true);
        weight.set(Init.linearDefault(weight.size(), in, rnd));
        this.bias = new Parameter(backend, name + ".bias", Shape.of(out), false);
        bias.set(Init.linearDefault(out, in, rnd));
        this.weightQuantizer = new WeightQuantizer(backend, name);
        this.inputQuantizer = quantizableInput ? new ActivationQuantizer(backend, name) : null;
        this.output = new Scratch(backend);
        this.dInput = new Scratch(backend);
    }

    @Override
    public String name() {
        return name;
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (x.size() != x.dim(0) * in) {
            throw new IllegalArgumentException("linear " + name + ": input " + x.shape() + " does not have " + in + " features per row");
        }
        Tensor xin = inputQuantizer == null ? x : inputQuantizer.forward(x);
        Tensor w = weightQuantizer.forward(weight.value());
        Tensor y = output.get(x.dim(0), out);
        backend.gemm(y, xin, w, false, true, 1f, 0f);
        backend.biasAdd(y, bias.value());
        savedInput = xin;
        savedWeights = w;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor dw = weightQuantizer.gradientTarget(weight.grad());
        // dW = dy^T x: accumulate into the parameter gradient, overwrite the dL/dw_q buffer
        float beta = dw == weight.grad() ? 1f : 0f;
        backend.gemm(dw, dy, savedInput, true, false, 1f, beta);
        weightQuantizer.backward(weight.grad());
        backend.biasBackward(bias.grad(), dy);
        Tensor dx = dInput.get(savedInput.shape());
        backend.gemm(dx, dy, savedWeights, false, false, 1f, 0f);
        return inputQuantizer == null ? dx : inputQuantizer.backward(dx);
    }

    @Override
    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>(List.of(weight, bias));
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
        bias.close();
        weightQuantizer.close();
        if (inputQuantizer != null) {
            inputQuantizer.close();
        }
        output.close();
        dInput.close();
    }
}
