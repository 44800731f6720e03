package org.mixq.rl.env;

/**
 * The two rewards of the search. Accuracies are fractions; the reward works in percentage
 * points as HAQ does ({@code (acc - org_acc) * 0.1} with accuracies in percent).
 */
public enum RewardKind {
    /** HAQ: {@code 0.1 * (acc - accFp)} in points; the budget is enforced by {@link BudgetWall}. */
    HAQ,
    /**
     * The thesis: an accuracy term plus a bit-width term, no wall:
     * {@code lambdaAcc * (acc - accFp) - lambdaBits * avgBits / bMax}.
     */
    THESIS;

    public double reward(double accuracy, double fpAccuracy, double weightedBits, int maxBits, double lambdaAcc,
                         double lambdaBits) {
        double deltaPoints = 100.0 * (accuracy - fpAccuracy);
        return switch (this) {
            case HAQ -> 0.1 * deltaPoints;
            case THESIS -> lambdaAcc * deltaPoints - lambdaBits * weightedBits / maxBits;
        };
    }
}
