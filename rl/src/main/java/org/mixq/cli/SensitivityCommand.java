package org.mixq.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.mixq.core.Backend;
import org.mixq.core.Backends;
import org.mixq.nn.checkpoint.ModelCheckpoints;
import org.mixq.nn.models.Model;
import org.mixq.nn.quant.QuantLayerInfo;
import org.mixq.nn.train.DataSetup;
import org.mixq.rl.config.DataSource;
import org.mixq.rl.env.BitChoices;
import org.mixq.rl.env.EnvironmentConfig;
import org.mixq.rl.env.QuantTask;
import org.mixq.rl.policy.Provenance;
import org.mixq.rl.run.EpisodeRow;
import org.mixq.rl.run.RunFolder;
import org.mixq.rl.sensitivity.PolicyEvaluator;
import org.mixq.rl.sensitivity.SensitivityConfig;
import org.mixq.rl.sensitivity.SensitivitySession;
import org.mixq.rl.sensitivity.SensitivityTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The sensitivity-plus-greedy baseline (AIMET AMP style): per-layer sensitivity, then the greedy
 * front, then the point meeting the budgets. Same run folder as a search is fine (its files are
 * sensitivity*); rerunning reuses every measurement.
 */
@Command(name = "sensitivity", sortOptions = false, defaultValueProvider = EngineDefaults.Sensitivity.class,
        description = "Per-layer sensitivity and the greedy accuracy-cost front (a baseline for the search); resumable.")
final class SensitivityCommand implements Callable<Integer> {
    @Mixin
    BudgetOptions budget = new BudgetOptions();

    @Option(names = "--checkpoint", required = true, description = "Full-precision model.ckpt (from mixq train).")
    Path checkpoint;
    @Mixin
    DataOptions dataOptions = new DataOptions();
    @Option(names = "--out", required = true, description = "Run folder (may be a search's).")
    Path out;
    @Option(names = "--bits", description = "Candidate weight widths (default ${DEFAULT-VALUE}, the search's range).")
    String bits;
    @Mixin
    EpisodeProtocolOptions protocol = new EpisodeProtocolOptions();
    @Option(names = "--seed", description = "Seed of the fine-tuning batches (default ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--search-ends", description = "Also analyse the first and last layers (default: fixed at --end-bits, as the search).")
    boolean searchEnds;
    @Option(names = "--end-bits", description = "Bits of the first and last layers (default ${DEFAULT-VALUE}).")
    int endBits;
    @Option(names = "--time-limit", description = "Stop between evaluations after this long (90s, 45m, 2h, 1h30m); rerun to resume.")
    String timeLimit;

    @Spec
    CommandSpec spec;

    SensitivityConfig config() {
        DataSource data = new DataSource(checkpoint.toAbsolutePath().normalize().toString(), dataOptions.dataset,
                dataOptions.dataDir == null ? null : dataOptions.dataDir.toString());
        return new SensitivityConfig(data, seed, candidates(), searchEnds, endBits, protocol.protocol(), budget.config());
    }

    /** The candidate widths ascending, each once. */
    private int[] candidates() {
        try {
            int[] b = Arrays.stream(bits.split(",")).map(String::strip).mapToInt(Integer::parseInt).sorted().distinct().toArray();
            if (b.length == 0) {
                throw new NumberFormatException("empty");
            }
            return b;
        } catch (NumberFormatException e) {
            throw new UserError("--bits: expected a comma-separated list of widths such as 2,3,4,8, got '" + bits + "'", e);
        }
    }

    /** The options' ranges and combinations, before the checkpoint or any data is read. */
    private void check() {
        Checks.existingFile("--checkpoint", checkpoint);
        Checks.data(dataOptions);
        Checks.notAFile("--out", out);
        for (int b : candidates()) {
            Checks.weightBits("--bits", b, false);
        }
        protocol.check(spec, false, null);
        Checks.unused(spec, "--end-bits", searchEnds, "with --search-ends (the first and last layers are analysed)");
        Checks.weightBits("--end-bits", endBits, true);
        BudgetChecks.options(budget, spec);
    }

