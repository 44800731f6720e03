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

/** mixq train refuses out-of-range options and senseless combinations before it builds a model or reads data. */
class TrainOptionChecksTest {
    @TempDir
    static Path dir;
    static Path checkpoint;
    static Path policy;

    @BeforeAll
    static void files() throws IOException {
        checkpoint = Refusals.checkpoint(dir);
        policy = Files.writeString(dir.resolve("policy.json"), "{\"layers\": [{\"name\": \"conv2\", \"wbits\": 4, \"abits\": 4}]}");
        Files.writeString(dir.resolve("a-file"), "not a folder");
    }

    private static String[] fresh(String... extra) {
        return args("train", new String[][] {{"--model", "vgg11"}, {"--width", "0.125"}, {"--dataset", "synthetic"},
            {"--out", dir.resolve("run").toString()}}, extra);
    }

    private static List<String> fromCheckpoint() {
        return List.of("train", "--init-from", checkpoint.toString(), "--dataset", "synthetic", "--out", dir.resolve("qat").toString());
    }

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of("--batch-size: expected an integer >= 1, got 0", new String[] {"--batch-size", "0"}),
                Arguments.of("--epochs: expected an integer >= 1, got 0", new String[] {"--epochs", "0"}),
                Arguments.of("--lr: expected a number > 0, got 0", new String[] {"--lr", "0"}),
                Arguments.of("--lr: expected a number > 0, got -0.1", new String[] {"--lr", "-0.1"}),
                Arguments.of("--momentum: expected a number in [0, 1), got 1", new String[] {"--momentum", "1"}),
                Arguments.of("--weight-decay: expected a number >= 0", new String[] {"--weight-decay", "-1e-4"}),
                Arguments.of("--schedule: expected cosine, step, constant, got 'linear'", new String[] {"--schedule", "linear"}),
                Arguments.of("--label-smoothing: expected a number in [0, 1), got 1", new String[] {"--label-smoothing", "1"}),
                Arguments.of("--steps-per-epoch: expected an integer >= 0, got -1", new String[] {"--steps-per-epoch", "-1"}),
                Arguments.of("--validation: expected an integer >= 0, got -1", new String[] {"--validation", "-1"}),
                Arguments.of("--validation: expected 0..19999, the images held out of the 20000 training images of synthetic",
                        new String[] {"--validation", "20000"}),
                Arguments.of("--train-images: expected an integer >= 0, got -5", new String[] {"--train-images", "-5"}),
                Arguments.of("--train-images 19000 and --validation 5000: more than the 20000 training images of synthetic;"
                        + " expected --train-images at most 15000", new String[] {"--train-images", "19000"}),
                Arguments.of("--width: expected a number > 0, got 0", new String[] {"--width", "0"}),
                Arguments.of("--model: unknown architecture 'vgg17'", new String[] {"--model", "vgg17"}),
                Arguments.of("--dataset: expected one of", new String[] {"--dataset", "imagenet"}),
                Arguments.of("--data-dir: ", new String[] {"--data-dir", dir.resolve("nowhere").toString()}),
                Arguments.of("--out: ", new String[] {"--out", dir.resolve("a-file").toString()}),
                Arguments.of("missing.json: no such file (--policy)", new String[] {"--policy", dir.resolve("missing.json").toString()}),
                Arguments.of("--calibrate-batches: has no effect without --policy", new String[] {"--calibrate-batches", "4"}),
                Arguments.of("--calibrate-batches: expected an integer >= 0, got -1",
                        new String[] {"--policy", dir.resolve("policy.json").toString(), "--calibrate-batches", "-1"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOptions")
    void isRefusedBeforeAnyWork(String fragment, String[] extra) {
        assertRefused(dir, fragment, fresh(extra));
    }

    @Test
    void withoutAModelOrACheckpointThereIsNothingToTrain() {
        assertRefused(dir, "train: give --model (or --init-from a checkpoint)", "train", "--dataset", "synthetic", "--out",
                dir.resolve("run").toString());
    }

    @Test
    void aPolicyThatDoesNotFitTheModelIsRefusedBeforeTheData() throws IOException {
        Path wrong = Files.writeString(dir.resolve("wrong.json"), "{\"layers\": [{\"name\": \"conv99\", \"wbits\": 4}]}");
        assertRefused(dir, wrong + ": ", fresh("--policy", wrong.toString()));
        assertRefused(dir, wrong + ": ", args(fromCheckpoint(), "--policy", wrong.toString()));
    }

    @Test
    void fineTuningACheckpointRefusesWhatItWouldIgnore() throws IOException {
        assertRefused(dir, "--model: has no effect with --init-from", args(fromCheckpoint(), "--model", "vgg13"));
        assertRefused(dir, "--width: has no effect with --init-from", args(fromCheckpoint(), "--width", "0.5"));
        assertRefused(dir, "--validation: has no effect with --init-from a checkpoint trained on synthetic (its split is reused)",
                args(fromCheckpoint(), "--validation", "100"));
        assertRefused(dir, "--train-images: has no effect with --init-from", args(fromCheckpoint(), "--train-images", "100"));
        assertRefused(dir, "missing.ckpt: no such file (--init-from)", "train", "--init-from", dir.resolve("missing.ckpt").toString(),
                "--dataset", "synthetic", "--out", dir.resolve("qat").toString());
        Path fp = Files.createDirectories(dir.resolve("fp"));
        Path own = Files.copy(checkpoint, fp.resolve("model.ckpt"));
        assertRefused(dir, "--out: " + fp + " would overwrite --init-from " + own, "train", "--init-from", own.toString(),
                "--dataset", "synthetic", "--out", fp.toString());
    }
}
