package org.mixq.rl.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.mixq.rl.run.BaselinesFile;
import org.mixq.rl.run.EpisodeRow;
import org.mixq.rl.run.RunFolder;
import org.mixq.rl.search.SearchConfig;
import org.mixq.rl.search.SearchRun;
import org.mixq.rl.sensitivity.SensitivityAnalysis;
import org.mixq.rl.sensitivity.SensitivitySession;

/** Collects, from a run folder, every method's evaluated policies and chosen policy for the report. */
final class RunComparison {
    private RunComparison() {
    }

    static ReportData.Comparison of(RunFolder dir, SearchConfig c, List<EpisodeRow> episodes, ReportData.Policy best)
            throws IOException {
        List<ReportData.MethodRows> methods = new ArrayList<>();
        List<ReportData.MethodBits> chosen = new ArrayList<>();
        if (!episodes.isEmpty()) {
            methods.add(new ReportData.MethodRows("mixq (DDPG)", episodes));
        }
        if (best != null) {
            chosen.add(new ReportData.MethodBits("mixq", best.weightBits()));
        }
        if (Files.exists(dir.sensitivityFront())) {
            methods.add(new ReportData.MethodRows("sensitivity + greedy", SensitivitySession.readFront(dir)));
        }
        Path sensitivityPolicy = dir.sensitivityPolicy();
        if (Files.exists(sensitivityPolicy)) {
            chosen.add(new ReportData.MethodBits("sensitivity", weightBits(sensitivityPolicy)));
        }
        List<EpisodeRow> uniform = new ArrayList<>();
        List<EpisodeRow> random = new ArrayList<>();
        for (BaselinesFile.Row r : BaselinesFile.read(dir.dir())) {
            if (r.method().startsWith("uniform")) {
                uniform.add(r.row());
                if (r.method().equals("uniform-3")) {
                    chosen.add(new ReportData.MethodBits("uniform 3-bit", r.row().weightBits()));
                }
            } else if (r.method().equals("random")) {
                random.add(r.row());
            }
        }
        if (!random.isEmpty()) {
            methods.add(new ReportData.MethodRows("random search", random));
            chosen.add(new ReportData.MethodBits("random search", SearchRun.best(random).weightBits()));
        }
        if (!uniform.isEmpty()) {
            methods.add(new ReportData.MethodRows("uniform", uniform));
        }
        Path table = dir.sensitivityTable();
        ReportData.Sensitivity sensitivity = Files.exists(table) && best != null
                ? sensitivity(SensitivityAnalysis.read(table), best.layerNames()) : null;
        double targetBits = c.budget().target().targetBits();
        Double drop = c.budget().maxAccDrop();
        return new ReportData.Comparison(methods, targetBits > 0 ? targetBits : Double.NaN, drop == null ? Double.NaN : drop,
                chosen, sensitivity);
    }

    private static int[] weightBits(Path policy) throws IOException {
        JsonObject root = JsonParser.parseString(Files.readString(policy)).getAsJsonObject();
        JsonArray layers = root.getAsJsonArray("layers");
        int[] w = new int[layers.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = layers.get(i).getAsJsonObject().get("wbits").getAsInt();
        }
        return w;
    }

    private static ReportData.Sensitivity sensitivity(List<SensitivityAnalysis.Entry> entries, String[] layers) {
        TreeSet<Integer> bits = new TreeSet<>();
        double fp = Double.NaN;
        for (SensitivityAnalysis.Entry e : entries) {
            if (e.layerIndex() < 0) {
                fp = e.accuracy();
            } else {
                bits.add(e.weightBits());
            }
        }
        int[] b = bits.stream().mapToInt(Integer::intValue).toArray();
        double[][] acc = new double[layers.length][b.length];
        for (double[] row : acc) {
            Arrays.fill(row, Double.NaN);
        }
        for (SensitivityAnalysis.Entry e : entries) {
            if (e.layerIndex() >= 0 && e.layerIndex() < layers.length) {
                acc[e.layerIndex()][Arrays.binarySearch(b, e.weightBits())] = e.accuracy();
            }
        }
        return new ReportData.Sensitivity(layers, b, acc, fp);
    }
}
