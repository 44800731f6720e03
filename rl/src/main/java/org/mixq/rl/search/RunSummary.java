package org.mixq.rl.search;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one search run folder found in its first {@code episodes} episodes, for putting runs side
 * by side (reward modes, priors, seeds): the highest-reward policy, the most accurate policy
 * within a weighted-bits limit, and the wall time spent. A run's first N episodes do not depend
 * on how many it was asked for, so a longer run can be cut to a shorter one's length.
 *
 * @param bestReward   the highest-reward row (the earliest on ties), null without rows
 * @param bestWithin   the most accurate row at or under {@code bitsLimit} (ties: fewer bits, then
 *                     the earlier), null when no row is within it
 * @param seconds      wall time of the rows taken (the sum of their seconds column)
 */
public record RunSummary(Path dir, SearchConfig config, List<EpisodeRow> rows, double bitsLimit, EpisodeRow bestReward,
                         EpisodeRow bestWithin, double seconds) {

    /** Slack on the bits limit: weighted bits are a ratio of sums of doubles. */
    private static final double BITS_SLACK = 1e-9;

    /** Reads a run folder, every row; a NaN {@code bitsLimit} uses the run's --target-bits. */
    public static RunSummary of(Path dir, double bitsLimit) throws IOException {
        Path configFile = dir.resolve(SearchRun.CONFIG);
        if (!Files.isRegularFile(configFile) || !Files.isRegularFile(dir.resolve(SearchRun.EPISODES))) {
            throw new IOException(dir + " is not a search run folder (no " + SearchRun.CONFIG + " and "
                    + SearchRun.EPISODES + ")");
        }
        SearchConfig config;
        try {
            config = SearchConfig.fromJson(Files.readString(configFile));
        } catch (JsonParseException e) {
            throw new IOException(configFile + ": not a search configuration (" + e.getMessage() + ")", e);
        }
        return summarize(dir, config, SearchRun.readAll(dir), Double.isNaN(bitsLimit) ? config.targetBits() : bitsLimit);
    }

    /** The same run cut to its first {@code episodes} rows (all of them when it has no more). */
    public RunSummary firstEpisodes(int episodes) {
        return rows.size() <= episodes ? this : summarize(dir, config, rows.subList(0, episodes), bitsLimit);
    }

    private static RunSummary summarize(Path dir, SearchConfig config, List<EpisodeRow> rows, double limit) {
        EpisodeRow within = null;
        double seconds = 0;
        for (EpisodeRow r : rows) {
            seconds += r.seconds();
            if (limit > 0 && r.weightedBits() <= limit + BITS_SLACK && (within == null || r.accuracy() > within.accuracy()
                    || r.accuracy() == within.accuracy() && r.weightedBits() < within.weightedBits())) {
                within = r;
            }
        }
        return new RunSummary(dir, config, List.copyOf(rows), limit, SearchRun.best(rows), within, seconds);
    }

    /**
     * The configuration options whose values differ between the runs, in the order of the first
     * run's configuration (the checkpoint path and the episode count are left out: the first
     * names the same model in different places, the second is the length, shown anyway).
     */
    public static List<String> differingOptions(List<RunSummary> runs) {
        List<String> keys = new ArrayList<>();
        if (runs.isEmpty()) {
            return keys;
        }
        List<JsonObject> trees = runs.stream().map(RunSummary::options).toList();
        for (Map.Entry<String, JsonElement> e : trees.get(0).entrySet()) {
            String key = e.getKey();
            if (key.equals("checkpoint") || key.equals("episodes")) {
                continue;
            }
            for (JsonObject t : trees) {
                if (!Objects.equals(t.get(key), e.getValue())) {
                    keys.add(key);
                    break;
                }
            }
        }
        return keys;
    }

    /** The value of a configuration option, as config.json writes it. */
    public String option(String key) {
        JsonElement v = options().get(key);
        return v == null || v.isJsonNull() ? "-" : v.isJsonPrimitive() ? v.getAsString() : v.toString();
    }

    /** The configuration as config.json writes it, one member per option. */
    private JsonObject options() {
        return JsonParser.parseString(config.toJson()).getAsJsonObject();
    }
}
