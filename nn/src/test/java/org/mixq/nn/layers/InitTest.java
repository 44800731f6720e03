package org.mixq.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mixq.core.Backend;
import org.mixq.nn.NnFixtures;

class InitTest {
    /**
     * A sample standard deviation of n Gaussian draws has relative standard error 1/sqrt(2n);
     * with n = 73,728 that is 0.26%, so 2% is more than seven standard errors.
     */
    private static final double STD_RTOL = 0.02;

    @Test
    void convWeightsAreKaimingNormalWithFanOut() {
        try (Backend b = NnFixtures.backend();
             Conv2d conv = new Conv2d(b, "c", 64, 128, 3, 1, 1, false, true, new SplittableRandom(1))) {
            float[] w = conv.weight().value().toArray();
            double sum = 0;
            double sq = 0;
            for (float v : w) {
                sum += v;
                sq += (double) v * v;
            }
            double mean = sum / w.length;
            double std = Math.sqrt(sq / w.length - mean * mean);
            double expected = Math.sqrt(2.0 / (128 * 9));
            assertEquals(expected, std, STD_RTOL * expected);
            assertEquals(0, mean, 5 * expected / Math.sqrt(w.length));
        }
    }

    @Test
    void linearWeightsAndBiasAreUniformWithinOneOverSqrtFanIn() {
        try (Backend b = NnFixtures.backend(); Linear fc = new Linear(b, "fc", 400, 300, true, new SplittableRandom(2))) {
            double bound = 1 / Math.sqrt(400);
            float max = 0;
            for (float v : fc.weight().value().toArray()) {
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max <= bound && max > 0.99 * bound, "max |w| " + max + " within and near the bound " + bound);
            for (float v : fc.bias().value().toArray()) {
                assertTrue(Math.abs(v) <= bound);
            }
        }
    }

    @Test
    void batchNormStartsAsIdentity() {
        try (Backend b = NnFixtures.backend(); BatchNorm2d bn = new BatchNorm2d(b, "bn", 5)) {
            for (float v : bn.gamma().value().toArray()) {
                assertEquals(1f, v);
            }
            for (float v : bn.beta().value().toArray()) {
                assertEquals(0f, v);
            }
            for (float v : bn.buffers().get("bn.runningVar").toArray()) {
                assertEquals(1f, v);
            }
        }
    }
}
