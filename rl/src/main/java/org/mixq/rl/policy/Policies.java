package org.mixq.rl.policy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.mixq.core.Quantizer;
import org.mixq.core.io.AtomicFiles;
import org.mixq.nn.quant.BitPolicy;
import org.mixq.nn.quant.BitWidths;
import org.mixq.nn.quant.LayerBits;
import org.mixq.nn.quant.QuantLayerInfo;

/**
 * Reading and writing bit policies in every supported format (docs/policy-format.md): mixq's
 * JSON, NNCF's {@code bitwidth_per_scope}, HAQ's strategy list and plain CSV. The format is
 * detected from the content, so every command that takes a policy takes any of them.
 *
 * <p>A policy read for a model names every quantizable layer of it, in network order; a file
 * with another layer count, another name at some position, another parameter count, or a
 * width outside 1..8 or 32 (activations 2..8 or 32, and 32 for an input that is not a ReLU
 * output) is refused with an IOException whose one-line message starts with the file and
 * names the first mismatch.
 */
public final class Policies {
    private static final Set<String> JSON_LAYER_KEYS = Set.of("name", "params", "wbits", "abits");
    /** HAQ writes -1 for an activation it leaves unquantized (the first layer's image input). */
    static final int HAQ_NOT_QUANTIZED = -1;

    /** A policy read from a file, with the format it was in and notes on entries not mapped. */
    public record Loaded(BitPolicy policy, PolicyFormat format, List<String> notes) {
    }

    private Policies() {
    }

    /** Reads any supported policy file for a model whose quantizable layers are {@code layers}. */
    public static BitPolicy read(Path file, List<QuantLayerInfo> layers) throws IOException {
        return load(file, layers).policy();
    }

