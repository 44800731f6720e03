package org.mixq.rl.config;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * A run's configuration file: a record of records written as indented JSON, read back, and
 * compared with the configuration of a later invocation on the same folder. Flat files of
 * mixq 0.1 (every setting at the top level) are read by moving each field to its
 * {@link Setting#path}.
 */
public final class ConfigJson {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .serializeNulls().create();

    /** How a setting changed between the saved configuration and the new one. */
    public record Difference(Setting setting, String saved, String now) {
    }

    private ConfigJson() {
    }

    public static String write(Object config) {
        return GSON.toJson(config) + "\n";
    }

    /** Reads {@code json} as a {@code type}; a flat file of mixq 0.1 is recognised by its top-level {@code legacyMarker}. */
    public static <T> T read(String json, Class<T> type, Setting legacyMarker) {
        JsonElement root = JsonParser.parseString(json);
        if (!root.isJsonObject()) {
            throw new JsonParseException("expected a JSON object");
        }
        JsonObject tree = root.getAsJsonObject();
        if (tree.has(legacyMarker.legacyKey()) && !legacyMarker.path().equals(legacyMarker.legacyKey())) {
            tree = nest(tree);
            listsFromText(tree, type);
        }
        return GSON.fromJson(tree, type);
    }

    /** 0.1 wrote lists of widths as text ("2,3,4,8"): each {@code int[]} component of {@code type} given so becomes an array. */
    private static void listsFromText(JsonObject tree, Class<?> type) {
        if (!type.isRecord()) {
            return;
        }
        for (RecordComponent c : type.getRecordComponents()) {
            JsonElement v = tree.get(c.getName());
            if (c.getType() == int[].class && v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isString()) {
                JsonArray list = new JsonArray();
                for (String part : v.getAsString().split(",")) {
                    list.add(Integer.parseInt(part.strip()));
                }
                tree.add(c.getName(), list);
            } else if (v != null && v.isJsonObject()) {
                listsFromText(v.getAsJsonObject(), c.getType());
            }
        }
    }

    /** A 0.1 file's fields at their paths; a name two settings share goes to both, and the reader keeps the one its type has. */
    private static JsonObject nest(JsonObject flat) {
        JsonObject tree = new JsonObject();
        for (Setting s : Setting.values()) {
            if (s.path() != null && flat.has(s.legacyKey())) {
                JsonObject at = tree;
                String[] parts = s.path().split("\\.");
                for (int i = 0; i < parts.length - 1; i++) {
                    if (!at.has(parts[i])) {
                        at.add(parts[i], new JsonObject());
                    }
                    at = at.getAsJsonObject(parts[i]);
                }
                at.add(parts[parts.length - 1], flat.get(s.legacyKey()));
            }
        }
        return tree;
    }

    /**
     * The first setting, in the order of the configuration's fields, whose value in {@code now}
     * differs from {@code saved}, skipping {@code mayChange}; null when the two may continue one
     * run. Both must be of one record type.
     */
    public static Difference firstDifference(Object now, Object saved, Set<Setting> mayChange) {
        Map<String, JsonElement> a = leaves(now);
        Map<String, JsonElement> b = leaves(saved);
        for (Map.Entry<String, JsonElement> e : a.entrySet()) {
            Setting s = setting(e.getKey());
            if (!mayChange.contains(s) && !Objects.equals(e.getValue(), b.get(e.getKey()))) {
                return new Difference(s, String.valueOf(b.get(e.getKey())), String.valueOf(e.getValue()));
            }
        }
        return null;
    }

    private static Setting setting(String path) {
        Setting s = Setting.atPath(path);
        if (s == null) {
            throw new IllegalStateException("configuration field " + path + " is no Setting");
        }
        return s;
    }

    /** Every value of {@code config} that is not a record, by its dotted path, in field order. */
    public static Map<String, JsonElement> leaves(Object config) {
        Map<String, JsonElement> out = new LinkedHashMap<>();
        collect("", GSON.toJsonTree(config), out);
        return out;
    }

    private static void collect(String prefix, JsonElement e, Map<String, JsonElement> out) {
        if (e.isJsonObject()) {
            for (Map.Entry<String, JsonElement> f : e.getAsJsonObject().entrySet()) {
                collect(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), out);
            }
        } else {
            out.put(prefix, e);
        }
    }
}
