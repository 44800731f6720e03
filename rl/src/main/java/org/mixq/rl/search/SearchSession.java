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
import org.mixq.nn.train.DataSetup;
import org.mixq.rl.env.BitChoices;
import org.mixq.rl.env.CostModel;
import org.mixq.rl.env.CostModels;
import org.mixq.rl.env.EnvironmentConfig;
import org.mixq.rl.env.QuantEnv;
import org.mixq.rl.env.QuantTask;
import org.mixq.rl.policy.PolicyDocument;
import org.mixq.rl.policy.Provenance;
import org.mixq.rl.run.EpisodeRow;
import org.mixq.rl.run.RunFolder;
import org.mixq.rl.run.Selection;

/** Wires a configuration to a model and its data, and runs or resumes the search in a run folder. */
public final class SearchSession {
    private SearchSession() {
    }

    /** The environment of {@code c} on {@code task}; the cost target follows the cost model. */
    public static QuantEnv environment(SearchConfig c, QuantTask task) {
        CostModel cost = c.budget().createCostModel();
        return new QuantEnv(task, c.environment(), cost, c.budget().targetCost(cost, task.layers()));
    }

    /**
     * How the best episode is chosen: with an accuracy budget, the lowest-cost episode within
     * that many points of full precision (and within the cost target); else the highest reward.
     */
    public static Selection selection(SearchConfig c, QuantTask task, double targetCost) {
        Double drop = c.budget().maxAccDrop();
        return drop == null ? Selection.highestReward()
                : Selection.accuracyBudget(task.fullPrecisionAccuracy(), drop, targetCost);
    }

    public static QuantTask task(Model model, DataSetup data, SearchConfig c) {
        return new QuantTask(model, data, c.protocol(), c.seed());
    }

    /** Runs or resumes the search of {@code c} on {@code task} in {@code dir}; returns every episode. */
    public static List<EpisodeRow> run(SearchConfig c, QuantTask task, RunFolder dir, SearchRun.Listener listener,
                                       BooleanSupplier stop) throws IOException {
        return run(c, environment(c, task), dir, listener, stop, Provenance.now(null, c.seed()));
    }

    /**
     * The same on {@code env} (of {@link #environment}, so that its cost model is read once),
     * recording {@code provenance} (the command line, seed, date, commit) in the policy file.
     */
    public static List<EpisodeRow> run(SearchConfig c, QuantEnv env, RunFolder dir, SearchRun.Listener listener,
                                       BooleanSupplier stop, Provenance provenance) throws IOException {
        QuantTask task = env.task();
        EnvironmentConfig e = c.environment();
        CostModels.requireCovered(env.costModel(), task.layers(), BitChoices.forSearch(task.layers(), env.searched(),
                e.minBits(), e.maxBits(), e.endBits(), e.quantizeActivations()));
        Selection selection = selection(c, task, env.targetCost());
        SearchRun run = new SearchRun(c, env, dir, (file, best) -> writePolicy(file, task, best, env.costModel(), selection,
                provenance), selection);
        return run.run(listener, stop);
    }

    /**
     * Writes the best policy (schema: {@link PolicyDocument}): readable by
     * {@code mixq eval/finetune/export --policy}; the top-level figures describe it (validation
     * accuracy after the search's short fine-tune).
     */
    static void writePolicy(Path file, QuantTask task, EpisodeRow best, CostModel cost, Selection selection,
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
                best.sizeBytes(), cost.name(), best.cost(),
                CostModels.all(task.layers(), best.weightBits(), best.activationBits(), cost), figures, provenance).write(file);
    }
}
