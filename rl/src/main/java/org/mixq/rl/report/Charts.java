package org.mixq.rl.report;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder.VectorGraphicsFormat;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.mixq.rl.run.EpisodeRow;
import org.mixq.rl.run.ParetoFront;

/** The report's charts, built with XChart and rendered to SVG text. */
final class Charts {
    static final int WIDTH = 860;
    static final int HEIGHT = 380;

    private Charts() {
    }

    /** Reward per episode, warm-up episodes as a separate series. */
    static String reward(ReportData d) {
        XYChart c = xy("Reward per episode", "episode", "reward");
        addPerEpisode(c, d, "reward", EpisodeRow::reward);
        return svg(c);
    }

    /** Weighted-average weight bits per episode. */
    static String bits(ReportData d) {
        XYChart c = xy("Weighted-average weight bits per episode", "episode", "bits");
        addPerEpisode(c, d, "weighted bits", EpisodeRow::weightedBits);
        return svg(c);
    }

    /** Validation accuracy against model size: every episode, the Pareto front, the baselines. */
    static String accuracyVersusSize(ReportData d) {
        XYChart c = xy("Validation accuracy vs model size", "model size (KiB)", "validation accuracy (%)");
        List<EpisodeRow> eps = d.episodes();
        if (!eps.isEmpty()) {
            scatter(c, "episodes", eps.stream().mapToDouble(e -> e.sizeBytes() / 1024.0).toArray(),
                    eps.stream().mapToDouble(e -> 100 * e.accuracy()).toArray(), new Color(120, 144, 200, 150));
            List<EpisodeRow> front = ParetoFront.of(eps, EpisodeRow::sizeBytes, EpisodeRow::accuracy);
            XYSeries s = c.addSeries("Pareto front", front.stream().mapToDouble(e -> e.sizeBytes() / 1024.0).toArray(),
                    front.stream().mapToDouble(e -> 100 * e.accuracy()).toArray());
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.DIAMOND);
            s.setLineColor(new Color(30, 60, 160));
            s.setMarkerColor(new Color(30, 60, 160));
        }
        List<String> methods = new ArrayList<>();
        d.baselines().forEach(p -> {
            if (!methods.contains(p.method())) {
                methods.add(p.method());
            }
        });
        Color[] palette = {new Color(214, 39, 40), new Color(44, 160, 44), new Color(255, 127, 14),
            new Color(148, 103, 189), new Color(140, 86, 75), new Color(23, 190, 207)};
        for (int m = 0; m < methods.size(); m++) {
            String method = methods.get(m);
            List<ReportData.Point> pts = d.baselines().stream().filter(p -> p.method().equals(method)).toList();
            scatter(c, method, pts.stream().mapToDouble(p -> p.sizeBytes() / 1024.0).toArray(),
                    pts.stream().mapToDouble(p -> 100 * p.accuracy()).toArray(), palette[m % palette.length]);
        }
        double[] span = sizeSpan(d);
        XYSeries fp = c.addSeries("full precision (" + String.format("%.1f KiB", d.fpSizeBytes() / 1024.0) + ")",
                new double[] {span[0] / 1024.0, span[1] / 1024.0}, new double[] {100 * d.fpAccuracy(), 100 * d.fpAccuracy()});
        fp.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        fp.setMarker(SeriesMarkers.NONE);
        fp.setLineColor(Color.GRAY);
        return svg(c);
    }

    /** Bits per layer as bars beside each layer's parameter count (log scale, in thousands). */
    static String bitsPerLayer(ReportData.Policy p) {
        CategoryChart bits = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Best policy: weight bits per layer").xAxisTitle("layer").yAxisTitle("bits").build();
        style(bits.getStyler());
        bits.getStyler().setXAxisLabelRotation(60);
        List<String> names = List.of(p.layerNames());
        List<Number> w = new ArrayList<>();
        List<Number> params = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            w.add(p.weightBits()[i]);
            params.add(Math.log10(Math.max(1, p.parameters()[i])));
        }
        bits.addSeries("weight bits", names, w);
        bits.addSeries("log10(parameters)", names, params);
        return svg(bits);
    }

    /** Smallest and largest size of the plotted policies, so the full-precision line spans just them. */
    private static double[] sizeSpan(ReportData d) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (EpisodeRow e : d.episodes()) {
            lo = Math.min(lo, e.sizeBytes());
            hi = Math.max(hi, e.sizeBytes());
        }
        for (ReportData.Point p : d.baselines()) {
            lo = Math.min(lo, p.sizeBytes());
            hi = Math.max(hi, p.sizeBytes());
        }
        return hi == 0 ? new double[] {0, d.fpSizeBytes()} : new double[] {lo, hi};
    }

    private static void addPerEpisode(XYChart c, ReportData d, String name, java.util.function.ToDoubleFunction<EpisodeRow> f) {
        List<EpisodeRow> warm = d.episodes().stream().filter(e -> e.episode() < d.warmup()).toList();
        List<EpisodeRow> rest = d.episodes().stream().filter(e -> e.episode() >= d.warmup()).toList();
        if (!warm.isEmpty()) {
            scatter(c, name + " (warm-up, random)", warm.stream().mapToDouble(EpisodeRow::episode).toArray(),
                    warm.stream().mapToDouble(f).toArray(), new Color(170, 170, 170));
        }
        if (!rest.isEmpty()) {
            scatter(c, name, rest.stream().mapToDouble(EpisodeRow::episode).toArray(),
                    rest.stream().mapToDouble(f).toArray(), new Color(31, 119, 180));
        }
    }

    private static XYChart xy(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y).build();
        style(c.getStyler());
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(6);
        return c;
    }

    private static void scatter(XYChart c, String name, double[] x, double[] y, Color color) {
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(color);
    }

    static void style(Styler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setAntiAlias(true);
    }

    static String svg(Chart<?, ?> chart) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        int start = text.indexOf("<svg");
        return start < 0 ? text : text.substring(start);
    }
}
