package org.mixq.rl.env;

/**
 * What an episode searches and how it is rewarded ({@link QuantEnv}).
 *
 * @param reward              HAQ's accuracy reward with a budget wall, or the thesis's accuracy and bit-width reward
 * @param lambdaAcc           thesis reward: weight of the accuracy delta in points
 * @param lambdaBits          thesis reward: weight of weighted bits / max bits
 * @param schedule            joint (HAQ) or sequential (thesis)
 * @param prior               where the parameter-count prior enters
 * @param priorStrength       action prior: shift of the exploration centre across the layers
 * @param minBits             fewest bits of a searched layer
 * @param maxBits             most bits of a searched layer
 * @param searchEnds          whether the first and last layers are searched too
 * @param endBits             bits of the first and last layers when they are not searched
 * @param quantizeActivations whether input activation widths are searched (a second step per layer)
 */
public record EnvironmentConfig(RewardKind reward, double lambdaAcc, double lambdaBits, Schedule schedule, Prior prior,
                                double priorStrength, int minBits, int maxBits, boolean searchEnds, int endBits,
                                boolean quantizeActivations) {

    /** HAQ's environment. */
    public static EnvironmentConfig haq() {
        return new EnvironmentConfig(RewardKind.HAQ, 0.1, 0.25, Schedule.JOINT, Prior.NONE, 0.2, 2, 8, false, 8, false);
    }

    /** Which layers are searched: all with {@code searchEnds}, else all but the first and last. */
    public static boolean[] searchedLayers(int layers, boolean searchEnds) {
        boolean[] s = new boolean[layers];
        for (int i = 0; i < layers; i++) {
            s[i] = searchEnds || layers <= 2 || (i > 0 && i < layers - 1);
        }
        return s;
    }
}
