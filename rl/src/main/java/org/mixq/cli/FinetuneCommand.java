package org.mixq.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mixq.core.Backend;
import org.mixq.core.Backends;
import org.mixq.nn.checkpoint.ModelCheckpoints;
import org.mixq.nn.models.Model;
import org.mixq.nn.quant.BitPolicy;
import org.mixq.nn.train.DataSetup;
import org.mixq.nn.train.LrSchedule;
import org.mixq.nn.train.Progress;
import org.mixq.nn.train.TrainConfig;
import org.mixq.nn.train.TrainingDivergedException;
import org.mixq.rl.run.ResultRow;
import org.mixq.rl.run.ResultsFile;
import org.mixq.rl.run.RunFolder;
import org.mixq.rl.search.Finetune;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Quantization-aware fine-tuning of a bit policy from a full-precision checkpoint. */
@Command(name = "finetune", sortOptions = false,
        description = "Quantization-aware fine-tuning of a bit policy from a full-precision checkpoint.")
final class FinetuneCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "Full-precision model.ckpt.")
    Path checkpoint;
    @Option(names = "--policy", required = true, description = "Bit policy (best-policy.json of a search, or another policy file).")
    Path policy;
    @Option(names = "--epochs", defaultValue = "5", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--out", required = true, description = "Folder for model.ckpt and summary.json.")
    Path out;
    @Option(names = "--lr", defaultValue = "0.01", description = "Base learning rate, cosine schedule (default ${DEFAULT-VALUE}).")
    float lr;
    @Option(names = "--weight-decay", defaultValue = "1e-4", description = "Weight decay (default ${DEFAULT-VALUE}).")
    float weightDecay;
    @Option(names = "--batch-size", defaultValue = "128", description = "Images per step (default ${DEFAULT-VALUE}).")
    int batchSize;
    @Option(names = "--seed", defaultValue = "1", description = "Seed of the batch order (default ${DEFAULT-VALUE}).")
    long seed;
    @Mixin
    DataOptions dataOptions = new DataOptions();
    @Option(names = "--results", description = "Run folder whose results.csv gets this result (for the report).")
    Path results;
    @Option(names = "--method", defaultValue = "mixq", description = "Name of the result in results.csv (default ${DEFAULT-VALUE}).")
    String method;

    @Spec
    CommandSpec spec;

    private void check() {
        Checks.existingFile("--checkpoint", checkpoint);
        Checks.existingFile("--policy", policy);
        Checks.atLeast("--epochs", epochs, 1);
        Checks.notAFile("--out", out);
        if (Checks.same(new RunFolder(out).model(), checkpoint)) {
            throw new UserError("--out: " + out + " would overwrite --checkpoint " + checkpoint + "; give another folder");
        }
        Checks.positive("--lr", lr);
        Checks.nonNegative("--weight-decay", weightDecay);
        Checks.atLeast("--batch-size", batchSize, 1);
        Checks.data(dataOptions);
        Checks.results(spec, results, method);
    }

    @Override
    public Integer call() throws IOException {
        check();
        try (Backend backend = Backends.best()) {
            ModelCheckpoints.Loaded loaded = Loading.checkpoint(backend, checkpoint);
            try (Model model = loaded.model()) {
                BitPolicy bits = Loading.applyPolicy(model, policy);
                DataSetup data = Loading.data(loaded, checkpoint, dataOptions.dataset, dataOptions.dataDir);
                TrainConfig config = new TrainConfig(epochs, lr, 0.9f, weightDecay, LrSchedule.cosine(), 0f, 0);
                Files.createDirectories(out);
                ResultRow r;
                try {
                    r = Finetune.run(method, model, data, bits, config, batchSize, seed, out, Progress.terminal());
                } catch (TrainingDivergedException e) {
                    throw new UserError(e.getMessage());
                }
                System.out.printf(Locale.ROOT, "%-16s validation %.2f%%  test %.2f%%  %.3f weighted bits  %s  (%s)%n", method,
                        100 * r.validationAccuracy(), 100 * r.testAccuracy(), r.weightedBits(), TrainCommand.bytes(r.sizeBytes()),
                        new RunFolder(out).model());
                if (results != null) {
                    ResultsFile.put(results, r);
                }
            }
        }
        return 0;
    }
}
