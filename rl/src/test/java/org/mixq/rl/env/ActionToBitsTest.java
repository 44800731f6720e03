package org.mixq.rl.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ActionToBitsTest {
    /** Distance from an interval boundary that is far above double rounding yet well inside the interval. */
    private static final double NEAR = 1e-9;

    @Test
    void endsMapToTheEndsOfTheRange() {
        ActionToBits map = new ActionToBits(2, 8);
        assertEquals(2, map.bits(0.0));
        assertEquals(8, map.bits(1.0));
        ActionToBits haqDefault = new ActionToBits(1, 8);
        assertEquals(1, haqDefault.bits(0.0));
        assertEquals(8, haqDefault.bits(1.0));
    }

    @Test
    void everyBitWidthGetsAnIntervalOfEqualWidth() {
        int min = 2;
        int max = 8;
        int n = max - min + 1;
        ActionToBits map = new ActionToBits(min, max);
        for (int k = 0; k < n; k++) {
            double lo = (double) k / n;
            double hi = (double) (k + 1) / n;
            int expected = min + k;
            assertEquals(expected, map.bits(Math.min(1.0, lo + NEAR)), "just above boundary " + lo);
            assertEquals(expected, map.bits((lo + hi) / 2), "middle of interval " + k);
            assertEquals(expected, map.bits(Math.max(0.0, hi - NEAR)), "just below boundary " + hi);
        }
    }

    @Test
    void exactTiesRoundHalfToEvenAsPythonDoes() {
        // 1..8: a = 0.5 gives 8 * 0.5 + 0.5 = 4.5 exactly; Python's round(4.5) is 4.
        ActionToBits map = new ActionToBits(1, 8);
        assertEquals(4, map.bits(0.5));
        // a = 0.375 gives 3.5, which rounds to 4; a = 0.625 gives 5.5, which rounds to 6.
        assertEquals(4, map.bits(0.375));
        assertEquals(6, map.bits(0.625));
    }

    @Test
    void aSingleBitWidthTakesTheWholeRange() {
        ActionToBits map = new ActionToBits(4, 4);
        assertEquals(4, map.bits(0.0));
        assertEquals(4, map.bits(0.5));
        assertEquals(4, map.bits(1.0));
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new ActionToBits(0, 8));
        assertThrows(IllegalArgumentException.class, () -> new ActionToBits(5, 4));
        ActionToBits map = new ActionToBits(2, 8);
        assertThrows(IllegalArgumentException.class, () -> map.bits(-0.01));
        assertThrows(IllegalArgumentException.class, () -> map.bits(1.01));
        assertThrows(IllegalArgumentException.class, () -> map.bits(Double.NaN));
    }
}
