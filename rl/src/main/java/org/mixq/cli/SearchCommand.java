package org.mixq.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import org.mixq.core.Backend;
import org.mixq.core.Backends;
import org.mixq.nn.checkpoint.ModelCheckpoints;
import org.mixq.nn.models.Model;
import org.mixq.nn.train.DataSetup;
import org.mixq.rl.env.Budget;
import org.mixq.rl.env.QuantTask;
import org.mixq.rl.policy.Provenance;
import org.mixq.rl.search.EpisodeRow;
import org.mixq.rl.search.RunReport;
import org.mixq.rl.search.SearchConfig;
import org.mixq.rl.search.SearchRun;
import org.mixq.rl.search.SearchSession;
import org.mixq.rl.search.Selection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The layer-wise bit-width search. Defaults follow HAQ (DESIGN.md, "The search"); the thesis's
 * choices are options. Running the same command on the same folder resumes.
 */
@Command(name = "search", sortOptions = false,
        description = "Search per-layer bit widths with the DDPG agent; resumable (rerun the same command on the same --out).")
final class SearchCommand implements Callable<Integer> {
    @Mixin
    BudgetOptions budget = new BudgetOptions();

    @Option(names = "--checkpoint", required = true, description = "Full-precision model.ckpt (from mixq train).")
    Path checkpoint;
    @Mixin
    DataOptions dataOptions = new DataOptions();
    @Option(names = "--out", required = true, description = "Run folder.")
    Path out;
    @Option(names = {"--episodes", "--max-episodes"}, defaultValue = "600",
            description = "Episodes to reach in this invocation; rerun with more to extend the run (default ${DEFAULT-VALUE}, HAQ).")
    int episodes;
    @Option(names = "--time-limit", description = "Stop between episodes after this long, e.g. 90s, 45m, 2h, 1h30m; rerun to resume. Ctrl-C also stops (an unfinished episode is run again on resume).")
    String timeLimit;
    @Option(names = "--seed", defaultValue = "234", description = "Seed of the agent and the fine-tuning batches (default ${DEFAULT-VALUE}, HAQ).")
    long seed;
    @Option(names = "--reward", defaultValue = "haq", description = "haq (0.1 x accuracy delta, budget enforced) or thesis (accuracy + bit-width terms) (default ${DEFAULT-VALUE}).")
    String reward;
    @Option(names = "--lambda-acc", defaultValue = "0.1", description = "Thesis reward: weight of the accuracy delta in points (default ${DEFAULT-VALUE}).")
    double lambdaAcc;
    @Option(names = "--lambda-bits", defaultValue = "0.25", description = "Thesis reward: weight of weighted bits / max bits (default ${DEFAULT-VALUE}).")
    double lambdaBits;
    @Option(names = "--schedule", defaultValue = "joint", description = "joint (HAQ: quantize all, fine-tune once) or sequential (thesis: layer by layer) (default ${DEFAULT-VALUE}).")
    String schedule;
    @Option(names = "--finetune-batches", defaultValue = "20", description = "Fine-tuning batches per episode (default ${DEFAULT-VALUE}).")
    int finetuneBatches;
    @Option(names = "--finetune-lr", defaultValue = "0.01", description = "Fine-tuning learning rate (default ${DEFAULT-VALUE}).")
    double finetuneLr;
    @Option(names = "--weight-decay", defaultValue = "1e-4", description = "Fine-tuning weight decay (default ${DEFAULT-VALUE}).")
    double weightDecay;
    @Option(names = "--batch-size", defaultValue = "128", description = "Fine-tuning batch size (default ${DEFAULT-VALUE}).")
    int batchSize;
    @Option(names = "--eval-images", defaultValue = "0", description = "Validation images per evaluation, 0 for the whole held-out split (default ${DEFAULT-VALUE}).")
    int evalImages;
    @Option(names = "--calibration-batches", defaultValue = "4", description = "Batches to calibrate activation clips (default ${DEFAULT-VALUE}).")
    int calibrationBatches;
    @Option(names = "--prior", defaultValue = "none", description = "Parameter-count prior: none (HAQ), state, action or both (default ${DEFAULT-VALUE}).")
    String prior;
    @Option(names = "--prior-strength", defaultValue = "0.2", description = "Action prior: shift of the exploration centre across the layers (default ${DEFAULT-VALUE}).")
    double priorStrength;
    @Option(names = "--min-bits", defaultValue = "2", description = "Fewest bits of a searched layer (default ${DEFAULT-VALUE}).")
    int minBits;
    @Option(names = "--max-bits", defaultValue = "8", description = "Most bits of a searched layer (default ${DEFAULT-VALUE}).")
    int maxBits;
    @Option(names = "--search-ends", description = "Also search the first and last layers (default: fixed at --end-bits).")
    boolean searchEnds;
    @Option(names = "--end-bits", defaultValue = "8", description = "Bits of the first and last layers (default ${DEFAULT-VALUE}).")
    int endBits;
    @Option(names = "--quantize-activations", description = "Also search input activation bits (a second action per layer).")
    boolean quantizeActivations;
    @Option(names = "--warmup", defaultValue = "20", description = "Warm-up episodes of random actions (default ${DEFAULT-VALUE}).")
    int warmup;
    @Option(names = "--sigma0", defaultValue = "0.5", description = "Initial exploration sigma (default ${DEFAULT-VALUE}).")
    double sigma0;
    @Option(names = "--sigma-decay", defaultValue = "0.99", description = "Exploration decay per episode (default ${DEFAULT-VALUE}).")
    double sigmaDecay;
    @Option(names = "--tau", defaultValue = "0.01", description = "Soft target update rate (default ${DEFAULT-VALUE}).")
    double tau;
    @Option(names = "--lr-actor", defaultValue = "1e-4", description = "Actor learning rate (default ${DEFAULT-VALUE}).")
    double lrActor;
    @Option(names = "--lr-critic", defaultValue = "1e-3", description = "Critic learning rate (default ${DEFAULT-VALUE}).")
    double lrCritic;
    @Option(names = "--agent-batch", defaultValue = "64", description = "Agent minibatch (default ${DEFAULT-VALUE}).")
    int agentBatch;
    @Option(names = "--hidden1", defaultValue = "300", description = "Actor/critic first hidden width (default ${DEFAULT-VALUE}).")
    int hidden1;
    @Option(names = "--hidden2", defaultValue = "300", description = "Actor/critic second hidden width (default ${DEFAULT-VALUE}).")
    int hidden2;
    @Option(names = "--replay-per-layer", defaultValue = "128", description = "Replay capacity per step of an episode (default ${DEFAULT-VALUE}).")
    int replayPerLayer;
    @Option(names = "--baseline-alpha", defaultValue = "0.5", description = "Moving-average reward baseline rate (default ${DEFAULT-VALUE}).")
    double baselineAlpha;
    @Option(names = "--discount", defaultValue = "1.0", description = "Discount (default ${DEFAULT-VALUE}).")
    double discount;
    @Option(names = "--updates-per-step", defaultValue = "1", description = "Agent updates per stored transition (default ${DEFAULT-VALUE}).")
    int updatesPerStep;

