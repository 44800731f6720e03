package org.mixq.rl.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import com.google.gson.JsonElement;
import org.mixq.rl.config.ConfigJson;
import org.mixq.rl.config.Setting;
import org.mixq.rl.run.EpisodeRow;
import org.mixq.rl.run.RunFolder;
import org.mixq.rl.search.SearchConfig;
import org.mixq.rl.search.SearchRun;

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

    /** Reads a run folder, every row; a NaN {@code bitsLimit} uses the run's weighted-bits budget. */
    public static RunSummary of(Path dir, double bitsLimit) throws IOException {
        RunFolder folder = new RunFolder(dir);
        if (!folder.holdsSearch()) {
            throw new IOException(dir + " is not a search run folder (no " + folder.searchConfig().getFileName() + " and "
                    + folder.episodes().getFileName() + ")");
        }
        SearchConfig config;
        try {
            config = RunFolder.readConfig(folder.searchConfig(), SearchConfig.class);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        double limit = Double.isNaN(bitsLimit) ? config.budget().target().targetBits() : bitsLimit;
        return summarize(dir, config, SearchRun.readAll(folder), limit);
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
     * The settings whose values differ between the runs, in the order of the first run's
     * configuration (the checkpoint and the episode count are left out: the first names the
     * same model in different places, the second is the length, shown anyway).
     */
    public static List<Setting> differingSettings(List<RunSummary> runs) {
        List<Setting> keys = new ArrayList<>();
        if (runs.isEmpty()) {
            return keys;
        }
        List<Map<String, JsonElement>> trees = runs.stream().map(r -> ConfigJson.leaves(r.config())).toList();
        for (Map.Entry<String, JsonElement> e : trees.get(0).entrySet()) {
            Setting s = Setting.atPath(e.getKey());
            if (s == Setting.CHECKPOINT || s == Setting.EPISODES) {
                continue;
            }
            for (Map<String, JsonElement> t : trees) {
                if (!Objects.equals(t.get(e.getKey()), e.getValue())) {
                    keys.add(s);
                    break;
                }
            }
        }
        return keys;
    }

    /** The value of a setting, as config.json writes it. */
    public String value(Setting setting) {
        JsonElement v = ConfigJson.leaves(config).get(setting.path());
        return v == null || v.isJsonNull() ? "-" : v.isJsonPrimitive() ? v.getAsString() : v.toString();
    }
}
