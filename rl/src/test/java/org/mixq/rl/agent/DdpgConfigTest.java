package org.mixq.rl.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DdpgConfigTest {
    @Test
    void haqDefaultsAreThoseOfRlQuantizePy() {
        DdpgConfig c = DdpgConfig.haq();
        assertEquals(300, c.hidden1());
        assertEquals(300, c.hidden2());
        assertEquals(1e-4, c.lrActor());
        assertEquals(1e-3, c.lrCritic());
        assertEquals(0.01, c.tau());
        assertEquals(64, c.batchSize());
        assertEquals(128, c.replayPerLayer());
        assertEquals(20, c.warmupEpisodes());
        assertEquals(0.5, c.sigma0());
        assertEquals(0.99, c.sigmaDecay());
        assertEquals(0.5, c.baselineAlpha());
        assertEquals(1.0, c.discount());
        assertEquals(1, c.updatesPerStep());
        assertEquals(128 * 16, c.replayCapacity(16));
    }

    @Test
    void sigmaDecaysFromTheEndOfWarmUp() {
        DdpgConfig c = DdpgConfig.haq();
        assertTrue(c.isWarmup(0));
        assertTrue(c.isWarmup(20));
        assertFalse(c.isWarmup(21));
        assertEquals(0.5, c.sigma(20), 0);
        assertEquals(0.5 * 0.99, c.sigma(21), 1e-15);
        assertEquals(0.5 * Math.pow(0.99, 579), c.sigma(599), 1e-15);
    }

    @Test
    void rejectsBadValuesNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DdpgConfig(0, 300, 1e-4, 1e-3, 0.01, 64, 128, 20, 0.5, 0.99, 0.5, 1, 1));
        assertTrue(e.getMessage().startsWith("hidden1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new DdpgConfig(300, 300, 1e-4, 1e-3, 1.5, 64, 128, 20, 0.5, 0.99, 0.5, 1, 1));
        assertTrue(e.getMessage().startsWith("tau"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new DdpgConfig(300, 300, 1e-4, 1e-3, 0.01, 64, 128, 20, 0.5, 1.2, 0.5, 1, 1));
        assertTrue(e.getMessage().startsWith("sigmaDecay"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new DdpgConfig(300, 300, Double.NaN, 1e-3, 0.01, 64, 128, 20, 0.5, 0.99, 0.5, 1, 1));
        assertTrue(e.getMessage().startsWith("lrActor"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DdpgConfig.haq().replayCapacity(0));
    }
}
