package org.mixq.rl.sensitivity;

import java.util.Set;
import org.mixq.rl.config.DataSource;
import org.mixq.rl.config.Setting;
import org.mixq.rl.env.BudgetConfig;
import org.mixq.rl.env.EpisodeProtocol;

/**
 * Every setting of a sensitivity analysis, saved as {@code sensitivity-config.json} in the run
 * folder. The settings that decide the measured accuracies must not change on a rerun (the
 * cached table would mix two settings); {@link #RESUMABLE_CHANGES} only change which front is
 * walked and which point is picked, so a rerun with another budget or cost model reuses every
 * measurement it can.
 *
 * @param data       the full-precision checkpoint and its dataset
 * @param seed       seed of the fine-tuning batches
 * @param bits       candidate weight widths, ascending
 * @param searchEnds whether the first and last layers are analysed too
 * @param endBits    bits of the first and last layers when they are not
 * @param protocol   how each evaluation fine-tunes and measures its policy
 * @param budget     the cost and accuracy budgets that pick a point of the front
 */
public record SensitivityConfig(DataSource data, long seed, int[] bits, boolean searchEnds, int endBits,
                                EpisodeProtocol protocol, BudgetConfig budget) {

    public static final Set<Setting> RESUMABLE_CHANGES = Set.of(Setting.COST_MODEL, Setting.LATENCY_TABLE,
            Setting.TARGET_BITS, Setting.TARGET_SIZE_MB, Setting.TARGET_BITOPS, Setting.TARGET_COST, Setting.MAX_ACC_DROP);

    /** The analysis of {@code data} by default: every width from 2 to 8, no fine-tuning, the search's seed and ends. */
    public static SensitivityConfig defaults(DataSource data) {
        return new SensitivityConfig(data, 234, new int[] {2, 3, 4, 5, 6, 7, 8}, false, 8,
                EpisodeProtocol.defaults().withFinetuneBatches(0), BudgetConfig.defaults());
    }
}
