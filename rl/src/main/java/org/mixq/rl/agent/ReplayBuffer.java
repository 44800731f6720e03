package org.mixq.rl.agent;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Fixed-capacity ring buffer of transitions (s, a, r, s', done) on primitive arrays; once full,
 * each new transition overwrites the oldest.
 * <p>
 * HAQ keeps keras-rl's {@code SequentialMemory}, which stores observations one after the other
 * and reads s' from the next entry, appending one filler entry after every episode so that the
 * last step has a successor; the sampler skips the filler. Storing s' with each transition
 * gives the same transitions without the filler, so the capacity counts transitions only.
 * <p>
 * Sampling is uniform over the stored transitions and, like HAQ's, without replacement within
 * a minibatch when enough transitions are stored (with replacement otherwise).
 */
final class ReplayBuffer {
    private final int capacity;
    private final int stateDim;
    private final float[] states;
    private final float[] actions;
    private final double[] rewards;
    private final float[] nextStates;
    private final boolean[] done;
    private final int[] order;
    private int size;
    private int next;

    ReplayBuffer(int capacity, int stateDim) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        if (stateDim < 1) {
            throw new IllegalArgumentException("stateDim must be positive, got " + stateDim);
        }
        this.capacity = capacity;
        this.stateDim = stateDim;
        this.states = new float[capacity * stateDim];
        this.actions = new float[capacity];
        this.rewards = new double[capacity];
        this.nextStates = new float[capacity * stateDim];
        this.done = new boolean[capacity];
        this.order = new int[capacity];
    }

    int capacity() {
        return capacity;
    }

    /** Transitions stored, at most the capacity. */
    int size() {
        return size;
    }

    /** Stores one transition, overwriting the oldest when full. */
    void add(float[] state, float action, double reward, float[] nextState, boolean isDone) {
        if (state.length != stateDim || nextState.length != stateDim) {
            throw new IllegalArgumentException("state and nextState must have " + stateDim
                    + " features, got " + state.length + " and " + nextState.length);
        }
        System.arraycopy(state, 0, states, next * stateDim, stateDim);
        System.arraycopy(nextState, 0, nextStates, next * stateDim, stateDim);
        actions[next] = action;
        rewards[next] = reward;
        done[next] = isDone;
        next = (next + 1) % capacity;
        size = Math.min(size + 1, capacity);
    }

    /** Fills {@code batch} with {@code n} transitions drawn uniformly with {@code rng}. */
    void sample(Minibatch batch, int n, SplitMix64 rng) {
        if (size == 0) {
            throw new IllegalStateException("cannot sample from an empty replay buffer");
        }
        if (n < 1 || n > batch.capacity) {
            throw new IllegalArgumentException("n must lie in [1, " + batch.capacity + "], got " + n);
        }
        if (batch.stateDim != stateDim) {
            throw new IllegalArgumentException("batch has " + batch.stateDim + " features per state, expected " + stateDim);
        }
        if (size >= n) {
            // Partial Fisher-Yates shuffle: the first n entries become a uniform sample without replacement.
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            for (int k = 0; k < n; k++) {
                int j = k + rng.nextInt(size - k);
                int t = order[k];
                order[k] = order[j];
                order[j] = t;
                copy(batch, k, order[k]);
            }
        } else {
            for (int k = 0; k < n; k++) {
                copy(batch, k, rng.nextInt(size));
            }
        }
        batch.size = n;
    }

    private void copy(Minibatch batch, int row, int slot) {
        System.arraycopy(states, slot * stateDim, batch.states, row * stateDim, stateDim);
        System.arraycopy(nextStates, slot * stateDim, batch.nextStates, row * stateDim, stateDim);
        batch.actions[row] = actions[slot];
        batch.rewards[row] = rewards[slot];
        batch.notDone[row] = done[slot] ? 0f : 1f;
    }

    void writeTo(DataOutputStream out) throws IOException {
        out.writeInt(capacity);
        out.writeInt(stateDim);
        out.writeInt(size);
        out.writeInt(next);
        StateIo.writeFloats(out, states);
        StateIo.writeFloats(out, actions);
        StateIo.writeDoubles(out, rewards);
        StateIo.writeFloats(out, nextStates);
        StateIo.writeBooleans(out, done);
    }

    void readFrom(DataInputStream in) throws IOException {
        StateIo.expect("replay capacity", in.readInt(), capacity);
        StateIo.expect("replay state size", in.readInt(), stateDim);
        int storedSize = in.readInt();
        int storedNext = in.readInt();
        if (storedSize < 0 || storedSize > capacity || storedNext < 0 || storedNext >= capacity) {
            throw new IOException("agent checkpoint: replay size " + storedSize + " or position " + storedNext
                    + " out of range for capacity " + capacity);
        }
        size = storedSize;
        next = storedNext;
        StateIo.readFloats(in, states, "replay states");
        StateIo.readFloats(in, actions, "replay actions");
        StateIo.readDoubles(in, rewards, "replay rewards");
        StateIo.readFloats(in, nextStates, "replay next states");
        StateIo.readBooleans(in, done, "replay done flags");
    }
}
