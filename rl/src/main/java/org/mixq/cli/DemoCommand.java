package org.mixq.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.mixq.core.Backend;
import org.mixq.core.Quantizer;
import org.mixq.core.Shape;
import org.mixq.core.cpu.CpuBackend;
import org.mixq.data.DataFormatException;
import org.mixq.data.Datasets;
import org.mixq.nn.models.Model;
import org.mixq.nn.models.ModelConfig;
import org.mixq.nn.models.Models;
import org.mixq.rl.run.ResultRow;
import org.mixq.rl.run.ResultsFile;
import org.mixq.rl.run.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The whole pipeline at a size that runs in minutes on two CPU cores: train a small
 * full-precision model, search its bit widths, evaluate the uniform and random baselines with
 * the search's protocol, fine-tune the best policy and uniform 3-bit at the same budget,
 * and write the report. Each stage is the command a user would run; a stage whose results
 * are already in the folder is not run again.
 */
@Command(name = "demo", sortOptions = false,
        description = "Train, search, baselines, fine-tune and report, end to end, in a few minutes on a CPU.")
final class DemoCommand implements Callable<Integer> {
    /** The validation images the demo's training holds out. */
    private static final int VALIDATION = 1000;

    @Option(names = "--out", defaultValue = "runs/demo", description = "Folder of the demo's runs (default ${DEFAULT-VALUE}).")
    Path out;
    @Option(names = "--dataset", description = "cifar10, fashion-mnist or synthetic (default: the first of these found here).")
    String dataset;
    @Option(names = "--model", defaultValue = "vgg11", description = "Architecture (default ${DEFAULT-VALUE}).")
    String model;
    @Option(names = "--width", defaultValue = "0.25", description = "Width multiplier (default ${DEFAULT-VALUE}).")
    String width;
    @Option(names = "--train-images", defaultValue = "10000", description = "Training images (default ${DEFAULT-VALUE}).")
    int trainImages;
    @Option(names = "--epochs", defaultValue = "4", description = "Full-precision training epochs (default ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--episodes", defaultValue = "40", description = "Search episodes, and random-search policies (default ${DEFAULT-VALUE}).")
    int episodes;
    @Option(names = "--target-bits", defaultValue = "3", description = "Weighted-average weight bits budget (default ${DEFAULT-VALUE}).")
    String targetBits;
    @Option(names = "--finetune-epochs", defaultValue = "2", description = "Epochs of the final fine-tunes (default ${DEFAULT-VALUE}).")
    int finetuneEpochs;

    /**
     * Every stage's options, before the first stage runs: a stage refusing them would come after
     * minutes of training. The search's budget is checked against the untrained model's layers.
     */
    private void check(String data) {
        Checks.notAFile("--out", out);
        Checks.dataset("--dataset", data);
        if (!Models.names().contains(model.toLowerCase(Locale.ROOT))) {
            throw new UserError("--model: unknown architecture '" + model + "', expected one of " + Models.names());
        }
        float w = (float) parse("--width", width);
        Checks.positive("--width", w);
        Checks.atLeast("--train-images", trainImages, 1);
        long available;
        try {
            available = Datasets.trainImages(data, null);
        } catch (DataFormatException e) {
            throw new UserError("--dataset " + data + ": " + e.getMessage(), e);
        }
        if (trainImages + VALIDATION > available) {
            throw new UserError("--train-images: expected at most " + (available - VALIDATION) + " (" + data + " has " + available
                    + " training images, " + VALIDATION + " of them held out), got " + trainImages);
        }
        Checks.atLeast("--epochs", epochs, 1);
        Checks.atLeast("--episodes", episodes, 1);
        Checks.aboveUpTo("--target-bits", parse("--target-bits", targetBits), 0, Quantizer.FULL_PRECISION);
        Checks.atLeast("--finetune-epochs", finetuneEpochs, 1);
        SearchCommand search = new SearchCommand();
        String[] args = searchArgs(Path.of("model.ckpt"), out.resolve("search"));
        new CommandLine(search).parseArgs(Arrays.copyOfRange(args, 1, args.length));
        Datasets.Shape shape = Datasets.shape(data);
        try (Backend cpu = new CpuBackend(1);
             Model untrained = Models.create(cpu, new ModelConfig(model, w, shape.channels(), shape.height(), shape.width(),
                     shape.classes(), 1))) {
            SearchChecks.reachable(search.config(), untrained.quantLayerInfos());
        }
    }

