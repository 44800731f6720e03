package org.mixq.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

/** Comparisons of float arrays that, as llm.c's do, print the first mismatches and the max difference. */
public final class ArrayAssertions {
    private ArrayAssertions() {
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
