package org.mixq.nn;

import java.util.List;
import java.util.Map;
import org.mixq.core.Tensor;

/**
 * A layer with an explicit forward and backward pass (no autograd): forward saves what backward
 * needs, backward uses only that.
 *
 * <p>Ownership: the tensor returned by {@link #forward} belongs to the layer and stays valid
 * until its next forward; the tensor returned by {@link #backward} stays valid until its next
 * backward. A layer keeps a reference to its input for backward, so the caller must not change
 * the input between forward and backward. Output and gradient buffers are allocated when the
 * input shape changes and reused otherwise, so a loop over batches of one shape allocates
 * nothing.
 *
 * <p>Gradients: {@link #backward} overwrites and returns the input gradient and accumulates
 * the parameter gradients into {@link Parameter#grad()} (the {@link org.mixq.core.Backend}
 * convention), so callers zero them once per step.
 */
public interface Layer extends AutoCloseable {

    /** The layer's name, the prefix of its parameter and buffer names. */
    String name();

    Tensor forward(Tensor x, Mode mode);

    /** The gradient of the loss with respect to the last forward's input; needs a TRAIN forward before. */
    Tensor backward(Tensor dy);

    /** Trained parameters, in a fixed order. Containers list their children's. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /** State that is not trained by gradient but is saved in checkpoints (BN running statistics), by full name. */
    default Map<String, Tensor> buffers() {
        return Map.of();
    }

    /** The layers inside this one, in forward order; empty for a leaf. */
    default List<Layer> children() {
        return List.of();
    }

    /** Releases parameters and buffers. */
    @Override
    void close();
}