    private static double parse(String option, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new UserError(option + ": expected a number, got '" + value + "'", e);
        }
    }

    @Override
    public Integer call() throws IOException {
        String data = dataset != null ? dataset : pickDataset();
        check(data);
        System.out.println("demo     dataset " + data + (dataset != null ? " (as asked)" : found(data)) + ", model " + model
                + " width " + width + ", " + episodes + " episodes, budget " + targetBits + " bits; folder " + out);
        Path fp = out.resolve("fp");
        Path ckpt = new RunFolder(fp).model();
        Path search = out.resolve("search");
        int rc = stage("1/5 train the full-precision model", Files.exists(new RunFolder(fp).summary()),
                "train", "--model", model, "--width", width, "--dataset", data, "--epochs", Integer.toString(epochs),
                "--train-images", Integer.toString(trainImages), "--validation", Integer.toString(VALIDATION),
                "--batch-size", "64", "--out", fp.toString());
        if (rc == 0) {
            recordFullPrecision(new RunFolder(fp).summary(), search);
            rc = stage("2/5 search bit widths (DDPG, HAQ reward and budget wall)", false, searchArgs(ckpt, search));
        }
        if (rc == 0) {
            rc = stage("3/5 baselines with the search's protocol: uniform 2/3/4-bit, random search", false,
                    "baseline", "--checkpoint", ckpt.toString(), "--out", search.toString(), "--uniform", "2,3,4",
                    "--random", Integer.toString(episodes));
        }
        if (rc == 0) {
            rc = stage("4/5 fine-tune the best policy and uniform 3-bit, " + finetuneEpochs + " epoch(s) each", false,
                    "finetune", "--checkpoint", ckpt.toString(), "--policy", new RunFolder(search).bestPolicy().toString(),
                    "--epochs", Integer.toString(finetuneEpochs), "--batch-size", "64", "--out", out.resolve("finetune").toString(),
                    "--results", search.toString(), "--method", "mixq");
        }
        if (rc == 0) {
            rc = stage(null, false, "baseline", "--checkpoint", ckpt.toString(), "--out", search.toString(), "--uniform", "3",
                    "--epochs", Integer.toString(finetuneEpochs));
        }
        if (rc == 0) {
            rc = stage("5/5 report", false, "report", "--run", search.toString(), "--title",
                    "mixq demo: " + model + " x" + width + " on " + data);
        }
        if (rc == 0) {
            printTable(search);
        }
        return rc;
    }

    /** The full-precision model's row of the results table, from mixq train's summary. */
    private static void recordFullPrecision(Path summary, Path search) throws IOException {
        JsonObject root = JsonParser.parseString(Files.readString(summary)).getAsJsonObject();
        JsonObject result = root.getAsJsonObject("result");
        JsonObject q = root.getAsJsonObject("quantization");
        ResultsFile.put(search, new ResultRow("full precision", result.get("valAccuracy").getAsDouble(),
                result.get("testAccuracy").getAsDouble(), q.get("weightedBits").getAsDouble(), q.get("totalBytes").getAsLong()));
    }

    private String[] searchArgs(Path ckpt, Path search) {
        List<String> a = new ArrayList<>(List.of("search", "--checkpoint", ckpt.toString(), "--out", search.toString(),
                "--episodes", Integer.toString(episodes), "--warmup", Integer.toString(Math.max(1, episodes / 3)),
                "--target-bits", targetBits, "--finetune-batches", "8", "--batch-size", "64", "--eval-images", "1000"));
        return a.toArray(String[]::new);
    }

    private static int stage(String title, boolean done, String... args) {
        if (title != null) {
            System.out.println();
            System.out.println("== " + title + (done ? " (already done)" : ""));
        }
        if (done) {
            return 0;
        }
        return Mixq.run(args);
    }

    static String pickDataset() {
        for (String name : List.of("cifar10", "fashion-mnist")) {
            if (Datasets.present(name, null)) {
                return name;
            }
        }
        return "synthetic";
    }

    private static String found(String data) {
        return data.equals("synthetic") ? " (built in; no CIFAR-10 or Fashion-MNIST found)" : " (found on this machine)";
    }

    private static void printTable(Path search) throws IOException {
        System.out.println();
        System.out.printf(Locale.ROOT, "%-16s %10s %10s %14s %12s%n", "method", "val acc", "test acc", "weighted bits", "size");
        for (ResultRow r : ResultsFile.read(search)) {
            System.out.printf(Locale.ROOT, "%-16s %9.2f%% %9.2f%% %14.3f %12s%n", r.method(), 100 * r.validationAccuracy(),
                    100 * r.testAccuracy(), r.weightedBits(), TrainCommand.bytes(r.sizeBytes()));
        }
        System.out.println("report: " + new RunFolder(search).report());
    }
}
