package org.mixq.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mixq.core.Backend;
import org.mixq.core.Backends;
import org.mixq.nn.checkpoint.ModelCheckpoints;
import org.mixq.nn.models.Model;
import org.mixq.nn.quant.QuantLayerInfo;
import org.mixq.nn.train.DataSetup;
import org.mixq.rl.env.BitChoices;
import org.mixq.rl.env.Budget;
import org.mixq.rl.env.QuantTask;
import org.mixq.rl.policy.Provenance;
import org.mixq.rl.search.EpisodeRow;
import org.mixq.rl.sensitivity.PolicyEvaluator;
import org.mixq.rl.sensitivity.SensitivityAnalysis;
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
@Command(name = "sensitivity", sortOptions = false,
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
    @Option(names = "--bits", defaultValue = "2,3,4,5,6,7,8", description = "Candidate weight widths (default ${DEFAULT-VALUE}, the search's range).")
    String bits;
    @Option(names = "--seed", defaultValue = "234", description = "Seed of the fine-tuning batches (default ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--finetune-batches", defaultValue = "0", description = "Fine-tuning batches per evaluation (default ${DEFAULT-VALUE}: none).")
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
    @Option(names = "--search-ends", description = "Also analyse the first and last layers (default: fixed at --end-bits, as the search).")
    boolean searchEnds;
    @Option(names = "--end-bits", defaultValue = "8", description = "Bits of the first and last layers (default ${DEFAULT-VALUE}).")
    int endBits;
    @Option(names = "--time-limit", description = "Stop between evaluations after this long (90s, 45m, 2h, 1h30m); rerun to resume.")
    String timeLimit;

    @Spec
    CommandSpec spec;

    SensitivityConfig config() {
        String cost = budget.cost();
        Budget b = budget.budget();
        int[] candidates = SensitivityConfig.parseBits(bits);
        StringBuilder list = new StringBuilder();
        for (int c : candidates) {
            list.append(list.length() == 0 ? "" : ",").append(c);
        }
        return new SensitivityConfig(checkpoint.toAbsolutePath().normalize().toString(), dataOptions.dataset,
                dataOptions.dataDir == null ? null : dataOptions.dataDir.toString(), seed, list.toString(), searchEnds,
                endBits, finetuneBatches, finetuneLr,
                weightDecay, batchSize, evalImages, calibrationBatches, cost,
                budget.latencyTablePath(), b.targetBits(),
                b.targetSizeMb(), b.targetBitops(), b.targetCost(), budget.maxAccDrop);
    }

    /** The options' ranges and combinations, before the checkpoint or any data is read. */
    private void check() {
        Checks.existingFile("--checkpoint", checkpoint);
        Checks.data(dataOptions);
        Checks.notAFile("--out", out);
        int[] candidates;
        try {
            candidates = SensitivityConfig.parseBits(bits);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        for (int b : candidates) {
            Checks.weightBits("--bits", b, false);
        }
        Checks.atLeast("--finetune-batches", finetuneBatches, 0);
        Checks.unused(spec, "--finetune-lr", finetuneBatches == 0, "with --finetune-batches 0 (no fine-tuning)");
        Checks.unused(spec, "--weight-decay", finetuneBatches == 0, "with --finetune-batches 0 (no fine-tuning)");
        Checks.positive("--finetune-lr", finetuneLr);
        Checks.nonNegative("--weight-decay", weightDecay);
        Checks.atLeast("--batch-size", batchSize, 1);
        Checks.atLeast("--eval-images", evalImages, 0);
        Checks.atLeast("--calibration-batches", calibrationBatches, 1);
        Checks.unused(spec, "--end-bits", searchEnds, "with --search-ends (the first and last layers are analysed)");
        Checks.weightBits("--end-bits", endBits, true);
        BudgetChecks.options(budget, spec);
    }

    /** The latency table's rows and the budget against the candidate widths, once the layers are known. */
    private static void reachable(SensitivityConfig c, List<QuantLayerInfo> layers) {
        boolean[] searched = SensitivitySession.searchedLayers(layers.size(), c.searchEnds());
        BitChoices choices = BitChoices.forCandidates(layers, searched, c.candidates(), c.endBits());
        String space = c.searchEnds() ? "every layer at --bits " + c.bits()
                : "the first and last layers at --end-bits " + c.endBits() + " and the others at --bits " + c.bits();
        BudgetChecks.reachable(c.budget(), c.costModel(), c.latencyTable(), layers, choices, space);
    }

    @Override
    public Integer call() throws IOException {
        check();
        SensitivityConfig c;
        Duration limit;
        try {
            c = config();
            limit = RunLimits.parseDuration(timeLimit);
            SensitivitySession.checkFolder(out, c);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        Provenance provenance = Provenance.now(SearchCommand.commandLine(spec), c.seed());
        try (Backend backend = Backends.best(); RunLimits limits = RunLimits.start(limit)) {
            ModelCheckpoints.Loaded loaded = Loading.checkpoint(backend, checkpoint);
            try (Model model = loaded.model()) {
                reachable(c, model.quantLayers());
                DataSetup data = Loading.data(loaded, checkpoint, c.dataset(), dataOptions.dataDir);
                try (QuantTask task = new QuantTask(model, data, new QuantTask.Settings(c.finetuneBatches(),
                        (float) c.finetuneLr(), (float) c.weightDecay(), c.batchSize(), c.evalImages(), c.calibrationBatches(),
                        c.seed()))) {
                    System.out.println("sensitivity " + model.config().arch() + " on " + data + ", backend " + backend.name());
                    SensitivityProgress progress = new SensitivityProgress();
                    SensitivitySession.Result r = SensitivitySession.run(c, PolicyEvaluator.of(task), model.config().arch(),
                            model.config().widthMultiplier(), out, progress, limits, provenance);
                    progress.done();
                    print(r);
                    String why = limits.reason(limit);
                    if (why != null) {
                        System.out.println("stopped     " + why + "; rerun the same command to continue (" + out + ")");
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage(), e);
            }
        }
        return 0;
    }

    private void print(SensitivitySession.Result r) {
        SensitivityTable t = r.table();
        System.out.printf(Locale.ROOT, "fp          validation accuracy %.2f%%%n", 100 * t.fpAccuracy());
        System.out.printf(Locale.ROOT, "table       %d evaluations (%d layers x %d widths + full precision); %s%n",
                r.tableEvaluations(), (r.tableEvaluations() - 1) / t.candidates().length, t.candidates().length,
                out.resolve(SensitivityAnalysis.FILE));
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
                r.front().size(), r.frontEvaluations(), r.frontEvaluations(), out.resolve(SensitivitySession.FRONT));
        System.out.printf(Locale.ROOT, "this run    %d evaluations (the rest came from %s)%n", r.newEvaluations(), out);
        EpisodeRow p = r.chosen();
        if (p == null) {
            System.out.println("chosen      none: no budget given (--target-*, --max-acc-drop); the front is the result");
            return;
        }
        System.out.printf(Locale.ROOT, "chosen      point %d: validation %.2f%% (fp %.2f%%), %.3f weighted bits, %s, cost %s %s; %s%n",
                p.episode(), 100 * p.accuracy(), 100 * t.fpAccuracy(), p.weightedBits(), TrainCommand.bytes(p.sizeBytes()),
                p.cost(), r.costModel().name(), out.resolve(SensitivitySession.POLICY));
        System.out.println("            by " + r.selection().describe()
                + (r.selection().meets(p) ? "" : "; no point meets the budget, this is the nearest"));
    }
}
