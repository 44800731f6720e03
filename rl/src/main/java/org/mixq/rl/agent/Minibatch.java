package org.mixq.rl.agent;

/** Transitions drawn from the {@link ReplayBuffer}, laid out as network inputs (row-major states). */
final class Minibatch {
    final int capacity;
    final int stateDim;
    final float[] states;
    final float[] actions;
    final double[] rewards;
    final float[] nextStates;
    /** 0 for a transition that ended its episode, else 1: the bootstrap mask of the critic target. */
    final float[] notDone;
    int size;

    Minibatch(int capacity, int stateDim) {
        if (capacity < 1 || stateDim < 1) {
            throw new IllegalArgumentException("capacity and stateDim must be positive, got " + capacity + " and " + stateDim);
        }
        this.capacity = capacity;
        this.stateDim = stateDim;
        this.states = new float[capacity * stateDim];
        this.actions = new float[capacity];
        this.rewards = new double[capacity];
        this.nextStates = new float[capacity * stateDim];
        this.notDone = new float[capacity];
    }
}
