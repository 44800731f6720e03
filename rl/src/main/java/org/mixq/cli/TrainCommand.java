package org.mixq.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import org.mixq.core.Backend;
import org.mixq.core.Backends;
import org.mixq.core.Quantizer;
import org.mixq.core.Shape;
import org.mixq.core.io.AtomicFiles;
import org.mixq.data.Augmentation;
import org.mixq.data.BatchLoader;
import org.mixq.data.DataFormatException;
import org.mixq.data.Datasets;
import org.mixq.nn.checkpoint.CheckpointException;
import org.mixq.nn.checkpoint.CheckpointReader;
import org.mixq.nn.models.Model;
import org.mixq.nn.models.ModelConfig;
import org.mixq.nn.models.Models;
import org.mixq.nn.quant.ModelSize;
import org.mixq.nn.train.ActivationCalibration;
import org.mixq.nn.train.DataSetup;
import org.mixq.nn.train.EpochMetrics;
import org.mixq.nn.train.Evaluator;
import org.mixq.nn.train.LrSchedule;
import org.mixq.nn.train.Progress;
import org.mixq.nn.train.TrainConfig;
import org.mixq.nn.train.Trainer;
import org.mixq.nn.train.TrainingDivergedException;
import org.mixq.rl.run.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Trains a model with SGD and writes a run folder: {@code model.ckpt} (after every epoch),
 * {@code metrics.csv} (one row per epoch) and {@code summary.json}. With {@code --init-from} and
 * {@code --policy} it is quantization-aware fine-tuning of a trained model.
 */
@Command(name = "train", description = {"Train a model in full precision, or fine-tune it quantization-aware",
        "(--init-from a checkpoint with a --policy of bit widths)."})
final class TrainCommand implements Callable<Integer> {
    /** The checkpoint's name in the run folder. */

    @Option(names = "--model", description = "Architecture: vgg11, vgg13, vgg16, vgg19, resnet18, resnet20, resnet32, resnet56.")
    String model;

    @Option(names = "--width", defaultValue = "1.0", description = "Channel width multiplier (default ${DEFAULT-VALUE}).")
    float width;

    @Option(names = "--dataset", required = true, description = "cifar10, cifar100, fashion-mnist, mnist or synthetic.")
    String dataset;

    @Option(names = "--data-dir", description = "Folder holding the dataset files (default: the usual places).")
    Path dataDir;

    @Option(names = "--epochs", defaultValue = "15", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "128", description = "Images per step (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.05", description = "Base learning rate (default ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default ${DEFAULT-VALUE}).")
    float momentum;

    @Option(names = "--weight-decay", defaultValue = "5e-4",
            description = "L2 decay of conv and linear weights, not BN or biases (default ${DEFAULT-VALUE}).")
    float weightDecay;

    @Option(names = "--schedule", defaultValue = "cosine",
            description = "cosine, step (x0.1 after every third of the epochs) or constant (default ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--label-smoothing", defaultValue = "0", description = "Label smoothing (default ${DEFAULT-VALUE}: off).")
    float labelSmoothing;

    @Option(names = "--steps-per-epoch", defaultValue = "0",
            description = "At most this many steps per epoch (default: full epochs); for short fine-tuning rounds.")
    int stepsPerEpoch;

    @Option(names = "--validation", defaultValue = "5000", description = {"Training images held out for validation",
            "(default ${DEFAULT-VALUE}; with --init-from on the same dataset, the checkpoint's split is reused)."})
    int validation;

    @Option(names = "--train-images", defaultValue = "0", description = "Train on this many images (default: all the rest).")
    int trainImages;