    /** The latency table's rows and the budget against the candidate widths, once the layers are known. */
    private static void reachable(SensitivityConfig c, List<QuantLayerInfo> layers) {
        boolean[] searched = EnvironmentConfig.searchedLayers(layers.size(), c.searchEnds());
        BitChoices choices = BitChoices.forCandidates(layers, searched, c.bits(), c.endBits());
        String widths = Arrays.stream(c.bits()).mapToObj(Integer::toString).collect(Collectors.joining(","));
        String space = c.searchEnds() ? "every layer at --bits " + widths
                : "the first and last layers at --end-bits " + c.endBits() + " and the others at --bits " + widths;
        BudgetChecks.reachable(c.budget(), layers, choices, space);
    }

    @Override
    public Integer call() throws IOException {
        check();
        SensitivityConfig c;
        Duration limit;
        try {
            c = config();
            limit = RunLimits.parseDuration(timeLimit);
            RunFolder folder = new RunFolder(out);
            folder.checkResume(folder.sensitivityConfig(), c, SensitivityConfig.RESUMABLE_CHANGES, "a sensitivity analysis",
                    "reuse it");
        } catch (IllegalArgumentException e) {
            throw Flags.userError(e);
        }
        Provenance provenance = Provenance.now(SearchCommand.commandLine(spec), c.seed());
        try (Backend backend = Backends.best(); RunLimits limits = RunLimits.start(limit)) {
            ModelCheckpoints.Loaded loaded = Loading.checkpoint(backend, checkpoint);
            try (Model model = loaded.model()) {
                reachable(c, model.quantLayerInfos());
                DataSetup data = Loading.data(loaded, checkpoint, c.data().dataset(), dataOptions.dataDir);
                try (QuantTask task = new QuantTask(model, data, c.protocol(), c.seed())) {
                    System.out.println("sensitivity " + model.config().arch() + " on " + data + ", backend " + backend.name());
                    SensitivityProgress progress = new SensitivityProgress();
                    SensitivitySession.Result r = SensitivitySession.run(c, PolicyEvaluator.of(task), model.config().arch(),
                            model.config().widthMultiplier(), new RunFolder(out), progress, limits, provenance);
                    progress.done();
                    print(r);
                    String why = limits.reason(limit);
                    if (why != null) {
                        System.out.println("stopped     " + why + "; rerun the same command to continue (" + out + ")");
                    }
                }
            } catch (IllegalArgumentException e) {
                throw Flags.userError(e);
            }
        }
        return 0;
    }

    private void print(SensitivitySession.Result r) {
        SensitivityTable t = r.table();
        System.out.printf(Locale.ROOT, "fp          validation accuracy %.2f%%%n", 100 * t.fpAccuracy());
        System.out.printf(Locale.ROOT, "table       %d evaluations (%d layers x %d widths + full precision); %s%n",
                r.tableEvaluations(), (r.tableEvaluations() - 1) / t.candidates().length, t.candidates().length,
                new RunFolder(out).sensitivityTable());
        if (t.complete()) {
            StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "  %-24s", "drop (points) at bits"));
            for (int b : t.candidates()) {
                head.append(String.format(Locale.ROOT, " %7d", b));
            }
            System.out.println(head);
            for (int l = 0; l < t.layers().size(); l++) {
                if (!t.searched(l)) {
                    continue;
                }
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-24s", t.layers().get(l).name()));
                for (int b : t.candidates()) {
                    line.append(String.format(Locale.ROOT, " %7.2f", t.dropPoints(l, b)));
                }
                System.out.println(line);
            }
        }
        if (!r.complete()) {
            return;
        }
        System.out.printf(Locale.ROOT, "front       %d points, %d evaluations (compare with a search of %d episodes); %s%n",
                r.front().size(), r.frontEvaluations(), r.frontEvaluations(), new RunFolder(out).sensitivityFront());
        System.out.printf(Locale.ROOT, "this run    %d evaluations (the rest came from %s)%n", r.newEvaluations(), out);
        EpisodeRow p = r.chosen();
        if (p == null) {
            System.out.println("chosen      none: no budget given (--target-*, --max-acc-drop); the front is the result");
            return;
        }
        System.out.printf(Locale.ROOT, "chosen      point %d: validation %.2f%% (fp %.2f%%), %.3f weighted bits, %s, cost %s %s; %s%n",
                p.episode(), 100 * p.accuracy(), 100 * t.fpAccuracy(), p.weightedBits(), TrainCommand.bytes(p.sizeBytes()),
                p.cost(), r.costModel().name(), new RunFolder(out).sensitivityPolicy());
        System.out.println("            by " + r.selection().describe()
                + (r.selection().meets(p) ? "" : "; no point meets the budget, this is the nearest"));
    }
}
