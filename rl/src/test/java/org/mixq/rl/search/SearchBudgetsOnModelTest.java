package org.mixq.rl.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import com.google.gson.JsonObject;
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
import org.mixq.rl.env.LatencyTable;
import org.mixq.rl.run.EpisodeRow;
import org.mixq.rl.run.RunFolder;

/** Short searches on a tiny VGG-11 with each cost model, an accuracy budget, a time limit and Ctrl-C. */
class SearchBudgetsOnModelTest {
    /** Forced for the in-process searches below; put back after the class. */
    private static SystemProperties properties;
    @TempDir
    static Path dir;
    static Path checkpoint;
    static List<QuantLayerInfo> layers;

    @BeforeAll
    static void train() throws IOException {
        properties = SystemProperties.set("mixq.backend", "cpu", "mixq.threads", "2");
        checkpoint = SearchFixture.checkpoint(dir);
        try (Backend backend = new CpuBackend(1); Model m = ModelCheckpoints.load(backend, checkpoint).model()) {
            layers = m.quantLayerInfos();
        }
    }

    @AfterAll
    static void restoreProperties() {
        properties.close();
    }

    private static List<String> args(Path out, int episodes, String... extra) {
        List<String> a = SearchFixture.searchArgs(checkpoint, out, episodes);
        int i = a.indexOf("--target-bits");
        a.remove(i + 1);
        a.remove(i);
        a.addAll(List.of(extra));
        return a;
    }

    private static JsonObject json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    @Test
    void bitOpsBudgetHoldsForEveryEpisodeAndIsRecorded() throws IOException {
        Path out = dir.resolve("bitops");
        // Ends fixed at 8 bits, the searched layers at 3 on average: reachable, since they may go down to 2.
        double target = 0;
        for (int i = 0; i < layers.size(); i++) {
            target += (i == 0 || i == layers.size() - 1 ? 8.0 : 3.0) * 32 * layers.get(i).macs();
        }
        assertEquals(0, Mixq.run(args(out, 4, "--cost-model", "bitops", "--target-bitops", Double.toString(target))
                .toArray(String[]::new)));
        assertEquals("bitops", json(new RunFolder(out).searchConfig()).getAsJsonObject("budget").get("costModel").getAsString());
        for (EpisodeRow r : SearchRun.readAll(new RunFolder(out))) {
            assertTrue(r.cost() <= target, r.toString());
        }
        JsonObject best = json(new RunFolder(out).bestPolicy());
        assertEquals("bitops", best.get("costModel").getAsString());
        assertEquals(best.get("cost").getAsDouble(), best.getAsJsonObject("costs").get("bitops").getAsDouble());
    }

    @Test
    void latencyTableCostsAreTheTablesSums() throws IOException {
        Path table = dir.resolve("latency.csv");
        StringBuilder s = new StringBuilder(LatencyTable.HEADER).append('\n');
        for (QuantLayerInfo l : layers) {
            for (int w = 2; w <= 8; w++) {
                s.append(l.name()).append(',').append(w).append(",32,").append(w * 0.5).append('\n');
            }
        }
        Files.writeString(table, s.toString());
        Path out = dir.resolve("latency");
        assertEquals(0, Mixq.run(args(out, 3, "--cost-model", "latency", "--latency-table", table.toString(), "--target-cost",
                Double.toString(4 * 0.5 * layers.size())).toArray(String[]::new)));
        for (EpisodeRow r : SearchRun.readAll(new RunFolder(out))) {
            double sum = 0;
            for (int w : r.weightBits()) {
                sum += w * 0.5;
            }
            assertEquals(sum, r.cost(), 1e-9);
        }
    }

    @Test
    void accuracyBudgetChoosesTheCheapestEpisodeWithinIt() throws IOException {
        Path out = dir.resolve("drop");
        assertEquals(0, Mixq.run(args(out, 5, "--max-acc-drop", "100").toArray(String[]::new)));
        List<EpisodeRow> rows = SearchRun.readAll(new RunFolder(out));
        EpisodeRow cheapest = rows.get(0);
        for (EpisodeRow r : rows) {
            cheapest = r.cost() < cheapest.cost() ? r : cheapest;
        }
        JsonObject best = json(new RunFolder(out).bestPolicy());
        assertEquals(cheapest.episode(), best.get("episode").getAsInt());
        assertEquals(0, json(new RunFolder(out).searchConfig()).getAsJsonObject("budget").getAsJsonObject("target").get("targetBits").getAsDouble(), "unconstrained");
        assertTrue(best.get("meetsBudget").getAsBoolean());
    }

    @Test
    void timeLimitStopsBetweenEpisodesAndTheRunResumes() throws IOException {
        Path out = dir.resolve("timed");
        assertEquals(0, Mixq.run(args(out, 200, "--time-limit", "3s").toArray(String[]::new)));
        int done = SearchRun.readAll(new RunFolder(out)).size();
        assertTrue(done >= 1 && done < 200, "episodes before the limit: " + done);
        assertEquals(0, Mixq.run(args(out, done + 2).toArray(String[]::new)));
        assertEquals(done + 2, SearchRun.readAll(new RunFolder(out)).size());
    }

    @Test
    void ctrlCLeavesAResumableRunWithItsBestPolicy() throws Exception {
        assumeFalse(sigintIgnored(), "SIGINT is ignored here (a background job of a non-interactive shell passes that on"
                + " to its children, and the JVM then never sees Ctrl-C): run the tests in the foreground");
        Path out = dir.resolve("interrupted");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Dmixq.backend=cpu", "-Dmixq.threads=2", "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), Mixq.class.getName()));
        cmd.addAll(args(out, 200, "--max-acc-drop", "100"));
        File log = dir.resolve("interrupted.log").toFile();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (rows(out) < 2 && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(p.isAlive(), () -> "the search ended before it was interrupted: " + read(log));
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the search did not stop on SIGINT");
        SearchCheckpoint ckpt = SearchCheckpoint.read(new RunFolder(out).searchCheckpoint());
        assertTrue(ckpt.episodes() >= 2 && ckpt.episodes() < 200, "episodes " + ckpt.episodes());
        assertTrue(json(new RunFolder(out).bestPolicy()).has("layers"));
        int resumeTo = ckpt.episodes() + 1;
        assertEquals(0, Mixq.run(args(out, resumeTo, "--max-acc-drop", "100").toArray(String[]::new)), () -> read(log));
        assertEquals(resumeTo, SearchRun.readAll(new RunFolder(out)).size());
    }

    /** Linux: bit 2 (SIGINT) of the ignored-signals mask in /proc/self/status; false where that is absent. */
    private static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 1)) != 0;
            }
        }
        return false;
    }

    private static int rows(Path out) throws IOException {
        Path csv = new RunFolder(out).episodes();
        return Files.exists(csv) ? Math.max(0, Files.readAllLines(csv).size() - 1) : 0;
    }

    private static String read(File f) {
        try {
            return Files.readString(f.toPath());
        } catch (IOException e) {
            return e.toString();
        }
    }
}
