package org.mixq.rl.agent;

import java.util.Arrays;

/**
 * A dense layer y = x W + b on a minibatch, in float32 like the PyTorch layers of HAQ's agent.
 * The weight is stored input-major, {@code weight[i * out + o]} (the transpose of PyTorch's
 * [out][in]), so that the forward pass and the weight gradient run along contiguous rows that
 * the JIT can vectorize. Activations are row-major [batch][features].
 */
final class DenseLayer {
    final int in;
    final int out;
    final float[] weight;
    final float[] bias;
    final float[] dWeight;
    final float[] dBias;

    DenseLayer(int in, int out) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("in and out must be positive, got in=" + in + " out=" + out);
        }
        this.in = in;
        this.out = out;
        this.weight = new float[in * out];
        this.bias = new float[out];
        this.dWeight = new float[in * out];
        this.dBias = new float[out];
    }

    /**
     * PyTorch's default {@code nn.DenseLayer} initialization, which HAQ's actor and critic keep (their
     * {@code init_w} argument is never used): weights and biases uniform on
     * [-1/sqrt(in), 1/sqrt(in)] (Kaiming-uniform with a = sqrt(5) reduces to this bound).
     */
    void initFanIn(SplitMix64 rng) {
        double bound = 1.0 / Math.sqrt(in);
        for (int k = 0; k < weight.length; k++) {
            weight[k] = (float) rng.nextDouble(-bound, bound);
        }
        for (int o = 0; o < out; o++) {
            bias[o] = (float) rng.nextDouble(-bound, bound);
        }
    }

    /** y[batch][out] = x[batch][in] W + b; y is overwritten. */
    void forward(float[] y, float[] x, int batch) {
        for (int b = 0; b < batch; b++) {
            int yRow = b * out;
            System.arraycopy(bias, 0, y, yRow, out);
            for (int i = 0; i < in; i++) {
                float xi = x[b * in + i];
                int wRow = i * out;
                for (int o = 0; o < out; o++) {
                    y[yRow + o] += xi * weight[wRow + o];
                }
            }
        }
    }

    /** dWeight = x^T dy and dBias = column sums of dy over the batch; both overwritten. */
    void backwardParams(float[] dy, float[] x, int batch) {
        Arrays.fill(dWeight, 0f);
        Arrays.fill(dBias, 0f);
        for (int b = 0; b < batch; b++) {
            int dyRow = b * out;
            for (int i = 0; i < in; i++) {
                float xi = x[b * in + i];
                int wRow = i * out;
                for (int o = 0; o < out; o++) {
                    dWeight[wRow + o] += xi * dy[dyRow + o];
                }
            }
            for (int o = 0; o < out; o++) {
                dBias[o] += dy[dyRow + o];
            }
        }
    }

    /** dx[batch][in] = dy W^T; dx is overwritten. */
    void backwardInput(float[] dx, float[] dy, int batch) {
        for (int b = 0; b < batch; b++) {
            int dyRow = b * out;
            for (int i = 0; i < in; i++) {
                int wRow = i * out;
                float s = 0f;
                for (int o = 0; o < out; o++) {
                    s += weight[wRow + o] * dy[dyRow + o];
                }
                dx[b * in + i] = s;
            }
        }
    }
}
