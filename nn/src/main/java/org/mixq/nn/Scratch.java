package org.mixq.nn;

import org.mixq.core.Backend;
import org.mixq.core.Shape;
import org.mixq.core.Tensor;

/**
 * One reusable tensor: reallocated only when the requested shape changes, so a training loop
 * over batches of one shape allocates once.
 */
public final class Scratch implements AutoCloseable {
    private final Backend backend;
    private Tensor tensor;

    public Scratch(Backend backend) {
        this.backend = backend;
    }

    /** A tensor of {@code shape}; its contents are whatever the last user left (zeros when new). */
    public Tensor get(Shape shape) {
        if (tensor == null || !tensor.shape().equals(shape)) {
            close();
            tensor = backend.alloc(shape);
        }
        return tensor;
    }

    public Tensor get(int... dims) {
        return get(Shape.of(dims));
    }

    @Override
    public void close() {
        if (tensor != null) {
            tensor.close();
            tensor = null;
        }
    }
}
