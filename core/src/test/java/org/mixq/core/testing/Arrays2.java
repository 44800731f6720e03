package org.mixq.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;

/** Random inputs and llm.c-style comparisons that print the first mismatches and the max difference. */
public final class Arrays2 {
    private Arrays2() {
    }

    public static float[] uniform(SplittableRandom rnd, int n, float lo, float hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = lo + (hi - lo) * (float) rnd.nextDouble();
        }
        return a;
    }

    public static float[] gaussian(SplittableRandom rnd, int n, float std) {
        float[] a = new float[n];
        for (int i = 0; i < n; i += 2) {
            double u = 1.0 - rnd.nextDouble();
            double v = rnd.nextDouble();
            double r = Math.sqrt(-2 * Math.log(u));
            a[i] = (float) (std * r * Math.cos(2 * Math.PI * v));
            if (i + 1 < n) {
                a[i + 1] = (float) (std * r * Math.sin(2 * Math.PI * v));
            }
        }
        return a;
    }

    /** Asserts {@code |a - e| <= atol + rtol * |e|} for every element; NaN never matches. */
    public static void assertClose(String what, float[] expected, float[] actual, float atol, float rtol) {
        if (expected.length != actual.length) {
            fail(what + ": length " + actual.length + ", expected " + expected.length);
        }
        int bad = 0;
        int first = -1;
        double maxDiff = 0;
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) actual[i] - expected[i]);
            boolean ok = d <= atol + rtol * Math.abs(expected[i]) && !Float.isNaN(actual[i]) == !Float.isNaN(expected[i]);
            if (Float.isNaN(expected[i]) && Float.isNaN(actual[i])) {
                ok = true;
            }
            if (!ok) {
                if (bad < 5) {
                    shown.append(String.format("%n  [%d] expected %s, got %s", i, expected[i], actual[i]));
                }
                if (first < 0) {
                    first = i;
                }
                bad++;
            }
            if (!Double.isNaN(d)) {
                maxDiff = Math.max(maxDiff, d);
            }
        }
        if (bad > 0) {
            fail(String.format("%s: %d of %d elements differ (first at %d, max |diff| %.3g, atol %.3g, rtol %.3g)%s",
                    what, bad, expected.length, first, maxDiff, atol, rtol, shown));
        }
    }

    /** Asserts bit-identical floats (0.0 and -0.0 differ; NaN equals NaN). */
    public static void assertExact(String what, float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            fail(what + ": length " + actual.length + ", expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                fail(what + ": first difference at [" + i + "]: expected " + expected[i] + ", got " + actual[i]);
            }
        }
    }
}
