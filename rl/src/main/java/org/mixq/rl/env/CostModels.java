package org.mixq.rl.env;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mixq.nn.quant.QuantLayerInfo;

/** The cost models by their command-line names: {@code size}, {@code bitops}, {@code latency}. */
public final class CostModels {
    private CostModels() {
    }

    /**
     * The model named {@code name}; {@code latency} reads {@code latencyTable} (required then,
     * refused otherwise so a table cannot be given and silently ignored).
     */
    public static CostModel create(String name, Path latencyTable) {
        if (!"latency".equals(name) && latencyTable != null) {
            throw new IllegalArgumentException("--latency-table needs --cost-model latency, got --cost-model " + name);
        }
        return switch (name) {
            case "size" -> CostModel.WEIGHT_SIZE;
            case "bitops" -> CostModel.BIT_OPS;
            case "latency" -> {
                if (latencyTable == null) {
                    throw new IllegalArgumentException("--cost-model latency needs --latency-table FILE (" + LatencyTable.HEADER + ")");
                }
                try {
                    yield LatencyTable.read(latencyTable);
                } catch (IOException e) {
                    throw new IllegalArgumentException("--latency-table " + e.getMessage(), e);
                }
            }
            default -> throw new IllegalArgumentException("--cost-model: expected size, bitops or latency, got '" + name + "'");
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
