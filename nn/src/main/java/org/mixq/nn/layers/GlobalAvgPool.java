package org.mixq.nn.layers;

import org.mixq.core.Backend;
import org.mixq.core.Tensor;
import org.mixq.nn.Layer;
import org.mixq.nn.Mode;
import org.mixq.nn.Scratch;

/** Mean over the spatial dims: {@code [n, c, h, w] -> [n, c]}. */
public final class GlobalAvgPool implements Layer {
    private final Backend backend;
    private final String name;
    private final Scratch output;
    private final Scratch dInput;
    private Tensor savedInput;

    public GlobalAvgPool(Backend backend, String name) {
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
        Tensor y = output.get(x.dim(0), x.dim(1));
        backend.globalAvgPoolForward(y, x);
        savedInput = x;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor dx = dInput.get(savedInput.shape());
        backend.globalAvgPoolBackward(dx, dy);
        return dx;
    }

    @Override
    public void close() {
        output.close();
        dInput.close();
    }
}
