package org.mixq.data;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A procedurally drawn 10-class set of 32x32 RGB images that needs no file. Each class is a
 * shape or a texture (see {@link #CLASS_NAMES}) drawn with random foreground and background
 * colors, a background gradient, jitter in position, size, angle and period, up to two
 * small distractor blobs and per-pixel noise. Colors carry no class information (the class-mean images are all
 * flat gray), so a classifier has to learn shape and orientation, as on a real image set.
 *
 * <p>Image i of a set with seed s is drawn from its own generator seeded by (s, i), so the set
 * is the same on every machine and for any number of threads.
 */
final class SyntheticImages {
    static final int SIDE = 32;
    static final int PLANE = SIDE * SIDE;
    static final String[] CLASS_NAMES = {"disk", "square", "triangle", "ring", "cross",
        "horizontal stripes", "vertical stripes", "diagonal stripes", "checkerboard", "dots"};

    private static final long TRAIN_STREAM = 1;
    private static final long TEST_STREAM = 2;
    private static final double TAU = 2 * Math.PI;

    private SyntheticImages() {
    }

    static DataBundle bundle(long seed, int trainSize, int testSize) {
        return new DataBundle(generate("synthetic train", Seeds.mix(seed, TRAIN_STREAM), trainSize),
                generate("synthetic test", Seeds.mix(seed, TEST_STREAM), testSize));
    }

    /** n images; image i has class i mod 10, so every class has n/10 images (one more for the first n mod 10). */
    static Dataset generate(String name, long seed, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("size: " + n + " must be >= 0");
        }
        byte[] pixels = new byte[n * 3 * PLANE];
        int[] labels = new int[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            labels[i] = i % CLASS_NAMES.length;
            draw(pixels, i * 3 * PLANE, labels[i], new SplittableRandom(Seeds.mix(seed, i)));
        });
        return Dataset.wrap(name, pixels, labels, 3, SIDE, SIDE, CLASS_NAMES.length);
    }

    /** Draws one image of class {@code label} at {@code pixels[at..]}, channel-major. */
    static void draw(byte[] pixels, int at, int label, SplittableRandom rng) {
        float[] mask = new float[PLANE];
        FigureMasks.fill(mask, label, rng);
        float[] blob = new float[PLANE];
        FigureMasks.distractors(blob, rng.nextInt(3), rng);
        int[] bg = randomColor(rng);
        int[] fg = contrastingColor(bg, rng);
        int[] other = randomColor(rng);
        double gradAngle = rng.nextDouble() * TAU;
        double gradAmp = rng.nextDouble() * 50 / SIDE;
        float gx = (float) (StrictMath.cos(gradAngle) * gradAmp);
        float gy = (float) (StrictMath.sin(gradAngle) * gradAmp);
        float noise = (10 + rng.nextInt(36)) / 255f;
        long[] bits = new long[3 * PLANE / 4];
        for (int k = 0; k < bits.length; k++) {
            bits[k] = rng.nextLong();
        }
        for (int c = 0; c < 3; c++) {
            int plane = at + c * PLANE;
            for (int y = 0; y < SIDE; y++) {
                float rowBack = bg[c] + gy * (y - 15.5f) - gx * 15.5f;
                for (int x = 0; x < SIDE; x++) {
                    int k = y * SIDE + x;
                    float back = rowBack + gx * x;
                    float v = back + (fg[c] - back) * mask[k];
                    v += (other[c] - v) * blob[k];
                    // Four noise values per 64 random bits: each the sum of two uniform bytes, a
                    // triangular density on [-255, 255], cheap and close enough to Gaussian.
                    int n = c * PLANE + k;
                    int pair = (int) (bits[n >> 2] >>> ((n & 3) << 4));
                    v += noise * ((pair & 0xff) + ((pair >>> 8) & 0xff) - 255);
                    pixels[plane + k] = (byte) (v <= 0 ? 0 : v >= 255 ? 255 : (int) (v + 0.5f));
                }
            }
        }
    }

    private static int[] randomColor(SplittableRandom rng) {
        return new int[] {rng.nextInt(256), rng.nextInt(256), rng.nextInt(256)};
    }

    /**
     * A color at least 70 away from {@code bg} (Euclidean, in 0..255 RGB), so the figure is
     * visible; fg and bg are drawn alike, so neither is brighter on average.
     */
    private static int[] contrastingColor(int[] bg, SplittableRandom rng) {
        while (true) {
            int[] fg = randomColor(rng);
            int dr = fg[0] - bg[0];
            int dg = fg[1] - bg[1];
            int db = fg[2] - bg[2];
            if (dr * dr + dg * dg + db * db >= 70 * 70) {
                return fg;
            }
        }
    }
}
