package org.mixq.nn.layers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mixq.core.Backend;
import org.mixq.core.Tensor;
import org.mixq.nn.Layer;
import org.mixq.nn.Mode;
import org.mixq.nn.Parameter;
import org.mixq.nn.Scratch;
import org.mixq.nn.Sequential;

/**
 * The ResNet basic block (He et al. 2016): {@code relu(main(x) + shortcut(x))} with
 * {@code main = conv3x3(stride) - BN - ReLU - conv3x3 - BN} and a shortcut that is the
 * identity, or a 1x1 convolution with the block's stride plus BN (projection) when the shape
 * changes. Backward sends the gradient of the sum through both branches and adds the two
 * input gradients.
 */
public final class BasicBlock implements Layer {
    private final Backend backend;
    private final String name;
    private final Sequential main;
    private final Sequential shortcut;
    private final Relu outRelu;
    private final Scratch sum;
    private final Scratch dInput;
    private Tensor savedInput;

    /**
     * @param main     the residual branch
     * @param shortcut the projection branch, or null for the identity
     */
    public BasicBlock(Backend backend, String name, Sequential main, Sequential shortcut) {
        this.backend = backend;
        this.name = name;
        this.main = main;
        this.shortcut = shortcut;
        this.outRelu = new Relu(backend, name + ".relu");
        this.sum = new Scratch(backend);
        this.dInput = new Scratch(backend);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor a = main.forward(x, mode);
        Tensor b = shortcut == null ? x : shortcut.forward(x, mode);
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException("block " + name + ": branch shapes differ, main " + a.shape() + ", shortcut "
                    + b.shape() + " (an identity shortcut needs equal channels and stride 1)");
        }
        Tensor s = sum.get(a.shape());
        backend.add(s, a, b);
        savedInput = x;
        return outRelu.forward(s, mode);
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor dSum = outRelu.backward(dy);
        Tensor dMain = main.backward(dSum);
        Tensor dShortcut = shortcut == null ? dSum : shortcut.backward(dSum);
        Tensor dx = dInput.get(savedInput.shape());
        backend.add(dx, dMain, dShortcut);
        return dx;
    }

    /** The projection branch, or null for an identity shortcut. */
    public Sequential shortcut() {
        return shortcut;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(main.parameters());
        if (shortcut != null) {
            all.addAll(shortcut.parameters());
        }
        return all;
    }

    @Override
    public Map<String, Tensor> buffers() {
        Map<String, Tensor> all = new LinkedHashMap<>(main.buffers());
        if (shortcut != null) {
            all.putAll(shortcut.buffers());
        }
        return all;
    }

    @Override
    public List<Layer> children() {
        List<Layer> c = new ArrayList<>(List.of(main));
        if (shortcut != null) {
            c.add(shortcut);
        }
        c.add(outRelu);
        return c;
    }

    @Override
    public void close() {
        main.close();
        if (shortcut != null) {
            shortcut.close();
        }
        outRelu.close();
        sum.close();
        dInput.close();
    }
}
