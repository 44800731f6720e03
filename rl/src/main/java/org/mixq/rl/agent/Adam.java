package org.mixq.rl.agent;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * Adam (Kingma and Ba, 2015) with bias correction and no weight decay, in the form of PyTorch's
 * {@code torch.optim.Adam} that HAQ uses:
 * <pre>
 *   m = b1 m + (1 - b1) g          v = b2 v + (1 - b2) g^2
 *   p -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 * The moments and the parameters are float32; the bias corrections are computed in double.
 */
final class Adam {
    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPS = 1e-8;

    private final List<float[]> params;
    private final List<float[]> grads;
    private final float[][] m;
    private final float[][] v;
    private final double lr;
    private long step;

    /** An optimizer for {@code params}, reading the matching {@code grads} at every step. */
    Adam(List<float[]> params, List<float[]> grads, double lr) {
        if (params.size() != grads.size()) {
            throw new IllegalArgumentException("params and grads must pair up, got " + params.size() + " and " + grads.size());
        }
        if (!(lr > 0)) {
            throw new IllegalArgumentException("lr must be positive, got " + lr);
        }
        this.params = List.copyOf(params);
        this.grads = List.copyOf(grads);
        this.m = new float[params.size()][];
        this.v = new float[params.size()][];
        for (int k = 0; k < params.size(); k++) {
            if (params.get(k).length != grads.get(k).length) {
                throw new IllegalArgumentException("param " + k + " has " + params.get(k).length
                        + " elements but its gradient " + grads.get(k).length);
            }
            m[k] = new float[params.get(k).length];
            v[k] = new float[params.get(k).length];
        }
        this.lr = lr;
    }

    /** Steps taken so far (t in the bias corrections). */
    long stepCount() {
        return step;
    }

    /** One update of every parameter from its current gradient. */
    void step() {
        step++;
        double bias1 = 1 - StrictMath.pow(BETA1, step);
        double bias2 = 1 - StrictMath.pow(BETA2, step);
        float stepSize = (float) (lr / bias1);
        float bias2Sqrt = (float) Math.sqrt(bias2);
        float b1 = (float) BETA1;
        float b2 = (float) BETA2;
        float oneMinusB1 = (float) (1 - BETA1);
        float oneMinusB2 = (float) (1 - BETA2);
        float eps = (float) EPS;
        for (int k = 0; k < params.size(); k++) {
            float[] p = params.get(k);
            float[] g = grads.get(k);
            float[] mk = m[k];
            float[] vk = v[k];
            for (int i = 0; i < p.length; i++) {
                mk[i] = b1 * mk[i] + oneMinusB1 * g[i];
                vk[i] = b2 * vk[i] + oneMinusB2 * g[i] * g[i];
                float denom = (float) Math.sqrt(vk[i]) / bias2Sqrt + eps;
                p[i] -= stepSize * mk[i] / denom;
            }
        }
    }

    void writeTo(DataOutputStream out) throws IOException {
        out.writeLong(step);
        for (int k = 0; k < m.length; k++) {
            StateIo.writeFloats(out, m[k]);
            StateIo.writeFloats(out, v[k]);
        }
    }

    void readFrom(DataInputStream in, String what) throws IOException {
        step = in.readLong();
        for (int k = 0; k < m.length; k++) {
            StateIo.readFloats(in, m[k], what + " first moment");
            StateIo.readFloats(in, v[k], what + " second moment");
        }
    }
}
