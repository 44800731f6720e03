package org.mixq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RunLimitsTest {
    @Test
    void parsesHoursMinutesSeconds() {
        assertEquals(Duration.ofSeconds(90), RunLimits.parseDuration("90s"));
        assertEquals(Duration.ofMinutes(45), RunLimits.parseDuration("45m"));
        assertEquals(Duration.ofHours(2), RunLimits.parseDuration("2h"));
        assertEquals(Duration.ofMinutes(90), RunLimits.parseDuration("1h30m"));
        assertEquals(Duration.ofSeconds(3600 + 120 + 5), RunLimits.parseDuration(" 1h2m5s "));
        assertNull(RunLimits.parseDuration(null));
        assertNull(RunLimits.parseDuration(""));
    }

    @Test
    void refusesAnythingElseWithOneLine() {
        for (String bad : new String[] {"90", "2 h", "30m1h", "1.5h", "h", "-5m", "0s", "1d", "9999999h"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunLimits.parseDuration(bad), bad);
            assertTrue(e.getMessage().startsWith("--time-limit: "), e.getMessage());
        }
    }

    @Test
    void formatsDurations() {
        assertEquals("1h30m", RunLimits.format(Duration.ofMinutes(90)));
        assertEquals("1m30s", RunLimits.format(Duration.ofSeconds(90)));
        assertEquals("45s", RunLimits.format(Duration.ofSeconds(45)));
        assertEquals("2h", RunLimits.format(Duration.ofHours(2)));
        assertEquals("none", RunLimits.format(null));
    }

    @Test
    void stopsOnceTheLimitHasPassed() {
        AtomicLong now = new AtomicLong(1_000);
        Duration limit = Duration.ofSeconds(90);
        try (RunLimits limits = RunLimits.forTest(limit, now::get)) {
            assertFalse(limits.getAsBoolean());
            now.addAndGet(Duration.ofSeconds(89).toNanos());
            assertFalse(limits.getAsBoolean());
            assertNull(limits.reason(limit));
            now.addAndGet(Duration.ofSeconds(1).toNanos());
            assertTrue(limits.getAsBoolean());
            assertTrue(limits.timedOut());
            assertFalse(limits.interrupted());
            assertEquals("time limit 1m30s reached", limits.reason(limit));
        }
        try (RunLimits none = RunLimits.forTest(null, now::get)) {
            for (long t : new long[] {Long.MIN_VALUE + 5, -1, 0, Long.MAX_VALUE - 5}) {
                now.set(t);
                assertFalse(none.getAsBoolean(), "no limit never stops, whatever the clock reads");
            }
        }
    }
}
