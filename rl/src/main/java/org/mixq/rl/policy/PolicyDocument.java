package org.mixq.rl.policy;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.mixq.core.io.AtomicFiles;
import org.mixq.nn.quant.QuantLayerInfo;

/**
 * A policy file in mixq's JSON format, as the search ({@code best-policy.json}), the
 * sensitivity baseline ({@code sensitivity-policy.json}) and {@code mixq policy convert} write
 * it. Schema (version 1; docs/policy-format.md has the full description):
 * <pre>
 * {
 *   "format": "mixq-policy", "version": 1,
 *   "model": "vgg16", "widthMultiplier": 1.0,
 *   "method": "search" | "sensitivity" | "convert",
 *   "validationAccuracy": 0.93, "fullPrecisionValidationAccuracy": 0.935,   (fractions; absent when not measured)
 *   "weightedBits": 2.97, "sizeBytes": 5601234,
 *   "costModel": "size", "cost": 4.4e7,                                     (the run's model and the policy's cost in it)
 *   "costs": {"size": 4.4e7, "bitops": 1.2e10, "latency": 3.1},            (every model; latency only with a table)
 *   ... method figures (search: "reward", "episode"; both: "selection", "meetsBudget") ...
 *   "provenance": {"command": "mixq search ...", "seed": 234, "date": "2025-01-31T12:00:00Z", "commit": "..."},
 *   "layers": [{"name": "conv1", "params": 1728, "wbits": 8, "abits": 32}, ...]   (every quantizable layer, network order)
 * }
 * </pre>
 * Accuracies are fractions of the validation split; {@code cost} is in the unit of
 * {@code costModel} (size: bits of packed weights; bitops: MACs x w bits x a bits per image;
 * latency: the table's unit). {@code sizeBytes} is the whole model (packed weights, scales,
 * full-precision parameters). 32 bits means full precision.
 *
 * @param figures method-specific top-level entries (numbers, strings, booleans), written in order
 */
public record PolicyDocument(String model, double widthMultiplier, String method, List<QuantLayerInfo> layers,
                             int[] weightBits, int[] activationBits, double validationAccuracy,
                             double fpValidationAccuracy, double weightedBits, long sizeBytes, String costModel, double cost,
                             Map<String, Double> costs, Map<String, Object> figures, Provenance provenance) {
    public static final String FORMAT = "mixq-policy";
    public static final int VERSION = 1;

    public PolicyDocument {
        if (weightBits.length != layers.size() || activationBits.length != layers.size()) {
            throw new IllegalArgumentException("policy document: " + weightBits.length + " weight and " + activationBits.length
                    + " activation widths for " + layers.size() + " layers");
        }
    }

    public JsonObject toJson() {
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        root.addProperty("version", VERSION);
        root.addProperty("model", model);
        root.addProperty("widthMultiplier", widthMultiplier);
        root.addProperty("method", method);
        if (!Double.isNaN(validationAccuracy)) {
            root.addProperty("validationAccuracy", validationAccuracy);
        }
        if (!Double.isNaN(fpValidationAccuracy)) {
            root.addProperty("fullPrecisionValidationAccuracy", fpValidationAccuracy);
        }
        root.addProperty("weightedBits", weightedBits);
        root.addProperty("sizeBytes", sizeBytes);
        root.addProperty("costModel", costModel);
        root.addProperty("cost", cost);
        JsonObject c = new JsonObject();
        costs.forEach(c::addProperty);
        root.add("costs", c);
        figures.forEach((k, v) -> {
            if (v instanceof Number n) {
                root.addProperty(k, n);
            } else if (v instanceof Boolean b) {
                root.addProperty(k, b);
            } else {
                root.addProperty(k, String.valueOf(v));
            }
        });
        if (provenance != null) {
            JsonObject p = new JsonObject();
            p.addProperty("command", provenance.command());
            p.addProperty("seed", provenance.seed());
            p.addProperty("date", provenance.date());
            p.addProperty("commit", provenance.commit());
            root.add("provenance", p);
        }
        JsonArray ls = new JsonArray();
        for (int i = 0; i < layers.size(); i++) {
            JsonObject l = new JsonObject();
            l.addProperty("name", layers.get(i).name());
            l.addProperty("params", layers.get(i).params());
            l.addProperty("wbits", weightBits[i]);
            l.addProperty("abits", activationBits[i]);
            ls.add(l);
        }
        root.add("layers", ls);
        return root;
    }

    /** The file text: pretty-printed, one layer entry per line. */
    public String toText() {
        String pretty = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(toJson());
        return compactLayers(pretty) + "\n";
    }

    /** Writes the file atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, toText());
    }

    /** Folds each layer object onto one line so a 50-layer policy stays readable in a diff. */
    private static String compactLayers(String pretty) {
        int start = pretty.indexOf("\"layers\": [");
        if (start < 0) {
            return pretty;
        }
        int end = pretty.lastIndexOf(']');
        String list = pretty.substring(start, end).replaceAll("\\{\\s+", "{").replaceAll(",\\s+\"", ", \"")
                .replaceAll("\\s+}", "}");
        return pretty.substring(0, start) + list.stripTrailing() + "\n  " + pretty.substring(end);
    }
}
