package org.mixq.rl.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.mixq.rl.run.EpisodeRow;
import org.mixq.rl.run.ParetoFront;

/**
 * The report's method comparison: every method's accuracy-versus-bits front with the budgets
 * drawn, the chosen policy of each method layer by layer, and the sensitivity heat map.
 */
final class Comparisons {
    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44),
        new Color(255, 127, 14), new Color(148, 103, 189), new Color(140, 86, 75)};

    private Comparisons() {
    }

    /** Validation accuracy against weighted-average weight bits: each method's Pareto front, the budget lines. */
    static String fronts(ReportData d) {
        ReportData.Comparison c = d.comparison();
        XYChart chart = new XYChartBuilder().width(Charts.WIDTH).height(Charts.HEIGHT)
                .title("Accuracy vs weighted bits: the front of every method").xAxisTitle("weighted-average weight bits")
                .yAxisTitle("validation accuracy (%)").build();
        Charts.style(chart.getStyler());
        // one legend line per method: the method names are too long for a single row
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        chart.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Vertical);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double accLo = 100 * d.fpAccuracy();
        for (int m = 0; m < c.methods().size(); m++) {
            ReportData.MethodRows mr = c.methods().get(m);
            List<EpisodeRow> front = ParetoFront.of(mr.rows(), EpisodeRow::weightedBits, EpisodeRow::accuracy);
            if (front.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(mr.method() + " (" + mr.rows().size() + " evaluated)",
                    front.stream().mapToDouble(EpisodeRow::weightedBits).toArray(),
                    front.stream().mapToDouble(e -> 100 * e.accuracy()).toArray());
            s.setXYSeriesRenderStyle(front.size() > 1 ? XYSeries.XYSeriesRenderStyle.Line : XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineColor(PALETTE[m % PALETTE.length]);
            s.setMarkerColor(PALETTE[m % PALETTE.length]);
            for (EpisodeRow e : front) {
                lo = Math.min(lo, e.weightedBits());
                hi = Math.max(hi, e.weightedBits());
                accLo = Math.min(accLo, 100 * e.accuracy());
            }
        }
        if (lo > hi) {
            lo = 2;
            hi = 8;
        }
        line(chart, "full precision", new double[] {lo, hi}, new double[] {100 * d.fpAccuracy(), 100 * d.fpAccuracy()}, Color.GRAY);
        if (!Double.isNaN(c.maxAccDrop())) {
            double y = 100 * d.fpAccuracy() - c.maxAccDrop();
            line(chart, String.format(Locale.ROOT, "accuracy budget (-%.2f points)", c.maxAccDrop()), new double[] {lo, hi},
                    new double[] {y, y}, Color.DARK_GRAY);
        }
        if (!Double.isNaN(c.targetBits())) {
            line(chart, String.format(Locale.ROOT, "bit budget (%.2f bits)", c.targetBits()),
                    new double[] {c.targetBits(), c.targetBits()}, new double[] {accLo, 100 * d.fpAccuracy()}, Color.BLACK);
        }
        return Charts.svg(chart);
    }

    /** The weight bits of each method's chosen policy, layer by layer. */
    static String chosenBits(ReportData d) {
        CategoryChart chart = new CategoryChartBuilder().width(Charts.WIDTH).height(Charts.HEIGHT)
                .title("Chosen policy of each method: weight bits per layer").xAxisTitle("layer").yAxisTitle("bits").build();
        Charts.style(chart.getStyler());
        chart.getStyler().setXAxisLabelRotation(60);
        List<String> names = List.of(d.best().layerNames());
        for (ReportData.MethodBits mb : d.comparison().chosen()) {
            List<Number> bits = new ArrayList<>();
            for (int b : mb.weightBits()) {
                bits.add(b);
            }
            chart.addSeries(mb.method(), names, bits);
        }
        return Charts.svg(chart);
    }

    /**
     * The sensitivity table as an HTML heat map: one row per layer, one column per bit width,
     * each cell the validation accuracy drop in points against full precision, redder for larger drops.
     */
    static String heatMap(ReportData.Sensitivity s) {
        StringBuilder h = new StringBuilder("<table class=\"heat\"><tr><th class=\"l\">layer</th>");
        for (int b : s.bits()) {
            h.append("<th>").append(b).append(" bits</th>");
        }
        h.append("</tr>");
        double worst = 0.01;
        for (double[] row : s.accuracy()) {
            for (double a : row) {
                if (!Double.isNaN(a)) {
                    worst = Math.max(worst, 100 * (s.fpAccuracy() - a));
                }
            }
        }
        for (int l = 0; l < s.layers().length; l++) {
            h.append("<tr><td class=\"l\">").append(ReportWriter.esc(s.layers()[l])).append("</td>");
            for (int b = 0; b < s.bits().length; b++) {
                double a = s.accuracy()[l][b];
                if (Double.isNaN(a)) {
                    h.append("<td>–</td>");
                    continue;
                }
                double drop = 100 * (s.fpAccuracy() - a);
                int shade = (int) Math.round(255 * (1 - Math.max(0, Math.min(1, drop / worst))));
                h.append(String.format(Locale.ROOT, "<td style=\"background:rgb(255,%d,%d)\">%.2f</td>", shade, shade, drop));
            }
            h.append("</tr>");
        }
        return h.append("</table>").toString();
    }

    private static void line(XYChart chart, String name, double[] x, double[] y, Color color) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
    }
}
