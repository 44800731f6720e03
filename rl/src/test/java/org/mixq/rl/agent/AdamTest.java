package org.mixq.rl.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AdamTest {
    /** float32 arithmetic on values near 1 over two steps: a few ulps of 1.0f. */
    private static final float FLOAT_STEP_TOL = 1e-6f;

    @Test
    void twoStepsMatchHandComputedValues() {
        float[] p = {1.0f, -2.0f};
        float[] g = new float[2];
        Adam adam = new Adam(List.of(p), List.of(g), 0.1);

        // Step 1, g = 0.5: m = 0.05, v = 0.00025, corrections 1 - 0.9 = 0.1 and 1 - 0.999 = 0.001,
        // so m_hat = 0.5, sqrt(v_hat) = 0.5 and p = 1 - 0.1 * 0.5 / (0.5 + 1e-8) = 0.9.
        // The second parameter has a zero gradient: m = v = 0 and it does not move.
        g[0] = 0.5f;
        adam.step();
        assertEquals(0.9f, p[0], FLOAT_STEP_TOL);
        assertEquals(-2.0f, p[1]);
        assertEquals(1, adam.stepCount());

        // Step 2, g = -0.25: m = 0.9 * 0.05 - 0.025 = 0.02, v = 0.999 * 0.00025 + 0.001 * 0.0625 = 0.00031225,
        // corrections 0.19 and 0.001999: p = 0.9 - (0.1 / 0.19) * 0.02 / (sqrt(0.00031225) / sqrt(0.001999) + 1e-8)
        // = 0.9 - 0.5263158 * 0.02 / 0.3952255 = 0.8733663.
        g[0] = -0.25f;
        adam.step();
        assertEquals(0.8733663f, p[0], FLOAT_STEP_TOL);
        assertEquals(-2.0f, p[1]);
    }

    @Test
    void firstStepMovesEveryParameterByTheLearningRateAgainstItsGradient() {
        // With bias correction, m_hat / sqrt(v_hat) = g / |g| on the first step, whatever the scale of g.
        float[] p = new float[4];
        float[] g = {3e-4f, -7f, 120f, -0.01f};
        new Adam(List.of(p), List.of(g), 1e-3).step();
        for (int i = 0; i < p.length; i++) {
            assertEquals(-Math.signum(g[i]) * 1e-3f, p[i], 1e-3f * 1e-4f, "parameter " + i);
        }
    }
}
