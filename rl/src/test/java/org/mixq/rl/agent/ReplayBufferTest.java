package org.mixq.rl.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ReplayBufferTest {
    /** Transition k has state (k, -k), next state (k + 1, -k - 1), action k / 100, reward k and done when k is odd. */
    private static void addTransition(ReplayBuffer replay, int k) {
        replay.add(new float[] {k, -k}, k / 100f, k, new float[] {k + 1, -k - 1}, k % 2 == 1);
    }

    /** Checks that row {@code row} of the batch is one whole transition, and returns its number. */
    private static int transitionAt(Minibatch batch, int row) {
        int k = (int) batch.rewards[row];
        assertArrayEquals(new float[] {k, -k}, Arrays.copyOfRange(batch.states, 2 * row, 2 * row + 2));
        assertArrayEquals(new float[] {k + 1, -k - 1}, Arrays.copyOfRange(batch.nextStates, 2 * row, 2 * row + 2));
        assertEquals(k / 100f, batch.actions[row]);
        assertEquals(k % 2 == 1 ? 0f : 1f, batch.notDone[row]);
        return k;
    }

    @Test
    void wrapsAroundKeepingTheNewestTransitions() {
        ReplayBuffer replay = new ReplayBuffer(3, 2);
        for (int k = 0; k < 8; k++) {
            addTransition(replay, k);
            assertEquals(Math.min(k + 1, 3), replay.size());
        }
        Minibatch batch = new Minibatch(3, 2);
        replay.sample(batch, 3, new SplitMix64(5));
        int[] seen = new int[3];
        for (int row = 0; row < 3; row++) {
            seen[row] = transitionAt(batch, row);
        }
        Arrays.sort(seen);
        assertArrayEquals(new int[] {5, 6, 7}, seen, "a full sample without replacement returns exactly the 3 newest");
    }

    @Test
    void samplesUniformlyWithoutReplacementWithinABatch() {
        int stored = 10;
        int n = 4;
        ReplayBuffer replay = new ReplayBuffer(16, 2);
        for (int k = 0; k < stored; k++) {
            addTransition(replay, k);
        }
        Minibatch batch = new Minibatch(n, 2);
        SplitMix64 rng = new SplitMix64(99);
        int trials = 20_000;
        int[] counts = new int[stored];
        for (int t = 0; t < trials; t++) {
            replay.sample(batch, n, rng);
            boolean[] inBatch = new boolean[stored];
            for (int row = 0; row < n; row++) {
                int k = transitionAt(batch, row);
                assertTrue(!inBatch[k], "transition " + k + " drawn twice in one batch");
                inBatch[k] = true;
                counts[k]++;
            }
        }
        // Each transition is in a batch with probability n / stored: binomial counts, 5 standard deviations.
        double p = (double) n / stored;
        double sd = Math.sqrt(trials * p * (1 - p));
        for (int k = 0; k < stored; k++) {
            assertEquals(trials * p, counts[k], 5 * sd, "transition " + k);
        }
    }

    @Test
    void samplesWithReplacementWhenFewerThanABatchAreStored() {
        ReplayBuffer replay = new ReplayBuffer(8, 2);
        addTransition(replay, 3);
        addTransition(replay, 4);
        Minibatch batch = new Minibatch(6, 2);
        replay.sample(batch, 6, new SplitMix64(1));
        assertEquals(6, batch.size);
        boolean[] seen = new boolean[5];
        for (int row = 0; row < 6; row++) {
            seen[transitionAt(batch, row)] = true;
        }
        assertTrue(seen[3] || seen[4]);
    }

    @Test
    void savedBufferSamplesTheSameAfterRestore() throws IOException {
        ReplayBuffer replay = new ReplayBuffer(5, 2);
        for (int k = 0; k < 7; k++) {
            addTransition(replay, k);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        replay.writeTo(new DataOutputStream(bytes));
        ReplayBuffer restored = new ReplayBuffer(5, 2);
        restored.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        addTransition(replay, 7);
        addTransition(restored, 7);
        Minibatch a = new Minibatch(4, 2);
        Minibatch b = new Minibatch(4, 2);
        replay.sample(a, 4, new SplitMix64(3));
        restored.sample(b, 4, new SplitMix64(3));
        assertArrayEquals(a.rewards, b.rewards);
        assertArrayEquals(a.states, b.states);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new ReplayBuffer(0, 2));
        ReplayBuffer replay = new ReplayBuffer(4, 2);
        Minibatch batch = new Minibatch(4, 2);
        assertThrows(IllegalStateException.class, () -> replay.sample(batch, 2, new SplitMix64(1)));
        assertThrows(IllegalArgumentException.class, () -> replay.add(new float[3], 0f, 0, new float[2], false));
        addTransition(replay, 0);
        assertThrows(IllegalArgumentException.class, () -> replay.sample(batch, 5, new SplitMix64(1)));
    }
}
