package org.mixq.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BatchAssemblerTest {
    private static final int N = 64;
    private static final int C = 3;
    private static final int H = 8;
    private static final int W = 8;

    private final Dataset data = randomImages(N, 1);
    private final Normalization norm = Normalization.of(data);

    @Test
    void withoutAugmentationEveryPixelIsItsNormalizedValue() {
        BatchAssembler a = new BatchAssembler(data, norm, Augmentation.NONE);
        int[] order = {5, 0, 63};
        Batch b = a.assemble(order, 0, 3, new SplittableRandom(0));
        assertEquals(3, b.count());
        for (int k = 0; k < 3; k++) {
            assertEquals(data.label(order[k]), b.labels()[k]);
            assertArrayEquals(reference(order[k], 0, 0, false, 0), Arrays.copyOfRange(b.images(), k * C * H * W, (k + 1) * C * H * W));
        }
    }

    @Test
    void augmentedImageIsACropOfThePaddedImageMaybeFlippedAndEveryCropOccurs() {
        int p = 4;
        BatchAssembler a = new BatchAssembler(data, norm, new Augmentation(p, true));
        int[] order = new int[N];
        Arrays.setAll(order, i -> i);
        // All crops of every image, computed once: (2p+1)^2 shifts times 2 flips.
        int combos = (2 * p + 1) * (2 * p + 1) * 2;
        float[][][] crops = new float[N][combos][];
        for (int k = 0; k < N; k++) {
            for (int j = 0; j < combos; j++) {
                crops[k][j] = reference(k, j / 2 / (2 * p + 1) - p, j / 2 % (2 * p + 1) - p, j % 2 == 1, p);
            }
        }
        Set<Integer> seen = new HashSet<>();
        SplittableRandom rng = new SplittableRandom(42);
        for (int round = 0; round < 60; round++) {
            Batch b = a.assemble(order, 0, N, rng);
            for (int k = 0; k < N; k++) {
                assertEquals(data.label(k), b.labels()[k], "labels stay with their images");
                float[] got = Arrays.copyOfRange(b.images(), k * C * H * W, (k + 1) * C * H * W);
                int match = -1;
                for (int j = 0; j < combos && match < 0; j++) {
                    if (Arrays.equals(got, crops[k][j])) {
                        match = j;
                    }
                }
                assertTrue(match >= 0, "image " + k + " is no crop of its padded image");
                seen.add(match);
            }
        }
        assertEquals((2 * p + 1) * (2 * p + 1) * 2, seen.size(), "every shift and flip occurs");
    }

    @Test
    void augmentationIsDeterminedBySeed() {
        BatchAssembler a = new BatchAssembler(data, norm, Augmentation.STANDARD);
        int[] order = new int[N];
        Arrays.setAll(order, i -> i);
        float[] one = a.assemble(order, 0, N, new SplittableRandom(9)).images();
        float[] same = a.assemble(order, 0, N, new SplittableRandom(9)).images();
        float[] other = a.assemble(order, 0, N, new SplittableRandom(10)).images();
        assertArrayEquals(one, same);
        assertFalse(Arrays.equals(one, other));
    }

    @Test
    void fillWritesOnlyTheFirstCountImagesOfALargerBuffer() {
        BatchAssembler a = new BatchAssembler(data, norm, Augmentation.STANDARD);
        float[] images = new float[4 * C * H * W];
        Arrays.fill(images, 99f);
        int[] labels = {-1, -1, -1, -1};
        a.fill(images, labels, new int[] {1, 2, 3}, 1, 2, new SplittableRandom(1));
        assertEquals(data.label(2), labels[0]);
        assertEquals(data.label(3), labels[1]);
        assertEquals(-1, labels[2]);
        assertEquals(99f, images[2 * C * H * W]);
    }

    /** Image i padded by p black pixels, cropped at (p + dy, p + dx), flipped if asked: the naive definition. */
    private float[] reference(int i, int dy, int dx, boolean flip, int p) {
        int[][][] padded = new int[C][H + 2 * p][W + 2 * p];
        for (int c = 0; c < C; c++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    padded[c][y + p][x + p] = data.pixel(i, c, y, x);
                }
            }
        }
        float[] out = new float[C * H * W];
        for (int c = 0; c < C; c++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int sx = flip ? W - 1 - x : x;
                    out[(c * H + y) * W + x] = norm.apply(c, padded[c][y + p + dy][sx + p + dx]);
                }
            }
        }
        return out;
    }

    /** Images of uniformly random pixel values in 1..255, so no crop of one equals another crop. */
    static Dataset randomImages(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] pixels = new byte[n * C * H * W];
        for (int k = 0; k < pixels.length; k++) {
            pixels[k] = (byte) (1 + rng.nextInt(255));
        }
        int[] labels = new int[n];
        Arrays.setAll(labels, i -> (i * 7) % 10);
        return Dataset.of("random", pixels, labels, C, H, W, 10);
    }
}
