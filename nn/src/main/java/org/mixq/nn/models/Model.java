package org.mixq.nn.models;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mixq.core.Backend;
import org.mixq.core.Tensor;
import org.mixq.nn.Layer;
import org.mixq.nn.Mode;
import org.mixq.nn.Parameter;
import org.mixq.nn.quant.BitPolicy;
import org.mixq.nn.quant.BitWidths;
import org.mixq.nn.quant.LayerBits;
import org.mixq.nn.quant.ModelSize;
import org.mixq.nn.quant.QuantLayerInfo;
import org.mixq.nn.quant.QuantizableLayer;

/**
 * A network built from a {@link ModelConfig}: its layers, its quantizable layers in network
 * order with their {@link QuantLayerInfo}, and the per-layer bit policy, which can change
 * between steps without rebuilding. Forward maps {@code [n, c, h, w]} images to
 * {@code [n, classes]} logits.
 */
public final class Model implements AutoCloseable {
    private final Backend backend;
    private final ModelConfig config;
    private final Layer net;
    private final List<QuantizableLayer> quantizable;
    private final List<QuantLayerInfo> infos;
    private final List<Parameter> parameters;

    public Model(Backend backend, ModelConfig config, Layer net, List<QuantizableLayer> quantizable,
                 List<QuantLayerInfo> infos) {
        if (quantizable.size() != infos.size()) {
            throw new IllegalArgumentException("model: " + quantizable.size() + " quantizable layers but " + infos.size() + " infos");
        }
        this.backend = backend;
        this.config = config;
        this.net = net;
        this.quantizable = List.copyOf(quantizable);
        this.infos = List.copyOf(infos);
        this.parameters = List.copyOf(net.parameters());
        checkUniqueNames();
    }

    private void checkUniqueNames() {
        Set<String> seen = new HashSet<>();
        List<String> names = new ArrayList<>();
        parameters.forEach(p -> names.add(p.name()));
        names.addAll(net.buffers().keySet());
        for (String name : names) {
            if (!seen.add(name)) {
                throw new IllegalArgumentException("model " + config.arch() + ": two tensors are named '" + name + "'");
            }
        }
    }

    public Backend backend() {
        return backend;
    }

    public ModelConfig config() {
        return config;
    }

    /** The root layer. */
    public Layer net() {
        return net;
    }

    /** Logits {@code [n, classes]}, owned by the model until the next forward. */
    public Tensor forward(Tensor images, Mode mode) {
        return net.forward(images, mode);
    }

    /** Backpropagates dL/dlogits, accumulating every parameter gradient; returns dL/dimages. */
    public Tensor backward(Tensor dLogits) {
        return net.backward(dLogits);
    }

    public List<Parameter> parameters() {
        return parameters;
    }

    public void zeroGrad() {
        for (Parameter p : parameters) {
            p.zeroGrad();
        }
    }

    /** Every tensor a checkpoint holds: parameter values, then buffers (BN running statistics), by name. */
    public Map<String, Tensor> state() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        for (Parameter p : parameters) {
            s.put(p.name(), p.value());
        }
        s.putAll(net.buffers());
        return s;
    }

    /** The quantizable layers (convolutions and linear layers) in network order. */
    public List<QuantizableLayer> quantizableLayers() {
        return quantizable;
    }

    /** What the search sees of each quantizable layer, in network order. */
    public List<QuantLayerInfo> quantLayerInfos() {
        return infos;
    }

    /** The current bit widths of every quantizable layer. */
    public BitPolicy policy() {
        List<LayerBits> ls = new ArrayList<>();
        for (QuantizableLayer l : quantizable) {
            ls.add(new LayerBits(l.name(), l.weightBits(), l.activationBits()));
        }
        return new BitPolicy(ls);
    }

    /**
     * Sets the bit widths of the layers the policy names; others keep theirs. All entries are
     * checked before any is applied, so a bad policy changes nothing.
     */
    public void applyPolicy(BitPolicy policy) {
        List<QuantizableLayer> targets = new ArrayList<>();
        for (LayerBits lb : policy.layers()) {
            QuantizableLayer layer = find(lb.name());
            BitWidths.checkWeight(layer.name(), lb.weightBits());
            BitWidths.checkActivation(layer.name(), lb.activationBits(), layer.activationQuantizable());
            targets.add(layer);
        }
        for (int i = 0; i < targets.size(); i++) {
            targets.get(i).setWeightBits(policy.layers().get(i).weightBits());
            targets.get(i).setActivationBits(policy.layers().get(i).activationBits());
        }
    }

    private QuantizableLayer find(String name) {
        for (QuantizableLayer l : quantizable) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        List<String> names = new ArrayList<>();
        quantizable.forEach(l -> names.add(l.name()));
        throw new IllegalArgumentException("policy: model " + config.arch() + " has no quantizable layer '" + name
                + "'; its layers are " + names);
    }

    /**
     * Elements of every tensor that stays in full precision whatever the policy: batch-norm
     * scales, shifts and running statistics, and biases (not the quantizable weights, not the
     * activation clip thresholds, which {@link ModelSize} counts with the scales).
     */
    public long fullPrecisionParameterCount() {
        long n = 0;
        for (Map.Entry<String, Tensor> e : state().entrySet()) {
            if (!isQuantizedWeightOrClip(e.getKey())) {
                n += e.getValue().size();
            }
        }
        return n;
    }

    private boolean isQuantizedWeightOrClip(String tensorName) {
        for (QuantizableLayer l : quantizable) {
            if (tensorName.equals(l.weight().name())
                    || (l.activationQuantizer() != null && tensorName.equals(l.activationQuantizer().clip().name()))) {
                return true;
            }
        }
        return false;
    }

    /** Size in bytes under the current policy (see {@link ModelSize}). */
    public ModelSize size() {
        return ModelSize.of(infos, policy(), fullPrecisionParameterCount());
    }

    /** Weighted-average weight bits under the current policy. */
    public double weightedBits() {
        return ModelSize.weightedBits(infos, policy());
    }

    @Override
    public void close() {
        net.close();
    }
}
