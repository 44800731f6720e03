package org.mixq.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mixq.core.Backend;
import org.mixq.core.Tensor;
import org.mixq.core.testing.GradCheck;
import org.mixq.core.testing.RandomArrays;
import org.mixq.nn.models.Model;

/**
 * Whole-network backward passes against central finite differences of
 * {@code L = sum(logits * R)}, in training mode (batch statistics), for the input and every
 * parameter: checks the explicit reverse-order backprop of Sequential, BN, pooling and the
 * residual block's two branches. Samples on ReLU or max-pool kinks are recognized and skipped
 * ({@link KinkAwareGradCheck}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkGradientTest {
    /**
     * Step of the central differences: 1e-2 (Tolerances.FD_RTOL) crosses dozens of kinks when a
     * first-layer weight moves every position of its channel; at 1e-3 float32 rounding of the
     * loss still stays near 1e-4 of the difference.
     */
    private static final float STEP = 1e-3f;
    private static final int SAMPLES = 24;
    private static final int BATCH = 4;

    private Backend backend;

    @BeforeAll
    void open() {
        backend = NnFixtures.backend();
    }

    @AfterAll
    void close() {
        backend.close();
    }

    @Test
    void vggWithBatchNormMatchesFiniteDifferences() {
        try (Model m = NnFixtures.tinyVgg(backend, 11)) {
            check(m);
        }
    }

    @Test
    void residualBlockWithProjectionMatchesFiniteDifferences() {
        try (Model m = NnFixtures.tinyResNet(backend, 12)) {
            assertTrue(m.quantLayerInfos().stream().anyMatch(i -> i.name().endsWith("shortcut.conv")), "projection shortcut present");
            check(m);
        }
    }

    private void check(Model m) {
        SplittableRandom rnd = new SplittableRandom(5);
        float[] x = RandomArrays.gaussian(rnd, BATCH * 3 * 8 * 8, 1f);
        Tensor input = NnFixtures.tensor(backend, x, BATCH, 3, 8, 8);
        float[] r = RandomArrays.uniform(rnd, BATCH * 4, -1f, 1f);
        try (input; Tensor dLogits = NnFixtures.tensor(backend, r, BATCH, 4)) {
            m.zeroGrad();
            Tensor logits = m.forward(input, Mode.TRAIN);
            assertEquals(BATCH * 4, logits.size());
            float[] dx = m.backward(dLogits).toArray();
            KinkAwareGradCheck.check("input", x, dx, v -> loss(m, input, v, r), STEP, SAMPLES, rnd);
            backend.copyIn(input, x);
            for (Parameter p : m.parameters()) {
                if (p.name().endsWith(".clip")) {
                    continue;
                }
                float[] value = p.value().toArray();
                float[] grad = p.grad().toArray();
                KinkAwareGradCheck.check(p.name(), value, grad, v -> {
                    p.set(v);
                    return GradCheck.dot(m.forward(input, Mode.TRAIN).toArray(), r);
                }, STEP, SAMPLES, rnd);
                p.set(value);
            }
        }
    }

    private double loss(Model m, Tensor input, float[] x, float[] r) {
        backend.copyIn(input, x);
        return GradCheck.dot(m.forward(input, Mode.TRAIN).toArray(), r);
    }
}
