package org.mixq.rl.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TruncatedNormalTest {
    private static final int DRAWS = 200_000;
    /** Standard errors allowed between a sample moment and the exact one (a 5-sigma event fails). */
    private static final double SIGMAS = 5;
    /** Simpson intervals for the exact moments; the density is smooth, so the error is far below the sampling error. */
    private static final int SIMPSON_INTERVALS = 20_000;

    @ParameterizedTest(name = "mu={0} sigma={1}")
    @CsvSource({
            "0.3, 0.2",     // mostly inside: close to the plain normal
            "0.9, 0.5",     // HAQ's first sigma near an edge: strongly skewed
            "0.0, 0.05",    // centred on the edge: a half-normal
            "1.0, 0.005",   // late-search sigma at a saturated sigmoid
            "0.5, 0.7",     // wider than half the interval: the uniform-proposal branch
            "0.2, 3.0"})    // nearly uniform
    void samplesStayInTheIntervalWithTheExactMeanAndSpread(double mu, double sigma) {
        double[] exact = exactMoments(mu, sigma);
        double mean = exact[0];
        double var = exact[1];
        double fourth = exact[2];
        SplitMix64 rng = new SplitMix64(1234);
        double sum = 0;
        double sumSq = 0;
        double[] draws = new double[DRAWS];
        for (int i = 0; i < DRAWS; i++) {
            double x = TruncatedNormal.sample(rng, mu, sigma, 0, 1);
            assertTrue(x >= 0 && x <= 1, "draw " + x + " outside [0, 1]");
            draws[i] = x;
            sum += x;
        }
        double sampleMean = sum / DRAWS;
        for (double x : draws) {
            sumSq += (x - mean) * (x - mean);
        }
        double sampleVar = sumSq / DRAWS;
        assertEquals(mean, sampleMean, SIGMAS * Math.sqrt(var / DRAWS), "mean");
        // Standard error of a variance estimate about the known mean: sqrt((mu4 - var^2) / n).
        assertEquals(var, sampleVar, SIGMAS * Math.sqrt((fourth - var * var) / DRAWS), "variance");
    }

    @Test
    void zeroSigmaReturnsTheMean() {
        assertEquals(0.42, TruncatedNormal.sample(new SplitMix64(1), 0.42, 0, 0, 1));
    }

    @Test
    void rejectsBadArguments() {
        SplitMix64 rng = new SplitMix64(1);
        assertThrows(IllegalArgumentException.class, () -> TruncatedNormal.sample(rng, 1.5, 0.1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> TruncatedNormal.sample(rng, 0.5, -0.1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> TruncatedNormal.sample(rng, 0.5, 0.1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> TruncatedNormal.sample(rng, 0.5, Double.NaN, 0, 1));
    }

    /**
     * Mean, variance and fourth central moment of N(mu, sigma^2) truncated to [0, 1], from the
     * density integrated with Simpson's rule (independent of the sampler's code paths).
     */
    private static double[] exactMoments(double mu, double sigma) {
        int n = SIMPSON_INTERVALS;
        double h = 1.0 / n;
        double[] m = new double[3];
        for (int pass = 0; pass < 2; pass++) {
            double mass = 0;
            double first = 0;
            double second = 0;
            double fourth = 0;
            for (int i = 0; i <= n; i++) {
                double x = i * h;
                double w = (i == 0 || i == n) ? 1 : (i % 2 == 1 ? 4 : 2);
                double z = (x - mu) / sigma;
                double d = w * Math.exp(-0.5 * z * z);
                double c = x - m[0];
                mass += d;
                first += d * x;
                second += d * c * c;
                fourth += d * c * c * c * c;
            }
            m[0] = first / mass;
            if (pass == 1) {
                m[1] = second / mass;
                m[2] = fourth / mass;
            }
        }
        return m;
    }
}
