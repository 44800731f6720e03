package org.mixq.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Central finite-difference gradient check: perturbs sampled elements of an input by +-step,
 * re-evaluates a scalar loss, and compares with the analytic gradient. Use a loss
 * {@code L = sum(out * R)} with a fixed random R so that every output matters.
 */
public final class GradCheck {
    private GradCheck() {
    }

    /**
     * @param input    the input, perturbed in place and restored
     * @param analytic dL/d(input) from the backward pass
     * @param loss     evaluates L for the current contents of {@code input}
     * @param samples  how many random elements to check (all when >= input.length)
     */
    public static void check(String what, float[] input, float[] analytic, ToDoubleFunction<float[]> loss,
                             float step, int samples, SplittableRandom rnd) {
        int n = input.length;
        int count = Math.min(samples, n);
        for (int t = 0; t < count; t++) {
            int i = samples >= n ? t : rnd.nextInt(n);
            float saved = input[i];
            input[i] = saved + step;
            double plus = loss.applyAsDouble(input);
            input[i] = saved - step;
            double minus = loss.applyAsDouble(input);
            input[i] = saved;
            double numeric = (plus - minus) / (2.0 * step);
            double a = analytic[i];
            double tol = Tolerances.FD_ATOL + Tolerances.FD_RTOL * Math.max(Math.abs(a), Math.abs(numeric));
            if (!(Math.abs(a - numeric) <= tol)) {
                fail(String.format("%s: gradient at [%d]: analytic %.6g, finite difference %.6g (|diff| %.3g > %.3g)",
                        what, i, a, numeric, Math.abs(a - numeric), tol));
            }
        }
    }

    /** {@code sum(out[i] * weights[i])} in double. */
    public static double dot(float[] out, float[] weights) {
        double s = 0;
        for (int i = 0; i < out.length; i++) {
            s += (double) out[i] * weights[i];
        }
        return s;
    }
}
