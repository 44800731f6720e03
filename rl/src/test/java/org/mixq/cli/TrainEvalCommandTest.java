package org.mixq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.mixq.rl.run.ResultRow;
import org.mixq.rl.run.ResultsFile;

/**
 * mixq train and mixq eval end to end on the built-in synthetic dataset, tiny model, one short
 * epoch. The full-precision run is trained once for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainEvalCommandTest {
    @TempDir
    static Path dir;

    private Path run;

    @BeforeAll
    void train() {
        run = dir.resolve("fp");
        MixqRun r = MixqRun.of("train", "--model", "vgg11", "--width", "0.125", "--dataset", "synthetic", "--epochs", "1",
                "--train-images", "256", "--validation", "128", "--batch-size", "64", "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("epoch 1"), r.out());
    }

    @Test
    void trainWritesTheRunFolderAndEvalReportsAccuracyBitsAndSize() throws IOException {
        List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(2, metrics.size(), "header and one epoch");
        assertTrue(metrics.get(0).startsWith("epoch,lr,train_loss"));
        JsonObject summary = JsonParser.parseString(Files.readString(run.resolve("summary.json"))).getAsJsonObject();
        assertEquals("vgg11", summary.getAsJsonObject("model").get("arch").getAsString());
        assertEquals(32.0, summary.getAsJsonObject("quantization").get("weightedBits").getAsDouble());
        assertTrue(summary.getAsJsonObject("result").has("testAccuracy"));

        Path ckpt = run.resolve("model.ckpt");
        MixqRun full = MixqRun.of("eval", "--checkpoint", ckpt.toString(), "--split", "validation");
        assertEquals(0, full.code(), full.err());
        assertTrue(full.out().contains("accuracy") && full.out().contains("/128, synthetic validation"), full.out());
        assertTrue(full.out().contains("32.000 weighted-average weight bits over 9 layers"), full.out());

        Path policy = dir.resolve("policy.json");
        Files.writeString(policy, "{\"layers\": [{\"name\": \"conv1\", \"wbits\": 8}, {\"name\": \"conv2\", \"wbits\": 2, \"abits\": 4}]}");
        MixqRun quantized = MixqRun.of("eval", "--checkpoint", ckpt.toString(), "--policy", policy.toString(), "--split", "validation");
        assertEquals(0, quantized.code(), quantized.err());
        assertTrue(quantized.out().contains("1 of them with quantized inputs"), quantized.out());
        assertTrue(!quantized.out().contains("32.000 weighted"), quantized.out());
    }

    @Test
    void evalRecordsBothSplitsInAResultsFile() throws IOException {
        Path ckpt = run.resolve("model.ckpt");
        Path search = dir.resolve("search");
        Files.createDirectories(search);
        MixqRun validation = MixqRun.of("eval", "--checkpoint", ckpt.toString(), "--split", "validation");
        MixqRun test = MixqRun.of("eval", "--checkpoint", ckpt.toString());
        MixqRun recorded = MixqRun.of("eval", "--checkpoint", ckpt.toString(), "--results", search.toString());
        assertEquals(0, recorded.code(), recorded.err());

        List<ResultRow> rows = ResultsFile.read(search);
        assertEquals(1, rows.size());
        ResultRow row = rows.get(0);
        assertEquals("full precision", row.method());
        assertTrue(validation.out().contains(String.format(Locale.ROOT, "accuracy  %.2f%% (%d/128,",
                100 * row.validationAccuracy(), Math.round(128 * row.validationAccuracy()))), validation.out());
        assertTrue(test.out().contains(String.format(Locale.ROOT, "accuracy  %.2f%% (", 100 * row.testAccuracy())), test.out());
        assertEquals(32.0, row.weightedBits());
        assertTrue(recorded.out().contains("'full precision' row in " + search.resolve("results.csv")), recorded.out());
    }

    @Test
    void quantizationAwareFineTuningFromACheckpoint() throws IOException {
        Path policy = dir.resolve("policy.json");
        Files.writeString(policy, "{\"layers\": [{\"name\": \"conv3\", \"wbits\": 3}, {\"name\": \"conv4\", \"wbits\": 2, \"abits\": 4}]}");
        Path qat = dir.resolve("qat");
        MixqRun r = MixqRun.of("train", "--init-from", run.resolve("model.ckpt").toString(), "--policy", policy.toString(),
                "--dataset", "synthetic", "--epochs", "1", "--lr", "0.01", "--batch-size", "64", "--out", qat.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("256 train, 128 validation"), "the checkpoint's split is reused: " + r.out());
        assertTrue(r.out().contains("clips    calibrated on 4 batches"), r.out());
        JsonObject summary = JsonParser.parseString(Files.readString(qat.resolve("summary.json"))).getAsJsonObject();
        assertTrue(summary.getAsJsonObject("quantization").get("weightedBits").getAsDouble() < 32);
        MixqRun eval = MixqRun.of("eval", "--checkpoint", qat.resolve("model.ckpt").toString(), "--layers");
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().lines().anyMatch(l -> l.startsWith("conv4") && l.matches(".*\\s2\\s+4$")), eval.out());
    }

    @Test
    void userErrorsAreOneLineWithExitCodeTwo() throws IOException {
        MixqRun unknown = MixqRun.of("train", "--model", "vgg17", "--dataset", "synthetic", "--out", dir.resolve("x").toString());
        assertEquals(Mixq.EXIT_USER_ERROR, unknown.code());
        assertTrue(unknown.err().contains("vgg17") && unknown.err().contains("vgg16"), unknown.err());
        assertEquals(1, unknown.err().strip().lines().count(), unknown.err());

        Path broken = dir.resolve("broken.ckpt");
        Files.writeString(broken, "definitely not a checkpoint");
        MixqRun bad = MixqRun.of("eval", "--checkpoint", broken.toString());
        assertEquals(Mixq.EXIT_USER_ERROR, bad.code());
        assertTrue(bad.err().contains(broken.toString()) && bad.err().contains("bad magic"), bad.err());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
    }
}
