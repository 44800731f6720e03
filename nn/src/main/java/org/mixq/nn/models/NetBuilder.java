package org.mixq.nn.models;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.mixq.core.Backend;
import org.mixq.nn.layers.BatchNorm2d;
import org.mixq.nn.layers.Conv2d;
import org.mixq.nn.layers.Flatten;
import org.mixq.nn.layers.GlobalAvgPool;
import org.mixq.nn.layers.Linear;
import org.mixq.nn.layers.MaxPool2d;
import org.mixq.nn.layers.Relu;
import org.mixq.nn.quant.QuantLayerInfo;
import org.mixq.nn.quant.QuantizableLayer;

/**
 * Creates layers while tracking the feature-map shape {@code [c, h, w]} that flows through them,
 * so each quantizable layer is recorded with its {@link QuantLayerInfo} (input size, MACs) in
 * network order. Every layer is initialized from its own split of the seeded generator.
 * {@link #at()} and {@link #moveTo} let a builder lay out a second branch from the same input.
 */
public final class NetBuilder {
    /** The shape at one point of the network and whether it is a ReLU output (non-negative). */
    public record Point(int channels, int height, int width, boolean postRelu) {
    }

    private final Backend backend;
    private final SplittableRandom rnd;
    private final List<QuantizableLayer> quantizable = new ArrayList<>();
    private final List<QuantLayerInfo> infos = new ArrayList<>();
    private Point at;

    public NetBuilder(Backend backend, long seed, int channels, int height, int width) {
        this.backend = backend;
        this.rnd = new SplittableRandom(seed);
        this.at = new Point(channels, height, width, false);
    }

    public Backend backend() {
        return backend;
    }

    public Point at() {
        return at;
    }

    public void moveTo(Point p) {
        at = p;
    }

    public Conv2d conv(String name, int cOut, int kernel, int stride, int pad) {
        Conv2d conv = new Conv2d(backend, name, at.channels, cOut, kernel, stride, pad, false, at.postRelu, rnd.split());
        int p = conv.spec().outH(at.height, kernel);
        int q = conv.spec().outW(at.width, kernel);
        if (p < 1 || q < 1) {
            throw new IllegalArgumentException("conv " + name + ": kernel " + kernel + " does not fit the " + at.height + "x"
                    + at.width + " input");
        }
        long params = (long) cOut * at.channels * kernel * kernel;
        record(conv, new QuantLayerInfo(infos.size(), name, QuantLayerInfo.Kind.CONV, at.channels, cOut, kernel, stride,
                at.height, at.width, params, params * p * q, at.postRelu));
        at = new Point(cOut, p, q, false);
        return conv;
    }

    public BatchNorm2d bn(String name) {
        at = new Point(at.channels, at.height, at.width, false);
        return new BatchNorm2d(backend, name, at.channels);
    }

    public Relu relu(String name) {
        at = new Point(at.channels, at.height, at.width, true);
        return new Relu(backend, name);
    }

    public MaxPool2d maxPool(String name, int window, int stride) {
        MaxPool2d pool = new MaxPool2d(backend, name, window, stride);
        at = new Point(at.channels, pool.outSize(at.height), pool.outSize(at.width), at.postRelu);
        return pool;
    }

    public GlobalAvgPool globalAvgPool(String name) {
        at = new Point(at.channels, 1, 1, at.postRelu);
        return new GlobalAvgPool(backend, name);
    }

    public Flatten flatten(String name) {
        at = new Point(at.channels * at.height * at.width, 1, 1, at.postRelu);
        return new Flatten(name);
    }

    public Linear linear(String name, int out) {
        int in = at.channels * at.height * at.width;
        Linear fc = new Linear(backend, name, in, out, at.postRelu, rnd.split());
        long params = (long) in * out;
        record(fc, new QuantLayerInfo(infos.size(), name, QuantLayerInfo.Kind.LINEAR, in, out, 1, 1, 1, 1, params, params,
                at.postRelu));
        at = new Point(out, 1, 1, false);
        return fc;
    }

    private void record(QuantizableLayer layer, QuantLayerInfo info) {
        quantizable.add(layer);
        infos.add(info);
    }

    public List<QuantizableLayer> quantizable() {
        return List.copyOf(quantizable);
    }

    public List<QuantLayerInfo> infos() {
        return List.copyOf(infos);
    }
}
