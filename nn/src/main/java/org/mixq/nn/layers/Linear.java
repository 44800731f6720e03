package org.mixq.nn.layers;

import java.util.SplittableRandom;
import org.mixq.core.Backend;
import org.mixq.core.Shape;
import org.mixq.core.Tensor;
import org.mixq.nn.Init;
import org.mixq.nn.Mode;
import org.mixq.nn.Parameter;

/**
 * Fully connected layer {@code y = x W^T + b}, weights {@code [out, in]} (PyTorch's layout, so
 * per-output-channel quantization is per row), with optional fake quantization of weights and
 * input. Any input of shape {@code [n, ...]} is read as {@code [n, in]}.
 */
public final class Linear extends QuantizableLayerBase {
    private final int in;
    private final int out;

    /** Weights and bias initialized as PyTorch's default, U(-1/sqrt(in), 1/sqrt(in)). */
    public Linear(Backend backend, String name, int in, int out, boolean quantizableInput, SplittableRandom rnd) {
        super(backend, name, weight(backend, name, in, out, rnd), bias(backend, name, in, out, rnd), quantizableInput);
        this.in = in;
        this.out = out;
    }

    /** Drawn before the bias so the seed gives the same numbers. */
    private static Parameter weight(Backend backend, String name, int in, int out, SplittableRandom rnd) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("linear " + name + ": in and out must be >= 1, got " + in + ", " + out);
        }
        Parameter w = new Parameter(backend, name + ".weight", Shape.of(out, in), true);
        w.set(Init.linearDefault(w.size(), in, rnd));
        return w;
    }

    private static Parameter bias(Backend backend, String name, int in, int out, SplittableRandom rnd) {
        Parameter b = new Parameter(backend, name + ".bias", Shape.of(out), false);
        b.set(Init.linearDefault(out, in, rnd));
        return b;
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
}
