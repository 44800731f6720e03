package org.mixq.rl.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.mixq.core.io.AtomicFiles;
import org.mixq.rl.agent.DdpgAgent;
import org.mixq.rl.env.QuantEnv;

/**
 * The search loop over a run folder: {@code config.json}, {@code episodes.csv} (one row per
 * finished episode), {@code best-policy.json} and {@code search.ckpt}. After every episode the
 * row is appended and forced to disk, then the checkpoint is replaced atomically; a run killed
 * at any moment loses at most the episode in progress. Running again on the same folder
 * resumes: rows beyond the checkpoint (an episode whose checkpoint was not yet written) are
 * dropped and that episode is run again, identically, since every episode is a function of
 * the agent's state and the episode number.
 */
public final class SearchRun {
    public static final String CONFIG = "config.json";
    public static final String EPISODES = "episodes.csv";
    public static final String CHECKPOINT = "search.ckpt";
    public static final String BEST = "best-policy.json";

    /** Receives each finished episode (progress display, logs). */
    public interface Listener {
        void episode(EpisodeRow row, EpisodeRow best, int total, boolean resumedThisRun);
    }

    /** Writes the best policy file for a row. */
    public interface BestWriter {
        void write(Path file, EpisodeRow best) throws IOException;
    }

    private final SearchConfig config;
    private final QuantEnv env;
    private final Path dir;
    private final BestWriter bestWriter;
    private final Selection selection;

    public SearchRun(SearchConfig config, QuantEnv env, Path dir, BestWriter bestWriter) {
        this(config, env, dir, bestWriter, Selection.highestReward());
    }

    /** A run whose best policy is chosen by {@code selection} (e.g. an accuracy budget). */
    public SearchRun(SearchConfig config, QuantEnv env, Path dir, BestWriter bestWriter, Selection selection) {
        this.config = config;
        this.env = env;
        this.dir = dir;
        this.bestWriter = bestWriter;
        this.selection = selection;
    }

    /**
     * Runs (or resumes) until {@code config.episodes()} episodes are finished or {@code stop}
     * says so between episodes; returns every row.
     */
    public List<EpisodeRow> run(Listener listener, BooleanSupplier stop) throws IOException {
        prepareFolder();
        Path ckpt = dir.resolve(CHECKPOINT);
        DdpgAgent agent;
        List<EpisodeRow> rows;
        if (Files.exists(ckpt)) {
            SearchCheckpoint saved = SearchCheckpoint.read(ckpt);
            agent = saved.agent();
            rows = readRows(saved.episodes());
        } else {
            agent = new DdpgAgent(config.agent(), env.stateDimension(), env.steps());
            rows = new ArrayList<>();
            AtomicFiles.writeString(dir.resolve(EPISODES), EpisodeRow.HEADER + "\n");
        }
        EpisodeRow best = selection.choose(rows);
        if (best != null) {
            bestWriter.write(dir.resolve(BEST), best);
        }
        for (int e = rows.size(); e < config.episodes() && !stop.getAsBoolean(); e++) {
            long start = System.nanoTime();
            QuantEnv.Outcome out = env.run(agent, e);
            agent.finishEpisode(out.states(), out.actions(), out.rewards());
            EpisodeRow row = row(env, e, out, (System.nanoTime() - start) / 1e9);
            AtomicFiles.appendLine(dir.resolve(EPISODES), row.toCsv());
            new SearchCheckpoint(e + 1, agent).write(ckpt);
            rows.add(row);
            if (selection.better(row, best)) {
                best = row;
                bestWriter.write(dir.resolve(BEST), best);
            }
            listener.episode(row, best, config.episodes(), true);
        }
        return rows;
    }

    /** The episodes.csv row of an evaluated policy. */
    static EpisodeRow row(QuantEnv env, int episode, QuantEnv.Outcome o, double seconds) {
        return new EpisodeRow(episode, o.reward(), o.accuracy(), env.weightedBits(o.weightBits()),
                env.sizeBytes(o.weightBits(), o.activationBits()), o.cost(), o.weightBits(), o.activationBits(), seconds);
    }

    /** Writes config.json in a new folder, or refuses a folder started with other options. */
    private void prepareFolder() throws IOException {
        checkFolder(dir, config);
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve(CONFIG), config.toJson());
    }

    /**
     * Refuses, writing nothing, a {@code dir} that is a file or holds a search started with
     * other options than {@code config}; a command checks this before it loads any data.
     */
    public static void checkFolder(Path dir, SearchConfig config) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--out: " + dir + " is a file, expected a run folder");
        }
        Path cfg = dir.resolve(CONFIG);
        if (Files.exists(cfg)) {
            SearchConfig saved;
            try {
                saved = SearchConfig.fromJson(Files.readString(cfg));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(cfg + ": unreadable configuration (" + e.getMessage() + ")");
            }
            String diff = config.firstDifference(saved);
            if (diff != null) {
                throw new IllegalArgumentException(dir + " holds a search with other options; " + diff
                        + " (use another --out folder, or the same options to resume)");
            }
        }
    }

    /** The first {@code n} rows of episodes.csv; later rows (an unfinished checkpoint) are dropped from the file. */
    private List<EpisodeRow> readRows(int n) throws IOException {
        Path file = dir.resolve(EPISODES);
        List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
        List<EpisodeRow> rows = new ArrayList<>();
        for (int i = 1; i < lines.size() && rows.size() < n; i++) {
            if (!lines.get(i).isBlank()) {
                rows.add(EpisodeRow.parse(lines.get(i)));
            }
        }
        if (rows.size() < n) {
            throw new IllegalArgumentException(file + ": the checkpoint has " + n + " episodes but the file only "
                    + rows.size() + "; the run folder is damaged");
        }
        if (lines.size() - 1 != n) {
            StringBuilder sb = new StringBuilder(EpisodeRow.HEADER).append('\n');
            rows.forEach(r -> sb.append(r.toCsv()).append('\n'));
            AtomicFiles.writeString(file, sb.toString());
        }
        return rows;
    }

    /** The highest-reward row (the earliest on ties), or null. */
    public static EpisodeRow best(List<EpisodeRow> rows) {
        EpisodeRow best = null;
        for (EpisodeRow r : rows) {
            if (best == null || r.reward() > best.reward()) {
                best = r;
            }
        }
        return best;
    }

    /** The episodes.csv rows of a run folder (for reports). */
    public static List<EpisodeRow> readAll(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve(EPISODES));
        List<EpisodeRow> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                rows.add(EpisodeRow.parse(lines.get(i)));
            }
        }
        return rows;
    }
}
