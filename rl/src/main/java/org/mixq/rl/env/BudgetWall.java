package org.mixq.rl.env;

import java.util.List;
import org.mixq.nn.quant.QuantLayerInfo;

/**
 * HAQ's post-episode budget enforcement ({@code _final_action_wall}): while the policy costs
 * more than the target, walk the searched layers from last to first and lower each layer that
 * is above the minimum by one bit, stopping as soon as the target is met.
 */
public final class BudgetWall {
    private BudgetWall() {
    }

    /**
     * Lowers {@code w} in place until {@code cost <= target} or every searched layer is at
     * {@code minBits}; returns the final cost.
     */
    public static double enforce(CostModel model, List<QuantLayerInfo> layers, int[] w, int[] a, boolean[] searched,
                                 int minBits, double target) {
        double cost = model.cost(layers, w, a);
        boolean lowered = true;
        while (cost > target && lowered) {
            lowered = false;
            for (int i = layers.size() - 1; i >= 0 && cost > target; i--) {
                if (searched[i] && w[i] > minBits) {
                    QuantLayerInfo l = layers.get(i);
                    cost -= model.layerCost(l, w[i], a[i]) - model.layerCost(l, w[i] - 1, a[i]);
                    w[i]--;
                    lowered = true;
                }
            }
        }
        return cost;
    }
}
