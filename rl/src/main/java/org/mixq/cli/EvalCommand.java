package org.mixq.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mixq.core.Backend;
import org.mixq.core.Backends;
import org.mixq.core.Quantizer;
import org.mixq.data.BatchLoader;
import org.mixq.data.Dataset;
import org.mixq.nn.checkpoint.ModelCheckpoints;
import org.mixq.nn.models.Model;
import org.mixq.nn.quant.LayerBits;
import org.mixq.nn.quant.ModelSize;
import org.mixq.nn.quant.QuantLayerInfo;
import org.mixq.nn.train.DataSetup;
import org.mixq.nn.train.Evaluator;
import org.mixq.nn.train.Progress;
import org.mixq.rl.run.ResultRow;
import org.mixq.rl.run.ResultsFile;
import org.mixq.rl.run.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Evaluates a checkpoint: top-1 accuracy, the weighted-average weight bits and the model size
 * under the checkpoint's bit policy, or under {@code --policy}.
 */
@Command(name = "eval", description = "Top-1 accuracy, weighted-average bits and size of a checkpoint, optionally under a bit policy.")
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "The model.ckpt to evaluate.")
    Path checkpoint;

    @Mixin
    DataOptions dataOptions = new DataOptions();

    @Option(names = "--policy", description = "Bit policy (mixq JSON, NNCF bitwidth_per_scope, HAQ pairs or CSV) applied on top of the checkpoint's own.")
    Path policy;

    @Option(names = "--split", defaultValue = "test",
            description = "test, or validation (the images held out of training) (default ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--batch-size", defaultValue = "256", description = "Images per forward pass (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--layers", description = "Also print every quantizable layer with its bit widths.")
    boolean layers;

    @Option(names = "--results", description = "Run folder whose results.csv gets this checkpoint's row (validation and test accuracy, for the report).")
    Path results;

    @Option(names = "--method", defaultValue = "full precision", description = "Name of that row (default ${DEFAULT-VALUE}).")
    String method;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Checks.existingFile("--checkpoint", checkpoint);
        Checks.data(dataOptions);
        Checks.existingFile("--policy", policy);
        Checks.oneOf("--split", split, "test", "validation");
        Checks.atLeast("--batch-size", batchSize, 1);
        Checks.results(spec, results, method);
        try (Backend backend = Backends.best()) {
            ModelCheckpoints.Loaded loaded = Loading.checkpoint(backend, checkpoint);
            try (Model net = loaded.model()) {
                if (policy != null) {
                    Loading.applyPolicy(net, policy);
                }
                DataSetup data = Loading.data(loaded, checkpoint, dataOptions.dataset, dataOptions.dataDir);
                Dataset images = images(data);
                if (results != null && data.split().validation().size() == 0) {
                    throw new UserError("--results: the checkpoint's training held out no validation images, so it has no row to"
                            + " compare");
                }
                Evaluator.Accuracy acc = accuracy(net, data, images, "eval");
                print(net, data, acc);
                if (results != null) {
                    record(net, data, acc);
                }
            }
        }
        return 0;
    }

    private Evaluator.Accuracy accuracy(Model net, DataSetup data, Dataset images, String what) {
        try (BatchLoader loader = BatchLoader.evaluation(images, data.normalization(), batchSize)) {
            return Evaluator.evaluate(net, loader, Progress.terminal(), what);
        }
    }

    /** Puts the row of {@code --results}: both splits, whichever {@code --split} printed. */
    private void record(Model net, DataSetup data, Evaluator.Accuracy printed) throws IOException {
        boolean test = split.equalsIgnoreCase("test");
        Evaluator.Accuracy other = test ? accuracy(net, data, data.split().validation(), "eval validation")
                : accuracy(net, data, data.bundle().test(), "eval test");
        Evaluator.Accuracy validation = test ? other : printed;
        Evaluator.Accuracy testAcc = test ? printed : other;
        ResultsFile.put(results, new ResultRow(method, validation.value(), testAcc.value(), net.weightedBits(),
                net.size().totalBytes()));
        System.out.printf(Locale.ROOT, "results   '%s' row in %s: validation %.2f%%, test %.2f%%%n", method,
                new RunFolder(results).results(), 100 * validation.value(), 100 * testAcc.value());
    }

    private Dataset images(DataSetup data) {
        switch (split.toLowerCase(Locale.ROOT)) {
            case "test":
                return data.bundle().test();
            case "validation":
                if (data.split().validation().size() == 0) {
                    throw new UserError("--split validation: the checkpoint's training held out no validation images");
                }
                return data.split().validation();
            default:
                throw new UserError("--split: '" + split + "' is not one of test, validation");
        }
    }

    private void print(Model net, DataSetup data, Evaluator.Accuracy acc) {
        ModelSize size = net.size();
        long weights = net.quantLayerInfos().stream().mapToLong(QuantLayerInfo::params).sum();
        long quantizedInputs = net.policy().layers().stream().filter(l -> l.activationBits() != Quantizer.FULL_PRECISION).count();
        System.out.println("model     " + net.config() + " (" + checkpoint + ")");
        System.out.printf(Locale.ROOT, "accuracy  %.2f%% (%d/%d, %s %s)%n", 100 * acc.value(), acc.correct(), acc.total(),
                data.dataset(), split.toLowerCase(Locale.ROOT));
        System.out.printf(Locale.ROOT, "bits      %.3f weighted-average weight bits over %d layers (%d weights); %d of them"
                + " with quantized inputs%n", net.weightedBits(), net.quantLayerInfos().size(), weights, quantizedInputs);
        System.out.printf(Locale.ROOT, "size      %s = weights %s + scales %s + full-precision params %s (float32 model: %s)%n",
                TrainCommand.bytes(size.totalBytes()), TrainCommand.bytes(size.weightBytes()), TrainCommand.bytes(size.scaleBytes()),
                TrainCommand.bytes(size.fullPrecisionBytes()), TrainCommand.bytes(4 * weights + size.fullPrecisionBytes()));
        if (layers) {
            System.out.printf(Locale.ROOT, "%-32s %-6s %10s %6s %6s%n", "layer", "kind", "weights", "wbits", "abits");
            for (QuantLayerInfo info : net.quantLayerInfos()) {
                LayerBits lb = net.policy().get(info.name());
                System.out.printf(Locale.ROOT, "%-32s %-6s %10d %6d %6d%n", info.name(), info.kind().name().toLowerCase(Locale.ROOT),
                        info.params(), lb.weightBits(), lb.activationBits());
            }
        }
    }
}
