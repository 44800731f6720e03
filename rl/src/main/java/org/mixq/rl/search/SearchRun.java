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
import org.mixq.rl.run.EpisodeRow;
import org.mixq.rl.run.RunFolder;
import org.mixq.rl.run.Selection;

/**
 * The search loop over a run folder: it owns the agent and drives each episode of the
 * environment with it. The folder holds {@code config.json}, {@code episodes.csv} (one row per
 * finished episode), {@code best-policy.json} and {@code search.ckpt} ({@link RunFolder}). After
 * every episode the row is appended and forced to disk, then the checkpoint is replaced atomically; a run killed
 * at any moment loses at most the episode in progress. Running again on the same folder
 * resumes: rows beyond the checkpoint (an episode whose checkpoint was not yet written) are
 * dropped and that episode is run again, identically, since every episode is a function of
 * the agent's state and the episode number.
 */
public final class SearchRun {
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
    private final RunFolder dir;
    private final BestWriter bestWriter;
    private final Selection selection;

    public SearchRun(SearchConfig config, QuantEnv env, RunFolder dir, BestWriter bestWriter) {
        this(config, env, dir, bestWriter, Selection.highestReward());
    }

    /** A run whose best policy is chosen by {@code selection} (e.g. an accuracy budget). */
    public SearchRun(SearchConfig config, QuantEnv env, RunFolder dir, BestWriter bestWriter, Selection selection) {
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
        dir.start(dir.searchConfig(), config, SearchConfig.RESUMABLE_CHANGES, "a search", "resume");
        Path ckpt = dir.searchCheckpoint();
        DdpgAgent agent;
        List<EpisodeRow> rows;
        if (Files.exists(ckpt)) {
            SearchCheckpoint saved = SearchCheckpoint.read(ckpt);
            agent = saved.agent();
            rows = readRows(saved.episodes());
        } else {
            agent = new DdpgAgent(config.agent(), config.seed(), env.stateDimension(), env.steps());
            rows = new ArrayList<>();
            AtomicFiles.writeString(dir.episodes(), EpisodeRow.HEADER + "\n");
        }
        EpisodeRow best = selection.choose(rows);
        if (best != null) {
            bestWriter.write(dir.bestPolicy(), best);
        }
        for (int e = rows.size(); e < config.episodes() && !stop.getAsBoolean(); e++) {
            long start = System.nanoTime();
            QuantEnv.Outcome out = play(agent, env.start(e));
            agent.finishEpisode(out.states(), out.actions(), out.rewards());
            EpisodeRow row = row(env, e, out, (System.nanoTime() - start) / 1e9);
            AtomicFiles.appendLine(dir.episodes(), row.toCsv());
            new SearchCheckpoint(e + 1, agent).write(ckpt);
            rows.add(row);
            if (selection.better(row, best)) {
                best = row;
                bestWriter.write(dir.bestPolicy(), best);
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

    /** The agent's exploring action at every step of {@code episode}, then the episode's evaluation. */
    private static QuantEnv.Outcome play(DdpgAgent agent, QuantEnv.Episode episode) {
        while (!episode.done()) {
            episode.act(agent.act(episode.state(), episode.actionShift()));
        }
        return episode.finish();
    }

    /** The first {@code n} rows of episodes.csv; later rows (an unfinished checkpoint) are dropped from the file. */
    private List<EpisodeRow> readRows(int n) throws IOException {
        Path file = dir.episodes();
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
    public static List<EpisodeRow> readAll(RunFolder dir) throws IOException {
        List<String> lines = Files.readAllLines(dir.episodes());
        List<EpisodeRow> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                rows.add(EpisodeRow.parse(lines.get(i)));
            }
        }
        return rows;
    }
}
