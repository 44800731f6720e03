package org.mixq.rl.agent;

import java.util.List;

/**
 * HAQ's actor mu(s): DenseLayer(S, h1) - ReLU - DenseLayer(h1, h2) - ReLU - DenseLayer(h2, 1) - sigmoid, so
 * the action lies in [0, 1]. The last forward pass is kept for {@link #backward}.
 */
final class Actor extends Network {
    private final DenseLayer fc1;
    private final DenseLayer fc2;
    private final DenseLayer fc3;
    private final int maxBatch;
    private final float[] input;
    private final float[] h1;
    private final float[] h2;
    private final float[] action;
    private final float[] dPre3;
    private final float[] dH2;
    private final float[] dH1;

    private Actor(DenseLayer fc1, DenseLayer fc2, DenseLayer fc3, int maxBatch) {
        super(List.of(fc1, fc2, fc3));
        this.fc1 = fc1;
        this.fc2 = fc2;
        this.fc3 = fc3;
        this.maxBatch = maxBatch;
        this.input = new float[maxBatch * fc1.in];
        this.h1 = new float[maxBatch * fc1.out];
        this.h2 = new float[maxBatch * fc2.out];
        this.action = new float[maxBatch];
        this.dPre3 = new float[maxBatch];
        this.dH2 = new float[maxBatch * fc2.out];
        this.dH1 = new float[maxBatch * fc1.out];
    }

    /** An actor for states of {@code stateDim} features, run on at most {@code maxBatch} states at once. */
    Actor(int stateDim, int hidden1, int hidden2, int maxBatch) {
        this(new DenseLayer(stateDim, hidden1), new DenseLayer(hidden1, hidden2), new DenseLayer(hidden2, 1), maxBatch);
    }

    void initFanIn(SplitMix64 rng) {
        fc1.initFanIn(rng);
        fc2.initFanIn(rng);
        fc3.initFanIn(rng);
    }

    /** actions[b] = mu(states[b]) for b below {@code batch}; states is [batch][stateDim]. */
    void forward(float[] actions, float[] states, int batch) {
        checkBatch(batch);
        System.arraycopy(states, 0, input, 0, batch * fc1.in);
        fc1.forward(h1, input, batch);
        relu(h1, batch * fc1.out);
        fc2.forward(h2, h1, batch);
        relu(h2, batch * fc2.out);
        fc3.forward(action, h2, batch);
        for (int b = 0; b < batch; b++) {
            action[b] = sigmoid(action[b]);
        }
        System.arraycopy(action, 0, actions, 0, batch);
    }

    /**
     * Parameter gradients (overwritten) of {@code sum_b dActions[b] * mu(states[b])} for the
     * states of the last {@link #forward} call.
     */
    void backward(float[] dActions, int batch) {
        checkBatch(batch);
        for (int b = 0; b < batch; b++) {
            dPre3[b] = dActions[b] * action[b] * (1f - action[b]);
        }
        fc3.backwardParams(dPre3, h2, batch);
        fc3.backwardInput(dH2, dPre3, batch);
        reluBackward(dH2, h2, batch * fc2.out);
        fc2.backwardParams(dH2, h1, batch);
        fc2.backwardInput(dH1, dH2, batch);
        reluBackward(dH1, h1, batch * fc1.out);
        fc1.backwardParams(dH1, input, batch);
    }

    /** The logistic function in float32; StrictMath keeps it identical on every platform. */
    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + StrictMath.exp(-x)));
    }

    private void checkBatch(int batch) {
        if (batch < 1 || batch > maxBatch) {
            throw new IllegalArgumentException("batch must lie in [1, " + maxBatch + "], got " + batch);
        }
    }
}
