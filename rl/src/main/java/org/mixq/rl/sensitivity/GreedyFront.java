package org.mixq.rl.sensitivity;

import java.util.ArrayList;
import java.util.List;
import org.mixq.nn.quant.QuantLayerInfo;
import org.mixq.rl.env.CostModel;

/**
 * Phase two of the sensitivity baseline: the greedy descent that defines the front's policies.
 * It starts with every searched layer at the highest candidate and the ends at their fixed
 * width, and repeatedly lowers the one layer whose next-lower step costs the least accuracy
 * per unit of cost saved, as read from the table:
 * {@code (acc(l, b) - acc(l, b_lower)) / (cost(l, b) - cost(l, b_lower))}. A step that saves
 * no cost (possible with a measured latency table) comes after every step that saves some,
 * smallest accuracy loss first; ties go to the earlier layer. It stops when every searched
 * layer is at the lowest candidate, so the front has {@code 1 + sum(candidates - 1)} points.
 */
public final class GreedyFront {
    private GreedyFront() {
    }

    /** The weight bits of every point of the front, in order; activations stay in full precision. */
    public static List<int[]> policies(SensitivityTable table, CostModel cost) {
        if (!table.complete()) {
            throw new IllegalStateException("the sensitivity table is not complete");
        }
        List<QuantLayerInfo> layers = table.layers();
        int[] bits = table.candidates();
        int[] a = table.activationPolicy();
        int n = layers.size();
        int[] at = new int[n];
        int[] w = new int[n];
        for (int l = 0; l < n; l++) {
            at[l] = bits.length - 1;
            w[l] = table.searched(l) ? bits[at[l]] : table.endBits();
        }
        List<int[]> points = new ArrayList<>();
        points.add(w.clone());
        while (true) {
            int pick = -1;
            double pickLoss = 0;
            double pickRatio = 0;
            for (int l = 0; l < n; l++) {
                if (!table.searched(l) || at[l] == 0) {
                    continue;
                }
                int hi = bits[at[l]];
                int lo = bits[at[l] - 1];
                double loss = table.accuracy(l, hi) - table.accuracy(l, lo);
                double saved = cost.layerCost(layers.get(l), hi, a[l]) - cost.layerCost(layers.get(l), lo, a[l]);
                double ratio = saved > 0 ? loss / saved : Double.POSITIVE_INFINITY;
                if (pick < 0 || ratio < pickRatio || (ratio == pickRatio && loss < pickLoss)) {
                    pick = l;
                    pickRatio = ratio;
                    pickLoss = loss;
                }
            }
            if (pick < 0) {
                return points;
            }
            at[pick]--;
            w[pick] = bits[at[pick]];
            points.add(w.clone());
        }
    }
}
