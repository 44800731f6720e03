package org.mixq.rl.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.mixq.core.io.AtomicFiles;
import org.mixq.rl.run.ResultRow;
import org.mixq.rl.run.RunFolder;

/**
 * Writes {@code report.html} (self-contained: styles and SVG charts inline, no script, no
 * network) and each chart as an {@code .svg} file beside it.
 */
public final class ReportWriter {
    private ReportWriter() {
    }

    /** Writes the report into {@code dir} and returns the path of report.html. */
    public static Path write(RunFolder dir, ReportData d) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, String> charts = new LinkedHashMap<>();
        charts.put("reward", Charts.reward(d));
        charts.put("weighted-bits", Charts.bits(d));
        charts.put("accuracy-vs-size", Charts.accuracyVersusSize(d));
        if (d.best() != null) {
            charts.put("bits-per-layer", Charts.bitsPerLayer(d.best()));
        }
        if (!d.comparison().methods().isEmpty()) {
            charts.put("fronts", Comparisons.fronts(d));
        }
        if (d.best() != null && d.comparison().chosen().size() > 1) {
            charts.put("chosen-bits", Comparisons.chosenBits(d));
        }
        for (Map.Entry<String, String> e : charts.entrySet()) {
            AtomicFiles.writeString(dir.chart(e.getKey()), e.getValue());
        }
        Path html = dir.report();
        AtomicFiles.writeString(html, html(d, charts));
        return html;
    }

    static String html(ReportData d, Map<String, String> charts) {
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(d.title())).append("</title>\n<style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:920px;color:#222}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
                .append("th{background:#f3f3f3}td.l,th.l{text-align:left}figure{margin:1.5em 0}svg{max-width:100%;height:auto}")
                .append("</style></head><body>\n<h1>").append(esc(d.title())).append("</h1>\n<table>");
        for (String[] kv : d.facts()) {
            h.append("<tr><th class=\"l\">").append(esc(kv[0])).append("</th><td class=\"l\">").append(esc(kv[1])).append("</td></tr>");
        }
        h.append("</table>\n");
        if (!d.results().isEmpty()) {
            h.append("<h2>Results</h2>\n<table><tr><th class=\"l\">method</th><th>validation acc (%)</th><th>test acc (%)</th>")
                    .append("<th>weighted bits</th><th>size (KiB)</th></tr>");
            for (ResultRow r : d.results()) {
                h.append("<tr><td class=\"l\">").append(esc(r.method())).append("</td><td>").append(pct(r.validationAccuracy()))
                        .append("</td><td>").append(pct(r.testAccuracy())).append("</td><td>")
                        .append(fmt("%.3f", r.weightedBits())).append("</td><td>").append(fmt("%.1f", r.sizeBytes() / 1024.0))
                        .append("</td></tr>");
            }
            h.append("</table>\n");
        }
        h.append("<h2>Search</h2>\n");
        for (Map.Entry<String, String> e : charts.entrySet()) {
            h.append("<figure id=\"").append(e.getKey()).append("\">").append(e.getValue()).append("</figure>\n");
        }
        if (d.comparison().sensitivity() != null) {
            h.append("<h2>Sensitivity</h2>\n<p>Validation accuracy drop in points against full precision with only that layer"
                    + " quantized (every other layer in full precision).</p>\n")
                    .append(Comparisons.heatMap(d.comparison().sensitivity())).append('\n');
        }
        if (d.best() != null) {
            ReportData.Policy p = d.best();
            h.append("<h2>Best policy</h2>\n<p>weighted-average weight bits ").append(fmt("%.3f", p.weightedBits()))
                    .append(", size ").append(fmt("%.1f", p.sizeBytes() / 1024.0)).append(" KiB, validation accuracy ")
                    .append(pct(p.accuracy())).append("%</p>\n<table><tr><th>#</th><th class=\"l\">layer</th><th>parameters</th>")
                    .append("<th>weight bits</th><th>activation bits</th></tr>");
            for (int i = 0; i < p.layerNames().length; i++) {
                h.append("<tr><td>").append(i).append("</td><td class=\"l\">").append(esc(p.layerNames()[i])).append("</td><td>")
                        .append(p.parameters()[i]).append("</td><td>").append(p.weightBits()[i]).append("</td><td>")
                        .append(p.activationBits()[i]).append("</td></tr>");
            }
            h.append("</table>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    private static String pct(double fraction) {
        return Double.isNaN(fraction) ? "–" : fmt("%.2f", 100 * fraction);
    }

    private static String fmt(String f, double v) {
        return String.format(Locale.ROOT, f, v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
