package org.mixq.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mixq.data.CifarReaderTest.assertMessage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void imagesArePaddedTo32ByteForByte(boolean gzip) throws IOException {
        DataFiles.writeIdxSet(dir, 5, 3, gzip);
        DataBundle b = Datasets.mnist(dir);
        assertEquals(5, b.train().size());
        assertEquals(3, b.test().size());
        Dataset d = b.train();
        assertEquals(1, d.channels());
        assertEquals(32, d.height());
        assertEquals(32, d.width());
        assertEquals(10, d.classes());
        for (int i = 0; i < 5; i++) {
            assertEquals(DataFiles.labels(5)[i], d.label(i));
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    boolean inside = y >= 2 && y < 30 && x >= 2 && x < 30;
                    int expected = inside ? DataFiles.pixel(i, (y - 2) * 28 + (x - 2)) : 0;
                    assertEquals(expected, d.pixel(i, 0, y, x), "image " + i + " at " + y + "," + x);
                }
            }
        }
        assertEquals(DataFiles.pixel(2, 0), b.test().pixel(2, 0, 2, 2));
    }

    @Test
    void gzipIsRecognisedByContentNotName() throws IOException {
        DataFiles.writeIdxSet(dir, 4, 2, false);
        Path images = dir.resolve("train-images-idx3-ubyte");
        Files.write(images, DataFiles.gzip(Files.readAllBytes(images)));
        assertEquals(4, Datasets.mnist(dir).train().size());
    }

    @Test
    void badMagicIsRejected() throws IOException {
        DataFiles.writeIdxSet(dir, 4, 2, true);
        DataFiles.write(dir.resolve("train-images-idx3-ubyte.gz"), DataFiles.idxImages(2049, 4, 28, 28, DataFiles.mnistPixels(4)), true);
        assertMessage(assertThrows(DataFormatException.class, () -> Datasets.mnist(dir)), "train-images-idx3-ubyte.gz", "magic 2049, expected 2051");
    }

    @Test
    void labelFileMagicIsChecked() throws IOException {
        DataFiles.writeIdxSet(dir, 4, 2, false);
        DataFiles.write(dir.resolve("t10k-labels-idx1-ubyte"), DataFiles.idxLabels(2051, 2, new byte[2]), false);
        assertMessage(assertThrows(DataFormatException.class, () -> Datasets.mnist(dir)), "t10k-labels-idx1-ubyte", "expected 2049");
    }

    @Test
    void countThatDisagreesWithRawFileLengthIsRejected() throws IOException {
        DataFiles.writeIdxSet(dir, 4, 2, false);
        DataFiles.write(dir.resolve("train-images-idx3-ubyte"), DataFiles.idxImages(2051, 5, 28, 28, DataFiles.mnistPixels(4)), false);
        assertMessage(assertThrows(DataFormatException.class, () -> Datasets.mnist(dir)), "train-images-idx3-ubyte", "count 5", "3152");
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 5})
    void countThatDisagreesWithGzipContentIsRejected(int count) throws IOException {
        DataFiles.writeIdxSet(dir, 4, 2, true);
        DataFiles.write(dir.resolve("train-images-idx3-ubyte.gz"), DataFiles.idxImages(2051, count, 28, 28, DataFiles.mnistPixels(4)), true);
        assertMessage(assertThrows(DataFormatException.class, () -> Datasets.mnist(dir)), "train-images-idx3-ubyte.gz", "count " + count);
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        DataFiles.writeIdxSet(dir, 4, 2, true);
        DataFiles.write(dir.resolve("train-labels-idx1-ubyte.gz"), DataFiles.idxLabels(2049, 3, DataFiles.labels(3)), true);
        assertMessage(assertThrows(DataFormatException.class, () -> Datasets.mnist(dir)), "has 4 images", "has 3 labels");
    }

    @Test
    void labelOutOfRangeIsRejected() throws IOException {
        DataFiles.writeIdxSet(dir, 4, 2, false);
        DataFiles.write(dir.resolve("train-labels-idx1-ubyte"), DataFiles.idxLabels(2049, 4, new byte[] {1, 2, 10, 3}), false);
        assertMessage(assertThrows(DataFormatException.class, () -> Datasets.mnist(dir)), "train-labels-idx1-ubyte", "label 2 is 10, expected 0..9");
    }

    @Test
    void truncatedGzipIsRejected() throws IOException {
        DataFiles.writeIdxSet(dir, 40, 2, true);
        Path p = dir.resolve("train-images-idx3-ubyte.gz");
        byte[] whole = Files.readAllBytes(p);
        Files.write(p, Arrays.copyOf(whole, whole.length / 2));
        assertMessage(assertThrows(DataFormatException.class, () -> Datasets.mnist(dir)), "train-images-idx3-ubyte.gz", "truncated gzip");
    }

    @Test
    void imagesThatAreNot28By28AreRejected() throws IOException {
        DataFiles.writeIdxSet(dir, 4, 2, false);
        DataFiles.write(dir.resolve("t10k-images-idx3-ubyte"), DataFiles.idxImages(2051, 2, 27, 29, new byte[2 * 27 * 29]), false);
        assertMessage(assertThrows(DataFormatException.class, () -> Datasets.mnist(dir)), "t10k-images-idx3-ubyte", "expected 28x28");
    }

    @Test
    void missingLabelFileIsNamed() throws IOException {
        DataFiles.writeIdxSet(dir, 4, 2, true);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        assertMessage(assertThrows(DataFormatException.class, () -> Datasets.mnist(dir)), "missing file", "t10k-labels-idx1-ubyte");
    }

    @Test
    void padKeepsEveryRowInPlace() {
        byte[] one = DataFiles.mnistPixels(2);
        byte[] padded = IdxReader.pad(one, 2);
        assertEquals(2 * 32 * 32, padded.length);
        assertArrayEquals(Arrays.copyOfRange(one, 28 * 28 + 27 * 28, 2 * 28 * 28),
                Arrays.copyOfRange(padded, 32 * 32 + 29 * 32 + 2, 32 * 32 + 29 * 32 + 30));
    }
}
