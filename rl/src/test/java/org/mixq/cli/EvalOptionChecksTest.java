package org.mixq.cli;

import static org.mixq.cli.Refusals.args;
import static org.mixq.cli.Refusals.assertRefused;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** mixq eval refuses bad options before it reads data, and a results folder it could not write its row to. */
class EvalOptionChecksTest {
    @TempDir
    static Path dir;
    static Path checkpoint;

    @BeforeAll
    static void files() throws IOException {
        checkpoint = Refusals.checkpoint(dir);
        Files.writeString(dir.resolve("a-file"), "not a folder");
        Path damaged = Files.createDirectories(dir.resolve("damaged"));
        Files.writeString(damaged.resolve("results.csv"), "method,val_acc,test_acc,weighted_bits,size_bytes\nmixq,0.9\n");
        Files.createDirectories(dir.resolve("results"));
    }

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of("--split: expected test, validation, got 'train'", new String[] {"--split", "train"}),
                Arguments.of("--batch-size: expected an integer >= 1, got 0", new String[] {"--batch-size", "0"}),
                Arguments.of("missing.json: no such file (--policy)", new String[] {"--policy", dir.resolve("missing.json").toString()}),
                Arguments.of("--results: " + dir.resolve("nowhere") + " does not exist, expected a folder",
                        new String[] {"--results", dir.resolve("nowhere").toString()}),
                Arguments.of("--results: " + dir.resolve("a-file") + " is a file",
                        new String[] {"--results", dir.resolve("a-file").toString()}),
                Arguments.of("--results: " + dir.resolve("damaged").resolve("results.csv") + ": line 2 has 2 columns",
                        new String[] {"--results", dir.resolve("damaged").toString()}),
                Arguments.of("--method: has no effect without --results", new String[] {"--method", "mine"}),
                Arguments.of("--method: expected a name on one line", new String[] {"--results", dir.resolve("results").toString(),
                    "--method", " "}),
                Arguments.of("--dataset: expected one of", new String[] {"--dataset", "imagenet"}),
                Arguments.of("fp.ckpt: the model takes 3x32x32 images in 10 classes, cifar100 has 3x32x32 in 100",
                        new String[] {"--dataset", "cifar100"}),
                Arguments.of("--data-dir: ", new String[] {"--data-dir", dir.resolve("nowhere").toString()}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOptions")
    void isRefusedBeforeAnyWork(String fragment, String[] extra) {
        assertRefused(dir, fragment, args(List.of("eval", "--checkpoint", checkpoint.toString()), extra));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOptions")
    void aMissingCheckpointComesFirst(String unused, String[] extra) {
        assertRefused(dir, "none.ckpt: no such file (--checkpoint)",
                args(List.of("eval", "--checkpoint", dir.resolve("none.ckpt").toString()), extra));
    }
}
