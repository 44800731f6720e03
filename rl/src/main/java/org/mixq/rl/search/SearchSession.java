package org.mixq.rl.search;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.mixq.core.io.AtomicFiles;
import org.mixq.nn.models.Model;
import org.mixq.nn.quant.QuantLayerInfo;
import org.mixq.nn.train.DataSetup;
import org.mixq.rl.env.CostModel;
import org.mixq.rl.env.Prior;
import org.mixq.rl.env.QuantEnv;
import org.mixq.rl.env.QuantTask;
import org.mixq.rl.env.RewardKind;

/** Wires a configuration to a model and its data, and runs or resumes the search in a run folder. */
public final class SearchSession {
    private SearchSession() {
    }

    /** The environment's options from a configuration; the target cost follows the cost model. */
    public static QuantEnv.Options options(SearchConfig c, List<QuantLayerInfo> layers) {
        CostModel cost = costModel(c.costModel());
        double target = c.targetCost();
        if (c.targetBits() > 0) {
            if (cost != CostModel.WEIGHT_SIZE) {
                throw new IllegalArgumentException("--target-bits needs --cost-model size; give --target-cost for " + c.costModel());
            }
            long n = layers.stream().mapToLong(QuantLayerInfo::params).sum();
            target = c.targetBits() * n;
        }
        return new QuantEnv.Options(reward(c.reward()), c.lambdaAcc(), c.lambdaBits(), cost, target,
                schedule(c.schedule()), Prior.parse(c.prior()), c.priorStrength(), c.minBits(), c.maxBits(), c.searchEnds(),
                c.endBits(), c.quantizeActivations());
    }

    public static QuantTask task(Model model, DataSetup data, SearchConfig c) {
        return new QuantTask(model, data, new QuantTask.Settings(c.finetuneBatches(), (float) c.finetuneLr(),
                (float) c.weightDecay(), c.batchSize(), c.evalImages(), c.calibrationBatches(), c.seed()));
    }

    /** Runs or resumes the search of {@code c} on {@code task} in {@code dir}; returns every episode. */
    public static List<EpisodeRow> run(SearchConfig c, QuantTask task, Path dir, SearchRun.Listener listener,
                                       BooleanSupplier stop) throws IOException {
        QuantEnv env = new QuantEnv(task, options(c, task.layers()));
        SearchRun run = new SearchRun(c, env, dir, (file, best) -> writePolicy(file, task, best, c));
        return run.run(listener, stop);
    }

    /**
     * Writes the best policy: readable by {@code mixq eval/finetune/export --policy}; the
     * top-level figures describe it (validation accuracy after the search's short fine-tune).
     */
    static void writePolicy(Path file, QuantTask task, EpisodeRow best, SearchConfig c) throws IOException {
        JsonObject root = new JsonObject();
        root.addProperty("model", task.model().config().arch());
        root.addProperty("widthMultiplier", task.model().config().widthMultiplier());
        root.addProperty("weightedBits", best.weightedBits());
        root.addProperty("sizeBytes", best.sizeBytes());
        root.addProperty("validationAccuracy", best.accuracy());
        root.addProperty("fullPrecisionValidationAccuracy", task.fullPrecisionAccuracy());
        int[] fp = new int[task.layers().size()];
        java.util.Arrays.fill(fp, org.mixq.core.Quantizer.FULL_PRECISION);
        root.addProperty("fullPrecisionSizeBytes", task.size(fp, fp).totalBytes());
        root.addProperty("reward", best.reward());
        root.addProperty("episode", best.episode());
        root.addProperty("costModel", c.costModel());
        root.addProperty("cost", best.cost());
        root.addProperty("seed", c.seed());
        JsonArray layers = new JsonArray();
        for (int i = 0; i < task.layers().size(); i++) {
            QuantLayerInfo info = task.layers().get(i);
            JsonObject l = new JsonObject();
            l.addProperty("name", info.name());
            l.addProperty("params", info.params());
            l.addProperty("wbits", best.weightBits()[i]);
            l.addProperty("abits", best.activationBits()[i]);
            layers.add(l);
        }
        root.add("layers", layers);
        AtomicFiles.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(root) + "\n");
    }

    static CostModel costModel(String name) {
        return switch (name) {
            case "size" -> CostModel.WEIGHT_SIZE;
            case "bitops" -> CostModel.BIT_OPS;
            default -> throw new IllegalArgumentException("--cost-model: expected size or bitops, got '" + name + "'");
        };
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
