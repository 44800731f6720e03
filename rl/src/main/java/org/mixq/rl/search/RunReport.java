package org.mixq.rl.search;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mixq.rl.report.ReportData;
import org.mixq.rl.report.ReportWriter;

/** Builds the report of a run folder from its files (config, episodes, baselines, results, best policy). */
public final class RunReport {
    private RunReport() {
    }

    /** Writes {@code dir/report.html} and its charts; returns the HTML path. */
    public static Path write(Path dir, String title) throws IOException {
        SearchConfig c = SearchConfig.fromJson(Files.readString(dir.resolve(SearchRun.CONFIG)));
        List<EpisodeRow> episodes = SearchRun.readAll(dir);
        List<ReportData.Point> points = new ArrayList<>();
        for (BaselinesFile.Row r : BaselinesFile.read(dir)) {
            points.add(new ReportData.Point(r.method(), r.row().accuracy(), r.row().sizeBytes(), r.row().weightedBits()));
        }
        List<String[]> facts = new ArrayList<>();
        facts.add(new String[] {"checkpoint", c.checkpoint()});
        facts.add(new String[] {"episodes", episodes.size() + " of " + c.episodes()});
        facts.add(new String[] {"reward", c.reward() + (c.reward().equals("thesis")
                ? String.format(Locale.ROOT, " (lambda_acc %s, lambda_bits %s)", c.lambdaAcc(), c.lambdaBits()) : "")});
        facts.add(new String[] {"budget", c.targetBits() > 0 ? c.targetBits() + " weighted-average weight bits"
                : c.targetCost() > 0 ? c.targetCost() + " (" + c.costModel() + ")" : "none"});
        facts.add(new String[] {"schedule", c.schedule() + ", " + c.finetuneBatches() + " fine-tune batches of " + c.batchSize()});
        facts.add(new String[] {"prior", c.prior()});
        facts.add(new String[] {"bits", c.minBits() + ".." + c.maxBits() + (c.searchEnds() ? ", ends searched" : ", ends at " + c.endBits())
                + (c.quantizeActivations() ? ", activations searched" : ", weights only")});
        facts.add(new String[] {"seed", Long.toString(c.seed())});
        Path best = dir.resolve(SearchRun.BEST);
        JsonObject bestJson = Files.exists(best) ? JsonParser.parseString(Files.readString(best)).getAsJsonObject() : new JsonObject();
        ReportData.Policy bestPolicy = bestJson.has("layers") ? bestPolicy(bestJson) : null;
        ReportData data = new ReportData(title, facts, number(bestJson, "fullPrecisionValidationAccuracy"),
                (long) number(bestJson, "fullPrecisionSizeBytes"), c.warmup() + 1, episodes, points, bestPolicy,
                ResultsFile.read(dir), RunComparison.of(dir, c, episodes, bestPolicy));
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
