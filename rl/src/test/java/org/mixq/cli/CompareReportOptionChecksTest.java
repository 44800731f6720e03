package org.mixq.cli;

import static org.mixq.cli.Refusals.assertRefused;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixq.rl.config.ConfigJson;
import org.mixq.rl.run.EpisodeRow;
import org.mixq.rl.run.RunFolder;
import picocli.CommandLine;

/** mixq compare and mixq report refuse bad options and folders before they print or write anything. */
class CompareReportOptionChecksTest {
    @TempDir
    static Path dir;
    static Path run;

    /** A run folder of three episodes. */
    @BeforeAll
    static void runFolder() throws IOException {
        run = Files.createDirectories(dir.resolve("run"));
        SearchCommand search = new SearchCommand();
        new CommandLine(search).parseArgs("--checkpoint", "fp.ckpt", "--out", run.toString());
        Files.writeString(new RunFolder(run).searchConfig(), ConfigJson.write(search.config()));
        StringBuilder csv = new StringBuilder(EpisodeRow.HEADER).append('\n');
        for (int e = 0; e < 3; e++) {
            csv.append(new EpisodeRow(e, 0.1 * e, 0.9, 3.0, 3000, 3.0, new int[] {8, 3, 8}, new int[] {32, 32, 32}, 1.0).toCsv())
                    .append('\n');
        }
        Files.writeString(new RunFolder(run).episodes(), csv);
    }

    @Test
    void compareRefusesCountsAndLimitsOutOfRange() {
        assertRefused(dir, "--episodes: expected an integer >= 0, got -1", "compare", "--episodes", "-1", run.toString());
        assertRefused(dir, "--episodes 5: " + run + " has only 3 episodes", "compare", "--episodes", "5", run.toString());
        assertRefused(dir, "--bits: expected a number in (0, 32], got 0", "compare", "--bits", "0", run.toString());
        assertRefused(dir, "--bits: expected a number in (0, 32], got 40", "compare", "--bits", "40", run.toString());
        assertRefused(dir, dir.resolve("none") + " is not a search run folder", "compare", run.toString(), dir.resolve("none").toString());
        assertRefused(dir, "Missing required parameter: 'RUN'", "compare");
    }

    @Test
    void reportRefusesAFolderWithoutASearchAndAnEmptyTitle() {
        assertRefused(dir, "--run: " + dir.resolve("none") + " is not a search run folder", "report", "--run",
                dir.resolve("none").toString());
        assertRefused(dir, "--title: expected a heading, got an empty one", "report", "--run", run.toString(), "--title", " ");
    }
}
