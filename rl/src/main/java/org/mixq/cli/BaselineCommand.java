package org.mixq.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mixq.core.Backend;
import org.mixq.core.Backends;
import org.mixq.core.Quantizer;
import org.mixq.nn.checkpoint.ModelCheckpoints;
import org.mixq.nn.models.Model;
import org.mixq.nn.quant.QuantLayerInfo;
import org.mixq.nn.train.DataSetup;
import org.mixq.nn.train.LrSchedule;
import org.mixq.nn.train.Progress;
import org.mixq.nn.train.TrainConfig;
import org.mixq.rl.config.DataSource;
import org.mixq.rl.env.BitChoices;
import org.mixq.rl.env.EnvironmentConfig;
import org.mixq.rl.env.QuantEnv;
import org.mixq.rl.env.QuantTask;
import org.mixq.rl.run.BaselinesFile;
import org.mixq.rl.run.EpisodeRow;
import org.mixq.rl.run.ResultsFile;
import org.mixq.rl.run.RunFolder;
import org.mixq.rl.search.Baselines;
import org.mixq.rl.search.Finetune;
import org.mixq.rl.search.SearchConfig;
import org.mixq.rl.search.SearchRun;
import org.mixq.rl.search.SearchSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * Baselines beside a search, with the search's own protocol (its run folder's config.json when
 * there is one): uniform b-bit quantization with 8-bit ends, and random search with the same
 * episode count and budget. With {@code --epochs}, each uniform policy also gets the final
 * fine-tune, so it can be compared with the searched policy at equal training budget.
 */
@Command(name = "baseline", sortOptions = false,
        description = "Uniform and random-search baselines, evaluated like search episodes; results go into the run folder.")
