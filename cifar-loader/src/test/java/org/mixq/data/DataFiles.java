package org.mixq.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small dataset files with known content for the reader tests. */
final class DataFiles {
    private DataFiles() {
    }

    /** The pixel byte the test files hold for image {@code image} at byte {@code k} of its pixels: distinct per image. */
    static int pixel(int image, int k) {
        return (image * 131 + k * 7 + (k >> 8) * 3) & 0xff;
    }

    /** CIFAR records for images {@code first..first+labels.length-1}: label bytes from {@code labels[i]}, pixels from {@link #pixel}. */
    static byte[] cifarRecords(int first, int[][] labels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < labels.length; i++) {
            for (int l : labels[i]) {
                out.write(l);
            }
            for (int k = 0; k < CifarFormat.PIXELS; k++) {
                out.write(pixel(first + i, k));
            }
        }
        return out.toByteArray();
    }

    /** CIFAR-10 files in {@code dir}: 2 records per training file (images 0..9), 3 test records (images 100..102). */
    static void writeCifar10(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (int f = 0; f < 5; f++) {
            Files.write(dir.resolve("data_batch_" + (f + 1) + ".bin"), cifarRecords(2 * f, new int[][] {{cifar10Label(2 * f)}, {cifar10Label(2 * f + 1)}}));
        }
        Files.write(dir.resolve("test_batch.bin"), cifarRecords(100, new int[][] {{cifar10Label(100)}, {cifar10Label(101)}, {cifar10Label(102)}}));
    }

    static int cifar10Label(int image) {
        return (image * 3) % 10;
    }

    /** An IDX image file: magic 2051, count, rows, cols, then the bytes. */
    static byte[] idxImages(int magic, int count, int rows, int cols, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeInt(out, magic);
        writeInt(out, count);
        writeInt(out, rows);
        writeInt(out, cols);
        out.writeBytes(data);
        return out.toByteArray();
    }

    /** An IDX label file: magic 2049, count, then the labels. */
    static byte[] idxLabels(int magic, int count, byte[] labels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeInt(out, magic);
        writeInt(out, count);
        out.writeBytes(labels);
        return out.toByteArray();
    }

    /** {@code n} 28x28 images with pixels from {@link #pixel}. */
    static byte[] mnistPixels(int n) {
        byte[] b = new byte[n * 28 * 28];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 28 * 28; k++) {
                b[i * 28 * 28 + k] = (byte) pixel(i, k);
            }
        }
        return b;
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    /** The four MNIST-style files for {@code train} training and {@code test} test images, gzipped or raw. */
    static void writeIdxSet(Path dir, int train, int test, boolean gzip) throws IOException {
        Files.createDirectories(dir);
        String ext = gzip ? ".gz" : "";
        write(dir.resolve("train-images-idx3-ubyte" + ext), idxImages(2051, train, 28, 28, mnistPixels(train)), gzip);
        write(dir.resolve("train-labels-idx1-ubyte" + ext), idxLabels(2049, train, labels(train)), gzip);
        write(dir.resolve("t10k-images-idx3-ubyte" + ext), idxImages(2051, test, 28, 28, mnistPixels(test)), gzip);
        write(dir.resolve("t10k-labels-idx1-ubyte" + ext), idxLabels(2049, test, labels(test)), gzip);
    }

    static byte[] labels(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ((i * 7) % 10);
        }
        return b;
    }

    static void write(Path p, byte[] data, boolean gzip) throws IOException {
        Files.write(p, gzip ? gzip(data) : data);
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    /** A dataset of 1x1x3 images whose three bytes spell the image's index (up to 2^24), so subsets and batches can be traced back. */
    static Dataset indexed(int n, int classes) {
        byte[] pixels = new byte[n * 3];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            pixels[3 * i] = (byte) (i >>> 16);
            pixels[3 * i + 1] = (byte) (i >>> 8);
            pixels[3 * i + 2] = (byte) i;
            labels[i] = i % classes;
        }
        return Dataset.of("indexed", pixels, labels, 1, 1, 3, classes);
    }

    /** The index an image of {@link #indexed} spells. */
    static int index(Dataset d, int i) {
        return d.pixel(i, 0, 0, 0) << 16 | d.pixel(i, 0, 0, 1) << 8 | d.pixel(i, 0, 0, 2);
    }
}
