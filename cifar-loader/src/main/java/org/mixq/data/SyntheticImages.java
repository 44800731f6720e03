package org.mixq.data;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A procedurally drawn 10-class set of 32x32 RGB images that needs no file. Each class is a
 * shape or a texture (see {@link #CLASS_NAMES}) drawn with random foreground and background
 * colors, a background gradient, jitter in position, size, angle and period, a distractor
 * blob and per-pixel noise. Colors carry no class information (the class-mean images are all
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
        Shapes.fill(mask, label, rng);
        float[] blob = new float[PLANE];
        boolean distractor = rng.nextInt(2) == 0;
        if (distractor) {
            Shapes.disk(blob, 2 + rng.nextDouble() * 30, 2 + rng.nextDouble() * 30, 1.5 + rng.nextDouble() * 1.5);
        }
        int[] bg = randomColor(rng);
        int[] fg = contrastingColor(bg, rng);
        int[] other = randomColor(rng);
        double gradAngle = rng.nextDouble() * TAU;
        double gradAmp = rng.nextDouble() * 50 / SIDE;
        double gx = Math.cos(gradAngle) * gradAmp;
        double gy = Math.sin(gradAngle) * gradAmp;
        float noise = 8 + rng.nextInt(28);
        for (int c = 0; c < 3; c++) {
            int plane = at + c * PLANE;
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    int k = y * SIDE + x;
                    float back = (float) (bg[c] + gx * (x - 15.5) + gy * (y - 15.5));
                    float m = mask[k];
                    float v = back + (fg[c] - back) * m;
                    if (distractor) {
                        v += (other[c] - v) * blob[k];
                    }
                    v += noise * triangular(rng);
                    pixels[plane + k] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                }
            }
        }
    }

    /** Noise in [-1, 1] with a triangular density: the sum of two uniforms is cheap and close enough to Gaussian. */
    private static float triangular(SplittableRandom rng) {
        int bits = rng.nextInt();
        return ((bits & 0xffff) + (bits >>> 16) - 65535) / 65535f;
    }

    private static int[] randomColor(SplittableRandom rng) {
        return new int[] {rng.nextInt(256), rng.nextInt(256), rng.nextInt(256)};
    }

    /**
     * A color at least 100 away from {@code bg} (Euclidean, in 0..255 RGB), so the figure is
     * visible; fg and bg are drawn alike, so neither is brighter on average.
     */
    private static int[] contrastingColor(int[] bg, SplittableRandom rng) {
        while (true) {
            int[] fg = randomColor(rng);
            int dr = fg[0] - bg[0];
            int dg = fg[1] - bg[1];
            int db = fg[2] - bg[2];
            if (dr * dr + dg * dg + db * db >= 100 * 100) {
                return fg;
            }
        }
    }
}