final class BaselineCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "Full-precision model.ckpt.")
    Path checkpoint;
    @Option(names = "--out", required = true, description = "Run folder (of the search to compare with, or a new one).")
    Path out;
    @Option(names = "--uniform", split = ",", description = "Uniform weight bits of the searched layers, e.g. 2,3,4.")
    List<Integer> uniform = new ArrayList<>();
    @Option(names = "--random", defaultValue = "0", description = "Random policies to evaluate (same budget as the search).")
    int random;
    @Option(names = "--epochs", defaultValue = "0", description = "Also fine-tune each uniform policy this many epochs and measure test accuracy.")
    int epochs;
    @Option(names = "--lr", defaultValue = "0.01", description = "Learning rate of that fine-tune (default ${DEFAULT-VALUE}).")
    float lr;
    @Option(names = "--data-dir", description = "Folder holding the dataset files (default: the usual places).")
    Path dataDir;

    @Spec
    CommandSpec spec;

    private void check() {
        Checks.existingFile("--checkpoint", checkpoint);
        Checks.notAFile("--out", out);
        if (uniform.isEmpty() && random == 0) {
            throw new UserError("baseline: give --uniform BITS[,BITS...] and/or --random N");
        }
        for (int bits : uniform) {
            Checks.weightBits("--uniform", bits, false);
        }
        Checks.atLeast("--random", random, 0);
        Checks.atLeast("--epochs", epochs, 0);
        if (epochs > 0 && uniform.isEmpty()) {
            throw new UserError("--epochs: fine-tunes the --uniform policies; give --uniform BITS[,BITS...]");
        }
        Checks.unused(spec, "--lr", epochs == 0, "with --epochs 0 (no fine-tuning)");
        Checks.positive("--lr", lr);
        Checks.existingFolder("--data-dir", dataDir);
    }

    /** What depends on the search protocol and the model's layers: the widths the baselines take, and the budget. */
    private void check(SearchConfig c, List<QuantLayerInfo> layers) {
        String protocol = Files.isRegularFile(new RunFolder(out).searchConfig()) ? "the search in " + out : "the search defaults";
        EnvironmentConfig space = c.environment();
        if (space.quantizeActivations()) {
            // uniform policies quantize the searched inputs at the same width
            uniform.forEach(bits -> Checks.activationBits("--uniform (" + protocol + " quantizes activations)", bits));
        }
        boolean[] searched = EnvironmentConfig.searchedLayers(layers.size(), space.searchEnds());
        int[][] w = new int[layers.size()][];
        int[][] a = new int[layers.size()][];
        int[] widths = uniform.stream().mapToInt(Integer::intValue).toArray();
        for (int i = 0; i < layers.size(); i++) {
            w[i] = searched[i] ? widths : new int[] {space.endBits()};
            a[i] = searched[i] && space.quantizeActivations() && layers.get(i).activationQuantizable() ? widths
                    : new int[] {Quantizer.FULL_PRECISION};
        }
        try {
            BudgetChecks.covered(c.budget(), layers, new BitChoices(w, a));
            if (random > 0) {
                SearchChecks.reachable(c, layers);
            }
        } catch (UserError e) {
            throw new UserError("baseline with " + protocol + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Integer call() throws IOException {
        check();
        SearchConfig c = protocol();
        try (Backend backend = Backends.best()) {
            ModelCheckpoints.Loaded loaded = Loading.checkpoint(backend, checkpoint);
            try (Model model = loaded.model()) {
                check(c, model.quantLayerInfos());
                DataSetup data = Loading.data(loaded, checkpoint, c.data().dataset(), dataDir);
                Files.createDirectories(out);
                try (QuantTask task = SearchSession.task(model, data, c)) {
                    QuantEnv env = SearchSession.environment(c, task);
                    System.out.printf(Locale.ROOT, "fp       validation accuracy %.2f%%%n", 100 * task.fullPrecisionAccuracy());
                    for (int bits : uniform) {
                        EpisodeRow r = Baselines.uniform(env, bits);
                        BaselinesFile.replace(out, uniformName(bits), List.of(r));
                        print(uniformName(bits), r);
                    }
                    if (random > 0) {
                        SearchProgress progress = new SearchProgress(task.fullPrecisionAccuracy());
                        List<EpisodeRow> rows = Baselines.random(env, random, c.seed(), progress);
                        progress.done();
                        BaselinesFile.replace(out, "random", rows);
                        print("random (best of " + random + ")", SearchRun.best(rows));
                    }
                }
                for (int bits : epochs > 0 ? uniform : List.<Integer>of()) {
                    finetuneUniform(backend, data, c, bits);
                }
            }
        } catch (IllegalArgumentException e) {
            throw Flags.userError(e);
        }
        return 0;
    }

    private void finetuneUniform(Backend backend, DataSetup data, SearchConfig c, int bits) throws IOException {
        try (Model fresh = Loading.checkpoint(backend, checkpoint).model();
             QuantTask task = SearchSession.task(fresh, data, c)) {
            QuantEnv env = SearchSession.environment(c, task);
            int[][] p = env.uniform(bits, bits);
            TrainConfig tc = new TrainConfig(epochs, lr, 0.9f, (float) c.protocol().weightDecay(), LrSchedule.cosine(), 0f, 0);
            var r = Finetune.run(uniformName(bits), fresh, data, task.policy(p[0], p[1]), tc, c.protocol().batchSize(), c.seed(),
                    out.resolve(uniformName(bits)), Progress.terminal());
            ResultsFile.put(out, r);
            System.out.printf(Locale.ROOT, "%-16s validation %.2f%%  test %.2f%%  %.3f weighted bits  %s (after %d epochs)%n",
                    r.method(), 100 * r.validationAccuracy(), 100 * r.testAccuracy(), r.weightedBits(),
                    TrainCommand.bytes(r.sizeBytes()), epochs);
        }
    }

    static String uniformName(int bits) {
        return "uniform-" + bits;
    }

    /** The run folder's search options, or the search defaults for a new folder. */
    private SearchConfig protocol() throws IOException {
        Path cfg = new RunFolder(out).searchConfig();
        if (Files.isRegularFile(cfg)) {
            try {
                return RunFolder.readConfig(cfg, SearchConfig.class);
            } catch (IllegalArgumentException e) {
                throw Flags.userError(e);
            }
        }
        return SearchConfig.defaults(new DataSource(checkpoint.toAbsolutePath().normalize().toString(), null, null));
    }

    private static void print(String method, EpisodeRow r) {
        System.out.printf(Locale.ROOT, "%-16s validation %.2f%%  %.3f weighted bits  %s  (search protocol)%n", method,
                100 * r.accuracy(), r.weightedBits(), TrainCommand.bytes(r.sizeBytes()));
    }
}
