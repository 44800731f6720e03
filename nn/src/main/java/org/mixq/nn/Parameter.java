package org.mixq.nn;

import org.mixq.core.Backend;
import org.mixq.core.Shape;
import org.mixq.core.Tensor;

/**
 * A trained tensor with its gradient and its SGD momentum buffer (velocity), all of one shape.
 * The gradient accumulates during backward and is zeroed once per step ({@link #zeroGrad()}).
 *
 * <p>{@code decay} says whether L2 weight decay applies. By convention convolution and linear
 * weights decay; batch-norm scales and shifts, biases and activation clip thresholds do not
 * (decaying a BN scale or a bias only shrinks the network's freedom to shift and scale, as
 * the common CIFAR recipes note; a clip threshold that is not in use would drift to zero).
 */
public final class Parameter implements AutoCloseable {
    private final String name;
    private final Backend backend;
    private final Tensor value;
    private final Tensor grad;
    private final Tensor velocity;
    private final boolean decay;

    public Parameter(Backend backend, String name, Shape shape, boolean decay) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("parameter: name is empty");
        }
        this.name = name;
        this.backend = backend;
        this.value = backend.alloc(shape);
        this.grad = backend.alloc(shape);
        this.velocity = backend.alloc(shape);
        this.decay = decay;
    }

    public String name() {
        return name;
    }

    public Tensor value() {
        return value;
    }

    public Tensor grad() {
        return grad;
    }

    public Tensor velocity() {
        return velocity;
    }

    public boolean decay() {
        return decay;
    }

    public Shape shape() {
        return value.shape();
    }

    public int size() {
        return value.size();
    }

    public void zeroGrad() {
        backend.fill(grad, 0f);
    }

    /** Overwrites the value from host memory; the length must equal {@link #size()}. */
    public void set(float[] data) {
        backend.copyIn(value, data);
    }

    @Override
    public void close() {
        value.close();
        grad.close();
        velocity.close();
    }

    @Override
    public String toString() {
        return name + value.shape();
    }
}
