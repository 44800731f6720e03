package org.mixq.rl.env;

import java.nio.file.Path;
import java.util.List;
import org.mixq.nn.quant.QuantLayerInfo;

/**
 * The budgets of a run: a cost budget in one cost model, and an accuracy budget that picks the
 * cheapest policy within it.
 *
 * @param costModel    the cost model of the budget and of the reported costs
 * @param latencyTable the latency table's absolute path (latency model), else null
 * @param target       the cost budget as given
 * @param maxAccDrop   accuracy budget in points below full precision, null for none
 */
public record BudgetConfig(CostModelKind costModel, String latencyTable, Budget target, Double maxAccDrop) {

    /** No budget given: the size model at {@link Budget#DEFAULT_TARGET_BITS} weighted bits. */
    public static BudgetConfig defaults() {
        return new BudgetConfig(CostModelKind.SIZE, null, Budget.given(null, null, null, null, CostModelKind.SIZE, false), null);
    }

    /** The cost model, reading the latency table when there is one. */
    public CostModel createCostModel() {
        return CostModels.create(costModel, latencyTable == null ? null : Path.of(latencyTable));
    }

    /** The cost target in {@code model}'s unit, 0 for none. */
    public double targetCost(CostModel model, List<QuantLayerInfo> layers) {
        return target.target(model, layers);
    }
}
