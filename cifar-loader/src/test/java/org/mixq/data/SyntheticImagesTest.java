package org.mixq.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SyntheticImagesTest {
    private static final DataBundle SET = Datasets.synthetic(Datasets.SYNTHETIC_SEED, 5000, 2000);

    @Test
    void sameSeedGivesTheSameImagesAndAnotherSeedOthers() {
        DataBundle again = Datasets.synthetic(Datasets.SYNTHETIC_SEED, 50, 10);
        DataBundle other = Datasets.synthetic(Datasets.SYNTHETIC_SEED + 1, 50, 10);
        assertArrayEquals(image(SET.train(), 17), image(again.train(), 17), "image i depends only on the seed and i");
        assertArrayEquals(image(SET.test(), 3), image(again.test(), 3));
        assertFalse(java.util.Arrays.equals(image(SET.train(), 17), image(other.train(), 17)));
        assertFalse(java.util.Arrays.equals(image(SET.train(), 17), image(SET.test(), 17)), "test images are not training images");
    }

    @Test
    void shapeAndClassesAreBalanced() {
        Dataset d = SET.train();
        assertEquals(3, d.channels());
        assertEquals(32, d.height());
        assertEquals(32, d.width());
        assertEquals(10, d.classes());
        for (int count : d.classCounts()) {
            assertEquals(500, count);
        }
    }

    @Test
    void defaultSetHasTheDocumentedSizes() {
        DataBundle b = Datasets.load("synthetic", null);
        assertEquals(Datasets.SYNTHETIC_TRAIN, b.train().size());
        assertEquals(Datasets.SYNTHETIC_TEST, b.test().size());
    }

    /**
     * Colors carry no class: the nearest class-mean image on raw pixels stays near chance (10%).
     * Shape does: nearest class mean on a few color-blind gradient-orientation features already
     * does much better, so the classes are there to be learned.
     */
    @Test
    void classesAreNotSeparableByColorButByShape() {
        double raw = nearestMeanAccuracy(SET.train(), SET.test(), SyntheticImagesTest::rawPixels);
        double gradients = nearestMeanAccuracy(SET.train(), SET.test(), SyntheticImagesTest::gradientEnergy);
        assertTrue(raw < 0.2, "raw-pixel nearest class mean reaches " + raw);
        assertTrue(gradients > 0.2, "gradient-feature nearest class mean reaches only " + gradients);
    }

    private static double nearestMeanAccuracy(Dataset train, Dataset test, java.util.function.BiFunction<Dataset, Integer, double[]> features) {
        int dims = features.apply(train, 0).length;
        double[][] mean = new double[10][dims];
        double[][] all = new double[train.size()][];
        double[] mu = new double[dims];
        double[] var = new double[dims];
        for (int i = 0; i < train.size(); i++) {
            all[i] = features.apply(train, i);
            for (int j = 0; j < dims; j++) {
                mu[j] += all[i][j] / train.size();
            }
        }
        for (double[] f : all) {
            for (int j = 0; j < dims; j++) {
                var[j] += (f[j] - mu[j]) * (f[j] - mu[j]) / train.size();
            }
        }
        int[] counts = train.classCounts();
        for (int i = 0; i < train.size(); i++) {
            for (int j = 0; j < dims; j++) {
                mean[train.label(i)][j] += standard(all[i][j], mu[j], var[j]) / counts[train.label(i)];
            }
        }
        int right = 0;
        for (int i = 0; i < test.size(); i++) {
            double[] f = features.apply(test, i);
            int best = -1;
            double bestDist = Double.MAX_VALUE;
            for (int c = 0; c < 10; c++) {
                double dist = 0;
                for (int j = 0; j < dims; j++) {
                    double d = standard(f[j], mu[j], var[j]) - mean[c][j];
                    dist += d * d;
                }
                if (dist < bestDist) {
                    bestDist = dist;
                    best = c;
                }
            }
            right += best == test.label(i) ? 1 : 0;
        }
        return right / (double) test.size();
    }

    private static double standard(double v, double mu, double var) {
        return (v - mu) / Math.sqrt(var + 1e-12);
    }

    private static double[] rawPixels(Dataset d, int i) {
        double[] f = new double[d.imageSize()];
        byte[] b = image(d, i);
        for (int k = 0; k < f.length; k++) {
            f[k] = b[k] & 0xff;
        }
        return f;
    }

    /**
     * Absolute differences along x, y and both diagonals of every channel standardized per
     * image (so neither the colors nor their contrast count), summed over the channels and
     * over each cell of an 8x8 grid.
     */
    private static double[] gradientEnergy(Dataset d, int i) {
        double[] f = new double[4 * 64];
        double[][] img = new double[32][32];
        for (int c = 0; c < 3; c++) {
            double s = 0;
            double sq = 0;
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    double v = d.pixel(i, c, y, x);
                    img[y][x] = v;
                    s += v;
                    sq += v * v;
                }
            }
            double mean = s / 1024;
            double sd = Math.sqrt(Math.max(sq / 1024 - mean * mean, 0)) + 1e-3;
            for (int y = 0; y < 31; y++) {
                for (int x = 0; x < 31; x++) {
                    int cell = y / 4 * 8 + x / 4;
                    double dx = (img[y][x + 1] - img[y][x]) / sd;
                    double dy = (img[y + 1][x] - img[y][x]) / sd;
                    f[cell] += Math.abs(dx);
                    f[64 + cell] += Math.abs(dy);
                    f[128 + cell] += Math.abs(dx + dy);
                    f[192 + cell] += Math.abs(dx - dy);
                }
            }
        }
        return f;
    }

    private static byte[] image(Dataset d, int i) {
        byte[] b = new byte[d.imageSize()];
        d.copyImage(i, b, 0);
        return b;
    }
}
