package org.mixq.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Turns dataset images into one normalized, optionally augmented float batch. This is the work
 * the {@link BatchLoader}'s producer thread does per batch; it is public so it can be timed
 * alone. Per image it draws, in this order, the crop's row shift, its column shift and the
 * flip, and only what the augmentation uses, so a seed gives the same batch on every machine.
 */
public final class BatchAssembler {
    private final Dataset data;
    private final Normalization norm;
    private final Augmentation aug;

    public BatchAssembler(Dataset data, Normalization norm, Augmentation aug) {
        if (norm.channels() != data.channels()) {
            throw new IllegalArgumentException("normalization: " + norm.channels() + " channels, dataset " + data.name() + " has "
                    + data.channels());
        }
        this.data = data;
        this.norm = norm;
        this.aug = aug;
    }

    /** Floats per image in a batch. */
    public int imageSize() {
        return data.imageSize();
    }

    /**
     * Writes images {@code order[from .. from+count-1]} of the dataset into {@code images}
     * (NCHW) and their labels into {@code labels}, drawing the augmentation from {@code rng}.
     */
    public void fill(float[] images, int[] labels, int[] order, int from, int count, SplittableRandom rng) {
        int size = data.imageSize();
        if (count < 0 || from < 0 || from + count > order.length || images.length < (long) count * size || labels.length < count) {
            throw new IllegalArgumentException("fill: " + count + " images from position " + from + " of " + order.length
                    + " do not fit the given arrays (" + images.length + " floats, " + labels.length + " labels)");
        }
        for (int k = 0; k < count; k++) {
            int i = order[from + k];
            labels[k] = data.label(i);
            if (aug.isNone()) {
                copyImage(images, k * size, i);
            } else {
                int p = aug.padding();
                int dy = p == 0 ? 0 : rng.nextInt(2 * p + 1) - p;
                int dx = p == 0 ? 0 : rng.nextInt(2 * p + 1) - p;
                boolean flip = aug.flip() && rng.nextBoolean();
                cropImage(images, k * size, i, dy, dx, flip);
            }
        }
    }

    /** A new batch of the given images; the arrays hold exactly {@code count} images. */
    public Batch assemble(int[] order, int from, int count, SplittableRandom rng) {
        float[] images = new float[count * data.imageSize()];
        int[] labels = new int[count];
        fill(images, labels, order, from, count, rng);
        return new Batch(images, labels, count, data.channels(), data.height(), data.width());
    }

    private void copyImage(float[] dst, int at, int i) {
        byte[] src = data.pixelStorage();
        int base = data.offset(i);
        int plane = data.height() * data.width();
        for (int c = 0; c < data.channels(); c++) {
            float[] table = norm.table(c);
            int s = base + c * plane;
            int d = at + c * plane;
            for (int k = 0; k < plane; k++) {
                dst[d + k] = table[src[s + k] & 0xff];
            }
        }
    }

    /**
     * out[y][x] = in[y + dy][x' + dx] with x' = x, or width-1-x when flipped, and black where that
     * falls outside the image: a crop at offset (p+dy, p+dx) of the p-padded image, then a flip.
     */
    private void cropImage(float[] dst, int at, int i, int dy, int dx, boolean flip) {
        byte[] src = data.pixelStorage();
        int base = data.offset(i);
        int h = data.height();
        int w = data.width();
        // Columns x whose source column lies inside the image: [x0, x1).
        int x0;
        int x1;
        if (flip) {
            x0 = Math.max(0, dx);
            x1 = Math.min(w, w + dx);
        } else {
            x0 = Math.max(0, -dx);
            x1 = Math.min(w, w - dx);
        }
        for (int c = 0; c < data.channels(); c++) {
            float[] table = norm.table(c);
            float black = table[0];
            int plane = base + c * h * w;
            for (int y = 0; y < h; y++) {
                int row = at + (c * h + y) * w;
                int sy = y + dy;
                if (sy < 0 || sy >= h || x0 >= x1) {
                    Arrays.fill(dst, row, row + w, black);
                    continue;
                }
                int srcRow = plane + sy * w;
                Arrays.fill(dst, row, row + x0, black);
                if (flip) {
                    for (int x = x0; x < x1; x++) {
                        dst[row + x] = table[src[srcRow + (w - 1 - x) + dx] & 0xff];
                    }
                } else {
                    for (int x = x0; x < x1; x++) {
                        dst[row + x] = table[src[srcRow + x + dx] & 0xff];
                    }
                }
                Arrays.fill(dst, row + x1, row + w, black);
            }
        }
    }
}
