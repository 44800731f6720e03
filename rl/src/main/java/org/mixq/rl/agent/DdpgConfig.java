package org.mixq.rl.agent;

/**
 * Hyper-parameters of the DDPG agent. {@link #haq()} gives the defaults of HAQ's
 * {@code rl_quantize.py} (Wang et al., CVPR 2019), so that searches can be compared with it.
 *
 * @param hidden1         width of the first hidden layer of actor and critic (HAQ 300)
 * @param hidden2         width of the second hidden layer (HAQ 300)
 * @param lrActor         Adam learning rate of the actor (HAQ 1e-4)
 * @param lrCritic        Adam learning rate of the critic (HAQ 1e-3)
 * @param tau             soft target update rate, theta' = tau theta + (1 - tau) theta' (HAQ 0.01)
 * @param batchSize       minibatch size of every update (HAQ 64)
 * @param replayPerLayer  replay capacity per quantizable layer; capacity = this times the layers (HAQ 128)
 * @param warmupEpisodes  episodes 0..warmupEpisodes (inclusive, as HAQ's {@code episode <= warmup})
 *                        take uniform random actions and make no updates (HAQ 20)
 * @param sigma0          exploration sigma at the first episode after warm-up (HAQ 0.5)
 * @param sigmaDecay      sigma = sigma0 * sigmaDecay^(episode - warmupEpisodes) (HAQ 0.99)
 * @param baselineAlpha   step of the moving-average reward baseline, b += alpha (mean batch reward - b) (HAQ 0.5)
 * @param discount        discount gamma of the critic target (HAQ 1)
 * @param updatesPerStep  gradient updates per stored transition after warm-up (HAQ's n_update, 1)
 */
public record DdpgConfig(int hidden1, int hidden2, double lrActor, double lrCritic, double tau, int batchSize,
                         int replayPerLayer, int warmupEpisodes, double sigma0, double sigmaDecay,
                         double baselineAlpha, double discount, int updatesPerStep) {

    public DdpgConfig {
        positive("hidden1", hidden1);
        positive("hidden2", hidden2);
        positive("lrActor", lrActor);
        positive("lrCritic", lrCritic);
        inUnitInterval("tau", tau);
        positive("batchSize", batchSize);
        positive("replayPerLayer", replayPerLayer);
        if (warmupEpisodes < 0) {
            throw new IllegalArgumentException("warmupEpisodes must not be negative, got " + warmupEpisodes);
        }
        positive("sigma0", sigma0);
        if (!(sigmaDecay > 0 && sigmaDecay <= 1)) {
            throw new IllegalArgumentException("sigmaDecay must lie in (0, 1], got " + sigmaDecay);
        }
        inUnitInterval("baselineAlpha", baselineAlpha);
        inUnitInterval("discount", discount);
        positive("updatesPerStep", updatesPerStep);
    }

    /** HAQ's defaults. */
    public static DdpgConfig haq() {
        return new DdpgConfig(300, 300, 1e-4, 1e-3, 0.01, 64, 128, 20, 0.5, 0.99, 0.5, 1.0, 1);
    }

    /** Replay capacity for a network with {@code layers} quantizable layers. */
    public int replayCapacity(int layers) {
        if (layers < 1) {
            throw new IllegalArgumentException("layers must be positive, got " + layers);
        }
        return Math.multiplyExact(replayPerLayer, layers);
    }

    /** True while {@code episode} (counted from 0) is a warm-up episode of uniform random actions. */
    public boolean isWarmup(int episode) {
        return episode <= warmupEpisodes;
    }

    /** Exploration sigma of {@code episode}: sigma0 * sigmaDecay^(episode - warmupEpisodes). */
    public double sigma(int episode) {
        return sigma0 * StrictMath.pow(sigmaDecay, episode - warmupEpisodes);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    private static void positive(String name, double value) {
        if (!(value > 0 && value < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(name + " must be positive and finite, got " + value);
        }
    }

    private static void inUnitInterval(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must lie in [0, 1], got " + value);
        }
    }
}