    /** As {@link #read}, also saying which format the file was in and what it ignored. */
    public static Loaded load(Path file, List<QuantLayerInfo> layers) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such policy file");
        }
        try {
            return parse(text, file.getFileName().toString(), layers);
        } catch (JsonParseException e) {
            throw new IOException(file + ": not valid JSON (" + firstLine(e.getMessage()) + ")", e);
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            throw new IOException(file + ": " + firstLine(e.getMessage()), e);
        }
    }

    /** Parser messages may carry a second line (a link); user errors are one line. */
    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** The format of a policy text: CSV unless it starts with a JSON object or array. */
    public static PolicyFormat detect(String text, String fileName) {
        String t = text.stripLeading();
        if (fileName.toLowerCase(Locale.ROOT).endsWith(".csv") || !(t.startsWith("{") || t.startsWith("["))) {
            return PolicyFormat.CSV;
        }
        JsonElement root = JsonParser.parseString(text);
        if (root.isJsonObject()) {
            if (root.getAsJsonObject().has("layers")) {
                return PolicyFormat.JSON;
            }
            if (NncfScopes.find(root.getAsJsonObject()) != null) {
                return PolicyFormat.NNCF;
            }
            throw new IllegalArgumentException("a JSON object with neither \"layers\" (mixq) nor \"bitwidth_per_scope\" (NNCF)");
        }
        JsonArray array = root.getAsJsonArray();
        if (array.isEmpty()) {
            throw new IllegalArgumentException("an empty JSON array, expected one entry per layer");
        }
        JsonElement first = array.get(0);
        if (first.isJsonArray() && first.getAsJsonArray().size() == 2 && first.getAsJsonArray().get(1).isJsonPrimitive()
                && first.getAsJsonArray().get(1).getAsJsonPrimitive().isString()) {
            return PolicyFormat.NNCF;
        }
        return PolicyFormat.HAQ;
    }

    /** Parses a policy text in any format; errors are IllegalArgumentExceptions naming the entry. */
    public static Loaded parse(String text, String fileName, List<QuantLayerInfo> layers) {
        PolicyFormat format = detect(text, fileName);
        List<String> notes = new ArrayList<>();
        BitPolicy policy = switch (format) {
            case JSON -> parseJson(JsonParser.parseString(text).getAsJsonObject(), layers);
            case NNCF -> NncfScopes.parse(JsonParser.parseString(text), layers, notes);
            case HAQ -> parseHaq(JsonParser.parseString(text).getAsJsonArray(), layers);
            case CSV -> parseCsv(text, layers);
        };
        return new Loaded(policy, format, List.copyOf(notes));
    }

    /** The policy in {@code format}; {@code model} names the network in NNCF scopes. */
    public static String toText(PolicyFormat format, BitPolicy policy, List<QuantLayerInfo> layers, String model) {
        requireComplete(policy.layers(), layers, true);
        return switch (format) {
            case JSON -> throw new IllegalArgumentException("mixq JSON carries figures; write it with PolicyDocument");
            case NNCF -> NncfScopes.toText(policy, layers, model);
            case HAQ -> haqText(policy);
            case CSV -> csvText(policy);
        };
    }

    /** Writes a policy file atomically in a format other than mixq JSON. */
    public static void write(Path file, PolicyFormat format, BitPolicy policy, List<QuantLayerInfo> layers, String model)
            throws IOException {
        AtomicFiles.writeString(file, toText(format, policy, layers, model));
    }

    private static BitPolicy parseJson(JsonObject root, List<QuantLayerInfo> layers) {
        if (!root.get("layers").isJsonArray()) {
            throw new IllegalArgumentException("\"layers\" must be an array");
        }
        JsonArray array = root.getAsJsonArray("layers");
        List<LayerBits> bits = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!array.get(i).isJsonObject()) {
                throw new IllegalArgumentException("layers[" + i + "] is not an object");
            }
            JsonObject o = array.get(i).getAsJsonObject();
            for (String key : o.keySet()) {
                if (!JSON_LAYER_KEYS.contains(key)) {
                    throw new IllegalArgumentException("layers[" + i + "] has unknown key \"" + key + "\" (expected name, params, wbits, abits)");
                }
            }
            if (!o.has("name") || !o.get("name").isJsonPrimitive()) {
                throw new IllegalArgumentException("layers[" + i + "] has no \"name\"");
            }
            String name = o.get("name").getAsString();
            if (!o.has("wbits")) {
                throw new IllegalArgumentException("layers[" + i + "] (" + name + ") has no \"wbits\"");
            }
            int w = integer(o.get("wbits"), "layers[" + i + "].wbits");
            int a = o.has("abits") ? integer(o.get("abits"), "layers[" + i + "].abits") : Quantizer.FULL_PRECISION;
            if (o.has("params") && i < layers.size() && layers.get(i).name().equals(name)) {
                long p = integer(o.get("params"), "layers[" + i + "].params");
                if (p != layers.get(i).params()) {
                    throw new IllegalArgumentException("layer " + i + " '" + name + "' has " + p + " weights in the file, "
                            + layers.get(i).params() + " in the model (another width or architecture?)");
                }
            }
            bits.add(new LayerBits(name, w, a));
        }
        return requireKnown(bits, layers);
    }

    private static BitPolicy parseHaq(JsonArray array, List<QuantLayerInfo> layers) {
        List<LayerBits> bits = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonElement e = array.get(i);
            String name = i < layers.size() ? layers.get(i).name() : "#" + i;
            if (e.isJsonArray() && e.getAsJsonArray().size() == 2) {
                int w = integer(e.getAsJsonArray().get(0), "entry " + i + " w_bits");
                int a = integer(e.getAsJsonArray().get(1), "entry " + i + " a_bits");
                bits.add(new LayerBits(name, w, a == HAQ_NOT_QUANTIZED ? Quantizer.FULL_PRECISION : a));
            } else if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
                bits.add(new LayerBits(name, integer(e, "entry " + i), Quantizer.FULL_PRECISION));
            } else {
                throw new IllegalArgumentException("entry " + i + " is " + e + ", expected [w_bits, a_bits] or w_bits (HAQ strategy)");
            }
        }
        return requireComplete(bits, layers, false);
    }

    private static BitPolicy parseCsv(String text, List<QuantLayerInfo> layers) {
        String[] lines = text.split("\\R", -1);
        if (!lines[0].strip().replace(" ", "").equalsIgnoreCase("layer,w_bits,a_bits")) {
            throw new IllegalArgumentException("line 1: expected the header 'layer,w_bits,a_bits' (or a JSON policy)");
        }
        List<LayerBits> bits = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != 3) {
                throw new IllegalArgumentException("line " + (i + 1) + ": expected 3 columns (layer,w_bits,a_bits), got " + f.length);
            }
            bits.add(new LayerBits(f[0].strip(), csvInt(f[1], "w_bits", i), csvInt(f[2], "a_bits", i)));
        }
        return requireKnown(bits, layers);
    }

    private static int csvInt(String s, String column, int line) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("line " + (line + 1) + ": " + column + " '" + s.strip() + "' is not an integer");
        }
    }

    /**
     * The entries as a policy if they name every layer in order with valid widths; otherwise
     * the first mismatch. {@code named}: the entries carry names to compare (HAQ's do not).
     */
    static BitPolicy requireComplete(List<LayerBits> entries, List<QuantLayerInfo> layers, boolean named) {
        for (int i = 0; i < Math.min(entries.size(), layers.size()); i++) {
            String want = layers.get(i).name();
            String got = entries.get(i).name();
            if (named && !want.equals(got)) {
                throw new IllegalArgumentException("layer " + i + " is '" + got + "', the model's layer " + i + " is '" + want
                        + "' (layers must be listed in network order)");
            }
        }
        if (entries.size() != layers.size()) {
            List<String> names = layers.stream().map(QuantLayerInfo::name).toList();
            throw new IllegalArgumentException(entries.size() + " layers, the model has " + layers.size() + " quantizable layers ("
                    + String.join(", ", names) + ")");
        }
        List<LayerBits> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            LayerBits e = entries.get(i);
            QuantLayerInfo l = layers.get(i);
            BitWidths.checkWeight(l.name(), e.weightBits());
            BitWidths.checkActivation(l.name(), e.activationBits(), l.activationQuantizable());
            out.add(new LayerBits(l.name(), e.weightBits(), e.activationBits()));
        }
        return new BitPolicy(out);
    }

    /**
     * Named entries (mixq JSON, CSV) may cover only some layers, which then keep their widths;
     * each must name a quantizable layer, in network order, with valid widths.
     */
    static BitPolicy requireKnown(List<LayerBits> entries, List<QuantLayerInfo> layers) {
        List<String> names = layers.stream().map(QuantLayerInfo::name).toList();
        int previous = -1;
        List<LayerBits> out = new ArrayList<>();
        for (LayerBits e : entries) {
            int i = names.indexOf(e.name());
            if (i < 0) {
                throw new IllegalArgumentException("'" + e.name() + "' is not a quantizable layer of the model; its layers are "
                        + String.join(", ", names));
            }
            if (i <= previous) {
                throw new IllegalArgumentException("'" + e.name() + "' is listed after '" + names.get(previous)
                        + "' (layers must be listed in network order)");
            }
            previous = i;
            QuantLayerInfo l = layers.get(i);
            BitWidths.checkWeight(l.name(), e.weightBits());
            BitWidths.checkActivation(l.name(), e.activationBits(), l.activationQuantizable());
            out.add(e);
        }
        return new BitPolicy(out);
    }

    static int integer(JsonElement e, String where) {
        if (e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            double v = e.getAsDouble();
            if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                return Math.toIntExact((long) v);
            }
        }
        throw new IllegalArgumentException(where + " must be an integer, got " + e);
    }

    private static String haqText(BitPolicy policy) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < policy.layers().size(); i++) {
            LayerBits l = policy.layers().get(i);
            int a = l.activationBits() == Quantizer.FULL_PRECISION ? HAQ_NOT_QUANTIZED : l.activationBits();
            s.append(i == 0 ? "" : ", ").append('[').append(l.weightBits()).append(", ").append(a).append(']');
        }
        return s.append("]\n").toString();
    }

    private static String csvText(BitPolicy policy) {
        StringBuilder s = new StringBuilder("layer,w_bits,a_bits\n");
        for (LayerBits l : policy.layers()) {
            s.append(l.name()).append(',').append(l.weightBits()).append(',').append(l.activationBits()).append('\n');
        }
        return s.toString();
    }
}
