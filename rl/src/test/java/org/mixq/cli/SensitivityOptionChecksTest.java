package org.mixq.cli;

import static org.mixq.cli.Refusals.args;
import static org.mixq.cli.Refusals.assertRefused;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

/** mixq sensitivity refuses out-of-range options, unmeetable budgets and senseless combinations before it reads data. */
class SensitivityOptionChecksTest {
    @TempDir
    static Path dir;
    static Path checkpoint;

    @BeforeAll
    static void files() throws IOException {
        checkpoint = Refusals.checkpoint(dir);
        Files.writeString(dir.resolve("a-file"), "not a folder");
    }

    private static List<String> base() {
        return List.of("sensitivity", "--checkpoint", checkpoint.toString(), "--out", dir.resolve("run").toString());
    }

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of("--bits: expected weight bits 1..8, got 9", new String[] {"--bits", "2,4,9"}),
                Arguments.of("--bits: expected weight bits 1..8, got 0", new String[] {"--bits", "0,2"}),
                Arguments.of("--bits: expected a comma-separated list", new String[] {"--bits", "2,four"}),
                Arguments.of("--finetune-batches: expected an integer >= 0, got -1", new String[] {"--finetune-batches", "-1"}),
                Arguments.of("--finetune-lr: has no effect with --finetune-batches 0", new String[] {"--finetune-lr", "0.1"}),
                Arguments.of("--weight-decay: has no effect with --finetune-batches 0", new String[] {"--weight-decay", "0"}),
                Arguments.of("--finetune-lr: expected a number > 0, got 0",
                        new String[] {"--finetune-batches", "2", "--finetune-lr", "0"}),
                Arguments.of("--weight-decay: expected a number >= 0, got -1",
                        new String[] {"--finetune-batches", "2", "--weight-decay", "-1"}),
                Arguments.of("--batch-size: expected an integer >= 1, got 0", new String[] {"--batch-size", "0"}),
                Arguments.of("--eval-images: expected an integer >= 0, got -5", new String[] {"--eval-images", "-5"}),
                Arguments.of("--calibration-batches: expected an integer >= 1, got 0", new String[] {"--calibration-batches", "0"}),
                Arguments.of("--end-bits: has no effect with --search-ends", new String[] {"--search-ends", "--end-bits", "6"}),
                Arguments.of("--end-bits: expected weight bits 1..8 or 32", new String[] {"--end-bits", "16"}),
                Arguments.of("--time-limit: expected a duration", new String[] {"--time-limit", "soon"}),
                Arguments.of("--target-bits: expected a number in (0, 32]", new String[] {"--target-bits", "33"}),
                Arguments.of("--target-bits: a budget of --cost-model size",
                        new String[] {"--cost-model", "bitops", "--target-bits", "3"}),
                Arguments.of("--target-cost: expected a number > 0, got -2", new String[] {"--target-cost", "-2"}),
                Arguments.of("--max-acc-drop: expected a number in [0, 100], got -0.5", new String[] {"--max-acc-drop", "-0.5"}),
                Arguments.of("--dataset: expected one of", new String[] {"--dataset", "svhn"}),
                Arguments.of("--target-bits 3 cannot be met", new String[] {"--bits", "4,8", "--target-bits", "3"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOptions")
    void isRefusedBeforeAnyWork(String fragment, String[] extra) {
        assertRefused(dir, fragment, args(base(), extra));
    }

    @Test
    void theUnmeetableBudgetNamesTheCandidates() {
        assertRefused(dir, "--target-bits 3 cannot be met: the cheapest policy with the first and last layers at --end-bits 8 and"
                + " the others at --bits 4,8 comes to ", args(base(), "--bits", "8,4", "--target-bits", "3"));
        assertRefused(dir, "--target-bits 3 cannot be met: the cheapest policy with every layer at --bits 4,8 comes to 4.000",
                args(base(), "--bits", "8,4", "--search-ends", "--target-bits", "3"));
    }

    @Test
    void filesAndFoldersAreCheckedFirst() throws IOException {
        assertRefused(dir, "none.ckpt: no such file (--checkpoint)", "sensitivity", "--checkpoint", dir.resolve("none.ckpt").toString(),
                "--out", dir.resolve("run").toString());
        assertRefused(dir, "--out: " + dir.resolve("a-file") + " is a file", "sensitivity", "--checkpoint", checkpoint.toString(),
                "--out", dir.resolve("a-file").toString());
        Path started = Files.createDirectories(dir.resolve("started"));
        SensitivityCommand first = new SensitivityCommand();
        new CommandLine(first).parseArgs("--checkpoint", checkpoint.toString(), "--out", started.toString(), "--bits", "2,4");
        Files.writeString(new RunFolder(started).sensitivityConfig(), ConfigJson.write(first.config()));
        assertRefused(dir, "holds a sensitivity analysis with other options; --bits", "sensitivity", "--checkpoint",
                checkpoint.toString(), "--out", started.toString(), "--bits", "2,8");
    }
}
