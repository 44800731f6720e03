package org.mixq.rl.agent;

import java.util.List;

/**
 * HAQ's critic Q(s, a): separate first-layer branches for the state and the action, summed
 * ({@code fc11(s) + fc12(a)}, each with its own bias as in PyTorch), then ReLU -
 * DenseLayer(h1, h2) - ReLU - DenseLayer(h2, 1). The action is one number per state. The last forward
 * pass is kept for the backward passes.
 */
final class Critic extends Network {
    private final DenseLayer fcState;
    private final DenseLayer fcAction;
    private final DenseLayer fc2;
    private final DenseLayer fc3;
    private final int maxBatch;
    private final float[] states;
    private final float[] actions;
    private final float[] actionBranch;
    private final float[] h1;
    private final float[] h2;
    private final float[] dH2;
    private final float[] dH1;

    private Critic(DenseLayer fcState, DenseLayer fcAction, DenseLayer fc2, DenseLayer fc3, int maxBatch) {
        super(List.of(fcState, fcAction, fc2, fc3));
        this.fcState = fcState;
        this.fcAction = fcAction;
        this.fc2 = fc2;
        this.fc3 = fc3;
        this.maxBatch = maxBatch;
        this.states = new float[maxBatch * fcState.in];
        this.actions = new float[maxBatch];
        this.actionBranch = new float[maxBatch * fcAction.out];
        this.h1 = new float[maxBatch * fcState.out];
        this.h2 = new float[maxBatch * fc2.out];
        this.dH2 = new float[maxBatch * fc2.out];
        this.dH1 = new float[maxBatch * fcState.out];
    }

    /** A critic for states of {@code stateDim} features, run on at most {@code maxBatch} pairs at once. */
    Critic(int stateDim, int hidden1, int hidden2, int maxBatch) {
        this(new DenseLayer(stateDim, hidden1), new DenseLayer(1, hidden1), new DenseLayer(hidden1, hidden2),
                new DenseLayer(hidden2, 1), maxBatch);
    }

    void initFanIn(SplitMix64 rng) {
        fcState.initFanIn(rng);
        fcAction.initFanIn(rng);
        fc2.initFanIn(rng);
        fc3.initFanIn(rng);
    }

    /** q[b] = Q(states[b], actions[b]) for b below {@code batch}. */
    void forward(float[] q, float[] states, float[] actions, int batch) {
        checkBatch(batch);
        System.arraycopy(states, 0, this.states, 0, batch * fcState.in);
        System.arraycopy(actions, 0, this.actions, 0, batch);
        fcState.forward(h1, this.states, batch);
        fcAction.forward(actionBranch, this.actions, batch);
        int n1 = batch * fcState.out;
        for (int i = 0; i < n1; i++) {
            h1[i] += actionBranch[i];
        }
        relu(h1, n1);
        fc2.forward(h2, h1, batch);
        relu(h2, batch * fc2.out);
        fc3.forward(q, h2, batch);
    }

    /** Parameter gradients (overwritten) of {@code sum_b dQ[b] * Q(s_b, a_b)} for the last forward pass. */
    void backward(float[] dQ, int batch) {
        checkBatch(batch);
        backPropagateToFirstLayer(dQ, batch, true);
        fcState.backwardParams(dH1, states, batch);
        fcAction.backwardParams(dH1, actions, batch);
    }

    /**
     * dActions[b] = d(sum_b dQ[b] * Q(s_b, a_b)) / d a_b for the last forward pass; the DDPG actor
     * update follows this gradient. Parameter gradients are left untouched.
     */
    void actionGradient(float[] dActions, float[] dQ, int batch) {
        checkBatch(batch);
        backPropagateToFirstLayer(dQ, batch, false);
        fcAction.backwardInput(dActions, dH1, batch);
    }

    /** Leaves in dH1 the gradient with respect to the summed first-layer pre-activation. */
    private void backPropagateToFirstLayer(float[] dQ, int batch, boolean withParams) {
        if (withParams) {
            fc3.backwardParams(dQ, h2, batch);
        }
        fc3.backwardInput(dH2, dQ, batch);
        reluBackward(dH2, h2, batch * fc2.out);
        if (withParams) {
            fc2.backwardParams(dH2, h1, batch);
        }
        fc2.backwardInput(dH1, dH2, batch);
        reluBackward(dH1, h1, batch * fcState.out);
    }

    private void checkBatch(int batch) {
        if (batch < 1 || batch > maxBatch) {
            throw new IllegalArgumentException("batch must lie in [1, " + maxBatch + "], got " + batch);
        }
    }
}
