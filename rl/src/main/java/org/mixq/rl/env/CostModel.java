package org.mixq.rl.env;

import java.util.List;
import org.mixq.nn.quant.QuantLayerInfo;

/**
 * The cost of a per-layer bit policy, the currency of the budget. Costs are additive over
 * layers, so a budget wall can lower one layer at a time and know what it saves.
 */
public interface CostModel {

    /** Short name written into the run's configuration ("size", "bitops", "latency"). */
    String name();

    /** Unit of {@link #layerCost}, for reports ("bits", "BitOps", "ms"). */
    String unit();

    /** Cost of layer {@code l} at weight bits {@code w} and activation bits {@code a} (32 = full precision). */
    double layerCost(QuantLayerInfo l, int w, int a);

    default double cost(List<QuantLayerInfo> layers, int[] w, int[] a) {
        double c = 0;
        for (int i = 0; i < layers.size(); i++) {
            c += layerCost(layers.get(i), w[i], a[i]);
        }
        return c;
    }

    /** Weight storage: bits x parameters (HAQ's size cost). */
    CostModel WEIGHT_SIZE = new CostModel() {
        @Override
        public String name() {
            return "size";
        }

        @Override
        public String unit() {
            return "bits";
        }

        @Override
        public double layerCost(QuantLayerInfo l, int w, int a) {
            return (double) w * l.params();
        }
    };

    /** BitOps: MACs x weight bits x activation bits (as AIMET counts them). */
    CostModel BIT_OPS = new CostModel() {
        @Override
        public String name() {
            return "bitops";
        }

        @Override
        public String unit() {
            return "BitOps";
        }

        @Override
        public double layerCost(QuantLayerInfo l, int w, int a) {
            return (double) l.macs() * w * a;
        }
    };
}
