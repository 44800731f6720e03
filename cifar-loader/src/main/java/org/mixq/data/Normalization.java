package org.mixq.data;

import java.util.Arrays;

/**
 * Per-channel normalization {@code (pixel / 255 - mean[c]) / std[c]}, with mean and std on the
 * 0..1 scale. Compute it from the TRAINING split only ({@link #of(Dataset)}) and apply the same
 * numbers to validation and test data, so no statistic leaks from held-out images.
 */
public final class Normalization {
    private final float[] mean;
    private final float[] std;
    /** table[c][p] = the normalized value of pixel value p in channel c: a lookup beats a divide per pixel. */
    private final float[][] table;

    private Normalization(float[] mean, float[] std) {
        this.mean = mean;
        this.std = std;
        this.table = new float[mean.length][256];
        for (int c = 0; c < mean.length; c++) {
            for (int p = 0; p < 256; p++) {
                table[c][p] = (p / 255f - mean[c]) / std[c];
            }
        }
    }

    /** Normalization with the given per-channel mean and standard deviation (0..1 scale). */
    public static Normalization of(float[] mean, float[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("mean and std: " + mean.length + " and " + std.length
                    + " values, expected one per channel (at least one)");
        }
        for (int c = 0; c < std.length; c++) {
            if (!(std[c] > 0f) || !Float.isFinite(std[c]) || !Float.isFinite(mean[c])) {
                throw new IllegalArgumentException("std[" + c + "]: " + std[c] + " must be finite and positive (mean " + mean[c] + ")");
            }
        }
        return new Normalization(mean.clone(), std.clone());
    }

    /**
     * The per-channel mean and population standard deviation of every pixel of the dataset.
     * Sums are exact integers (pixel values and their squares in longs), so the result does not
     * depend on the order of the images. A channel that is constant gets std 1 rather than 0.
     */
    public static Normalization of(Dataset data) {
        int channels = data.channels();
        int plane = data.height() * data.width();
        long[] sum = new long[channels];
        long[] sumSq = new long[channels];
        byte[] pixels = data.pixelStorage();
        for (int i = 0; i < data.size(); i++) {
            int base = data.offset(i);
            for (int c = 0; c < channels; c++) {
                long s = 0;
                long sq = 0;
                for (int k = base + c * plane, end = k + plane; k < end; k++) {
                    int p = pixels[k] & 0xff;
                    s += p;
                    sq += p * p;
                }
                sum[c] += s;
                sumSq[c] += sq;
            }
        }
        double n = (double) data.size() * plane;
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int c = 0; c < channels; c++) {
            double m = n == 0 ? 0 : sum[c] / n;
            double var = n == 0 ? 0 : Math.max(0, sumSq[c] / n - m * m);
            mean[c] = (float) (m / 255);
            std[c] = var > 0 ? (float) (Math.sqrt(var) / 255) : 1f;
        }
        return new Normalization(mean, std);
    }

    public int channels() {
        return mean.length;
    }

    public float mean(int c) {
        return mean[c];
    }

    public float std(int c) {
        return std[c];
    }

    /** The normalized value of an 8-bit pixel value (0..255) in channel c. */
    public float apply(int c, int pixel) {
        return table[c][pixel];
    }

    /** The 256-entry lookup table of channel c; callers must not modify it. */
    float[] table(int c) {
        return table[c];
    }

    @Override
    public String toString() {
        return "Normalization(mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std) + ")";
    }
}
