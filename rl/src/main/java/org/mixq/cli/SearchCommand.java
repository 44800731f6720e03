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
import org.mixq.rl.agent.DdpgConfig;
import org.mixq.rl.config.DataSource;
import org.mixq.rl.env.EnvironmentConfig;
import org.mixq.rl.env.Prior;
import org.mixq.rl.env.QuantEnv;
import org.mixq.rl.env.QuantTask;
import org.mixq.rl.env.RewardKind;
import org.mixq.rl.env.Schedule;
import org.mixq.rl.policy.Provenance;
import org.mixq.rl.report.RunReport;
import org.mixq.rl.run.EpisodeRow;
import org.mixq.rl.run.RunFolder;
import org.mixq.rl.run.Selection;
import org.mixq.rl.search.SearchConfig;
import org.mixq.rl.search.SearchSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The layer-wise bit-width search. Defaults follow HAQ (DESIGN.md, "The search"); the thesis's
 * choices are options. Running the same command on the same folder resumes.
 */
@Command(name = "search", sortOptions = false, defaultValueProvider = EngineDefaults.Search.class,
        description = "Search per-layer bit widths with the DDPG agent; resumable (rerun the same command on the same --out).")
final class SearchCommand implements Callable<Integer> {
    @Mixin
    BudgetOptions budget = new BudgetOptions();

    @Option(names = "--checkpoint", required = true, description = "Full-precision model.ckpt (from mixq train).")
    Path checkpoint;
    @Mixin
    DataOptions dataOptions = new DataOptions();
    @Mixin
    EpisodeProtocolOptions protocol = new EpisodeProtocolOptions();
    @Option(names = "--out", required = true, description = "Run folder.")
    Path out;
    @Option(names = {"--episodes", "--max-episodes"},
            description = "Episodes to reach in this invocation; rerun with more to extend the run (default ${DEFAULT-VALUE}, HAQ).")
    int episodes;
    @Option(names = "--time-limit", description = "Stop between episodes after this long, e.g. 90s, 45m, 2h, 1h30m; rerun to resume. Ctrl-C also stops (an unfinished episode is run again on resume).")
    String timeLimit;
    @Option(names = "--seed", description = "Seed of the agent and the fine-tuning batches (default ${DEFAULT-VALUE}, HAQ).")
    long seed;
    @Option(names = "--reward", description = "haq (0.1 x accuracy delta, budget enforced) or thesis (accuracy + bit-width terms) (default ${DEFAULT-VALUE}).")
    String reward;
    @Option(names = "--lambda-acc", description = "Thesis reward: weight of the accuracy delta in points (default ${DEFAULT-VALUE}).")
    double lambdaAcc;
    @Option(names = "--lambda-bits", description = "Thesis reward: weight of weighted bits / max bits (default ${DEFAULT-VALUE}).")
    double lambdaBits;
    @Option(names = "--schedule", description = "joint (HAQ: quantize all, fine-tune once) or sequential (thesis: layer by layer) (default ${DEFAULT-VALUE}).")
    String schedule;
    @Option(names = "--prior", description = "Parameter-count prior: none (HAQ), state, action or both (default ${DEFAULT-VALUE}).")
    String prior;
    @Option(names = "--prior-strength", description = "Action prior: shift of the exploration centre across the layers (default ${DEFAULT-VALUE}).")
    double priorStrength;
    @Option(names = "--min-bits", description = "Fewest bits of a searched layer (default ${DEFAULT-VALUE}).")
    int minBits;
    @Option(names = "--max-bits", description = "Most bits of a searched layer (default ${DEFAULT-VALUE}).")
    int maxBits;
    @Option(names = "--search-ends", description = "Also search the first and last layers (default: fixed at --end-bits).")
    boolean searchEnds;
    @Option(names = "--end-bits", description = "Bits of the first and last layers (default ${DEFAULT-VALUE}).")
    int endBits;
    @Option(names = "--quantize-activations", description = "Also search input activation bits (a second action per layer).")
    boolean quantizeActivations;
    @Option(names = "--warmup", description = "Warm-up episodes of random actions (default ${DEFAULT-VALUE}).")
    int warmup;
    @Option(names = "--sigma0", description = "Initial exploration sigma (default ${DEFAULT-VALUE}).")
    double sigma0;
    @Option(names = "--sigma-decay", description = "Exploration decay per episode (default ${DEFAULT-VALUE}).")
    double sigmaDecay;
    @Option(names = "--tau", description = "Soft target update rate (default ${DEFAULT-VALUE}).")
    double tau;
    @Option(names = "--lr-actor", description = "Actor learning rate (default ${DEFAULT-VALUE}).")
    double lrActor;
    @Option(names = "--lr-critic", description = "Critic learning rate (default ${DEFAULT-VALUE}).")
    double lrCritic;
    @Option(names = "--agent-batch", description = "Agent minibatch (default ${DEFAULT-VALUE}).")
    int agentBatch;
    @Option(names = "--hidden1", description = "Actor/critic first hidden width (default ${DEFAULT-VALUE}).")
    int hidden1;
    @Option(names = "--hidden2", description = "Actor/critic second hidden width (default ${DEFAULT-VALUE}).")
    int hidden2;
    @Option(names = "--replay-per-layer", description = "Replay capacity per step of an episode (default ${DEFAULT-VALUE}).")
    int replayPerLayer;
    @Option(names = "--baseline-alpha", description = "Moving-average reward baseline rate (default ${DEFAULT-VALUE}).")
    double baselineAlpha;
    @Option(names = "--discount", description = "Discount (default ${DEFAULT-VALUE}).")
    double discount;
    @Option(names = "--updates-per-step", description = "Agent updates per stored transition (default ${DEFAULT-VALUE}).")
    int updatesPerStep;

