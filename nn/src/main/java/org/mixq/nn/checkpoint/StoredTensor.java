package org.mixq.nn.checkpoint;

import org.mixq.core.Shape;

/** A tensor as a checkpoint holds it: a shape and its float32 elements in row-major order. */
public record StoredTensor(Shape shape, float[] data) {
    public StoredTensor {
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("stored tensor: " + data.length + " elements for shape " + shape);
        }
    }
}
