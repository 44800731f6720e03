package org.mixq.rl.env;

import java.util.Locale;
import com.google.gson.annotations.SerializedName;
import org.mixq.rl.config.Setting;
import org.mixq.rl.config.SettingException;

/**
 * The two rewards of the search. Accuracies are fractions; the reward works in percentage
 * points as HAQ does ({@code (acc - org_acc) * 0.1} with accuracies in percent).
 */
public enum RewardKind {
    /** HAQ: {@code 0.1 * (acc - accFp)} in points; the budget is enforced by {@link BudgetWall}. */
    @SerializedName("haq") HAQ,
    /**
     * The thesis: an accuracy term plus a bit-width term, no wall:
     * {@code lambdaAcc * (acc - accFp) - lambdaBits * avgBits / bMax}.
     */
    @SerializedName("thesis") THESIS;

    /** HAQ's weight of the accuracy delta in points. */
    private static final double HAQ_ACCURACY_WEIGHT = 0.1;

    /** The name written into configurations, as a user types it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RewardKind parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "haq" -> HAQ;
            case "thesis" -> THESIS;
            default -> throw new SettingException(Setting.REWARD, "expected haq or thesis, got '" + name + "'");
        };
    }

    public double reward(double accuracy, double fpAccuracy, double weightedBits, int maxBits, double lambdaAcc,
                         double lambdaBits) {
        double deltaPoints = 100.0 * (accuracy - fpAccuracy);
        return switch (this) {
            case HAQ -> HAQ_ACCURACY_WEIGHT * deltaPoints;
            case THESIS -> lambdaAcc * deltaPoints - lambdaBits * weightedBits / maxBits;
        };
    }

    /**
     * The reward of one step of the sequential schedule, which quantizes one layer (or its input)
     * per step and validates after it: the step's accuracy change in points, weighted as in
     * {@link #reward}, so an episode's return telescopes to its accuracy term; the thesis also
     * charges the layer's share of the bit-width term, {@code layerParams / totalParams * bits}
     * ({@code bits} 0 for an activation step). HAQ has no bit term: its budget is a constraint.
     */
    public double stepReward(double accuracy, double previousAccuracy, double layerParams, double totalParams, int bits,
                             int maxBits, double lambdaAcc, double lambdaBits) {
        return switch (this) {
            case HAQ -> HAQ_ACCURACY_WEIGHT * 100 * (accuracy - previousAccuracy);
            case THESIS -> lambdaAcc * 100 * (accuracy - previousAccuracy)
                    - lambdaBits * layerParams / totalParams * bits / maxBits;
        };
    }
}
