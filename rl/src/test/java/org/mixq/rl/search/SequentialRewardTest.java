package org.mixq.rl.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixq.cli.Mixq;
import org.mixq.core.Backend;
import org.mixq.core.cpu.CpuBackend;
import org.mixq.core.testing.SystemProperties;
import org.mixq.nn.checkpoint.ModelCheckpoints;
import org.mixq.nn.models.Model;
import org.mixq.nn.quant.QuantLayerInfo;
import org.mixq.rl.run.EpisodeRow;
import org.mixq.rl.run.RunFolder;

/**
 * The sequential schedule pays the reward that --reward names: HAQ's 0.1 x accuracy delta
 * (its steps telescope to it, and the per-step cap keeps the budget), or the thesis's, which
 * also charges the bit widths.
 */
class SequentialRewardTest {
    private static SystemProperties properties;
    @TempDir
    static Path dir;
    static Path checkpoint;
    static long params;

    @BeforeAll
    static void train() throws IOException {
        properties = SystemProperties.set("mixq.backend", "cpu", "mixq.threads", "2");
        checkpoint = SearchFixture.checkpoint(dir);
        try (Backend backend = new CpuBackend(1); Model m = ModelCheckpoints.load(backend, checkpoint).model()) {
            params = m.quantLayerInfos().stream().mapToLong(QuantLayerInfo::params).sum();
        }
    }

    @AfterAll
    static void restoreProperties() {
        properties.close();
    }

    private static List<EpisodeRow> search(String name, String reward) throws IOException {
        Path out = dir.resolve(name);
        List<String> args = SearchFixture.searchArgs(checkpoint, out, 3);
        args.addAll(List.of("--schedule", "sequential", "--reward", reward));
        assertEquals(0, Mixq.run(args.toArray(String[]::new)));
        return SearchRun.readAll(new RunFolder(out));
    }

    private static double fullPrecisionAccuracy(String name) throws IOException {
        return JsonParser.parseString(Files.readString(new RunFolder(dir.resolve(name)).bestPolicy())).getAsJsonObject()
                .get("fullPrecisionValidationAccuracy").getAsDouble();
    }

    @Test
    void haqPaysTheAccuracyDeltaAndKeepsTheBudget() throws IOException {
        List<EpisodeRow> rows = search("haq", "haq");
        double fp = fullPrecisionAccuracy("haq");
        for (EpisodeRow r : rows) {
            assertEquals(0.1 * 100 * (r.accuracy() - fp), r.reward(), 1e-9, r.toString());
            assertTrue(r.cost() <= 4.0 * params, "the 4-bit budget: " + r);
        }
    }

    @Test
    void thesisAlsoChargesTheBits() throws IOException {
        List<EpisodeRow> rows = search("thesis", "thesis");
        double fp = fullPrecisionAccuracy("thesis");
        for (EpisodeRow r : rows) {
            assertTrue(r.reward() < 0.1 * 100 * (r.accuracy() - fp) - 1e-6, "a bit-width term is subtracted: " + r);
        }
    }
}