    @Option(names = "--no-augment", description = "No random crops and flips.")
    boolean noAugment;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the weights, the split and the batch order (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--init-from", description = "Start from this checkpoint (its model; --model and --width are ignored).")
    Path initFrom;

    @Option(names = "--policy", description = "Bit-policy JSON file to train with (quantization-aware).")
    Path policy;

    @Option(names = "--calibrate-batches", defaultValue = "8", description = {"Batches that set the activation clip",
            "thresholds before training when the policy quantizes activations (default ${DEFAULT-VALUE})."})
    int calibrateBatches;

    @Option(names = "--out", required = true, description = "Run folder for model.ckpt, metrics.csv and summary.json.")
    Path out;

    @Spec
    CommandSpec spec;

    private boolean startedWithQuantizedActivations;

    @Override
    public Integer call() throws IOException {
        TrainChecks.options(this, spec);
        Map<String, String> initMetadata = initFrom == null ? null : metadata(initFrom);
        TrainChecks.split(this, spec, initMetadata);
        TrainConfig config = new TrainConfig(epochs, lr, momentum, weightDecay, schedule(), labelSmoothing, stepsPerEpoch);
        // the model and its policy before the data: a policy that does not fit the model is refused before any loading
        try (Backend backend = Backends.best(); Model net = buildModel(backend)) {
            DataSetup data = loadData(initMetadata);
            System.out.println("data     " + data);
            System.out.println("model    " + net.config() + ", " + net.quantLayerInfos().size() + " quantizable layers, "
                    + String.format(Locale.ROOT, "%.2f weight bits", net.weightedBits()));
            System.out.println("backend  " + backend.describe());
            Files.createDirectories(out);
            Path metrics = new RunFolder(out).metrics();
            AtomicFiles.writeString(metrics, "epoch,lr,train_loss,train_accuracy,val_accuracy,train_seconds,eval_seconds,images_per_second\n");
            Augmentation aug = noAugment ? Augmentation.NONE : Augmentation.STANDARD;
            try (BatchLoader train = new BatchLoader(data.split().train(), data.normalization(),
                         BatchLoader.Options.training(batchSize, seed).withAugmentation(aug));
                 BatchLoader val = BatchLoader.evaluation(data.split().validation(), data.normalization(), batchSize);
                 BatchLoader test = BatchLoader.evaluation(data.bundle().test(), data.normalization(), batchSize);
                 Trainer trainer = new Trainer(net, config).checkpointEachEpoch(new RunFolder(out).model(), data.metadata())) {
                // clips learned in an earlier quantization-aware run are kept; fresh ones start from data
                if (calibrateBatches > 0 && !startedWithQuantizedActivations && quantizesActivations(net)) {
                    try (BatchLoader calibration = BatchLoader.evaluation(data.split().train(), data.normalization(), batchSize)) {
                        int used = ActivationCalibration.calibrate(net, calibration, calibrateBatches);
                        System.out.println("clips    calibrated on " + used + " batches");
                    }
                }
                long start = System.nanoTime();
                List<EpochMetrics> all;
                try {
                    all = trainer.fit(train, data.split().validation().size() > 0 ? val : null, m -> record(metrics, m));
                } catch (TrainingDivergedException e) {
                    throw new UserError(e.getMessage());
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                Evaluator.Accuracy testAccuracy = Evaluator.evaluate(net, test, Progress.terminal(), "test");
                System.out.printf(Locale.ROOT, "test     %.2f%% (%d/%d)%n", 100 * testAccuracy.value(), testAccuracy.correct(),
                        testAccuracy.total());
                writeSummary(net, data, config, all, testAccuracy, seconds, backend);
            }
        }
        return 0;
    }

    private static boolean quantizesActivations(Model net) {
        return net.policy().layers().stream().anyMatch(l -> l.activationBits() != Quantizer.FULL_PRECISION);
    }

    private LrSchedule schedule() {
        switch (schedule.toLowerCase(Locale.ROOT)) {
            case "cosine":
                return LrSchedule.cosine();
            case "step":
                return LrSchedule.step(Math.max(1, epochs / 3), 0.1f);
            case "constant":
                return LrSchedule.constant();
            default:
                throw new UserError("--schedule: '" + schedule + "' is not one of cosine, step, constant");
        }
    }

    private static Map<String, String> metadata(Path checkpoint) {
        try {
            return CheckpointReader.read(checkpoint).metadata();
        } catch (CheckpointException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    /**
     * The data to train on. Fine-tuning a checkpoint on the dataset it was trained on reuses
     * its split and normalization, so its held-out validation images stay held out.
     */
    private DataSetup loadData(Map<String, String> initMetadata) {
        boolean reused = initMetadata != null && dataset.equalsIgnoreCase(initMetadata.get(DataSetup.NAME));
        try {
            return reused ? DataSetup.fromMetadata(initMetadata, dataset, dataDir)
                    : DataSetup.create(dataset, dataDir, trainImages, validation, seed);
        } catch (DataFormatException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    /** The model for the dataset's image shape, which is known without reading the data, under --policy. */
    private Model buildModel(Backend backend) {
        Datasets.Shape shape = Datasets.shape(dataset);
        Model net = initFrom != null ? Loading.checkpoint(backend, initFrom).model()
                : Models.create(backend, new ModelConfig(model, width, shape.channels(), shape.height(), shape.width(),
                        shape.classes(), seed));
        try {
            if (initFrom != null) {
                Loading.checkShape(initFrom, net.config(), dataset);
            }
            startedWithQuantizedActivations = quantizesActivations(net);
            if (policy != null) {
                Loading.applyPolicy(net, policy);
            }
            return net;
        } catch (UserError e) {
            net.close();
            throw e;
        }
    }

    private static void record(Path metrics, EpochMetrics m) {
        System.out.printf(Locale.ROOT, "epoch %d  lr %.4g  loss %.4f  train %.2f%%  val %.2f%%  %.1f s  %.0f img/s%n",
                m.epoch(), m.learningRate(), m.trainLoss(), 100 * m.trainAccuracy(), 100 * m.valAccuracy(), m.seconds(),
                m.imagesPerSecond());
        try {
            AtomicFiles.appendLine(metrics, String.format(Locale.ROOT, "%d,%s,%.6f,%.6f,%.6f,%.3f,%.3f,%.1f", m.epoch(),
                    m.learningRate(), m.trainLoss(), m.trainAccuracy(), m.valAccuracy(), m.trainSeconds(), m.evalSeconds(),
                    m.imagesPerSecond()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(metrics + ": cannot append: " + e.getMessage(), e);
        }
    }

    private void writeSummary(Model net, DataSetup data, TrainConfig config, List<EpochMetrics> all,
                              Evaluator.Accuracy test, double seconds, Backend backend) throws IOException {
        JsonObject s = new JsonObject();
        JsonObject modelJson = new JsonObject();
        net.config().toMap().forEach(modelJson::addProperty);
        s.add("model", modelJson);
        JsonObject dataJson = new JsonObject();
        data.metadata().forEach((k, v) -> dataJson.addProperty(k.substring(k.indexOf('.') + 1), v));
        dataJson.addProperty("testImages", data.bundle().test().size());
        s.add("data", dataJson);
        JsonObject train = new JsonObject();
        train.addProperty("epochs", config.epochs());
        train.addProperty("batchSize", batchSize);
        train.addProperty("learningRate", config.learningRate());
        train.addProperty("momentum", config.momentum());
        train.addProperty("weightDecay", config.weightDecay());
        train.addProperty("schedule", schedule);
        train.addProperty("labelSmoothing", config.labelSmoothing());
        train.addProperty("stepsPerEpoch", config.stepsPerEpoch());
        train.addProperty("augment", !noAugment);
        train.addProperty("seed", seed);
        if (initFrom != null) {
            train.addProperty("initFrom", initFrom.toString());
        }
        if (policy != null) {
            train.addProperty("policy", policy.toString());
        }
        s.add("training", train);
        EpochMetrics last = all.get(all.size() - 1);
        JsonObject result = new JsonObject();
        result.addProperty("trainLoss", last.trainLoss());
        result.addProperty("trainAccuracy", last.trainAccuracy());
        if (!Double.isNaN(last.valAccuracy())) {
            result.addProperty("valAccuracy", last.valAccuracy());
        }
        result.addProperty("testAccuracy", test.value());
        result.addProperty("seconds", seconds);
        result.addProperty("secondsPerEpoch", all.stream().mapToDouble(EpochMetrics::seconds).average().orElse(0));
        result.addProperty("imagesPerSecond", all.stream().mapToDouble(EpochMetrics::imagesPerSecond).average().orElse(0));
        s.add("result", result);
        s.add("quantization", quantization(net));
        s.addProperty("backend", backend.describe());
        AtomicFiles.writeString(new RunFolder(out).summary(), new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(s) + "\n");
    }

    /** Weighted bits and size of the model under its policy, as summary.json and eval report them. */
    static JsonObject quantization(Model net) {
        ModelSize size = net.size();
        JsonObject q = new JsonObject();
        q.addProperty("weightedBits", net.weightedBits());
        q.addProperty("weightBytes", size.weightBytes());
        q.addProperty("scaleBytes", size.scaleBytes());
        q.addProperty("fullPrecisionBytes", size.fullPrecisionBytes());
        q.addProperty("totalBytes", size.totalBytes());
        return q;
    }

    /** Bytes in B, kB, MB (powers of 1000). */
    static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        return n < 1_000_000 ? String.format(Locale.ROOT, "%.1f kB", n / 1e3) : String.format(Locale.ROOT, "%.2f MB", n / 1e6);
    }
}
