package org.mixq.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads MNIST-style IDX files (http://yann.lecun.com/exdb/mnist/), gzip-compressed or raw (told
 * apart by the gzip magic bytes, not the name): a big-endian header of int32 magic (2051 for
 * images, 2049 for labels), count, and for images rows and columns; then uint8 data. The 28x28
 * images are padded with 2 black pixels on every side to 32x32, the size of the CIFAR images.
 */
final class IdxReader {
    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    static final int IMAGE_MAGIC = 2051;
    static final int LABEL_MAGIC = 2049;
    static final int CLASSES = 10;
    static final int SIDE = 28;
    static final int PADDED = 32;

    private IdxReader() {
    }

    static DataBundle read(String name, Path folder) {
        Dataset train = read(name + " train", file(folder, TRAIN_IMAGES), file(folder, TRAIN_LABELS));
        Dataset test = read(name + " test", file(folder, TEST_IMAGES), file(folder, TEST_LABELS));
        return new DataBundle(train, test);
    }

    /** The .gz file when present, else the raw one. */
    static Path file(Path folder, String base) {
        Path gz = folder.resolve(base + ".gz");
        Path raw = folder.resolve(base);
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        throw new DataFormatException("missing file: " + gz + " (or " + raw.getFileName() + " uncompressed), an IDX file");
    }

    /** One part: the images padded to 32x32, and their labels. */
    static Dataset read(String name, Path imageFile, Path labelFile) {
        byte[] images = readIdx(imageFile, IMAGE_MAGIC, 3);
        byte[] labelBytes = readIdx(labelFile, LABEL_MAGIC, 1);
        int n = labelBytes.length;
        int imageCount = images.length / (SIDE * SIDE);
        if (imageCount != n) {
            throw new DataFormatException(imageFile + " has " + imageCount + " images but " + labelFile + " has " + n
                    + " labels: expected one label per image");
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = labelBytes[i] & 0xff;
            if (labels[i] >= CLASSES) {
                throw new DataFormatException(labelFile + ": label " + i + " is " + labels[i] + ", expected 0.." + (CLASSES - 1));
            }
        }
        return Dataset.wrap(name, pad(images, n), labels, 1, PADDED, PADDED, CLASSES);
    }

    /** 28x28 images to 32x32 with a 2-pixel black border, so conv nets built for CIFAR fit unchanged. */
    static byte[] pad(byte[] images, int n) {
        int border = (PADDED - SIDE) / 2;
        byte[] out = new byte[n * PADDED * PADDED];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < SIDE; y++) {
                System.arraycopy(images, (i * SIDE + y) * SIDE, out, (i * PADDED + y + border) * PADDED + border, SIDE);
            }
        }
        return out;
    }

    /** The item count in an IDX file's header, read without the data. */
    static int count(Path p, int magic) {
        try (InputStream in = open(p)) {
            byte[] head = new byte[8];
            if (in.readNBytes(head, 0, head.length) != head.length) {
                throw new DataFormatException(p + ": shorter than the IDX header");
            }
            int m = readInt(head, 0);
            if (m != magic) {
                throw new DataFormatException(p + ": IDX magic " + m + ", expected " + magic);
            }
            return readInt(head, 4);
        } catch (IOException e) {
            throw new DataFormatException(p + ": cannot be read (" + e + ")", e);
        }
    }

    /**
     * The data bytes of an IDX file with the given magic and number of dimensions; images must
     * be 28x28. Checks the header against the file length (raw) or the stream's end (gzip).
     */
    static byte[] readIdx(Path p, int magic, int dims) {
        if (!Files.isRegularFile(p)) {
            throw new DataFormatException("missing file: " + p + " (an IDX file)");
        }
        try (InputStream in = open(p)) {
            int header = 4 + 4 * dims;
            byte[] head = new byte[header];
            if (in.readNBytes(head, 0, header) != header) {
                throw new DataFormatException(p + ": shorter than the " + header + "-byte IDX header");
            }
            int m = readInt(head, 0);
            if (m != magic) {
                throw new DataFormatException(p + ": IDX magic " + m + ", expected " + magic + (magic == IMAGE_MAGIC ? " (images)" : " (labels)"));
            }
            int count = readInt(head, 4);
            long itemSize = 1;
            for (int d = 1; d < dims; d++) {
                int extent = readInt(head, 4 + 4 * d);
                if (extent != SIDE) {
                    throw new DataFormatException(p + ": image dimension " + extent + ", expected " + SIDE + "x" + SIDE);
                }
                itemSize *= extent;
            }
            long dataBytes = count * itemSize;
            if (count < 0 || dataBytes > Integer.MAX_VALUE - 8) {
                throw new DataFormatException(p + ": count " + count + " in the header is not a possible number of items");
            }
            if (!gzip(p)) {
                long length = Files.size(p);
                if (length != header + dataBytes) {
                    throw new DataFormatException(p + ": count " + count + " in the header means " + (header + dataBytes)
                            + " bytes, but the file has " + length);
                }
            }
            byte[] data = new byte[(int) dataBytes];
            int got = in.readNBytes(data, 0, data.length);
            if (got != data.length) {
                throw new DataFormatException(p + ": count " + count + " in the header means " + dataBytes + " data bytes, but the file has "
                        + got);
            }
            if (in.read() != -1) {
                throw new DataFormatException(p + ": count " + count + " in the header disagrees with the file, which has more data");
            }
            return data;
        } catch (EOFException e) {
            throw new DataFormatException(p + ": truncated gzip stream (" + e.getMessage() + "), expected a complete file", e);
        } catch (ZipException e) {
            throw new DataFormatException(p + ": corrupt gzip stream (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new DataFormatException(p + ": cannot be read (" + e + ")", e);
        }
    }

    private static InputStream open(Path p) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
        return gzip(p) ? new GZIPInputStream(raw, 1 << 16) : raw;
    }

    /** Whether the file starts with the gzip magic bytes 1f 8b. */
    private static boolean gzip(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }
}
