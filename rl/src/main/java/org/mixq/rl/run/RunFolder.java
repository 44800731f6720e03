package org.mixq.rl.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import com.google.gson.JsonParseException;
import org.mixq.core.io.AtomicFiles;
import org.mixq.rl.config.ConfigJson;
import org.mixq.rl.config.Setting;
import org.mixq.rl.config.SettingException;

/**
 * A run folder and the name of every file a run keeps in it: what {@code train} and
 * {@code finetune} write (the model, its metrics and summary), a search's configuration,
 * episodes, checkpoint and best policy, the baselines and final results beside it, a
 * sensitivity analysis, and the report. One folder may hold several of these (a search, its
 * baselines and a sensitivity analysis share one).
 *
 * <p>A run that resumes in a folder must have been started there with the same settings,
 * except those that only say how long to run or which result to pick: {@link #start} refuses,
 * naming the first setting that differs, before anything is written.
 */
public final class RunFolder {
    private final Path dir;

    public RunFolder(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** The trained or fine-tuned model. */
    public Path model() {
        return dir.resolve("model.ckpt");
    }

    /** Training's per-epoch figures. */
    public Path metrics() {
        return dir.resolve("metrics.csv");
    }

    /** What training or fine-tuning ended with. */
    public Path summary() {
        return dir.resolve("summary.json");
    }

    /** The search's settings. */
    public Path searchConfig() {
        return dir.resolve("config.json");
    }

    /** One row per finished episode. */
    public Path episodes() {
        return dir.resolve("episodes.csv");
    }

    /** The agent's state after the last finished episode. */
    public Path searchCheckpoint() {
        return dir.resolve("search.ckpt");
    }

    /** The search's chosen policy. */
    public Path bestPolicy() {
        return dir.resolve("best-policy.json");
    }

    /** The uniform and random baselines, evaluated with the search's protocol. */
    public Path baselines() {
        return dir.resolve("baselines.csv");
    }

    /** The final results, one row per method after its fine-tune. */
    public Path results() {
        return dir.resolve("results.csv");
    }

    /** The sensitivity analysis's settings. */
    public Path sensitivityConfig() {
        return dir.resolve("sensitivity-config.json");
    }

    /** The accuracy of every searched layer at every candidate width. */
    public Path sensitivityTable() {
        return dir.resolve("sensitivity.csv");
    }

    /** The greedy front's evaluated points. */
    public Path sensitivityFront() {
        return dir.resolve("sensitivity-front.csv");
    }

    /** The front's point that meets the budgets. */
    public Path sensitivityPolicy() {
        return dir.resolve("sensitivity-policy.json");
    }

    /** The report page. */
    public Path report() {
        return dir.resolve("report.html");
    }

    /** One of the report's charts. */
    public Path chart(String name) {
        return dir.resolve(name + ".svg");
    }

    /** Whether the folder holds a search (its settings and episodes). */
    public boolean holdsSearch() {
        return Files.isRegularFile(searchConfig()) && Files.isRegularFile(episodes());
    }

    /** Refuses a path that is a file; a folder that does not exist yet is fine. */
    public void requireFolder() {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new SettingException(Setting.RUN_FOLDER, dir + " is a file, expected a run folder");
        }
    }

    /** Reads a configuration file of this folder; an unreadable one is an IllegalArgumentException naming it. */
    public static <C> C readConfig(Path file, Class<C> type) throws IOException {
        try {
            return ConfigJson.read(Files.readString(file), type, Setting.CHECKPOINT);
        } catch (JsonParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": unreadable configuration (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Refuses, writing nothing, a folder that is a file or whose {@code file} holds settings
     * other than {@code config}'s, {@code mayChange} aside; {@code holds} says what such a folder
     * holds ("a search") and {@code remedy} what the same settings would do ("resume").
     */
    public <C> void checkResume(Path file, C config, Set<Setting> mayChange, String holds, String remedy) throws IOException {
        requireFolder();
        if (!Files.exists(file)) {
            return;
        }
        @SuppressWarnings("unchecked")
        C saved = readConfig(file, (Class<C>) config.getClass());
        ConfigJson.Difference d = ConfigJson.firstDifference(config, saved, mayChange);
        if (d != null) {
            throw new SettingException(null, dir + " holds " + holds + " with other options; {}: the run folder was started with "
                    + d.saved() + ", now " + d.now() + " (use another {} folder, or the same options to " + remedy + ")",
                    d.setting(), Setting.RUN_FOLDER);
        }
    }

    /** {@link #checkResume}, then creates the folder and writes {@code config} into {@code file}. */
    public <C> void start(Path file, C config, Set<Setting> mayChange, String holds, String remedy) throws IOException {
        checkResume(file, config, mayChange, holds, remedy);
        Files.createDirectories(dir);
        AtomicFiles.writeString(file, ConfigJson.write(config));
    }
}
