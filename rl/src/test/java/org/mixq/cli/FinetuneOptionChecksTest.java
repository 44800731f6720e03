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

/** mixq finetune refuses bad options, files and folders before it reads data or fine-tunes. */
class FinetuneOptionChecksTest {
    @TempDir
    static Path dir;
    static Path checkpoint;
    static Path policy;

    @BeforeAll
    static void files() throws IOException {
        checkpoint = Refusals.checkpoint(dir);
        policy = Files.writeString(dir.resolve("policy.json"), "{\"layers\": [{\"name\": \"conv2\", \"wbits\": 4}]}");
        Files.writeString(dir.resolve("nine.json"), "{\"layers\": [{\"name\": \"conv2\", \"wbits\": 9}]}");
        Files.writeString(dir.resolve("a-file"), "not a folder");
    }

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of("--epochs: expected an integer >= 1, got 0", new String[] {"--epochs", "0"}),
                Arguments.of("--lr: expected a number > 0, got 0", new String[] {"--lr", "0"}),
                Arguments.of("--weight-decay: expected a number >= 0, got -1", new String[] {"--weight-decay", "-1"}),
                Arguments.of("--batch-size: expected an integer >= 1, got 0", new String[] {"--batch-size", "0"}),
                Arguments.of("--out: " + dir.resolve("a-file") + " is a file", new String[] {"--out", dir.resolve("a-file").toString()}),
                Arguments.of("missing.json: no such file (--policy)", new String[] {"--policy", dir.resolve("missing.json").toString()}),
                Arguments.of(dir.resolve("nine.json") + ": ", new String[] {"--policy", dir.resolve("nine.json").toString()}),
                Arguments.of("--results: " + dir.resolve("nowhere") + " does not exist", new String[] {"--results",
                    dir.resolve("nowhere").toString()}),
                Arguments.of("--method: has no effect without --results", new String[] {"--method", "mine"}),
                Arguments.of("--dataset: expected one of", new String[] {"--dataset", "imagenet"}),
                Arguments.of("--data-dir: ", new String[] {"--data-dir", dir.resolve("nowhere").toString()}),
                Arguments.of("none.ckpt: no such file (--checkpoint)",
                        new String[] {"--checkpoint", dir.resolve("none.ckpt").toString()}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOptions")
    void isRefusedBeforeAnyWork(String fragment, String[] extra) {
        assertRefused(dir, fragment, args("finetune", new String[][] {{"--checkpoint", checkpoint.toString()},
            {"--policy", policy.toString()}, {"--out", dir.resolve("ft").toString()}}, extra));
    }

    @Test
    void anOutputFolderHoldingTheCheckpointIsRefused() throws IOException {
        Path fp = Files.createDirectories(dir.resolve("fp"));
        Path own = Files.copy(checkpoint, fp.resolve("model.ckpt"));
        assertRefused(dir, "--out: " + fp + " would overwrite --checkpoint " + own, "finetune", "--checkpoint", own.toString(),
                "--policy", policy.toString(), "--out", fp.toString());
    }
}
