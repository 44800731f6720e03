package org.mixq.nn.quant;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mixq.core.Quantizer;
import org.mixq.core.io.AtomicFiles;

/**
 * Bit-policy files, JSON:
 * <pre>
 * {"layers": [
 *   {"name": "conv1", "wbits": 8, "abits": 32},
 *   {"name": "conv2", "wbits": 3},
 *   ...
 * ]}
 * </pre>
 * {@code name} is a quantizable layer's name ({@code mixq eval} and {@link QuantLayerInfo}
 * list them), {@code wbits} is 1..8 or 32, {@code abits} is 2..8 or 32 and defaults to 32.
 * Other top-level keys (notes, the search's figures) are allowed and ignored, and so is a
 * layer's {@code params} (its weight count, which the search writes beside the bit widths);
 * other unknown keys inside a layer entry are errors, so a misspelt key cannot pass silently.
 * Layers the file does not name keep their bit widths.
 */
public final class PolicyFiles {
    private static final Set<String> LAYER_KEYS = Set.of("name", "wbits", "abits", "params");

    private PolicyFiles() {
    }

    /** Reads a policy file; any problem is an IOException whose one-line message starts with the file. */
    public static BitPolicy read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such policy file");
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException | JsonParseException | IllegalStateException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Writes a policy file atomically. */
    public static void write(Path file, BitPolicy policy) throws IOException {
        AtomicFiles.writeString(file, toJson(policy));
    }

    /** The policy as JSON text, one layer per line. */
    public static String toJson(BitPolicy policy) {
        StringBuilder s = new StringBuilder("{\"layers\": [\n");
        for (int i = 0; i < policy.layers().size(); i++) {
            LayerBits l = policy.layers().get(i);
            s.append("  {\"name\": ").append(new JsonPrimitive(l.name())).append(", \"wbits\": ").append(l.weightBits())
                    .append(", \"abits\": ").append(l.activationBits()).append('}')
                    .append(i + 1 < policy.layers().size() ? ",\n" : "\n");
        }
        return s.append("]}\n").toString();
    }

    /** Parses policy JSON; errors are IllegalArgumentExceptions saying which entry is wrong. */
    public static BitPolicy parse(String json) {
        JsonElement root = JsonParser.parseString(json);
        if (!root.isJsonObject() || !root.getAsJsonObject().has("layers") || !root.getAsJsonObject().get("layers").isJsonArray()) {
            throw new IllegalArgumentException("expected a JSON object with a \"layers\" array");
        }
        JsonArray array = root.getAsJsonObject().getAsJsonArray("layers");
        List<LayerBits> layers = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!array.get(i).isJsonObject()) {
                throw new IllegalArgumentException("layers[" + i + "] is not an object");
            }
            JsonObject o = array.get(i).getAsJsonObject();
            for (Map.Entry<String, JsonElement> e : o.entrySet()) {
                if (!LAYER_KEYS.contains(e.getKey())) {
                    throw new IllegalArgumentException("layers[" + i + "] has unknown key \"" + e.getKey() + "\" (expected name, wbits, abits, params)");
                }
            }
            if (!o.has("name") || !o.get("name").isJsonPrimitive()) {
                throw new IllegalArgumentException("layers[" + i + "] has no \"name\"");
            }
            String name = o.get("name").getAsString();
            if (!o.has("wbits")) {
                throw new IllegalArgumentException("layers[" + i + "] (" + name + ") has no \"wbits\"");
            }
            int w = integer(o, "wbits", i);
            int a = o.has("abits") ? integer(o, "abits", i) : Quantizer.FULL_PRECISION;
            BitWidths.checkWeight(name, w);
            BitWidths.checkActivation(name, a, true);
            layers.add(new LayerBits(name, w, a));
        }
        return new BitPolicy(layers);
    }

    private static int integer(JsonObject o, String key, int index) {
        JsonElement e = o.get(key);
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            double v = e.getAsDouble();
            if (v == Math.rint(v) && Math.abs(v) < 1e6) {
                return (int) v;
            }
        }
        throw new IllegalArgumentException("layers[" + index + "]." + key + " must be an integer, got " + e);
    }
}
