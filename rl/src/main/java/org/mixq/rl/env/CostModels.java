package org.mixq.rl.env;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mixq.nn.quant.QuantLayerInfo;
import org.mixq.rl.config.Setting;
import org.mixq.rl.config.SettingException;

/** The cost models of the {@link CostModelKind}s, and what every model is asked. */
public final class CostModels {
    private CostModels() {
    }

    /**
     * The model of {@code kind}; {@code latency} reads {@code latencyTable} (required then,
     * refused otherwise so a table cannot be given and silently ignored).
     */
    public static CostModel create(CostModelKind kind, Path latencyTable) {
        if (kind != CostModelKind.LATENCY && latencyTable != null) {
            throw new SettingException(Setting.LATENCY_TABLE, "needs {} latency, got {} " + kind.label(), Setting.COST_MODEL,
                    Setting.COST_MODEL);
        }
        return switch (kind) {
            case SIZE -> CostModel.WEIGHT_SIZE;
            case BITOPS -> CostModel.BIT_OPS;
            case LATENCY -> {
                if (latencyTable == null) {
                    throw new SettingException(Setting.COST_MODEL, "latency needs {} FILE (" + LatencyTable.HEADER + ")",
                            Setting.LATENCY_TABLE);
                }
                try {
                    yield LatencyTable.read(latencyTable);
                } catch (IOException e) {
                    throw new SettingException(null, "{} " + e.getMessage(), Setting.LATENCY_TABLE);
                }
            }
        };
    }

    /** Checks that {@code model} defines every width in {@code choices} (only a table can have gaps). */
    public static void requireCovered(CostModel model, List<QuantLayerInfo> layers, BitChoices choices) {
        if (model instanceof LatencyTable table) {
            table.requireCovered(layers, choices);
        }
    }

    /**
     * The least cost of any policy in {@code choices}. Costs add up over layers, so it is every
     * layer at its cheapest pair of widths; a budget below it cannot be met by any policy.
     */
    public static double minimumCost(CostModel model, List<QuantLayerInfo> layers, BitChoices choices) {
        double total = 0;
        for (int i = 0; i < layers.size(); i++) {
            double least = Double.POSITIVE_INFINITY;
            for (int w : choices.weightBits(i)) {
                for (int a : choices.activationBits(i)) {
                    least = Math.min(least, model.layerCost(layers.get(i), w, a));
                }
            }
            total += least;
        }
        return total;
    }

    /**
     * The policy's cost under each model, by name (size, bitops, and latency when a table is
     * given); what policy files record so one policy can be compared under every model.
     */
    public static Map<String, Double> all(List<QuantLayerInfo> layers, int[] w, int[] a, CostModel latency) {
        Map<String, Double> costs = new LinkedHashMap<>();
        costs.put(CostModel.WEIGHT_SIZE.name(), CostModel.WEIGHT_SIZE.cost(layers, w, a));
        costs.put(CostModel.BIT_OPS.name(), CostModel.BIT_OPS.cost(layers, w, a));
        if (latency instanceof LatencyTable) {
            costs.put(latency.name(), latency.cost(layers, w, a));
        }
        return costs;
    }
}
