package org.mixq.data;

/**
 * One mini-batch, ready for a model: {@code images} holds {@code count} normalized images in
 * NCHW order (image i starts at {@code i * imageSize()}), {@code labels[i]} is image i's class.
 * The arrays may be longer than needed: the last batch of an epoch has {@code count} below the
 * batch size and only its first {@code count} entries are meaningful.
 */
public record Batch(float[] images, int[] labels, int count, int channels, int height, int width) {
    public Batch {
        if (count < 0 || channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("batch: count " + count + " and shape " + channels + "x" + height + "x" + width
                    + " must be positive (count may be 0)");
        }
        if (images.length < (long) count * channels * height * width) {
            throw new IllegalArgumentException("images: " + images.length + " floats cannot hold " + count + " images of "
                    + channels + "x" + height + "x" + width);
        }
        if (labels.length < count) {
            throw new IllegalArgumentException("labels: " + labels.length + " entries cannot hold " + count + " labels");
        }
    }

    /** Floats per image: channels * height * width. */
    public int imageSize() {
        return channels * height * width;
    }
}
