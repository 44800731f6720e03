package org.mixq.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shape and the training-image count known before loading are those of what every loader gives. */
class DatasetShapeTest {
    @TempDir
    Path dir;

    private static void assertShape(Datasets.Shape expected, Dataset d) {
        assertEquals(expected, new Datasets.Shape(d.channels(), d.height(), d.width(), d.classes()), d.name());
    }

    @Test
    void eachFormatsShapeIsWhatItsLoaderGives() throws IOException {
        assertShape(Datasets.shape("synthetic"), Datasets.synthetic(1, 20, 10).train());
        DataFiles.writeCifar10(dir.resolve("c10"));
        assertShape(Datasets.shape("CIFAR10"), Datasets.load("cifar10", dir.resolve("c10")).train());
        Path c100 = Files.createDirectories(dir.resolve("c100"));
        Files.write(c100.resolve("train.bin"), DataFiles.cifarRecords(0, new int[][] {{3, 99}}));
        Files.write(c100.resolve("test.bin"), DataFiles.cifarRecords(1, new int[][] {{7, 70}}));
        assertShape(Datasets.shape("cifar100"), Datasets.load("cifar100", c100).train());
        DataFiles.writeIdxSet(dir.resolve("idx"), 4, 2, false);
        assertShape(Datasets.shape("mnist"), Datasets.load("mnist", dir.resolve("idx")).train());
        assertShape(Datasets.shape("fashion-mnist"), Datasets.load("fashion-mnist", dir.resolve("idx")).train());
    }

    @Test
    void theTrainingImagesAreCountedWithoutLoadingThem() throws IOException {
        assertEquals(Datasets.SYNTHETIC_TRAIN, Datasets.trainImages("synthetic", null));
        DataFiles.writeCifar10(dir.resolve("c10"));
        assertEquals(Datasets.load("cifar10", dir.resolve("c10")).train().size(), Datasets.trainImages("cifar10", dir.resolve("c10")));
        for (boolean gzip : new boolean[] {false, true}) {
            Path idx = dir.resolve("idx-" + gzip);
            DataFiles.writeIdxSet(idx, 7, 2, gzip);
            assertEquals(7, Datasets.trainImages("fashion-mnist", idx));
        }
        DataFormatException missing = assertThrows(DataFormatException.class,
                () -> Datasets.trainImages("cifar100", Files.createDirectories(dir.resolve("empty"))));
        assertTrue(missing.getMessage().contains("mixq data cifar100"), missing.getMessage());
    }

    @Test
    void anUnknownNameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Datasets.shape("imagenet"));
        assertThrows(IllegalArgumentException.class, () -> Datasets.trainImages("imagenet", null));
    }
}
