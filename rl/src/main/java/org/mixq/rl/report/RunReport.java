package org.mixq.rl.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.mixq.rl.env.Budget;
import org.mixq.rl.env.EnvironmentConfig;
import org.mixq.rl.env.RewardKind;
import org.mixq.rl.run.BaselinesFile;
import org.mixq.rl.run.EpisodeRow;
import org.mixq.rl.run.ResultsFile;
import org.mixq.rl.run.RunFolder;
import org.mixq.rl.search.SearchConfig;
import org.mixq.rl.search.SearchRun;

/** Builds the report of a run folder from its files (config, episodes, baselines, results, best policy). */
public final class RunReport {
    private RunReport() {
    }

    /** Writes {@code dir/report.html} and its charts; returns the HTML path. */
    public static Path write(Path path, String title) throws IOException {
        RunFolder dir = new RunFolder(path);
        SearchConfig c = RunFolder.readConfig(dir.searchConfig(), SearchConfig.class);
        List<EpisodeRow> episodes = SearchRun.readAll(dir);
        EnvironmentConfig e = c.environment();
        Budget budget = c.budget().target();
        List<ReportData.Point> points = new ArrayList<>();
        for (BaselinesFile.Row r : BaselinesFile.read(path)) {
            points.add(new ReportData.Point(r.method(), r.row().accuracy(), r.row().sizeBytes(), r.row().weightedBits()));
        }
        List<String[]> facts = new ArrayList<>();
        facts.add(new String[] {"checkpoint", c.data().checkpoint()});
        facts.add(new String[] {"episodes", episodes.size() + " of " + c.episodes()});
        facts.add(new String[] {"reward", e.reward().label() + (e.reward() == RewardKind.THESIS
                ? String.format(Locale.ROOT, " (lambda_acc %s, lambda_bits %s)", e.lambdaAcc(), e.lambdaBits()) : "")});
        facts.add(new String[] {"budget", budget.targetBits() > 0 ? budget.targetBits() + " weighted-average weight bits"
                : budget.targetCost() > 0 ? budget.targetCost() + " (" + c.budget().costModel().label() + ")" : "none"});
        facts.add(new String[] {"schedule", e.schedule().label() + ", " + c.protocol().finetuneBatches() + " fine-tune batches of "
                + c.protocol().batchSize()});
        facts.add(new String[] {"prior", e.prior().label()});
        facts.add(new String[] {"bits", e.minBits() + ".." + e.maxBits() + (e.searchEnds() ? ", ends searched" : ", ends at " + e.endBits())
                + (e.quantizeActivations() ? ", activations searched" : ", weights only")});
        facts.add(new String[] {"seed", Long.toString(c.seed())});
        Path best = dir.bestPolicy();
        JsonObject bestJson = Files.exists(best) ? JsonParser.parseString(Files.readString(best)).getAsJsonObject() : new JsonObject();
        ReportData.Policy bestPolicy = bestJson.has("layers") ? bestPolicy(bestJson) : null;
        ReportData data = new ReportData(title, facts, number(bestJson, "fullPrecisionValidationAccuracy"),
                (long) number(bestJson, "fullPrecisionSizeBytes"), c.agent().warmupEpisodes() + 1, episodes, points, bestPolicy,
                ResultsFile.read(path), RunComparison.of(dir, c, episodes, bestPolicy));
        return ReportWriter.write(dir, data);
    }

    private static ReportData.Policy bestPolicy(JsonObject root) {
        JsonArray layers = root.getAsJsonArray("layers");
        int n = layers.size();
        String[] names = new String[n];
        long[] params = new long[n];
        int[] w = new int[n];
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            JsonObject l = layers.get(i).getAsJsonObject();
            names[i] = l.get("name").getAsString();
            params[i] = l.get("params").getAsLong();
            w[i] = l.get("wbits").getAsInt();
            a[i] = l.get("abits").getAsInt();
        }
        return new ReportData.Policy(names, params, w, a, number(root, "weightedBits"), (long) number(root, "sizeBytes"),
                number(root, "validationAccuracy"));
    }

    private static double number(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null ? Double.NaN : e.getAsDouble();
    }
}
