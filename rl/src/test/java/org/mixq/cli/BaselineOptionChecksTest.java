package org.mixq.cli;

import static org.mixq.cli.Refusals.args;
import static org.mixq.cli.Refusals.assertRefused;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mixq.rl.config.ConfigJson;
import org.mixq.rl.run.RunFolder;
import picocli.CommandLine;

/** mixq baseline refuses bad widths, counts and combinations, and a search protocol it cannot follow, before it reads data. */
class BaselineOptionChecksTest {
    @TempDir
    static Path dir;
    static Path checkpoint;

    @BeforeAll
    static void files() throws IOException {
        checkpoint = Refusals.checkpoint(dir);
        Files.writeString(dir.resolve("a-file"), "not a folder");
    }

    private static String[] baseline(String... extra) {
        return args("baseline", new String[][] {{"--checkpoint", checkpoint.toString()}, {"--out", dir.resolve("run").toString()}},
                extra);
    }

    /** A run folder whose config.json is a search's with {@code options}. */
    private static Path searchFolder(String name, String... options) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        SearchCommand search = new SearchCommand();
        new CommandLine(search).parseArgs(args(java.util.List.of("--checkpoint", checkpoint.toString(), "--out", folder.toString()),
                options));
        Files.writeString(new RunFolder(folder).searchConfig(), ConfigJson.write(search.config()));
        return folder;
    }

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of("baseline: give --uniform BITS[,BITS...] and/or --random N", new String[0]),
                Arguments.of("--uniform: expected weight bits 1..8, got 0", new String[] {"--uniform", "2,0"}),
                Arguments.of("--uniform: expected weight bits 1..8, got 33", new String[] {"--uniform", "33"}),
                Arguments.of("--random: expected an integer >= 0, got -1", new String[] {"--uniform", "3", "--random", "-1"}),
                Arguments.of("--epochs: expected an integer >= 0, got -1", new String[] {"--uniform", "3", "--epochs", "-1"}),
                Arguments.of("--epochs: fine-tunes the --uniform policies; give --uniform",
                        new String[] {"--random", "4", "--epochs", "2"}),
                Arguments.of("--lr: has no effect with --epochs 0", new String[] {"--uniform", "3", "--lr", "0.1"}),
                Arguments.of("--lr: expected a number > 0, got 0", new String[] {"--uniform", "3", "--epochs", "1", "--lr", "0"}),
                Arguments.of("--data-dir: ", new String[] {"--uniform", "3", "--data-dir", dir.resolve("nowhere").toString()}),
                Arguments.of("--out: ", new String[] {"--uniform", "3", "--out", dir.resolve("a-file").toString()}),
                Arguments.of("none.ckpt: no such file (--checkpoint)",
                        new String[] {"--uniform", "3", "--checkpoint", dir.resolve("none.ckpt").toString()}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOptions")
    void isRefusedBeforeAnyWork(String fragment, String[] extra) {
        assertRefused(dir, fragment, baseline(extra));
    }

    @Test
    void theSearchProtocolDecidesWhatElseIsPossible() throws IOException {
        Path activations = searchFolder("activations", "--quantize-activations");
        assertRefused(dir, "--uniform (the search in " + activations + " quantizes activations): expected activation bits 2..8, got 1",
                baseline("--out", activations.toString(), "--uniform", "1"));
        Path narrow = searchFolder("narrow", "--min-bits", "5", "--target-bits", "3");
        assertRefused(dir, "baseline with the search in " + narrow + ": --target-bits 3 cannot be met",
                baseline("--out", narrow.toString(), "--random", "2"));
        Path broken = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(new RunFolder(broken).searchConfig(), "{\"seed\": ");
        assertRefused(dir, new RunFolder(broken).searchConfig() + ": unreadable configuration", baseline("--out", broken.toString(),
                "--uniform", "3"));
    }
}
