package org.mixq.cli;

import java.nio.file.Path;
import org.mixq.rl.env.Budget;
import org.mixq.rl.env.BudgetConfig;
import org.mixq.rl.env.CostModelKind;
import picocli.CommandLine.Option;

/** The cost model and the budgets, shared by {@code mixq search} and {@code mixq sensitivity}. */
final class BudgetOptions {
    @Option(names = "--cost-model", description = "size (bits x weights), bitops (MACs x w bits x a bits) or latency (--latency-table) (default ${DEFAULT-VALUE}).")
    String costModel;
    @Option(names = "--latency-table", description = "CSV layer,w_bits,a_bits,latency with a row for every width each layer may get (--cost-model latency).")
    Path latencyTable;
    @Option(names = "--target-bits", description = "Budget (size): weighted-average weight bits; 0 for none. Default 3 when no budget is given.")
    Double targetBits;
    @Option(names = "--target-size-mb", description = "Budget (size): packed weights in MB (10^6 bytes); scales, clips, biases and batch norm are not counted.")
    Double targetSizeMb;
    @Option(names = "--target-bitops", description = "Budget (bitops): MACs x w bits x a bits per image, e.g. 2.5e9.")
    Double targetBitops;
    @Option(names = "--target-cost", description = "Budget in the cost model's unit (any model).")
    Double targetCost;
    @Option(names = "--max-acc-drop", description = "Accuracy budget in percentage points, absolute (0.5: at most 0.5 points below full precision): the chosen policy is then the lowest-cost one within it.")
    Double maxAccDrop;

    /** The budgets as given; the size model's default target when none is. */
    BudgetConfig config() {
        CostModelKind kind = CostModelKind.parse(costModel);
        return new BudgetConfig(kind, latencyTablePath(),
                Budget.given(targetBits, targetSizeMb, targetBitops, targetCost, kind, maxAccDrop != null), maxAccDrop);
    }

    /** The latency table's absolute path, or null. */
    String latencyTablePath() {
        return latencyTable == null ? null : latencyTable.toAbsolutePath().normalize().toString();
    }
}
