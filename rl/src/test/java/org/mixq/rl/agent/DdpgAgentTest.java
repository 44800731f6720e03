package org.mixq.rl.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DdpgAgentTest {
    /**
     * A toy search: an episode of three steps whose states are one-hot step indices; every step
     * earns the episode's final reward {@code -sum_t (a_t - OPTIMUM[t])^2}, as HAQ shares its
     * final reward. The best policy is OPTIMUM, chosen away from the initial output of about 0.5.
     */
    private static final double[] OPTIMUM = {0.2, 0.8, 0.35};
    private static final int STEPS = OPTIMUM.length;

    /** HAQ's defaults with narrow hidden layers, so that hundreds of episodes take seconds. */
    private static DdpgConfig smallHaq(int hidden) {
        DdpgConfig haq = DdpgConfig.haq();
        return new DdpgConfig(hidden, hidden, haq.lrActor(), haq.lrCritic(), haq.tau(), haq.batchSize(),
                haq.replayPerLayer(), haq.warmupEpisodes(), haq.sigma0(), haq.sigmaDecay(), haq.baselineAlpha(),
                haq.discount(), haq.updatesPerStep());
    }

    private static float[] oneHot(int t) {
        float[] s = new float[STEPS];
        s[t] = 1f;
        return s;
    }

    /** Runs one toy episode and returns the actions taken. */
    private static double[] runEpisode(DdpgAgent agent) {
        float[][] states = new float[STEPS][];
        double[] actions = new double[STEPS];
        double reward = 0;
        for (int t = 0; t < STEPS; t++) {
            states[t] = oneHot(t);
            actions[t] = agent.act(states[t]);
            reward -= (actions[t] - OPTIMUM[t]) * (actions[t] - OPTIMUM[t]);
        }
        double[] rewards = new double[STEPS];
        Arrays.fill(rewards, reward);
        agent.finishEpisode(states, actions, rewards);
        return actions;
    }

    private static byte[] save(DdpgAgent agent) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            agent.writeTo(out);
        }
        return bytes.toByteArray();
    }

    private static DdpgAgent restore(byte[] saved) throws IOException {
        return DdpgAgent.readFrom(new DataInputStream(new ByteArrayInputStream(saved)));
    }

    /** Half the width of one bit-width interval for 2..8 bits (1/7): the action picks the right neighbourhood. */
    private static final double POLICY_TOL = 1.0 / 14;
    /** Reward lost by the learned policy; the untrained policy (about 0.5 everywhere) loses about 0.2. */
    private static final double REGRET_TOL = 0.005;

    @Test
    void learnsTheOptimumOfAToyReward() {
        // With HAQ's sigma schedule exploration has nearly stopped (sigma 0.011) after 400 episodes.
        int episodes = 400;
        DdpgAgent agent = new DdpgAgent(smallHaq(64), 234, STEPS, STEPS);
        double untrainedRegret = regret(agent);
        for (int e = 0; e < episodes; e++) {
            runEpisode(agent);
        }
        for (int t = 0; t < STEPS; t++) {
            assertEquals(OPTIMUM[t], agent.policy(oneHot(t)), POLICY_TOL, "policy at step " + t);
        }
        assertTrue(untrainedRegret > 0.1, "untrained regret " + untrainedRegret);
        assertTrue(regret(agent) < REGRET_TOL, "reward lost by the learned policy: " + regret(agent));
    }

    private static double regret(DdpgAgent agent) {
        double regret = 0;
        for (int t = 0; t < STEPS; t++) {
            double a = agent.policy(oneHot(t));
            regret += (a - OPTIMUM[t]) * (a - OPTIMUM[t]);
        }
        return regret;
    }

    @Test
    void warmUpTakesUniformActionsAndMakesNoUpdates() {
        DdpgConfig config = smallHaq(8);
        DdpgAgent agent = new DdpgAgent(config, 1, STEPS, STEPS);
        // HAQ: episodes 0..warmup (inclusive) are random; learning starts with episode warmup + 1.
        for (int e = 0; e <= config.warmupEpisodes(); e++) {
            assertTrue(agent.isWarmup());
            runEpisode(agent);
            assertTrue(Double.isNaN(agent.criticLoss()), "no update during warm-up");
        }
        assertFalse(agent.isWarmup());
        assertEquals(config.sigma0(), agent.sigma() / config.sigmaDecay(), 1e-15);
        runEpisode(agent);
        assertTrue(Double.isFinite(agent.criticLoss()) && Double.isFinite(agent.actorLoss()));
        assertTrue(Double.isFinite(agent.baseline()));
        assertEquals(config.warmupEpisodes() + 2, agent.episode());
    }

    @Test
    void sameSeedSameRunAndPolicyDrawsNoRandomNumber() {
        DdpgAgent a = new DdpgAgent(smallHaq(8), 7, STEPS, STEPS);
        DdpgAgent b = new DdpgAgent(smallHaq(8), 7, STEPS, STEPS);
        for (int e = 0; e < 25; e++) {
            b.policy(oneHot(0));
            assertArrayEquals(runEpisode(a), runEpisode(b), "episode " + e);
        }
        DdpgAgent c = new DdpgAgent(smallHaq(8), 8, STEPS, STEPS);
        assertFalse(Arrays.equals(runEpisode(new DdpgAgent(smallHaq(8), 7, STEPS, STEPS)), runEpisode(c)));
    }

    @Test
    void restoredAgentContinuesBitForBit() throws IOException {
        int before = 24;
        int after = 6;
        DdpgConfig config = smallHaq(16);
        DdpgAgent uninterrupted = new DdpgAgent(config, 99, STEPS, STEPS);
        DdpgAgent first = new DdpgAgent(config, 99, STEPS, STEPS);
        for (int e = 0; e < before; e++) {
            assertArrayEquals(runEpisode(uninterrupted), runEpisode(first));
        }
        byte[] saved = save(first);
        DdpgAgent resumed = restore(saved);
        assertArrayEquals(saved, save(resumed), "a restored agent saves the same bytes");
        assertEquals(before, resumed.episode());
        for (int e = 0; e < after; e++) {
            assertArrayEquals(runEpisode(uninterrupted), runEpisode(resumed), "episode " + (before + e));
        }
        assertArrayEquals(save(uninterrupted), save(resumed), "weights, moments, replay and RNGs agree after resuming");
        assertEquals(uninterrupted.criticLoss(), resumed.criticLoss());
    }

    @Test
    void readFromRejectsOtherData() {
        byte[] notAnAgent = {0, 1, 2, 3, 4, 5, 6, 7};
        IOException e = assertThrows(IOException.class, () -> restore(notAnAgent));
        assertTrue(e.getMessage().contains("not an agent checkpoint"), e.getMessage());
    }

    @Test
    void rejectsBadEpisodes() {
        DdpgAgent agent = new DdpgAgent(smallHaq(8), 1, STEPS, STEPS);
        float[][] states = {oneHot(0), oneHot(1)};
        assertThrows(IllegalArgumentException.class, () -> agent.act(new float[STEPS + 1]));
        assertThrows(IllegalArgumentException.class,
                () -> agent.finishEpisode(states, new double[] {0.5}, new double[] {0, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> agent.finishEpisode(states, new double[] {0.5, 1.5}, new double[] {0, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> agent.finishEpisode(states, new double[] {0.5, 0.5}, new double[] {0, Double.NaN}));
        assertThrows(IllegalArgumentException.class,
                () -> agent.finishEpisode(new float[0][], new double[0], new double[0]));
        assertEquals(0, agent.episode(), "rejected episodes are not counted");
    }
}
