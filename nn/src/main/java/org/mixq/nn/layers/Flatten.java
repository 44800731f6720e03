package org.mixq.nn.layers;

import org.mixq.core.Tensor;
import org.mixq.nn.Layer;
import org.mixq.nn.Mode;

/**
 * {@code [n, c, h, w] -> [n, c*h*w]} as a view of the same buffer (NCHW is already row-major in
 * that order); backward views the gradient back. Views are cached per tensor, so a stable
 * loop creates none.
 */
public final class Flatten implements Layer {
    private final String name;
    private Tensor input;
    private Tensor inputView;
    private Tensor dOutput;
    private Tensor dOutputView;

    public Flatten(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (x != input || inputView == null) {
            input = x;
            inputView = x.reshape(x.dim(0), x.shape().inner(0));
        }
        return inputView;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (dy != dOutput || dOutputView == null || !dOutputView.shape().equals(input.shape())) {
            dOutput = dy;
            dOutputView = dy.reshape(input.shape().dims());
        }
        return dOutputView;
    }

    @Override
    public void close() {
        input = null;
        inputView = null;
        dOutput = null;
        dOutputView = null;
    }
}
