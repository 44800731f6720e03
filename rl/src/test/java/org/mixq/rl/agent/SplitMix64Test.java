package org.mixq.rl.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SplitMix64Test {
    @Test
    void firstOutputsMatchTheReferenceAlgorithm() {
        // Outputs of the published SplitMix64 for seed 0 (the first is 0xE220A8397B1DCDAF).
        SplitMix64 rng = new SplitMix64(0);
        assertEquals(0xE220A8397B1DCDAFL, rng.nextLong());
        assertEquals(0x6E789E6AA1B965F4L, rng.nextLong());
        assertEquals(0x06C45D188009454FL, rng.nextLong());
    }

    @Test
    void restoredStateContinuesTheStream() {
        SplitMix64 a = new SplitMix64(42);
        for (int i = 0; i < 17; i++) {
            a.nextGaussian();
        }
        SplitMix64 b = new SplitMix64(-1);
        b.restore(a.state());
        for (int i = 0; i < 100; i++) {
            assertEquals(a.nextLong(), b.nextLong());
        }
        assertNotEquals(new SplitMix64(1).nextLong(), new SplitMix64(2).nextLong());
    }

    @Test
    void nextIntStaysInRangeAndCoversItEvenly() {
        SplitMix64 rng = new SplitMix64(7);
        int bound = 10;
        int draws = 100_000;
        int[] counts = new int[bound];
        for (int i = 0; i < draws; i++) {
            counts[rng.nextInt(bound)]++;
        }
        // Each count is binomial(draws, 0.1): standard deviation sqrt(draws * 0.09) ~ 95; allow 5 of them.
        double sd = Math.sqrt(draws * 0.1 * 0.9);
        for (int c : counts) {
            assertTrue(Math.abs(c - draws / bound) < 5 * sd, "count " + c);
        }
    }

    @Test
    void gaussianHasUnitMomentsAndDoublesAreInTheUnitInterval() {
        SplitMix64 rng = new SplitMix64(11);
        int n = 200_000;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double g = rng.nextGaussian();
            sum += g;
            sumSq += g * g;
            double u = rng.nextDouble();
            assertTrue(u >= 0 && u < 1);
        }
        double mean = sum / n;
        double var = sumSq / n - mean * mean;
        // Standard errors: mean 1/sqrt(n) ~ 0.0022, variance sqrt(2/n) ~ 0.0032; allow 5 of them.
        assertEquals(0, mean, 5 / Math.sqrt(n));
        assertEquals(1, var, 5 * Math.sqrt(2.0 / n));
    }
}
