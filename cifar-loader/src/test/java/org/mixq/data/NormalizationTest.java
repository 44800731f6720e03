package org.mixq.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NormalizationTest {
    /** float32 rounding of a few operations on values near 1. */
    private static final float FLOAT_ROUNDING = 1e-6f;

    @Test
    void meanAndStdArePerChannelOverAllPixels() {
        // Two images, 2 channels of 1x2: channel 0 holds 0, 255, 255, 0; channel 1 holds 51 four times.
        byte[] pixels = {0, (byte) 255, 51, 51, (byte) 255, 0, 51, 51};
        Normalization n = Normalization.of(Dataset.of("two", pixels, new int[] {0, 1}, 2, 1, 2, 2));
        assertEquals(0.5f, n.mean(0), FLOAT_ROUNDING);
        assertEquals(0.5f, n.std(0), FLOAT_ROUNDING);
        assertEquals(0.2f, n.mean(1), FLOAT_ROUNDING);
        assertEquals(1f, n.std(1), 0f, "a constant channel keeps std 1, not 0");
        assertEquals(-1f, n.apply(0, 0), FLOAT_ROUNDING);
        assertEquals(1f, n.apply(0, 255), FLOAT_ROUNDING);
        assertEquals(0f, n.apply(1, 51), FLOAT_ROUNDING);
    }

    @Test
    void statisticsOfASubsetUseOnlyItsImages() {
        byte[] pixels = {10, 10, (byte) 200, (byte) 200};
        Dataset d = Dataset.of("d", pixels, new int[] {0, 0}, 1, 1, 2, 1);
        Normalization first = Normalization.of(d.subset("first", new int[] {0}));
        assertEquals(10 / 255f, first.mean(0), FLOAT_ROUNDING);
    }

    @Test
    void normalizedTrainingSetHasZeroMeanAndUnitStd() {
        Dataset d = Datasets.synthetic(3, 500, 10).train();
        Normalization n = Normalization.of(d);
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            double sumSq = 0;
            for (int i = 0; i < d.size(); i++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        double v = n.apply(c, d.pixel(i, c, y, x));
                        sum += v;
                        sumSq += v * v;
                    }
                }
            }
            double count = d.size() * 1024.0;
            assertEquals(0, sum / count, 1e-5, "mean of channel " + c);
            assertEquals(1, Math.sqrt(sumSq / count - (sum / count) * (sum / count)), 1e-5, "std of channel " + c);
        }
    }

    @Test
    void badStatisticsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Normalization.of(new float[] {0.5f}, new float[] {0f}));
        assertThrows(IllegalArgumentException.class, () -> Normalization.of(new float[] {0.5f, 0.5f}, new float[] {1f}));
    }
}
