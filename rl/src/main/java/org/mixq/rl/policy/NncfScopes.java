package org.mixq.rl.policy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mixq.core.Quantizer;
import org.mixq.nn.quant.BitPolicy;
import org.mixq.nn.quant.LayerBits;
import org.mixq.nn.quant.QuantLayerInfo;

/**
 * NNCF's manual precision list, {@code "bitwidth_per_scope": [[bits, "scope"], ...]}, found at
 * the top level of a file, as a bare list, or inside an NNCF config at
 * {@code compression[.initializer].precision}. NNCF names a quantizer by the scope of the op
 * it belongs to plus a suffix:
 * <ul>
 *   <li>weights: {@code "Net/NNCFConv2d[conv1]/conv2d_0|WEIGHT"}, older
 *       {@code "Net/NNCFConv2d[conv1]module_weight"}, or a bare module scope
 *       {@code "Net/NNCFConv2d[conv1]"} (pattern-based configs);</li>
 *   <li>activations: {@code "...|OUTPUT"} (an op's output) or {@code "...|INPUT<port>"} (an
 *       op's input).</li>
 * </ul>
 * Mapping to mixq: the weight entries, in file order, are the model's quantizable layers in
 * network order (PyTorch module names differ from mixq's, so the order decides); a weight
 * scope whose innermost bracketed name is a mixq layer name must sit at that layer's position.
 * An {@code |INPUT<port>} entry whose scope lies inside a weight entry's module sets that
 * layer's input activation bits; {@code |OUTPUT} entries quantize op outputs, which mixq has no
 * place for, and are ignored with a note. Export writes one {@code |WEIGHT} entry per layer and
 * one {@code |INPUT0} entry per layer with quantized inputs, with mixq's names in the brackets.
 */
final class NncfScopes {
    private static final String KEY = "bitwidth_per_scope";
    private static final Pattern INPUT = Pattern.compile("\\|INPUT\\d*$");
    private static final Pattern LAST_BRACKET = Pattern.compile("\\[([^\\[\\]]*)]");

    private NncfScopes() {
    }

    /** The bitwidth_per_scope array of an NNCF file or config, or null. */
    static JsonArray find(JsonObject root) {
        if (root.has(KEY) && root.get(KEY).isJsonArray()) {
            return root.getAsJsonArray(KEY);
        }
        JsonElement compression = root.get("compression");
        List<JsonObject> algos = new ArrayList<>();
        if (compression != null && compression.isJsonObject()) {
            algos.add(compression.getAsJsonObject());
        } else if (compression != null && compression.isJsonArray()) {
            compression.getAsJsonArray().forEach(e -> {
                if (e.isJsonObject()) {
                    algos.add(e.getAsJsonObject());
                }
            });
        }
        for (JsonObject algo : algos) {
            JsonObject at = algo.has("initializer") && algo.get("initializer").isJsonObject() ? algo.getAsJsonObject("initializer") : algo;
            if (at.has("precision") && at.get("precision").isJsonObject()) {
                JsonObject precision = at.getAsJsonObject("precision");
                if (precision.has(KEY) && precision.get(KEY).isJsonArray()) {
                    return precision.getAsJsonArray(KEY);
                }
            }
        }
        return null;
    }

    static BitPolicy parse(JsonElement root, List<QuantLayerInfo> layers, List<String> notes) {
        JsonArray entries = root.isJsonArray() ? root.getAsJsonArray() : find(root.getAsJsonObject());
        List<String> modules = new ArrayList<>();
        List<Integer> weightBits = new ArrayList<>();
        List<String[]> inputs = new ArrayList<>();
        int ignored = 0;
        for (int i = 0; i < entries.size(); i++) {
            JsonElement e = entries.get(i);
            if (!e.isJsonArray() || e.getAsJsonArray().size() != 2 || !e.getAsJsonArray().get(1).isJsonPrimitive()
                    || !e.getAsJsonArray().get(1).getAsJsonPrimitive().isString()) {
                throw new IllegalArgumentException(KEY + "[" + i + "] is " + e + ", expected [bits, \"scope\"]");
            }
            int bits = Policies.integer(e.getAsJsonArray().get(0), KEY + "[" + i + "] bits");
            String scope = e.getAsJsonArray().get(1).getAsString();
            if (scope.endsWith("|OUTPUT")) {
                ignored++;
            } else if (INPUT.matcher(scope).find()) {
                inputs.add(new String[] {scope, Integer.toString(bits)});
            } else {
                modules.add(moduleScope(scope));
                weightBits.add(bits);
            }
        }
        if (ignored > 0) {
            notes.add(ignored + " |OUTPUT activation entries ignored: NNCF quantizes op outputs, mixq a layer's input");
        }
        checkBracketNames(modules, layers);
        int[] a = new int[modules.size()];
        java.util.Arrays.fill(a, Quantizer.FULL_PRECISION);
        for (String[] in : inputs) {
            int owner = -1;
            for (int l = 0; l < modules.size() && owner < 0; l++) {
                if (in[0].startsWith(modules.get(l) + "/")) {
                    owner = l;
                }
            }
            if (owner < 0) {
                notes.add("ignored " + in[0] + ": not the input of a weight entry's module");
            } else {
                a[owner] = Integer.parseInt(in[1]);
            }
        }
        List<LayerBits> bits = new ArrayList<>();
        for (int l = 0; l < modules.size(); l++) {
            String name = l < layers.size() ? layers.get(l).name() : modules.get(l);
            bits.add(new LayerBits(name, weightBits.get(l), a[l]));
        }
        return Policies.requireComplete(bits, layers, false);
    }

    /** The module part of a weight scope: without {@code |WEIGHT}, {@code module_weight} or the op segment. */
    static String moduleScope(String scope) {
        if (scope.endsWith("|WEIGHT")) {
            String base = scope.substring(0, scope.length() - "|WEIGHT".length());
            int slash = base.lastIndexOf('/');
            return slash > base.lastIndexOf(']') ? base.substring(0, slash) : base;
        }
        if (scope.endsWith("module_weight")) {
            return scope.substring(0, scope.length() - "module_weight".length());
        }
        return scope;
    }

    private static void checkBracketNames(List<String> modules, List<QuantLayerInfo> layers) {
        for (int i = 0; i < modules.size(); i++) {
            String name = innermostName(modules.get(i));
            for (int l = 0; l < layers.size(); l++) {
                if (l != i && layers.get(l).name().equals(name)) {
                    throw new IllegalArgumentException("weight entry " + i + " (" + modules.get(i) + ") names layer '" + name
                            + "', which is the model's layer " + l + ", not " + i + " (entries must be in network order)");
                }
            }
        }
    }

    private static String innermostName(String scope) {
        Matcher m = LAST_BRACKET.matcher(scope);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }

    static String toText(BitPolicy policy, List<QuantLayerInfo> layers, String model) {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            QuantLayerInfo info = layers.get(i);
            LayerBits l = policy.layers().get(i);
            String module = model + "/NNCF" + (info.isLinear() ? "Linear" : "Conv2d") + "[" + info.name() + "]/"
                    + (info.isLinear() ? "linear_0" : "conv2d_0");
            entries.add(entry(l.weightBits(), module + "|WEIGHT"));
            if (l.activationBits() != Quantizer.FULL_PRECISION) {
                entries.add(entry(l.activationBits(), module + "|INPUT0"));
            }
        }
        return "{\"" + KEY + "\": [\n  " + String.join(",\n  ", entries) + "\n]}\n";
    }

    private static String entry(int bits, String scope) {
        return "[" + bits + ", " + new JsonPrimitive(scope) + "]";
    }
}
