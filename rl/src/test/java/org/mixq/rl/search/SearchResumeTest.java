package org.mixq.rl.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixq.cli.Mixq;
import org.mixq.core.testing.SystemProperties;
import org.mixq.rl.run.EpisodeRow;
import org.mixq.rl.run.RunFolder;

/**
 * Kills a search with SIGKILL at random moments, resumes it each time, and checks that no
 * checkpoint is ever unreadable and that the finished episodes.csv equals an uninterrupted
 * run's row for row (wall time aside).
 */
class SearchResumeTest {
    /** Forced for the in-process searches below; put back after the class. */
    private static SystemProperties properties;
    private static final int EPISODES = 24;
    private static final int KILLS = 5;

    @TempDir
    static Path dir;
    static Path checkpoint;

    @BeforeAll
    static void train() throws IOException {
        properties = SystemProperties.set("mixq.backend", "cpu", "mixq.threads", "2");
        checkpoint = SearchFixture.checkpoint(dir);
    }

    @AfterAll
    static void restoreProperties() {
        properties.close();
    }

    @Test
    void killedAndResumedRunEqualsUninterruptedRun() throws Exception {
        Path straight = dir.resolve("straight");
        assertEquals(0, Mixq.run(SearchFixture.searchArgs(checkpoint, straight, EPISODES).toArray(String[]::new)));
        List<String> expected = deterministic(straight);
        assertEquals(EPISODES, expected.size());

        Path killed = dir.resolve("killed");
        SplittableRandom rnd = new SplittableRandom(11);
        int kills = 0;
        int attempts = 0;
        while (kills < KILLS && attempts++ < 4 * KILLS) {
            int before = rows(killed);
            Process p = start(killed);
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (p.isAlive() && rows(killed) <= before && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(rnd.nextInt(300));
            if (!p.isAlive()) {
                break;
            }
            p.destroyForcibly().waitFor();
            kills++;
            Path ckpt = new RunFolder(killed).searchCheckpoint();
            if (Files.exists(ckpt)) {
                SearchCheckpoint.read(ckpt);
            }
        }
        Process last = start(killed);
        assertEquals(0, last.waitFor(), () -> "resumed search failed: " + readLog(killed));
        assertEquals(KILLS, kills, "the search finished before it was killed " + KILLS + " times");
        assertEquals(expected, deterministic(killed));
    }

    /** Episodes finished so far (rows of episodes.csv), 0 before the file exists. */
    private static int rows(Path run) throws IOException {
        Path file = new RunFolder(run).episodes();
        if (!Files.exists(file)) {
            return 0;
        }
        try {
            return Math.max(0, Files.readAllLines(file).size() - 1);
        } catch (java.nio.charset.MalformedInputException e) {
            return 0;
        }
    }

    private static List<String> deterministic(Path run) throws IOException {
        List<String> rows = new ArrayList<>();
        for (EpisodeRow r : SearchRun.readAll(new RunFolder(run))) {
            rows.add(r.deterministicPart());
        }
        return rows;
    }

    private static Process start(Path out) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Dmixq.backend=cpu", "-Dmixq.threads=2", "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), Mixq.class.getName()));
        cmd.addAll(SearchFixture.searchArgs(checkpoint, out, EPISODES));
        File log = dir.resolve("search-" + out.getFileName() + ".log").toFile();
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
    }

    private static String readLog(Path out) {
        try {
            return Files.readString(dir.resolve("search-" + out.getFileName() + ".log"));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
