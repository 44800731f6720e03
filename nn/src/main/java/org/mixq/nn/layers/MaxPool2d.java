package org.mixq.nn.layers;

import org.mixq.core.Backend;
import org.mixq.core.Tensor;
import org.mixq.nn.Layer;
import org.mixq.nn.Mode;
import org.mixq.nn.Scratch;

/** Max pooling over {@code window x window} patches at {@code stride}, no padding (floor of odd sizes). */
public final class MaxPool2d implements Layer {
    private final Backend backend;
    private final String name;
    private final int window;
    private final int stride;
    private final Scratch output;
    private final Scratch dInput;
    private Tensor savedInput;
    private Tensor savedOutput;

    public MaxPool2d(Backend backend, String name, int window, int stride) {
        if (window < 1 || stride < 1) {
            throw new IllegalArgumentException("max pool " + name + ": window and stride must be >= 1, got " + window + ", " + stride);
        }
        this.backend = backend;
        this.name = name;
        this.window = window;
        this.stride = stride;
        this.output = new Scratch(backend);
        this.dInput = new Scratch(backend);
    }

    /** Output size of one spatial dimension. */
    public int outSize(int in) {
        return (in - window) / stride + 1;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = output.get(x.dim(0), x.dim(1), outSize(x.dim(2)), outSize(x.dim(3)));
        backend.maxPool2dForward(y, x, window, stride);
        savedInput = x;
        savedOutput = y;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor dx = dInput.get(savedInput.shape());
        backend.maxPool2dBackward(dx, dy, savedInput, savedOutput, window, stride);
        return dx;
    }

    @Override
    public void close() {
        output.close();
        dInput.close();
    }
}
