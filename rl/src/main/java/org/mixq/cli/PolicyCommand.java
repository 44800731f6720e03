package org.mixq.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mixq.core.Backend;
import org.mixq.core.cpu.CpuBackend;
import org.mixq.nn.models.Model;
import org.mixq.nn.quant.BitPolicy;
import org.mixq.nn.quant.LayerBits;
import org.mixq.nn.quant.ModelSize;
import org.mixq.nn.quant.QuantLayerInfo;
import org.mixq.rl.env.CostModel;
import org.mixq.rl.env.CostModels;
import org.mixq.rl.policy.Policies;
import org.mixq.rl.policy.PolicyDocument;
import org.mixq.rl.policy.PolicyFormat;
import org.mixq.rl.policy.Provenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * Policy files: show one against a model, or convert between mixq JSON, NNCF
 * {@code bitwidth_per_scope}, HAQ strategy lists and CSV (docs/policy-format.md). The input
 * format is detected; the checkpoint gives the layer list every format is checked against.
 */
@Command(name = "policy", description = "Show or convert bit-policy files (mixq JSON, NNCF, HAQ, CSV).",
        subcommands = {PolicyCommand.Show.class, PolicyCommand.Convert.class})
final class PolicyCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** The layers of a checkpoint's model, loaded on the CPU (no data, no GPU needed). */
    static <T> T withModel(Path checkpoint, java.util.function.Function<Model, T> body) {
        try (Backend backend = new CpuBackend(1); Model model = Loading.checkpoint(backend, checkpoint).model()) {
            return body.apply(model);
        }
    }

    static Policies.Loaded load(Path in, List<QuantLayerInfo> layers) {
        try {
            return Policies.load(in, layers);
        } catch (IOException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    static int[][] bits(BitPolicy p) {
        int[] w = p.layers().stream().mapToInt(LayerBits::weightBits).toArray();
        int[] a = p.layers().stream().mapToInt(LayerBits::activationBits).toArray();
        return new int[][] {w, a};
    }

    @Command(name = "show", description = "Print a policy layer by layer with its bits, size and costs.")
    static final class Show implements Callable<Integer> {
        @Option(names = "--in", required = true, description = "Policy file (any supported format).")
        Path in;
        @Option(names = "--checkpoint", required = true, description = "A model.ckpt of the model the policy is for.")
        Path checkpoint;

        @Override
        public Integer call() {
            Checks.existingFile("--in", in);
            Checks.existingFile("--checkpoint", checkpoint);
            return withModel(checkpoint, model -> {
                List<QuantLayerInfo> layers = model.quantLayerInfos();
                Policies.Loaded loaded = load(in, layers);
                int[][] b = bits(loaded.policy());
                ModelSize size = ModelSize.of(layers, loaded.policy(), model.fullPrecisionParameterCount());
                System.out.println("policy    " + in + " (" + loaded.format().label() + ") for " + model.config().arch());
                loaded.notes().forEach(n -> System.out.println("note      " + n));
                System.out.printf(Locale.ROOT, "bits      %.3f weighted-average weight bits; size %s%n",
                        ModelSize.weightedBits(layers, b[0]), TrainCommand.bytes(size.totalBytes()));
                CostModels.all(layers, b[0], b[1], null).forEach((k, v) ->
                        System.out.printf(Locale.ROOT, "cost      %-7s %s %s%n", k, v, unit(k)));
                System.out.printf(Locale.ROOT, "%-32s %10s %6s %6s%n", "layer", "weights", "wbits", "abits");
                for (int i = 0; i < layers.size(); i++) {
                    System.out.printf(Locale.ROOT, "%-32s %10d %6d %6d%n", layers.get(i).name(), layers.get(i).params(), b[0][i], b[1][i]);
                }
                return 0;
            });
        }

        private static String unit(String model) {
            return model.equals(CostModel.WEIGHT_SIZE.name()) ? CostModel.WEIGHT_SIZE.unit() : CostModel.BIT_OPS.unit();
        }
    }

    @Command(name = "convert", description = "Convert a policy file to another format, checked against a model's layers.")
    static final class Convert implements Callable<Integer> {
        @Option(names = "--in", required = true, description = "Policy file (any supported format).")
        Path in;
        @Option(names = "--to", required = true, description = "json (mixq), nncf (bitwidth_per_scope), haq ([w, a] per layer) or csv.")
        String to;
        @Option(names = "--checkpoint", required = true, description = "A model.ckpt of the model the policy is for.")
        Path checkpoint;
        @Option(names = "--out", required = true, description = "File to write.")
        Path out;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PolicyFormat format;
            try {
                format = PolicyFormat.parse(to);
            } catch (IllegalArgumentException e) {
                throw Flags.userError(e);
            }
            Checks.existingFile("--in", in);
            Checks.existingFile("--checkpoint", checkpoint);
            Checks.outputFile("--out", out, in, checkpoint);
            return withModel(checkpoint, model -> {
                List<QuantLayerInfo> layers = model.quantLayerInfos();
                Policies.Loaded loaded = load(in, layers);
                loaded.notes().forEach(n -> System.out.println("note      " + n));
                try {
                    if (format == PolicyFormat.JSON) {
                        document(model, loaded).write(out);
                    } else {
                        Policies.write(out, format, loaded.policy(), layers, model.config().arch());
                    }
                } catch (IOException e) {
                    throw new UserError(out + ": " + e.getMessage(), e);
                } catch (IllegalArgumentException e) {
                    throw new UserError(in + ": " + e.getMessage() + " (converting needs every layer)", e);
                }
                System.out.println("wrote     " + out + " (" + format.label() + ", " + layers.size() + " layers, from "
                        + loaded.format().label() + ")");
                return 0;
            });
        }

        private PolicyDocument document(Model model, Policies.Loaded loaded) {
            List<QuantLayerInfo> layers = model.quantLayerInfos();
            int[][] b = bits(loaded.policy());
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("source", in.toString());
            figures.put("sourceFormat", loaded.format().label());
            ModelSize size = ModelSize.of(layers, loaded.policy(), model.fullPrecisionParameterCount());
            return new PolicyDocument(model.config().arch(), model.config().widthMultiplier(), "convert", layers, b[0], b[1],
                    Double.NaN, Double.NaN, ModelSize.weightedBits(layers, b[0]), size.totalBytes(),
                    CostModel.WEIGHT_SIZE.name(), CostModel.WEIGHT_SIZE.cost(layers, b[0], b[1]),
                    CostModels.all(layers, b[0], b[1], null), figures, Provenance.now(SearchCommand.commandLine(spec), null));
        }
    }
}
