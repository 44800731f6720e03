package org.mixq.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mixq.core.Backend;
import org.mixq.core.Tensor;
import org.mixq.core.testing.ArrayAssertions;
import org.mixq.core.testing.GradCheck;
import org.mixq.core.testing.RandomArrays;
import org.mixq.data.Batch;
import org.mixq.nn.NnFixtures;

class LossAndScheduleTest {
    /** A float32 log-sum-exp over 5 classes, averaged over 3 rows, against double: a few ulps of a value near 2. */
    private static final double LOSS_ATOL = 1e-5;

    @Test
    void cosineStepAndConstantRates() {
        assertEquals(0.1f, LrSchedule.cosine().rate(0.1f, 0, 10), 0);
        // the rate is computed in double and rounded once to float: within one float ulp of the exact value
        assertEquals(0.05f, LrSchedule.cosine().rate(0.1f, 5, 10), 1e-8);
        assertEquals(0.1f * 0.5 * (1 + Math.cos(Math.PI * 9 / 10)), LrSchedule.cosine().rate(0.1f, 9, 10), 1e-8);
        assertEquals(0.1f, LrSchedule.step(3, 0.1f).rate(0.1f, 2, 10), 0);
        assertEquals(0.01f, LrSchedule.step(3, 0.1f).rate(0.1f, 3, 10), 1e-9);
        assertEquals(0.1f, LrSchedule.constant().rate(0.1f, 7, 10), 0);
    }

    /** Smoothed cross-entropy's gradient is computed on the host: check it against finite differences. */
    @Test
    void labelSmoothingGradientMatchesFiniteDifferences() {
        SplittableRandom rnd = new SplittableRandom(3);
        float[] logits = RandomArrays.gaussian(rnd, 5 * 4, 2f);
        float[] labels = {0, 3, 1, 2, 3};
        try (Backend b = NnFixtures.backend(); CrossEntropyLoss loss = new CrossEntropyLoss(b, 0.1f);
             Tensor l = NnFixtures.tensor(b, logits, 5, 4); Tensor y = NnFixtures.tensor(b, labels, 5)) {
            loss.forward(l, y);
            float[] grad = loss.backward().toArray();
            GradCheck.check("smoothed dLogits", logits, grad, v -> {
                b.copyIn(l, v);
                return loss.forward(l, y);
            }, 1e-2f, 20, rnd);
        }
    }

    @Test
    void smoothingZeroIsPlainCrossEntropy() {
        float[] logits = RandomArrays.gaussian(new SplittableRandom(4), 3 * 5, 1f);
        float[] labels = {4, 0, 2};
        try (Backend b = NnFixtures.backend(); CrossEntropyLoss loss = new CrossEntropyLoss(b, 0f);
             Tensor l = NnFixtures.tensor(b, logits, 3, 5); Tensor y = NnFixtures.tensor(b, labels, 3)) {
            double expected = 0;
            for (int i = 0; i < 3; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < 5; j++) {
                    max = Math.max(max, logits[i * 5 + j]);
                }
                double sum = 0;
                for (int j = 0; j < 5; j++) {
                    sum += Math.exp(logits[i * 5 + j] - max);
                }
                expected += Math.log(sum) + max - logits[i * 5 + (int) labels[i]];
            }
            assertEquals(expected / 3, loss.forward(l, y), LOSS_ATOL);
        }
    }

    @Test
    void batchInputUsesOnlyTheFirstCountImagesOfALongerArray() {
        float[] images = new float[4 * 2 * 3 * 3];
        for (int i = 0; i < images.length; i++) {
            images[i] = i;
        }
        Batch partial = new Batch(images, new int[] {1, 2, 0, 0}, 2, 2, 3, 3);
        try (Backend b = NnFixtures.backend(); BatchInput in = new BatchInput(b)) {
            in.load(partial);
            assertEquals(org.mixq.core.Shape.of(2, 2, 3, 3), in.images().shape());
            ArrayAssertions.assertExact("images", java.util.Arrays.copyOf(images, 36), in.images().toArray());
            ArrayAssertions.assertExact("labels", new float[] {1, 2}, in.labels().toArray());
        }
    }
}
