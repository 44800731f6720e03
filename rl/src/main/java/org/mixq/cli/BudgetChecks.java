package org.mixq.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mixq.core.Quantizer;
import org.mixq.nn.quant.QuantLayerInfo;
import org.mixq.rl.env.BitChoices;
import org.mixq.rl.env.Budget;
import org.mixq.rl.env.BudgetConfig;
import org.mixq.rl.env.CostModel;
import org.mixq.rl.env.CostModels;
import org.mixq.rl.env.LatencyTable;
import picocli.CommandLine.Model.CommandSpec;

/** The checks of the cost model and the budgets, shared by {@code mixq search} and {@code mixq sensitivity}. */
final class BudgetChecks {
    private BudgetChecks() {
    }

    /** What can be checked from the options alone. */
    static void options(BudgetOptions b, CommandSpec spec) {
        Checks.oneOf("--cost-model", b.costModel, "size", "bitops", "latency");
        String cost = b.costModel.toLowerCase(Locale.ROOT);
        if (cost.equals("latency") && b.latencyTable == null) {
            throw new UserError("--cost-model latency: needs --latency-table FILE (" + LatencyTable.HEADER + ")");
        }
        Checks.unused(spec, "--latency-table", !cost.equals("latency"), "without --cost-model latency");
        Checks.existingFile("--latency-table", b.latencyTable);
        // 0 is how --target-bits switches off the default 3-bit budget; the other budgets have no default to switch off
        if (b.targetBits != null && b.targetBits != 0) {
            Checks.aboveUpTo("--target-bits", b.targetBits, 0, Quantizer.FULL_PRECISION);
        }
        positiveIfGiven("--target-size-mb", b.targetSizeMb);
        positiveIfGiven("--target-bitops", b.targetBitops);
        positiveIfGiven("--target-cost", b.targetCost);
        List<String> given = new ArrayList<>();
        addIfSet(given, "--target-bits", b.targetBits);
        addIfSet(given, "--target-size-mb", b.targetSizeMb);
        addIfSet(given, "--target-bitops", b.targetBitops);
        addIfSet(given, "--target-cost", b.targetCost);
        if (given.size() > 1) {
            throw new UserError(given.get(1) + ": give one cost budget, got " + String.join(" and ", given));
        }
        if (!cost.equals(CostModel.WEIGHT_SIZE.name())) {
            for (String sizeBudget : List.of("--target-bits", "--target-size-mb")) {
                if (given.contains(sizeBudget)) {
                    throw new UserError(sizeBudget + ": a budget of --cost-model size; give --target-cost for --cost-model "
                            + cost);
                }
            }
        }
        if (given.contains("--target-bitops") && !cost.equals(CostModel.BIT_OPS.name())) {
            throw new UserError("--target-bitops: a budget of --cost-model bitops; give --target-cost for --cost-model " + cost);
        }
        if (b.maxAccDrop != null) {
            Checks.within("--max-acc-drop", b.maxAccDrop, 0, 100);
        }
    }

    private static void positiveIfGiven(String option, Double v) {
        if (v != null) {
            Checks.positive(option, v);
        }
    }

    private static void addIfSet(List<String> given, String option, Double v) {
        if (v != null && v != 0) {
            given.add(option);
        }
    }

    /** The cost model; refuses a latency table that lacks a width some layer may take in {@code choices}. */
    static CostModel covered(BudgetConfig budget, List<QuantLayerInfo> layers, BitChoices choices) {
        try {
            CostModel cost = budget.createCostModel();
            CostModels.requireCovered(cost, layers, choices);
            return cost;
        } catch (IllegalArgumentException e) {
            throw Flags.userError(e);
        }
    }

    /**
     * As {@link #covered}, and refuses a cost budget that no policy in {@code choices} meets;
     * {@code space} says which widths those are, with the options that set them.
     */
    static void reachable(BudgetConfig config, List<QuantLayerInfo> layers, BitChoices choices, String space) {
        CostModel cost = covered(config, layers, choices);
        Budget budget = config.target();
        if (!budget.any()) {
            return;
        }
        double target = budget.target(cost, layers);
        double least = CostModels.minimumCost(cost, layers, choices);
        // a relative slack for the rounding of a target typed as the least value printed below
        if (target >= least - 1e-12 * Math.abs(least)) {
            return;
        }
        String option;
        double given;
        String leastText;
        if (budget.targetBits() > 0) {
            option = "--target-bits";
            given = budget.targetBits();
            double params = layers.stream().mapToLong(QuantLayerInfo::params).sum();
            leastText = String.format(Locale.ROOT, "%.3f weighted-average bits", Math.ceil(least / params * 1000) / 1000);
        } else if (budget.targetSizeMb() > 0) {
            option = "--target-size-mb";
            given = budget.targetSizeMb();
            long bytes = Budget.sizeBytesForBits(least, layers.size());
            leastText = String.format(Locale.ROOT, "%.6f MB of packed weights", bytes / 1e6);
        } else if (budget.targetBitops() > 0) {
            option = "--target-bitops";
            given = budget.targetBitops();
            leastText = Checks.number(least) + " BitOps";
        } else {
            option = "--target-cost";
            given = budget.targetCost();
            leastText = Checks.number(least) + " " + cost.unit() + " (--cost-model " + cost.name() + ")";
        }
        throw new UserError(option + " " + Checks.number(given) + " cannot be met: the cheapest policy with " + space
                + " comes to " + leastText + "; give at least that");
    }
}
