package org.mixq.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SystemPropertiesTest {
    @Test
    void closePutsBackWhatWasThereAndClearsWhatWasNot() {
        System.setProperty("mixq.test.before", "old");
        System.clearProperty("mixq.test.absent");
        try (SystemProperties p = SystemProperties.set("mixq.test.before", "new", "mixq.test.absent", "x")) {
            assertEquals("new", System.getProperty("mixq.test.before"));
            assertEquals("x", System.getProperty("mixq.test.absent"));
            try (SystemProperties q = SystemProperties.cleared("mixq.test.before")) {
                assertNull(System.getProperty("mixq.test.before"));
            }
            assertEquals("new", System.getProperty("mixq.test.before"));
        }
        assertEquals("old", System.getProperty("mixq.test.before"));
        assertNull(System.getProperty("mixq.test.absent"));
        System.clearProperty("mixq.test.before");
    }
}
