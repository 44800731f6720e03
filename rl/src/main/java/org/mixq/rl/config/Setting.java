package org.mixq.rl.config;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every setting a user gives the engine, by its place in a run's configuration file: the path
 * of its field in {@code config.json} (the search's) or {@code sensitivity-config.json}, dots
 * between nested records. Errors about a setting name it with this constant, so a front end can
 * show it in its own words (the command line shows the flag that was typed).
 *
 * <p>{@code legacyKey} is the field's name in the flat configuration files of mixq 0.1, which
 * a resumed run still reads. Settings without a path are inputs that no configuration file
 * records (the run folder, a policy file's format).
 */
public enum Setting {
    CHECKPOINT("data.checkpoint"),
    DATASET("data.dataset"),
    DATA_DIR("data.dataDir"),
    SEED("seed"),
    EPISODES("episodes"),

    COST_MODEL("budget.costModel"),
    LATENCY_TABLE("budget.latencyTable"),
    TARGET_BITS("budget.target.targetBits"),
    TARGET_SIZE_MB("budget.target.targetSizeMb"),
    TARGET_BITOPS("budget.target.targetBitops"),
    TARGET_COST("budget.target.targetCost"),
    MAX_ACC_DROP("budget.maxAccDrop"),

    FINETUNE_BATCHES("protocol.finetuneBatches"),
    FINETUNE_LR("protocol.finetuneLr"),
    WEIGHT_DECAY("protocol.weightDecay"),
    BATCH_SIZE("protocol.batchSize"),
    EVAL_IMAGES("protocol.evalImages"),
    CALIBRATION_BATCHES("protocol.calibrationBatches"),

    REWARD("environment.reward"),
    LAMBDA_ACC("environment.lambdaAcc"),
    LAMBDA_BITS("environment.lambdaBits"),
    SCHEDULE("environment.schedule"),
    PRIOR("environment.prior"),
    PRIOR_STRENGTH("environment.priorStrength"),
    MIN_BITS("environment.minBits"),
    MAX_BITS("environment.maxBits"),
    SEARCH_ENDS("environment.searchEnds"),
    END_BITS("environment.endBits"),
    QUANTIZE_ACTIVATIONS("environment.quantizeActivations"),

    HIDDEN1("agent.hidden1"),
    HIDDEN2("agent.hidden2"),
    LR_ACTOR("agent.lrActor"),
    LR_CRITIC("agent.lrCritic"),
    TAU("agent.tau"),
    AGENT_BATCH("agent.batchSize", "agentBatch"),
    REPLAY_PER_LAYER("agent.replayPerLayer"),
    WARMUP("agent.warmupEpisodes", "warmup"),
    SIGMA0("agent.sigma0"),
    SIGMA_DECAY("agent.sigmaDecay"),
    BASELINE_ALPHA("agent.baselineAlpha"),
    DISCOUNT("agent.discount"),
    UPDATES_PER_STEP("agent.updatesPerStep"),

    /** The sensitivity analysis's candidate weight widths. */
    CANDIDATE_BITS("bits"),
    /** Whether the sensitivity analysis measures the first and last layers too. */
    ANALYSIS_ENDS("searchEnds"),
    /** The width of the first and last layers when the sensitivity analysis leaves them out. */
    ANALYSIS_END_BITS("endBits"),

    RUN_FOLDER(null),
    POLICY_FORMAT(null);

    private static final Map<String, Setting> BY_PATH = new HashMap<>();

    static {
        for (Setting s : values()) {
            if (s.path != null) {
                BY_PATH.put(s.path, s);
            }
        }
    }

    private final String path;
    private final String legacyKey;

    Setting(String path) {
        this(path, path == null ? null : path.substring(path.lastIndexOf('.') + 1));
    }

    Setting(String path, String legacyKey) {
        this.path = path;
        this.legacyKey = legacyKey;
    }

    /** The field's path in its configuration file, or null for an input no file records. */
    public String path() {
        return path;
    }

    /** The path, or for an input no file records the constant's name in lower case. */
    public String displayName() {
        return path != null ? path : name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The field's name in a flat configuration file of mixq 0.1. */
    public String legacyKey() {
        return legacyKey;
    }

    /** The setting at {@code path}, or null when no setting lives there. */
    public static Setting atPath(String path) {
        return BY_PATH.get(path);
    }
}
