package org.mixq.nn.layers;

import java.util.SplittableRandom;
import org.mixq.core.Backend;
import org.mixq.core.ConvSpec;
import org.mixq.core.Shape;
import org.mixq.core.Tensor;
import org.mixq.nn.Init;
import org.mixq.nn.Mode;
import org.mixq.nn.Parameter;

/**
 * 2-D convolution with square kernels, weights {@code [cOut, cIn, k, k]} (KCRS), optional bias,
 * and optional fake quantization of its weights and of its input.
 *
 * <p>Forward: {@code x -> quantize input -> conv(x_q, quantize(W))}. Backward: the filter
 * gradient is taken with respect to the quantized weights and passed through the
 * straight-through mask; the data gradient uses the same quantized weights.
 */
public final class Conv2d extends QuantizableLayerBase {
    private final ConvSpec spec;

    /**
     * @param quantizableInput whether the input is post-ReLU (non-negative) so that its
     *                         activations may be quantized; false for the first layer
     * @param rnd              initializes the weights: Kaiming normal, fan-out (torchvision)
     */
    public Conv2d(Backend backend, String name, int cIn, int cOut, int kernel, int stride, int pad, boolean withBias,
                  boolean quantizableInput, SplittableRandom rnd) {
        super(backend, name, weight(backend, name, cIn, cOut, kernel, rnd),
                withBias ? bias(backend, name, cIn, cOut, kernel, rnd) : null, quantizableInput);
        this.spec = ConvSpec.of(stride, pad);
    }

    /** Kaiming-normal (fan-out) weights, drawn before the bias so the seed gives the same numbers. */
    private static Parameter weight(Backend backend, String name, int cIn, int cOut, int kernel, SplittableRandom rnd) {
        if (cIn < 1 || cOut < 1 || kernel < 1) {
            throw new IllegalArgumentException("conv " + name + ": channels and kernel must be >= 1, got cIn=" + cIn
                    + " cOut=" + cOut + " kernel=" + kernel);
        }
        Parameter w = new Parameter(backend, name + ".weight", Shape.of(cOut, cIn, kernel, kernel), true);
        w.set(Init.kaimingNormalFanOut(w.size(), cOut * kernel * kernel, rnd));
        return w;
    }

    private static Parameter bias(Backend backend, String name, int cIn, int cOut, int kernel, SplittableRandom rnd) {
        Parameter b = new Parameter(backend, name + ".bias", Shape.of(cOut), false);
        b.set(Init.linearDefault(cOut, cIn * kernel * kernel, rnd));
        return b;
    }

    public ConvSpec spec() {
        return spec;
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
}
