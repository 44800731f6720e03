package org.mixq.nn.layers;

import org.mixq.core.Backend;
import org.mixq.core.Tensor;
import org.mixq.nn.Layer;
import org.mixq.nn.Mode;
import org.mixq.nn.Scratch;

/** {@code y = max(x, 0)}; backward masks by the saved output. Not in place, so its input stays intact. */
public final class Relu implements Layer {
    private final Backend backend;
    private final String name;
    private final Scratch output;
    private final Scratch dInput;
    private Tensor savedOutput;

    public Relu(Backend backend, String name) {
        this.backend = backend;
        this.name = name;
        this.output = new Scratch(backend);
        this.dInput = new Scratch(backend);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = output.get(x.shape());
        backend.reluForward(y, x);
        savedOutput = y;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor dx = dInput.get(savedOutput.shape());
        backend.reluBackward(dx, dy, savedOutput);
        return dx;
    }

    @Override
    public void close() {
        output.close();
        dInput.close();
    }
}
