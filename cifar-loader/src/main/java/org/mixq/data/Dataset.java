package org.mixq.data;

import java.util.Arrays;

/**
 * An immutable in-memory set of uint8 images (channel-major: image i is {@code channels}
 * planes of {@code height x width} bytes) with one integer label each. Subsets made by
 * {@link #subset} share the pixel storage of their parent, so a 45,000/5,000 split of CIFAR
 * costs index arrays, not a second copy of 150 MB of pixels.
 */
public final class Dataset {
    private final String name;
    private final byte[] pixels;
    private final int[] rows;
    private final int[] labels;
    private final int channels;
    private final int height;
    private final int width;
    private final int classes;

    private Dataset(String name, byte[] pixels, int[] rows, int[] labels, int channels, int height, int width, int classes) {
        this.name = name;
        this.pixels = pixels;
        this.rows = rows;
        this.labels = labels;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classes = classes;
    }

    /**
     * A dataset over copies of the given arrays: {@code pixels} holds {@code labels.length}
     * images of {@code channels * height * width} bytes each, channel-major.
     */
    public static Dataset of(String name, byte[] pixels, int[] labels, int channels, int height, int width, int classes) {
        return wrap(name, pixels.clone(), labels.clone(), channels, height, width, classes);
    }

    /** Like {@link #of} but takes the arrays over without copying; callers must not touch them afterwards. */
    static Dataset wrap(String name, byte[] pixels, int[] labels, int channels, int height, int width, int classes) {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("shape: " + channels + "x" + height + "x" + width + " must be positive");
        }
        if (classes <= 0) {
            throw new IllegalArgumentException("classes: " + classes + " must be positive");
        }
        long imageSize = (long) channels * height * width;
        if (pixels.length != labels.length * imageSize) {
            throw new IllegalArgumentException("pixels: " + pixels.length + " bytes, expected " + labels.length + " images of "
                    + imageSize + " bytes");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("labels[" + i + "]: " + labels[i] + " is outside 0.." + (classes - 1));
            }
        }
        int[] rows = new int[labels.length];
        Arrays.setAll(rows, i -> i);
        return new Dataset(name, pixels, rows, labels, channels, height, width, classes);
    }

    public String name() {
        return name;
    }

    public int size() {
        return labels.length;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int classes() {
        return classes;
    }

    /** Bytes per image: channels * height * width. */
    public int imageSize() {
        return channels * height * width;
    }

    public int label(int i) {
        return labels[checkIndex(i)];
    }

    /** The pixel value, 0..255, of image i at channel c, row y, column x. */
    public int pixel(int i, int c, int y, int x) {
        if (c < 0 || c >= channels || y < 0 || y >= height || x < 0 || x >= width) {
            throw new IllegalArgumentException("pixel (" + c + ", " + y + ", " + x + ") is outside " + channels + "x" + height + "x" + width);
        }
        return pixels[offset(checkIndex(i)) + (c * height + y) * width + x] & 0xff;
    }

    /** Copies image i's {@link #imageSize()} bytes, channel-major, into {@code dst} at {@code dstOffset}. */
    public void copyImage(int i, byte[] dst, int dstOffset) {
        System.arraycopy(pixels, offset(checkIndex(i)), dst, dstOffset, imageSize());
    }

    /** How many images each class has. */
    public int[] classCounts() {
        int[] counts = new int[classes];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** The images at the given indices of this dataset, in that order, sharing this dataset's pixels. */
    public Dataset subset(String subsetName, int[] indices) {
        int[] subRows = new int[indices.length];
        int[] subLabels = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = checkIndex(indices[k]);
            subRows[k] = rows[i];
            subLabels[k] = labels[i];
        }
        return new Dataset(subsetName, pixels, subRows, subLabels, channels, height, width, classes);
    }

    /** The shared pixel storage; image i starts at {@link #offset}(i). For the batch assembler's inner loop. */
    byte[] pixelStorage() {
        return pixels;
    }

    /** Where image i starts in {@link #pixelStorage()}; i is not checked. */
    int offset(int i) {
        return rows[i] * imageSize();
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= labels.length) {
            throw new IndexOutOfBoundsException("image " + i + " of dataset " + name + " with " + labels.length + " images");
        }
        return i;
    }

    @Override
    public String toString() {
        return name + " (" + size() + " images " + channels + "x" + height + "x" + width + ", " + classes + " classes)";
    }
}
