package org.mixq.cli;

import org.mixq.rl.env.EpisodeProtocol;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** How each evaluated policy is fine-tuned and measured, shared by {@code mixq search} and {@code mixq sensitivity}. */
final class EpisodeProtocolOptions {
    @Option(names = "--finetune-batches", description = "Fine-tuning batches per evaluated policy (default ${DEFAULT-VALUE}).")
    int finetuneBatches;
    @Option(names = "--finetune-lr", description = "Fine-tuning learning rate (default ${DEFAULT-VALUE}).")
    double finetuneLr;
    @Option(names = "--weight-decay", description = "Fine-tuning weight decay (default ${DEFAULT-VALUE}).")
    double weightDecay;
    @Option(names = "--batch-size", description = "Fine-tuning batch size (default ${DEFAULT-VALUE}).")
    int batchSize;
    @Option(names = "--eval-images", description = "Validation images per evaluation, 0 for the whole held-out split (default ${DEFAULT-VALUE}).")
    int evalImages;
    @Option(names = "--calibration-batches", description = "Batches to calibrate activation clips (default ${DEFAULT-VALUE}).")
    int calibrationBatches;

    EpisodeProtocol protocol() {
        return new EpisodeProtocol(finetuneBatches, finetuneLr, weightDecay, batchSize, evalImages, calibrationBatches);
    }

    /** The ranges; {@code calibrates} says whether any activation is quantized (else a calibration setting is refused). */
    void check(CommandSpec spec, boolean calibrates, String noCalibration) {
        Checks.atLeast("--finetune-batches", finetuneBatches, 0);
        Checks.unused(spec, "--finetune-lr", finetuneBatches == 0, "with --finetune-batches 0 (no fine-tuning)");
        Checks.unused(spec, "--weight-decay", finetuneBatches == 0, "with --finetune-batches 0 (no fine-tuning)");
        Checks.positive("--finetune-lr", finetuneLr);
        Checks.nonNegative("--weight-decay", weightDecay);
        Checks.atLeast("--batch-size", batchSize, 1);
        Checks.atLeast("--eval-images", evalImages, 0);
        if (noCalibration != null) {
            Checks.unused(spec, "--calibration-batches", !calibrates, noCalibration);
        }
        Checks.atLeast("--calibration-batches", calibrationBatches, 1);
    }
}
