package org.mixq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixq.rl.config.ConfigJson;
import org.mixq.rl.report.RunSummary;
import org.mixq.rl.run.EpisodeRow;
import org.mixq.rl.run.RunFolder;
import org.mixq.rl.search.SearchConfig;
import picocli.CommandLine;

/** mixq compare on hand-written run folders. */
class CompareCommandTest {
    @TempDir
    Path dir;

    private Path run(String name, String[] options, EpisodeRow... rows) throws IOException {
        SearchCommand cmd = new SearchCommand();
        List<String> args = new ArrayList<>(List.of("--checkpoint", "fp.ckpt", "--out", name, "--episodes", "200"));
        args.addAll(List.of(options));
        new CommandLine(cmd).parseArgs(args.toArray(String[]::new));
        SearchConfig config = cmd.config();
        Path folder = dir.resolve(name);
        Files.createDirectories(folder);
        Files.writeString(new RunFolder(folder).searchConfig(), ConfigJson.write(config));
        StringBuilder csv = new StringBuilder(EpisodeRow.HEADER).append('\n');
        for (EpisodeRow r : rows) {
            csv.append(r.toCsv()).append('\n');
        }
        Files.writeString(new RunFolder(folder).episodes(), csv.toString());
        return folder;
    }

    private static EpisodeRow row(int episode, double reward, double accuracy, double bits) {
        return new EpisodeRow(episode, reward, accuracy, bits, (long) (1000 * bits), bits, new int[] {8, 3, 8},
                new int[] {32, 32, 32}, 10.0);
    }

    private static MixqRun mixq(int expectedCode, String... args) {
        MixqRun r = MixqRun.of(args);
        assertEquals(expectedCode, r.code(), r.err());
        return r;
    }

    @Test
    void summaryPicksHighestRewardAndMostAccurateWithinTheBudget() throws IOException {
        Path a = run("a", new String[] {"--reward", "haq"},
                row(0, 0.5, 0.90, 3.5), row(1, 0.7, 0.88, 2.9), row(2, 0.6, 0.89, 3.0), row(3, 0.1, 0.89, 2.5),
                row(4, 0.9, 0.95, 4.0));
        RunSummary all = RunSummary.of(a, Double.NaN);
        assertEquals(3.0, all.bitsLimit(), "the run's --target-bits");
        assertEquals(4, all.bestReward().episode());
        assertEquals(3, all.bestWithin().episode(), "equal accuracy at fewer bits wins");
        assertEquals(50.0, all.seconds());

        RunSummary first3 = all.firstEpisodes(3);
        assertEquals(1, first3.bestReward().episode());
        assertEquals(2, first3.bestWithin().episode());
        assertEquals(30.0, first3.seconds());
        assertEquals(null, RunSummary.of(a, 2.0).bestWithin());
    }

    @Test
    void comparesRunsAtTheShortestLengthAndNamesTheOptionsThatDiffer() throws IOException {
        Path a = run("haq-both", new String[] {"--reward", "haq", "--prior", "both"},
                row(0, 0.5, 0.90, 3.0), row(1, 0.7, 0.91, 2.9), row(2, 0.9, 0.99, 2.0));
        Path b = run("thesis-none", new String[] {"--reward", "thesis", "--prior", "none"},
                row(0, 0.2, 0.80, 5.0), row(1, 0.3, 0.85, 2.5));
        String out = mixq(0, "compare", a.toString(), b.toString()).out();
        assertTrue(out.contains("first 2 episodes of 2 run(s); options that differ: reward, prior"), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("haq-both") && l.contains(" haq ") && l.contains(" both ")
                && l.contains("91.00%  2.90 (1)") && l.contains("0m20s")), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("thesis-none") && l.contains("85.00%  2.50 <= 3.00, 2.5 kB (1)")), out);

        String three = mixq(0, "compare", "--episodes", "3", "--bits", "2", a.toString()).out();
        assertTrue(three.contains("99.00%  2.00 <= 2.00"), three);
    }

    @Test
    void aFolderThatIsNoRunIsOneLineAndExitTwo() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        String err = mixq(Mixq.EXIT_USER_ERROR, "compare", empty.toString()).err();
        assertTrue(err.contains(empty + " is not a search run folder"), err);
        assertEquals(1, err.strip().lines().count(), err);
    }
}
