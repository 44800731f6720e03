package org.mixq.rl.run;

import java.util.List;
import java.util.Locale;
import org.mixq.rl.config.Setting;
import org.mixq.rl.config.SettingException;

/**
 * How the best of a list of evaluated policies is chosen: highest reward (the search's
 * default), or the lowest-cost policy within an accuracy budget, or the most accurate policy
 * within a cost budget. {@link #better} is a strict order, so scanning rows in order keeps the
 * earliest of equals and an incremental scan agrees with {@link #choose}.
 */
public interface Selection {

    /** Whether {@code candidate} should replace {@code current} (null: nothing chosen yet). */
    boolean better(EpisodeRow candidate, EpisodeRow current);

    /** Whether {@code row} meets this selection's budgets (always true without budgets). */
    boolean meets(EpisodeRow row);

    /** One line for logs and policy files. */
    String describe();

    /** The best row (the earliest on ties), or null for no rows. */
    default EpisodeRow choose(List<EpisodeRow> rows) {
        EpisodeRow best = null;
        for (EpisodeRow r : rows) {
            if (best == null || better(r, best)) {
                best = r;
            }
        }
        return best;
    }

    /** The highest reward. */
    static Selection highestReward() {
        return new Selection() {
            @Override
            public boolean better(EpisodeRow candidate, EpisodeRow current) {
                return current == null || candidate.reward() > current.reward();
            }

            @Override
            public boolean meets(EpisodeRow row) {
                return true;
            }

            @Override
            public String describe() {
                return "highest reward";
            }
        };
    }

    /**
     * The lowest-cost row whose validation accuracy is at most {@code maxDropPoints} percentage
     * points (absolute, as AIMET's {@code allowed_accuracy_drop}) below {@code fpAccuracy}, and
     * whose cost is within {@code targetCost} (0: no cost target). When no row meets both, the
     * fallback is the most accurate row within the cost target, else the cheapest row.
     */
    static Selection accuracyBudget(double fpAccuracy, double maxDropPoints, double targetCost) {
        return new Budgeted(fpAccuracy, maxDropPoints, targetCost, true);
    }

    /**
     * The most accurate row within {@code targetCost} (ties: the cheaper). When no row is within
     * it, the fallback is the cheapest row.
     */
    static Selection costBudget(double targetCost) {
        return new Budgeted(Double.NaN, Double.NaN, targetCost, false);
    }

    /** The ranking behind the two budgeted selections; see their factories. */
    final class Budgeted implements Selection {
        /** Relative slack on the cost target: the wall's cost is a sum of doubles. */
        private static final double COST_SLACK = 1e-9;
        /** Slack in points: accuracies are ratios of counts, equal ratios may differ in the last bit. */
        private static final double DROP_SLACK = 1e-9;

        private final double fpAccuracy;
        private final double maxDropPoints;
        private final double targetCost;
        private final boolean lowestCost;

        private Budgeted(double fpAccuracy, double maxDropPoints, double targetCost, boolean lowestCost) {
            if (lowestCost && !(maxDropPoints >= 0)) {
                throw new SettingException(Setting.MAX_ACC_DROP, "expected points >= 0, got " + maxDropPoints);
            }
            this.fpAccuracy = fpAccuracy;
            this.maxDropPoints = maxDropPoints;
            this.targetCost = targetCost;
            this.lowestCost = lowestCost;
        }

        private boolean withinCost(EpisodeRow r) {
            return targetCost <= 0 || r.cost() <= targetCost * (1 + COST_SLACK);
        }

        private boolean withinDrop(EpisodeRow r) {
            return !lowestCost || 100 * (fpAccuracy - r.accuracy()) <= maxDropPoints + DROP_SLACK;
        }

        @Override
        public boolean meets(EpisodeRow r) {
            return withinCost(r) && withinDrop(r);
        }

        @Override
        public boolean better(EpisodeRow c, EpisodeRow cur) {
            if (cur == null) {
                return true;
            }
            if (meets(c) != meets(cur)) {
                return meets(c);
            }
            if (meets(c)) {
                return lowestCost ? cheaperThenMoreAccurate(c, cur) : moreAccurateThenCheaper(c, cur);
            }
            if (withinCost(c) != withinCost(cur)) {
                return withinCost(c);
            }
            return withinCost(c) ? moreAccurateThenCheaper(c, cur) : cheaperThenMoreAccurate(c, cur);
        }

        private static boolean cheaperThenMoreAccurate(EpisodeRow c, EpisodeRow cur) {
            return c.cost() < cur.cost() || (c.cost() == cur.cost() && c.accuracy() > cur.accuracy());
        }

        private static boolean moreAccurateThenCheaper(EpisodeRow c, EpisodeRow cur) {
            return c.accuracy() > cur.accuracy() || (c.accuracy() == cur.accuracy() && c.cost() < cur.cost());
        }

        @Override
        public String describe() {
            String cost = targetCost > 0 ? String.format(Locale.ROOT, "cost <= %s", targetCost) : "";
            if (!lowestCost) {
                return cost.isEmpty() ? "highest accuracy" : "highest accuracy with " + cost;
            }
            return String.format(Locale.ROOT, "lowest cost within %s points of full precision (%.2f%%)", maxDropPoints,
                    100 * fpAccuracy) + (cost.isEmpty() ? "" : " and " + cost);
        }
    }
}
