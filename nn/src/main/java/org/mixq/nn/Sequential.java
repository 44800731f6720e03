package org.mixq.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mixq.core.Tensor;

/** Layers applied in order; backward runs them in reverse order. */
public final class Sequential implements Layer {
    private final String name;
    private final List<Layer> layers;

    public Sequential(String name, List<? extends Layer> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("sequential " + name + ": no layers");
        }
        this.name = name;
        this.layers = List.copyOf(layers);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor t = x;
        for (Layer layer : layers) {
            t = layer.forward(t, mode);
        }
        return t;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor g = dy;
        for (int i = layers.size() - 1; i >= 0; i--) {
            g = layers.get(i).backward(g);
        }
        return g;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        layers.forEach(l -> all.addAll(l.parameters()));
        return all;
    }

    @Override
    public Map<String, Tensor> buffers() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        layers.forEach(l -> all.putAll(l.buffers()));
        return all;
    }

    @Override
    public List<Layer> children() {
        return layers;
    }

    @Override
    public void close() {
        layers.forEach(Layer::close);
    }
}
