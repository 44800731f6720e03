package org.mixq.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {
    @TempDir
    Path dir;

    @Test
    void cifar10IsReadByteForByte() throws IOException {
        DataFiles.writeCifar10(dir);
        DataBundle b = Datasets.cifar10(dir);
        assertEquals(10, b.train().size());
        assertEquals(3, b.test().size());
        assertEquals(10, b.train().classes());
        assertShape(b.train());
        for (int i = 0; i < 10; i++) {
            assertEquals(DataFiles.cifar10Label(i), b.train().label(i));
            assertPixels(b.train(), i, i);
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(DataFiles.cifar10Label(100 + i), b.test().label(i));
            assertPixels(b.test(), i, 100 + i);
        }
    }

    @Test
    void planesAreRedGreenBlueInRowMajorOrder() throws IOException {
        DataFiles.writeCifar10(dir);
        Dataset d = Datasets.cifar10(dir).train();
        // Byte 1 + 1024 + 33 of a record is green, row 1, column 1.
        assertEquals(DataFiles.pixel(3, 1024 + 33), d.pixel(3, 1, 1, 1));
        assertEquals(DataFiles.pixel(3, 2048 + 31 * 32 + 31), d.pixel(3, 2, 31, 31));
    }

    @Test
    void folderIsFoundInsideTheGivenDirectory() throws IOException {
        DataFiles.writeCifar10(dir.resolve("cifar-10-batches-bin"));
        assertEquals(10, Datasets.load("cifar10", dir).train().size());
    }

    @Test
    void cifar100KeepsFineLabelsByDefaultAndCoarseOnRequest() throws IOException {
        Files.write(dir.resolve("train.bin"), DataFiles.cifarRecords(0, new int[][] {{3, 99}, {19, 0}, {0, 42}}));
        Files.write(dir.resolve("test.bin"), DataFiles.cifarRecords(50, new int[][] {{7, 70}}));
        DataBundle fine = Datasets.cifar100(dir, false);
        assertEquals(100, fine.train().classes());
        assertArrayEquals(new int[] {99, 0, 42}, labels(fine.train()));
        assertEquals(70, fine.test().label(0));
        for (int i = 0; i < 3; i++) {
            assertPixels(fine.train(), i, i);
        }
        assertPixels(fine.test(), 0, 50);
        DataBundle coarse = Datasets.cifar100(dir, true);
        assertEquals(20, coarse.train().classes());
        assertArrayEquals(new int[] {3, 19, 0}, labels(coarse.train()));
        assertEquals(7, coarse.test().label(0));
    }

    @Test
    void missingFileIsNamed() throws IOException {
        DataFiles.writeCifar10(dir);
        Files.delete(dir.resolve("data_batch_3.bin"));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Datasets.cifar10(dir));
        assertMessage(e, "missing file", dir.resolve("data_batch_3.bin").toString());
    }

    @Test
    void folderWithoutTheFilesSaysHowToGetThem() {
        DataFormatException e = assertThrows(DataFormatException.class, () -> Datasets.cifar10(dir));
        assertMessage(e, "data_batch_1.bin", "mixq data cifar10");
    }

    @Test
    void sizeThatIsNotAWholeNumberOfRecordsIsRejected() throws IOException {
        DataFiles.writeCifar10(dir);
        byte[] records = DataFiles.cifarRecords(0, new int[][] {{1}, {2}});
        Files.write(dir.resolve("test_batch.bin"), java.util.Arrays.copyOf(records, records.length - 5));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Datasets.cifar10(dir));
        assertMessage(e, "test_batch.bin", "3073-byte");
    }

    @Test
    void emptyFileIsRejected() throws IOException {
        DataFiles.writeCifar10(dir);
        Files.write(dir.resolve("data_batch_2.bin"), new byte[0]);
        assertMessage(assertThrows(DataFormatException.class, () -> Datasets.cifar10(dir)), "data_batch_2.bin", "multiple");
    }

    @Test
    void labelOutOfRangeIsRejected() throws IOException {
        DataFiles.writeCifar10(dir);
        Files.write(dir.resolve("data_batch_4.bin"), DataFiles.cifarRecords(0, new int[][] {{1}, {10}}));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Datasets.cifar10(dir));
        assertMessage(e, "data_batch_4.bin", "record 1 has label 10, expected 0..9");
    }

    @Test
    void cifar100FineLabelOutOfRangeIsRejectedEvenWhenCoarseIsUsed() throws IOException {
        Files.write(dir.resolve("train.bin"), DataFiles.cifarRecords(0, new int[][] {{3, 100}}));
        Files.write(dir.resolve("test.bin"), DataFiles.cifarRecords(0, new int[][] {{3, 4}}));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Datasets.cifar100(dir, true));
        assertMessage(e, "train.bin", "label 100, expected 0..99");
    }

    @Test
    void cifar100RecordSizeIsChecked() throws IOException {
        // Three CIFAR-10 records: 9219 bytes, a multiple of 3073 but not of 3074.
        Files.write(dir.resolve("train.bin"), DataFiles.cifarRecords(0, new int[][] {{1}, {2}, {3}}));
        Files.write(dir.resolve("test.bin"), DataFiles.cifarRecords(0, new int[][] {{3, 4}}));
        assertMessage(assertThrows(DataFormatException.class, () -> Datasets.cifar100(dir, false)), "train.bin", "3074-byte");
    }

    @Test
    void missingDirectoryIsNamed() {
        Path nowhere = dir.resolve("nowhere");
        assertMessage(assertThrows(DataFormatException.class, () -> Datasets.cifar100(nowhere, false)), nowhere.toString(), "not found");
    }

    static void assertMessage(RuntimeException e, String... parts) {
        String m = e.getMessage();
        assertTrue(!m.contains("\n"), "one line: " + m);
        for (String p : parts) {
            assertTrue(m.contains(p), "message should mention '" + p + "': " + m);
        }
    }

    private static void assertShape(Dataset d) {
        assertEquals(3, d.channels());
        assertEquals(32, d.height());
        assertEquals(32, d.width());
    }

    /** Every byte of image i equals byte k of the written record of image {@code written}. */
    private static void assertPixels(Dataset d, int i, int written) {
        byte[] got = new byte[d.imageSize()];
        d.copyImage(i, got, 0);
        for (int k = 0; k < got.length; k++) {
            assertEquals(DataFiles.pixel(written, k), got[k] & 0xff, "image " + i + " byte " + k);
        }
    }

    private static int[] labels(Dataset d) {
        int[] l = new int[d.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = d.label(i);
        }
        return l;
    }
}
