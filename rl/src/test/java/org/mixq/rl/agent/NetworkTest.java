package org.mixq.rl.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mixq.core.testing.GradCheck;
import org.mixq.core.testing.RandomArrays;

class NetworkTest {
    private static final int STATE = 4;
    private static final int HIDDEN1 = 7;
    private static final int HIDDEN2 = 6;
    private static final int BATCH = 5;
    /** Finite-difference step: small next to the distance of most pre-activations from the ReLU kink. */
    private static final float STEP = 1e-3f;
    /** Check every element of these small networks. */
    private static final int ALL = Integer.MAX_VALUE;

    @Test
    void actorParameterGradientsMatchFiniteDifferences() {
        SplittableRandom rnd = new SplittableRandom(3);
        Actor actor = new Actor(STATE, HIDDEN1, HIDDEN2, BATCH);
        actor.initFanIn(new SplitMix64(8));
        float[] states = RandomArrays.uniform(rnd, BATCH * STATE, -1f, 1f);
        float[] weights = RandomArrays.uniform(rnd, BATCH, -1f, 1f);
        float[] out = new float[BATCH];
        actor.forward(out, states, BATCH);
        actor.backward(weights, BATCH);
        List<float[]> params = actor.parameters();
        List<float[]> grads = actor.gradients();
        for (int k = 0; k < params.size(); k++) {
            GradCheck.check("actor parameter " + k, params.get(k), grads.get(k).clone(), p -> {
                actor.forward(out, states, BATCH);
                return GradCheck.dot(out, weights);
            }, STEP, ALL, rnd);
        }
    }

    @Test
    void criticParameterAndActionGradientsMatchFiniteDifferences() {
        SplittableRandom rnd = new SplittableRandom(4);
        Critic critic = new Critic(STATE, HIDDEN1, HIDDEN2, BATCH);
        critic.initFanIn(new SplitMix64(9));
        float[] states = RandomArrays.uniform(rnd, BATCH * STATE, -1f, 1f);
        float[] actions = RandomArrays.uniform(rnd, BATCH, 0f, 1f);
        float[] weights = RandomArrays.uniform(rnd, BATCH, -1f, 1f);
        float[] q = new float[BATCH];
        critic.forward(q, states, actions, BATCH);
        critic.backward(weights, BATCH);
        float[] dActions = new float[BATCH];
        critic.actionGradient(dActions, weights, BATCH);
        List<float[]> params = critic.parameters();
        List<float[]> grads = critic.gradients();
        for (int k = 0; k < params.size(); k++) {
            GradCheck.check("critic parameter " + k, params.get(k), grads.get(k).clone(), p -> {
                critic.forward(q, states, actions, BATCH);
                return GradCheck.dot(q, weights);
            }, STEP, ALL, rnd);
        }
        GradCheck.check("critic action input", actions, dActions, a -> {
            critic.forward(q, states, a, BATCH);
            return GradCheck.dot(q, weights);
        }, STEP, ALL, rnd);
    }

    @Test
    void actionGradientLeavesParameterGradientsAlone() {
        Critic critic = new Critic(STATE, HIDDEN1, HIDDEN2, BATCH);
        critic.initFanIn(new SplitMix64(2));
        SplittableRandom rnd = new SplittableRandom(2);
        float[] states = RandomArrays.uniform(rnd, BATCH * STATE, -1f, 1f);
        float[] actions = RandomArrays.uniform(rnd, BATCH, 0f, 1f);
        float[] q = new float[BATCH];
        critic.forward(q, states, actions, BATCH);
        critic.backward(RandomArrays.uniform(rnd, BATCH, -1f, 1f), BATCH);
        List<float[]> before = critic.gradients().stream().map(float[]::clone).toList();
        critic.actionGradient(new float[BATCH], RandomArrays.uniform(rnd, BATCH, -1f, 1f), BATCH);
        for (int k = 0; k < before.size(); k++) {
            assertArrayEquals(before.get(k), critic.gradients().get(k));
        }
    }

    @Test
    void actorOutputIsASigmoidInTheUnitInterval() {
        Actor actor = new Actor(STATE, HIDDEN1, HIDDEN2, BATCH);
        actor.initFanIn(new SplitMix64(1));
        float[] out = new float[BATCH];
        actor.forward(out, RandomArrays.uniform(new SplittableRandom(1), BATCH * STATE, -50f, 50f), BATCH);
        for (float a : out) {
            assertTrue(a >= 0f && a <= 1f, "action " + a);
        }
        assertEquals(0.5f, Actor.sigmoid(0f));
        assertThrows(IllegalArgumentException.class, () -> actor.forward(out, new float[0], BATCH + 1));
    }

    @Test
    void initializationIsPyTorchsFanInUniform() {
        Critic critic = new Critic(16, 300, 300, 1);
        critic.initFanIn(new SplitMix64(5));
        // Layers in order: state branch (fan-in 16), action branch (fan-in 1), 300 -> 300, 300 -> 1.
        double[] bounds = {1 / Math.sqrt(16), 1.0, 1 / Math.sqrt(300), 1 / Math.sqrt(300)};
        List<float[]> params = critic.parameters();
        for (int layer = 0; layer < bounds.length; layer++) {
            for (int part = 0; part < 2; part++) {
                float[] p = params.get(2 * layer + part);
                float max = 0f;
                for (float x : p) {
                    max = Math.max(max, Math.abs(x));
                }
                assertTrue(max <= bounds[layer], "layer " + layer + " exceeds its bound");
                if (p.length >= 300) {
                    assertTrue(max > 0.9 * bounds[layer], "layer " + layer + " does not fill its range");
                }
            }
        }
    }

    @Test
    void softUpdateMixesTargetAndSourceByTau() {
        float[] target = {1f, -2f, 0.5f, 0f};
        float[] source = {3f, 2f, 0.5f, -10f};
        Network.softUpdate(target, source, 0.01);
        // 0.99 * target + 0.01 * source, worked out by hand.
        assertArrayEquals(new float[] {1.02f, -1.96f, 0.5f, -0.1f}, target, 1e-6f);

        float[] keep = {1f, 2f};
        Network.softUpdate(keep, new float[] {5f, 6f}, 0.0);
        assertArrayEquals(new float[] {1f, 2f}, keep);
        Network.softUpdate(keep, new float[] {5f, 6f}, 1.0);
        assertArrayEquals(new float[] {5f, 6f}, keep);
    }

    @Test
    void softUpdateFromAndCopyFromCoverEveryParameter() {
        Actor source = new Actor(STATE, HIDDEN1, HIDDEN2, 1);
        Actor target = new Actor(STATE, HIDDEN1, HIDDEN2, 1);
        source.initFanIn(new SplitMix64(1));
        target.initFanIn(new SplitMix64(2));
        List<float[]> before = target.parameters().stream().map(float[]::clone).toList();
        target.softUpdateFrom(source, 0.25);
        for (int k = 0; k < before.size(); k++) {
            float[] expected = before.get(k).clone();
            for (int i = 0; i < expected.length; i++) {
                expected[i] = expected[i] * 0.75f + source.parameters().get(k)[i] * 0.25f;
            }
            assertArrayEquals(expected, target.parameters().get(k));
        }
        target.copyFrom(source);
        for (int k = 0; k < before.size(); k++) {
            assertArrayEquals(source.parameters().get(k), target.parameters().get(k));
        }
    }
}
