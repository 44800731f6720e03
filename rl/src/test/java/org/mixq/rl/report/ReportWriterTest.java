package org.mixq.rl.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixq.rl.run.EpisodeRow;
import org.mixq.rl.run.ResultRow;
import org.mixq.rl.run.RunFolder;

class ReportWriterTest {
    @TempDir
    Path dir;

    @Test
    void writesSelfContainedHtmlWithEveryChart() throws IOException {
        List<EpisodeRow> eps = new ArrayList<>();
        for (int e = 0; e < 30; e++) {
            eps.add(new EpisodeRow(e, -0.01 * (e % 7), 0.9 - 0.002 * (e % 5), 3 + (e % 3) * 0.5, 20_000 + 500L * (e % 4),
                    0, new int[] {8, 3, 4, 8}, new int[] {32, 32, 32, 32}, 1.5));
        }
        ReportData.Policy best = new ReportData.Policy(new String[] {"conv1", "conv2", "conv3", "fc"},
                new long[] {432, 9216, 18432, 1280}, new int[] {8, 3, 4, 8}, new int[] {32, 32, 32, 32}, 3.9, 20_500, 0.9);
        ReportData d = new ReportData("VGG <test>", List.<String[]>of(new String[] {"model", "vgg11"}), 0.91, 120_000, 10, eps,
                List.of(new ReportData.Point("uniform 3-bit", 0.895, 19_000, 3.3), new ReportData.Point("random", 0.85, 21_000, 3.5)),
                best, List.of(new ResultRow("mixq", 0.9, 0.89, 3.9, 20_500),
                        new ResultRow("full precision", 0.91, Double.NaN, 32, 120_000)),
                new ReportData.Comparison(List.of(new ReportData.MethodRows("mixq (DDPG)", eps),
                        new ReportData.MethodRows("uniform", List.of(eps.get(0), eps.get(1)))), 3.0, 0.5,
                        List.of(new ReportData.MethodBits("mixq", best.weightBits()),
                                new ReportData.MethodBits("uniform 3-bit", new int[] {8, 3, 3, 8})),
                        new ReportData.Sensitivity(best.layerNames(), new int[] {2, 4},
                                new double[][] {{Double.NaN, Double.NaN}, {0.5, 0.9}, {0.7, 0.905}, {Double.NaN, Double.NaN}},
                                0.91)));
        Path html = ReportWriter.write(new RunFolder(dir), d);
        String text = Files.readString(html);
        assertTrue(text.contains("VGG &lt;test&gt;"), "title is escaped");
        assertTrue(text.split("<svg", -1).length - 1 == 6, "six inline charts");
        assertTrue(text.contains("<table class=\"heat\">"), "sensitivity heat map");
        assertTrue(text.contains("<td style=\"background:rgb(255,0,0)\">41.00</td>"), "largest drop is the reddest cell");
        assertFalse(text.contains("<script"), "no scripts");
        assertFalse(text.contains("src=\"http"), "no external resources");
        for (String f : new String[] {"reward.svg", "weighted-bits.svg", "accuracy-vs-size.svg", "bits-per-layer.svg", "fronts.svg",
            "chosen-bits.svg"}) {
            assertTrue(Files.readString(dir.resolve(f)).contains("<svg"), f);
        }
        assertTrue(text.contains("<td class=\"l\">full precision</td>"), "results table");
        assertTrue(text.contains("<td class=\"l\">conv2</td>"), "best-policy table");
    }
}
