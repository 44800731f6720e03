package org.mixq.cli;

import static org.junit.jupiter.api.Assumptions.assumeFalse;
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
import org.mixq.data.Datasets;

/**
 * mixq data, mixq demo and mixq info refuse bad arguments in one line before any work; the demo
 * checks every stage's options, the search's budget included, before it trains.
 */
class DataDemoInfoOptionChecksTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void files() throws IOException {
        Files.writeString(dir.resolve("a-file"), "not a folder");
    }

    @Test
    void dataRefusesAFileForAFolderAndAnAddressItCannotOpen() {
        assertRefused(dir, "--dir: " + dir.resolve("a-file") + " is a file", "data", "cifar10", "--dir", dir.resolve("a-file").toString());
        assertRefused(dir, "--url: expected an address starting with https://, http://, ftp://, file://, got 'mirror/cifar.tar.gz'",
                "data", "cifar10", "--dir", dir.resolve("d").toString(), "--url", "mirror/cifar.tar.gz");
        assertRefused(dir, "--url: expected an address starting with", "data", "cifar100", "--dir", dir.resolve("d").toString(),
                "--url", "gopher://example.org/c.tgz");
        assertRefused(dir, "dataset: 'svhn' is not cifar10 or cifar100", "data", "svhn", "--dir", dir.resolve("d").toString());
    }

    static Stream<Arguments> badDemoOptions() {
        return Stream.of(
                Arguments.of("--model: unknown architecture 'vgg17'", new String[] {"--model", "vgg17"}),
                Arguments.of("--width: expected a number > 0, got 0", new String[] {"--width", "0"}),
                Arguments.of("--width: expected a number, got 'wide'", new String[] {"--width", "wide"}),
                Arguments.of("--train-images: expected an integer >= 1, got 0", new String[] {"--train-images", "0"}),
                Arguments.of("--train-images: expected at most 19000 (synthetic has 20000 training images, 1000 of them held out),"
                        + " got 19500", new String[] {"--train-images", "19500"}),
                Arguments.of("--epochs: expected an integer >= 1, got 0", new String[] {"--epochs", "0"}),
                Arguments.of("--episodes: expected an integer >= 1, got 0", new String[] {"--episodes", "0"}),
                Arguments.of("--target-bits: expected a number in (0, 32], got 0", new String[] {"--target-bits", "0"}),
                Arguments.of("--target-bits: expected a number, got 'three'", new String[] {"--target-bits", "three"}),
                Arguments.of("--finetune-epochs: expected an integer >= 1, got 0", new String[] {"--finetune-epochs", "0"}),
                Arguments.of("--dataset: expected one of", new String[] {"--dataset", "imagenet"}),
                Arguments.of("--out: " + dir.resolve("a-file") + " is a file", new String[] {"--out", dir.resolve("a-file").toString()}),
                // with the first and last layers at 8 bits and the others at 2 or more, VGG-11 averages more than 2 bits
                Arguments.of("--target-bits 1.5 cannot be met: the cheapest policy with the first and last layers at --end-bits 8",
                        new String[] {"--target-bits", "1.5"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDemoOptions")
    void demoIsRefusedBeforeItTrains(String fragment, String[] extra) {
        assertRefused(dir, fragment, args("demo", new String[][] {{"--dataset", "synthetic"}, {"--out", dir.resolve("demo").toString()}},
                extra));
    }

    @Test
    void demoRefusesADatasetThatIsNotHere() {
        assumeFalse(Datasets.present("cifar100", null), "CIFAR-100 is installed here");
        assertRefused(dir, "--dataset cifar100: ", "demo", "--dataset", "cifar100", "--out", dir.resolve("demo").toString());
    }

    @Test
    void infoTakesNoArguments() {
        assertRefused(dir, "Unmatched argument at index 1: 'extra' (see 'mixq info --help')", "info", "extra");
        assertRefused(dir, "Unknown option: '--verbose'", "info", "--verbose");
    }
}
