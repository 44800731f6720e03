package org.mixq.rl.search;

import java.io.IOException;
import java.nio.file.Path;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import org.mixq.core.Quantizer;
import org.mixq.core.io.AtomicFiles;
import org.mixq.data.Augmentation;
import org.mixq.data.BatchLoader;
import org.mixq.nn.models.Model;
import org.mixq.nn.quant.BitPolicy;
import org.mixq.nn.train.ActivationCalibration;
import org.mixq.nn.train.DataSetup;
import org.mixq.nn.train.Evaluator;
import org.mixq.nn.train.Progress;
import org.mixq.nn.train.TrainConfig;
import org.mixq.nn.train.Trainer;
import org.mixq.rl.run.ResultRow;
import org.mixq.rl.run.RunFolder;

/**
 * The final quantization-aware fine-tune of a policy, from the full-precision weights: calibrate
 * activation clips if any input is quantized, train on the training part of the checkpoint's
 * split, then measure the held-out validation accuracy and, once, the test accuracy.
 */
public final class Finetune {
    private Finetune() {
    }

    /**
     * Fine-tunes {@code model} (holding the full-precision weights) under {@code policy}; saves
     * the model after every epoch and, at the end, the summary of the result into {@code out}.
     */
    public static ResultRow run(String method, Model model, DataSetup data, BitPolicy policy, TrainConfig config,
                                           int batchSize, long seed, Path out, Progress progress) throws IOException {
        model.applyPolicy(policy);
        try (BatchLoader train = new BatchLoader(data.split().train(), data.normalization(),
                     BatchLoader.Options.training(batchSize, seed).withAugmentation(Augmentation.STANDARD));
             BatchLoader val = BatchLoader.evaluation(data.split().validation(), data.normalization(), 256);
             BatchLoader test = BatchLoader.evaluation(data.bundle().test(), data.normalization(), 256)) {
            if (policy.layers().stream().anyMatch(l -> l.activationBits() != Quantizer.FULL_PRECISION)) {
                ActivationCalibration.calibrate(model, train, 8);
            }
            try (Trainer trainer = new Trainer(model, config).withProgress(progress)
                    .checkpointEachEpoch(new RunFolder(out).model(), data.metadata())) {
                trainer.fit(train, null, null);
            }
            double valAcc = data.split().validation().size() == 0 ? Double.NaN
                    : Evaluator.evaluate(model, val, progress, "validate").value();
            double testAcc = Evaluator.evaluate(model, test, progress, "test").value();
            ResultRow row = new ResultRow(method, valAcc, testAcc, model.weightedBits(), model.size().totalBytes());
            writeSummary(new RunFolder(out).summary(), row, config.epochs());
            return row;
        }
    }

    /** summary.json, with the keys of {@code mixq train}'s: the result and the quantized size. */
    private static void writeSummary(Path file, ResultRow r, int epochs) throws IOException {
        JsonObject result = new JsonObject();
        result.addProperty("method", r.method());
        result.addProperty("epochs", epochs);
        result.addProperty("valAccuracy", r.validationAccuracy());
        result.addProperty("testAccuracy", r.testAccuracy());
        JsonObject quantization = new JsonObject();
        quantization.addProperty("weightedBits", r.weightedBits());
        quantization.addProperty("totalBytes", r.sizeBytes());
        JsonObject root = new JsonObject();
        root.add("result", result);
        root.add("quantization", quantization);
        AtomicFiles.writeString(file, new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create()
                .toJson(root) + "\n");
    }
}
