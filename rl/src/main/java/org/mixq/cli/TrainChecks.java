package org.mixq.cli;

import java.util.Locale;
import java.util.Map;
import org.mixq.data.DataFormatException;
import org.mixq.data.Datasets;
import org.mixq.nn.models.Models;
import org.mixq.nn.train.DataSetup;
import org.mixq.rl.run.RunFolder;
import picocli.CommandLine.Model.CommandSpec;

/** The checks of {@code mixq train}'s options, run before a model is built or any data is read. */
final class TrainChecks {
    private TrainChecks() {
    }

    static void options(TrainCommand t, CommandSpec spec) {
        if (t.model == null && t.initFrom == null) {
            throw new UserError("train: give --model (or --init-from a checkpoint)");
        }
        String fromCheckpoint = "with --init-from (the checkpoint's model is trained)";
        Checks.unused(spec, "--model", t.initFrom != null, fromCheckpoint);
        Checks.unused(spec, "--width", t.initFrom != null, fromCheckpoint);
        if (t.initFrom == null && !Models.names().contains(t.model.toLowerCase(Locale.ROOT))) {
            throw new UserError("--model: unknown architecture '" + t.model + "', expected one of " + Models.names());
        }
        Checks.positive("--width", t.width);
        Checks.dataset("--dataset", t.dataset);
        Checks.existingFolder("--data-dir", t.dataDir);
        Checks.atLeast("--epochs", t.epochs, 1);
        Checks.atLeast("--batch-size", t.batchSize, 1);
        Checks.positive("--lr", t.lr);
        Checks.fromBelow("--momentum", t.momentum, 0, 1);
        Checks.nonNegative("--weight-decay", t.weightDecay);
        Checks.oneOf("--schedule", t.schedule, "cosine", "step", "constant");
        Checks.fromBelow("--label-smoothing", t.labelSmoothing, 0, 1);
        Checks.atLeast("--steps-per-epoch", t.stepsPerEpoch, 0);
        Checks.atLeast("--validation", t.validation, 0);
        Checks.atLeast("--train-images", t.trainImages, 0);
        Checks.existingFile("--init-from", t.initFrom);
        Checks.existingFile("--policy", t.policy);
        Checks.atLeast("--calibrate-batches", t.calibrateBatches, 0);
        // without a new policy the clips are either absent or already learned, so nothing is calibrated
        Checks.unused(spec, "--calibrate-batches", t.policy == null, "without --policy");
        Checks.notAFile("--out", t.out);
        if (t.initFrom != null && Checks.same(new RunFolder(t.out).model(), t.initFrom)) {
            throw new UserError("--out: " + t.out + " would overwrite --init-from " + t.initFrom + " after the first epoch;"
                    + " give another folder");
        }
    }

    /**
     * The split against the dataset's training images, counted from its files without loading
     * them. Fine-tuning on the checkpoint's own dataset reuses its split instead, so the split
     * options would be ignored there.
     */
    static void split(TrainCommand t, CommandSpec spec, Map<String, String> initMetadata) {
        if (initMetadata != null && t.dataset.equalsIgnoreCase(initMetadata.get(DataSetup.NAME))) {
            String why = "with --init-from a checkpoint trained on " + t.dataset + " (its split is reused)";
            Checks.unused(spec, "--validation", true, why);
            Checks.unused(spec, "--train-images", true, why);
            return;
        }
        long available;
        try {
            available = Datasets.trainImages(t.dataset, t.dataDir);
        } catch (DataFormatException e) {
            throw new UserError(e.getMessage(), e);
        }
        String of = " of the " + available + " training images of " + t.dataset;
        if (t.validation >= available) {
            throw new UserError("--validation: expected 0.." + (available - 1) + ", the images held out" + of + ", got "
                    + t.validation);
        }
        if ((long) t.trainImages + t.validation > available) {
            throw new UserError("--train-images " + t.trainImages + " and --validation " + t.validation + ": more than the "
                    + available + " training images of " + t.dataset + "; expected --train-images at most "
                    + (available - t.validation));
        }
    }
}