    @Spec
    CommandSpec spec;

    SearchConfig config() {
        DataSource data = new DataSource(checkpoint.toAbsolutePath().normalize().toString(), dataOptions.dataset,
                dataOptions.dataDir == null ? null : dataOptions.dataDir.toString());
        EnvironmentConfig environment = new EnvironmentConfig(RewardKind.parse(reward), lambdaAcc, lambdaBits,
                Schedule.parse(schedule), Prior.parse(prior), priorStrength, minBits, maxBits, searchEnds, endBits,
                quantizeActivations);
        DdpgConfig agent = new DdpgConfig(hidden1, hidden2, lrActor, lrCritic, tau, agentBatch, replayPerLayer, warmup, sigma0,
                sigmaDecay, baselineAlpha, discount, updatesPerStep);
        return new SearchConfig(data, seed, episodes, budget.config(), protocol.protocol(), environment, agent);
    }

    @Override
    public Integer call() throws IOException {
        SearchChecks.options(this, spec);
        SearchConfig c;
        Duration limit;
        try {
            c = config();
            limit = RunLimits.parseDuration(timeLimit);
            RunFolder folder = new RunFolder(out);
            folder.checkResume(folder.searchConfig(), c, SearchConfig.RESUMABLE_CHANGES, "a search", "resume");
        } catch (IllegalArgumentException e) {
            throw Flags.userError(e);
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
            SearchChecks.reachable(c, model.quantLayerInfos());
            DataSetup data = Loading.data(loaded, checkpoint, c.data().dataset(), dataDir);
            try (QuantTask task = SearchSession.task(model, data, c)) {
                System.out.println("search   " + model.config().arch() + " on " + data + ", backend " + backend.name());
                SearchProgress progress = new SearchProgress(task.fullPrecisionAccuracy());
                System.out.printf(Locale.ROOT, "fp       validation accuracy %.2f%%%n", 100 * task.fullPrecisionAccuracy());
                RunFolder folder = new RunFolder(out);
                QuantEnv env = SearchSession.environment(c, task);
                List<EpisodeRow> rows = SearchSession.run(c, env, folder, progress, stop, provenance);
                progress.done();
                double target = env.targetCost();
                Selection selection = SearchSession.selection(c, task, target);
                EpisodeRow best = selection.choose(rows);
                if (best != null) {
                    System.out.printf(Locale.ROOT, "best     episode %d: validation %.2f%% (fp %.2f%%), %.3f weighted bits, %s, cost %s %s; %s%n",
                            best.episode(), 100 * best.accuracy(), 100 * task.fullPrecisionAccuracy(), best.weightedBits(),
                            TrainCommand.bytes(best.sizeBytes()), best.cost(), c.budget().costModel().label(), folder.bestPolicy());
                    System.out.println("chosen   by " + selection.describe() + (selection.meets(best) ? ""
                            : "; no episode meets the budget, this is the nearest"));
                }
                Path html = RunReport.write(out, "mixq search: " + model.config().arch() + " on " + data.dataset());
                System.out.println("report   " + html);
            }
        } catch (IllegalArgumentException e) {
            throw Flags.userError(e);
        }
    }
}
