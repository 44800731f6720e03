package org.mixq.cli;

import java.util.EnumMap;
import java.util.Map;
import org.mixq.rl.config.Setting;
import org.mixq.rl.config.SettingException;

/**
 * The command line's name for every setting of the engine: the flag a user types. The engine
 * names settings by their place in a configuration ({@link Setting}); this is the one table
 * that turns them into flags, for error messages, the defaults shown in {@code --help}, and
 * {@code mixq compare}'s columns.
 */
final class Flags {
    private static final Map<Setting, String> FLAGS = new EnumMap<>(Setting.class);

    static {
        put(Setting.CHECKPOINT, "--checkpoint");
        put(Setting.DATASET, "--dataset");
        put(Setting.DATA_DIR, "--data-dir");
        put(Setting.SEED, "--seed");
        put(Setting.EPISODES, "--episodes");
        put(Setting.COST_MODEL, "--cost-model");
        put(Setting.LATENCY_TABLE, "--latency-table");
        put(Setting.TARGET_BITS, "--target-bits");
        put(Setting.TARGET_SIZE_MB, "--target-size-mb");
        put(Setting.TARGET_BITOPS, "--target-bitops");
        put(Setting.TARGET_COST, "--target-cost");
        put(Setting.MAX_ACC_DROP, "--max-acc-drop");
        put(Setting.FINETUNE_BATCHES, "--finetune-batches");
        put(Setting.FINETUNE_LR, "--finetune-lr");
        put(Setting.WEIGHT_DECAY, "--weight-decay");
        put(Setting.BATCH_SIZE, "--batch-size");
        put(Setting.EVAL_IMAGES, "--eval-images");
        put(Setting.CALIBRATION_BATCHES, "--calibration-batches");
        put(Setting.REWARD, "--reward");
        put(Setting.LAMBDA_ACC, "--lambda-acc");
        put(Setting.LAMBDA_BITS, "--lambda-bits");
        put(Setting.SCHEDULE, "--schedule");
        put(Setting.PRIOR, "--prior");
        put(Setting.PRIOR_STRENGTH, "--prior-strength");
        put(Setting.MIN_BITS, "--min-bits");
        put(Setting.MAX_BITS, "--max-bits");
        put(Setting.SEARCH_ENDS, "--search-ends");
        put(Setting.END_BITS, "--end-bits");
        put(Setting.QUANTIZE_ACTIVATIONS, "--quantize-activations");
        put(Setting.HIDDEN1, "--hidden1");
        put(Setting.HIDDEN2, "--hidden2");
        put(Setting.LR_ACTOR, "--lr-actor");
        put(Setting.LR_CRITIC, "--lr-critic");
        put(Setting.TAU, "--tau");
        put(Setting.AGENT_BATCH, "--agent-batch");
        put(Setting.REPLAY_PER_LAYER, "--replay-per-layer");
        put(Setting.WARMUP, "--warmup");
        put(Setting.SIGMA0, "--sigma0");
        put(Setting.SIGMA_DECAY, "--sigma-decay");
        put(Setting.BASELINE_ALPHA, "--baseline-alpha");
        put(Setting.DISCOUNT, "--discount");
        put(Setting.UPDATES_PER_STEP, "--updates-per-step");
        put(Setting.CANDIDATE_BITS, "--bits");
        put(Setting.ANALYSIS_ENDS, "--search-ends");
        put(Setting.ANALYSIS_END_BITS, "--end-bits");
        put(Setting.RUN_FOLDER, "--out");
        put(Setting.POLICY_FORMAT, "--to");
    }

    private Flags() {
    }

    private static void put(Setting setting, String flag) {
        FLAGS.put(setting, flag);
    }

    /** The flag of {@code setting}. */
    static String of(Setting setting) {
        String flag = FLAGS.get(setting);
        if (flag == null) {
            throw new IllegalStateException("no flag for the setting " + setting);
        }
        return flag;
    }

    /** The flag without its dashes, as a column heading. */
    static String heading(Setting setting) {
        return of(setting).substring(2);
    }

    /** The message of an engine refusal in the user's terms: its settings named by their flags. */
    static String message(Throwable e) {
        return e instanceof SettingException s ? s.render(Flags::of) : e.getMessage();
    }

    /** The refusal as the one line a user sees. */
    static UserError userError(RuntimeException e) {
        return new UserError(message(e), e);
    }
}
