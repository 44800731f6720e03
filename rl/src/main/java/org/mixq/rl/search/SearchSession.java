package org.mixq.rl.search;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.mixq.core.Quantizer;
import org.mixq.nn.models.Model;
import org.mixq.nn.quant.QuantLayerInfo;
import org.mixq.nn.train.DataSetup;
import org.mixq.rl.env.BitChoices;
import org.mixq.rl.env.CostModel;
import org.mixq.rl.env.CostModels;
import org.mixq.rl.env.Prior;
import org.mixq.rl.env.QuantEnv;
import org.mixq.rl.env.QuantTask;
import org.mixq.rl.env.RewardKind;
import org.mixq.rl.policy.PolicyDocument;
import org.mixq.rl.policy.Provenance;

/** Wires a configuration to a model and its data, and runs or resumes the search in a run folder. */
public final class SearchSession {
    private SearchSession() {
    }

    /** The environment's options from a configuration; the target cost follows the cost model. */
    public static QuantEnv.Options options(SearchConfig c, List<QuantLayerInfo> layers) {
        CostModel cost = CostModels.create(c.costModel(), c.latencyTable() == null ? null : Path.of(c.latencyTable()));
        double target = c.budget().target(cost, layers);
        return new QuantEnv.Options(reward(c.reward()), c.lambdaAcc(), c.lambdaBits(), cost, target,
                schedule(c.schedule()), Prior.parse(c.prior()), c.priorStrength(), c.minBits(), c.maxBits(), c.searchEnds(),
                c.endBits(), c.quantizeActivations());
    }

    /**
     * How the best episode is chosen: with {@code --max-acc-drop}, the lowest-cost episode within
     * that many points of full precision (and within the cost target); else the highest reward.
     */
    public static Selection selection(SearchConfig c, QuantTask task, double targetCost) {
        return c.maxAccDrop() == null ? Selection.highestReward()
                : Selection.accuracyBudget(task.fullPrecisionAccuracy(), c.maxAccDrop(), targetCost);
    }

    public static QuantTask task(Model model, DataSetup data, SearchConfig c) {
        return new QuantTask(model, data, new QuantTask.Settings(c.finetuneBatches(), (float) c.finetuneLr(),
                (float) c.weightDecay(), c.batchSize(), c.evalImages(), c.calibrationBatches(), c.seed()));
    }

    /** Runs or resumes the search of {@code c} on {@code task} in {@code dir}; returns every episode. */
    public static List<EpisodeRow> run(SearchConfig c, QuantTask task, Path dir, SearchRun.Listener listener,
                                       BooleanSupplier stop) throws IOException {
        return run(c, task, dir, listener, stop, Provenance.now(null, c.seed()));
    }

    /** The same, recording {@code provenance} (the command line, seed, date, commit) in the policy file. */
    public static List<EpisodeRow> run(SearchConfig c, QuantTask task, Path dir, SearchRun.Listener listener,
                                       BooleanSupplier stop, Provenance provenance) throws IOException {
        QuantEnv.Options o = options(c, task.layers());
        QuantEnv env = new QuantEnv(task, o);
        CostModels.requireCovered(o.costModel(), task.layers(), BitChoices.forSearch(task.layers(), env.searched(), o.minBits(),
                o.maxBits(), o.endBits(), o.quantizeActivations()));
        Selection selection = selection(c, task, o.targetCost());
        SearchRun run = new SearchRun(c, env, dir, (file, best) -> writePolicy(file, task, best, c, o.costModel(), selection,
                provenance), selection);
        return run.run(listener, stop);
    }

    /**
     * Writes the best policy (schema: {@link PolicyDocument}): readable by
     * {@code mixq eval/finetune/export --policy}; the top-level figures describe it (validation
     * accuracy after the search's short fine-tune).
     */
    static void writePolicy(Path file, QuantTask task, EpisodeRow best, SearchConfig c, CostModel cost, Selection selection,
                            Provenance provenance) throws IOException {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("reward", best.reward());
        figures.put("episode", best.episode());
        figures.put("selection", selection.describe());
        figures.put("meetsBudget", selection.meets(best));
        int[] fp = new int[task.layers().size()];
        Arrays.fill(fp, Quantizer.FULL_PRECISION);
        figures.put("fullPrecisionSizeBytes", task.size(fp, fp).totalBytes());
        new PolicyDocument(task.model().config().arch(), task.model().config().widthMultiplier(), "search", task.layers(),
                best.weightBits(), best.activationBits(), best.accuracy(), task.fullPrecisionAccuracy(), best.weightedBits(),
                best.sizeBytes(), c.costModel(), best.cost(),
                CostModels.all(task.layers(), best.weightBits(), best.activationBits(), cost), figures, provenance).write(file);
    }

    static RewardKind reward(String name) {
        return switch (name) {
            case "haq" -> RewardKind.HAQ;
            case "thesis" -> RewardKind.THESIS;
            default -> throw new IllegalArgumentException("--reward: expected haq or thesis, got '" + name + "'");
        };
    }

    static boolean schedule(String name) {
        return switch (name) {
            case "joint" -> false;
            case "sequential" -> true;
            default -> throw new IllegalArgumentException("--schedule: expected joint or sequential, got '" + name + "'");
        };
    }
}
