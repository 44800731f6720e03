package org.mixq.rl.search;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.mixq.rl.agent.DdpgConfig;
import org.mixq.rl.env.Budget;

/**
 * Every option that shapes a search, saved as {@code config.json} in the run folder; field
 * names are the command-line flags in camel case. A resumed run must have the same
 * configuration, except for {@link #RESUMABLE_CHANGES} (how long to run), which may change
 * between invocations. {@code maxAccDrop} (points; null for none) only chooses which episode is
 * the best, so it may change too: rerunning with another drop re-picks without searching again.
 */
public record SearchConfig(
        String checkpoint, String dataset, String dataDir, long seed, int episodes,
        String reward, double lambdaAcc, double lambdaBits,
        String costModel, double targetBits, double targetCost,
        String latencyTable, double targetSizeMb, double targetBitops, Double maxAccDrop,
        String schedule, int finetuneBatches, double finetuneLr, double weightDecay, int batchSize,
        int evalImages, int calibrationBatches,
        String prior, double priorStrength, int minBits, int maxBits, boolean searchEnds, int endBits,
        boolean quantizeActivations,
        int warmup, double sigma0, double sigmaDecay, double tau, double lrActor, double lrCritic,
        int agentBatch, int hidden1, int hidden2, int replayPerLayer, double baselineAlpha, double discount,
        int updatesPerStep) {

    /** Options that may differ when a run is resumed: extending a run is allowed. */
    public static final Set<String> RESUMABLE_CHANGES = Set.of("episodes", "maxAccDrop");

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /** The agent's hyper-parameters. */
    public DdpgConfig agent() {
        return new DdpgConfig(hidden1, hidden2, lrActor, lrCritic, tau, agentBatch, replayPerLayer, warmup, sigma0,
                sigmaDecay, baselineAlpha, discount, episodes, updatesPerStep, seed);
    }

    /** The cost budget as given (at most one of the four targets is set). */
    public Budget budget() {
        return new Budget(targetBits, targetSizeMb, targetBitops, targetCost);
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    public static SearchConfig fromJson(String json) {
        return GSON.fromJson(json, SearchConfig.class);
    }

    /**
     * The first option whose value differs from {@code saved}, as "--flag: ...", or null when
     * the two configurations may continue one run.
     */
    public String firstDifference(SearchConfig saved) {
        JsonObject now = GSON.toJsonTree(this).getAsJsonObject();
        JsonObject before = GSON.toJsonTree(saved).getAsJsonObject();
        for (Map.Entry<String, JsonElement> e : now.entrySet()) {
            if (RESUMABLE_CHANGES.contains(e.getKey())) {
                continue;
            }
            JsonElement old = before.get(e.getKey());
            if (!Objects.equals(old, e.getValue())) {
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
    static String flag(String field) {
        StringBuilder sb = new StringBuilder();
        for (char ch : field.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                sb.append('-').append(Character.toLowerCase(ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }
}