    @Spec
    CommandSpec spec;

    SearchConfig config() {
        String cost = budget.cost();
        Budget b = budget.budget();
        return new SearchConfig(checkpoint.toAbsolutePath().normalize().toString(), dataOptions.dataset,
                dataOptions.dataDir == null ? null : dataOptions.dataDir.toString(), seed, episodes,
                reward.toLowerCase(Locale.ROOT), lambdaAcc,
                lambdaBits, cost, b.targetBits(), b.targetCost(),
                budget.latencyTablePath(), b.targetSizeMb(),
                b.targetBitops(), budget.maxAccDrop, schedule.toLowerCase(Locale.ROOT),
                finetuneBatches, finetuneLr, weightDecay, batchSize, evalImages, calibrationBatches,
                prior.toLowerCase(Locale.ROOT), priorStrength, minBits, maxBits, searchEnds, endBits, quantizeActivations,
                warmup, sigma0, sigmaDecay, tau, lrActor, lrCritic, agentBatch, hidden1, hidden2, replayPerLayer,
                baselineAlpha, discount, updatesPerStep);
    }

    @Override
    public Integer call() throws IOException {
        SearchChecks.options(this, spec);
        SearchConfig c;
        Duration limit;
        try {
            c = config();
            limit = RunLimits.parseDuration(timeLimit);
            SearchRun.checkFolder(out, c);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        Provenance provenance = Provenance.now(commandLine(spec), c.seed());
        try (Backend backend = Backends.best(); RunLimits limits = RunLimits.start(limit)) {
            run(c, backend, out, checkpoint, dataOptions.dataDir, limits, provenance);
            String why = limits.reason(limit);
            if (why != null) {
                System.out.println("stopped  " + why + "; rerun the same command to continue (" + out + ")");
            }
        }
        return 0;
    }

    /** "mixq search --flag value ..." as typed, for policy files. */
    static String commandLine(CommandSpec spec) {
        List<String> words = new ArrayList<>(List.of("mixq"));
        words.addAll(spec.root().commandLine().getParseResult().originalArgs());
        return String.join(" ", words);
    }

    /**
     * Runs or resumes a search, stopping between episodes when {@code stop} says so, and prints
     * where the results are.
     */
    private static void run(SearchConfig c, Backend backend, Path out, Path checkpoint, Path dataDir, BooleanSupplier stop,
                            Provenance provenance) throws IOException {
        ModelCheckpoints.Loaded loaded = Loading.checkpoint(backend, checkpoint);
        try (Model model = loaded.model()) {
            SearchChecks.reachable(c, model.quantLayers());
            DataSetup data = Loading.data(loaded, checkpoint, c.dataset(), dataDir);
            try (QuantTask task = SearchSession.task(model, data, c)) {
                System.out.println("search   " + model.config().arch() + " on " + data + ", backend " + backend.name());
                SearchProgress progress = new SearchProgress(task.fullPrecisionAccuracy());
                System.out.printf(Locale.ROOT, "fp       validation accuracy %.2f%%%n", 100 * task.fullPrecisionAccuracy());
                List<EpisodeRow> rows = SearchSession.run(c, task, out, progress, stop, provenance);
                progress.done();
                double target = SearchSession.options(c, task.layers()).targetCost();
                Selection selection = SearchSession.selection(c, task, target);
                EpisodeRow best = selection.choose(rows);
                if (best != null) {
                    System.out.printf(Locale.ROOT, "best     episode %d: validation %.2f%% (fp %.2f%%), %.3f weighted bits, %s, cost %s %s; %s%n",
                            best.episode(), 100 * best.accuracy(), 100 * task.fullPrecisionAccuracy(), best.weightedBits(),
                            TrainCommand.bytes(best.sizeBytes()), best.cost(), c.costModel(), out.resolve(SearchRun.BEST));
                    System.out.println("chosen   by " + selection.describe() + (selection.meets(best) ? ""
                            : "; no episode meets the budget, this is the nearest"));
                }
                Path html = RunReport.write(out, "mixq search: " + model.config().arch() + " on " + data.dataset());
                System.out.println("report   " + html);
            }
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
    }
}
