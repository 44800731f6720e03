package org.mixq.rl.sensitivity;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.mixq.rl.env.Budget;

/**
 * Every option of a sensitivity analysis, saved as {@code sensitivity-config.json} in the run
 * folder; field names are the command-line flags in camel case. The options that decide the
 * measured accuracies must not change on a rerun (the cached table would mix two settings);
 * {@link #RESUMABLE_CHANGES} only change which front is walked and which point is picked, so a
 * rerun with another budget or cost model reuses every measurement it can.
 *
 * @param bits      candidate weight widths, ascending, comma-separated ("2,3,4,8")
 * @param maxAccDrop accuracy budget in percentage points below full precision, null for none
 */
public record SensitivityConfig(
        String checkpoint, String dataset, String dataDir, long seed, String bits, boolean searchEnds, int endBits,
        int finetuneBatches, double finetuneLr, double weightDecay, int batchSize, int evalImages, int calibrationBatches,
        String costModel, String latencyTable, double targetBits, double targetSizeMb, double targetBitops, double targetCost,
        Double maxAccDrop) {

    public static final String FILE = "sensitivity-config.json";

    public static final Set<String> RESUMABLE_CHANGES = Set.of("costModel", "latencyTable", "targetBits", "targetSizeMb",
            "targetBitops", "targetCost", "maxAccDrop");

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    public Budget budget() {
        return new Budget(targetBits, targetSizeMb, targetBitops, targetCost);
    }

    /** The candidate widths as numbers. */
    public int[] candidates() {
        return parseBits(bits);
    }

    /** "2,3,4,8" to {2, 3, 4, 8}; a bad list is an IllegalArgumentException naming --bits. */
    public static int[] parseBits(String list) {
        try {
            int[] b = java.util.Arrays.stream(list.split(",")).map(String::strip).mapToInt(Integer::parseInt).sorted().distinct()
                    .toArray();
            if (b.length == 0) {
                throw new NumberFormatException("empty");
            }
            return b;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--bits: expected a comma-separated list of widths such as 2,3,4,8, got '" + list + "'");
        }
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    public static SensitivityConfig fromJson(String json) {
        return GSON.fromJson(json, SensitivityConfig.class);
    }

    /** The first option that differs from {@code saved} and may not, as "--flag: ...", or null. */
    public String firstDifference(SensitivityConfig saved) {
        JsonObject now = GSON.toJsonTree(this).getAsJsonObject();
        JsonObject before = GSON.toJsonTree(saved).getAsJsonObject();
        for (Map.Entry<String, JsonElement> e : now.entrySet()) {
            JsonElement old = before.get(e.getKey());
            if (!RESUMABLE_CHANGES.contains(e.getKey()) && !Objects.equals(old, e.getValue())) {
                return "--" + flag(e.getKey()) + ": the run folder was started with " + old + ", now " + e.getValue();
            }
        }
        for (String key : before.keySet()) {
            if (!RESUMABLE_CHANGES.contains(key) && !now.has(key)) {
                return "--" + flag(key) + ": the run folder was started with " + before.get(key) + ", now none";
            }
        }
        return null;
    }

    /** camelCase field name to the kebab-case command-line flag. */
    private static String flag(String field) {
        return field.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
    }
}
