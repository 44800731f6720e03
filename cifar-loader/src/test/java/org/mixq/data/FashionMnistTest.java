package org.mixq.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Reads the real Fashion-MNIST files of the Debian package dataset-fashion-mnist, where installed. */
class FashionMnistTest {
    private static final Path INSTALLED = Path.of("/usr/share/datasets/fashion-mnist");

    @Test
    void packagedFilesLoadWithTheirPublishedCounts() {
        Assumptions.assumeTrue(Files.isRegularFile(INSTALLED.resolve("train-images-idx3-ubyte.gz")),
                "Fashion-MNIST is not installed in " + INSTALLED + " (apt-get install dataset-fashion-mnist); skipped");
        DataBundle b = Datasets.fashionMnist(INSTALLED);
        assertEquals(60_000, b.train().size());
        assertEquals(10_000, b.test().size());
        int[] perClass = new int[10];
        java.util.Arrays.fill(perClass, 6000);
        assertArrayEquals(perClass, b.train().classCounts());
        // The first training and test images are both ankle boots (class 9).
        assertEquals(9, b.train().label(0));
        assertEquals(9, b.test().label(0));
        assertEquals(0, b.train().pixel(0, 0, 0, 0), "padding is black");
        Normalization n = Normalization.of(b.train());
        // Published statistics of the 28x28 training images: mean 0.2860, std 0.3530; the black
        // border of the 32x32 copies lowers the mean by the area ratio 784/1024.
        assertEquals(0.2860 * 784 / 1024, n.mean(0), 1e-3);
        assertTrue(n.std(0) > 0.3 && n.std(0) < 0.36, "std " + n.std(0));
    }
}
