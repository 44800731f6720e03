package org.mixq.rl.agent;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A small MLP made of {@link DenseLayer} layers: the parameter and gradient lists that Adam walks,
 * hard and soft target updates, and checkpointing of the weights.
 */
abstract class Network {
    private final List<DenseLayer> layers;

    Network(List<DenseLayer> layers) {
        this.layers = List.copyOf(layers);
    }

    /** Weights and biases, layer by layer, in the order of {@link #gradients()}. */
    final List<float[]> parameters() {
        List<float[]> p = new ArrayList<>();
        for (DenseLayer l : layers) {
            p.add(l.weight);
            p.add(l.bias);
        }
        return p;
    }

    final List<float[]> gradients() {
        List<float[]> g = new ArrayList<>();
        for (DenseLayer l : layers) {
            g.add(l.dWeight);
            g.add(l.dBias);
        }
        return g;
    }

    /** Hard update: this network's parameters become a copy of {@code source}'s. */
    final void copyFrom(Network source) {
        List<float[]> dst = parameters();
        List<float[]> src = source.parameters();
        for (int k = 0; k < dst.size(); k++) {
            System.arraycopy(src.get(k), 0, dst.get(k), 0, dst.get(k).length);
        }
    }

    /** DDPG target update, theta' = tau * theta + (1 - tau) * theta', for every parameter. */
    final void softUpdateFrom(Network source, double tau) {
        List<float[]> dst = parameters();
        List<float[]> src = source.parameters();
        for (int k = 0; k < dst.size(); k++) {
            softUpdate(dst.get(k), src.get(k), tau);
        }
    }

    /**
     * {@code target = target * (1 - tau) + source * tau} in float32, the expression and order of
     * HAQ's {@code soft_update}.
     */
    static void softUpdate(float[] target, float[] source, double tau) {
        float keep = (float) (1.0 - tau);
        float take = (float) tau;
        for (int i = 0; i < target.length; i++) {
            target[i] = target[i] * keep + source[i] * take;
        }
    }

    final void writeTo(DataOutputStream out) throws IOException {
        for (float[] p : parameters()) {
            StateIo.writeFloats(out, p);
        }
    }

    final void readFrom(DataInputStream in, String what) throws IOException {
        for (float[] p : parameters()) {
            StateIo.readFloats(in, p, what + " parameter");
        }
    }

    /** ReLU in place on the first {@code n} elements. */
    static void relu(float[] x, int n) {
        for (int i = 0; i < n; i++) {
            if (x[i] <= 0f) {
                x[i] = 0f;
            }
        }
    }

    /** Zeroes the gradient where the ReLU output was zero (the kink itself gets gradient 0, as in PyTorch). */
    static void reluBackward(float[] d, float[] activated, int n) {
        for (int i = 0; i < n; i++) {
            if (activated[i] <= 0f) {
                d[i] = 0f;
            }
        }
    }
}
