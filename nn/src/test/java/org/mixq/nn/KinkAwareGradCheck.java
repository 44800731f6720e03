package org.mixq.nn;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.mixq.core.testing.GradCheck;
import org.mixq.core.testing.Tolerances;

/**
 * {@link GradCheck}'s central differences for whole networks, where ReLU and max-pool kinks
 * are everywhere. A weight of the first layer moves every position of its channel, so some
 * ReLU input or pool winner often switches inside {@code [x - step, x + step]}; the central
 * difference then averages two slopes and misses the derivative at x, whatever the backward
 * pass does. Such a kink shows as one-sided differences that disagree beyond the tolerance
 * (a smooth function's differ by about {@code step * f''}); the analytic gradient must then
 * match the one-sided difference of the kink-free side. A sample where neither side matches
 * (kinks on both sides) is skipped, and a run where more than a quarter of the samples are
 * skipped fails; a mismatch without a kink fails at once. Same tolerances as GradCheck.
 */
final class KinkAwareGradCheck {
    private KinkAwareGradCheck() {
    }

    static void check(String what, float[] input, float[] analytic, ToDoubleFunction<float[]> loss, float step, int samples,
                      SplittableRandom rnd) {
        int n = input.length;
        int count = Math.min(samples, n);
        int skipped = 0;
        for (int t = 0; t < count; t++) {
            int i = samples >= n ? t : rnd.nextInt(n);
            float saved = input[i];
            double center = loss.applyAsDouble(input);
            input[i] = saved + step;
            double plus = loss.applyAsDouble(input);
            input[i] = saved - step;
            double minus = loss.applyAsDouble(input);
            input[i] = saved;
            double a = analytic[i];
            double central = (plus - minus) / (2.0 * step);
            if (close(a, central)) {
                continue;
            }
            double right = (plus - center) / step;
            double left = (center - minus) / step;
            boolean kink = !close(right, left);
            if (kink && (close(a, left) || close(a, right))) {
                continue;
            }
            if (kink) {
                skipped++;
                continue;
            }
            fail(String.format("%s: gradient at [%d]: analytic %.6g, finite difference %.6g (one-sided %.6g, %.6g)",
                    what, i, a, central, left, right));
        }
        if (skipped > count / 4) {
            fail(what + ": " + skipped + " of " + count + " samples have kinks on both sides; use a smaller step");
        }
    }

    private static boolean close(double a, double b) {
        return Math.abs(a - b) <= Tolerances.FD_ATOL + Tolerances.FD_RTOL * Math.max(Math.abs(a), Math.abs(b));
    }
}
