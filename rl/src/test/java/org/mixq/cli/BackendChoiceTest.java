package org.mixq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mixq.core.Backends;
import org.mixq.core.testing.SystemProperties;

/**
 * A backend forced with mixq.backend that cannot run here, or that does not exist, and a bad
 * or contradictory reproducible-mode switch: one line, exit 2. The mode itself shows in {@code info}.
 */
class BackendChoiceTest {
    private SystemProperties saved;

    @BeforeEach
    void clear() {
        saved = SystemProperties.cleared(Backends.PROPERTY, Backends.REPRODUCIBLE_PROPERTY);
    }

    @AfterEach
    void restore() {
        saved.close();
    }

    @Test
    void aForcedBackendThatCannotRunHereIsAUserError() {
        assumeFalse(Backends.provider("cuda").probe().usable(), "a CUDA device is usable here");
        System.setProperty(Backends.PROPERTY, "cuda");
        MixqRun r = MixqRun.of("info");
        assertEquals(Mixq.EXIT_USER_ERROR, r.code(), r.err());
        String expected = "mixq: backend cuda is not usable: " + Backends.provider("cuda").probe().detail();
        assertEquals(expected, r.err().strip(), "one line, no stack trace");
    }

    @Test
    void anUnknownBackendIsAUserError() {
        System.setProperty(Backends.PROPERTY, "tpu");
        MixqRun r = MixqRun.of("info");
        assertEquals(Mixq.EXIT_USER_ERROR, r.code(), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertEquals("mixq: backend: unknown backend 'tpu', expected one of [cuda, cpu]", r.err().strip());
    }

    @Test
    void theReproducibleModeShowsInInfo() {
        System.setProperty(Backends.REPRODUCIBLE_PROPERTY, "1");
        MixqRun r = MixqRun.of("info");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("selected cpu: "), r.out());
        assertTrue(r.out().contains("reproducible mode, gemm=VECTOR"), r.out());
    }

    @Test
    void aBadReproducibleSwitchIsAUserError() {
        System.setProperty(Backends.REPRODUCIBLE_PROPERTY, "maybe");
        MixqRun r = MixqRun.of("info");
        assertEquals(Mixq.EXIT_USER_ERROR, r.code(), r.err());
        assertEquals("", r.out(), "checked before the command prints anything");
        assertEquals("mixq: mixq.reproducible / MIXQ_REPRODUCIBLE: expected 1 or 0 (true or false), got 'maybe'",
                r.err().strip());
    }

    @Test
    void theReproducibleModeRefusesAnotherForcedBackend() {
        System.setProperty(Backends.REPRODUCIBLE_PROPERTY, "true");
        System.setProperty(Backends.PROPERTY, "cuda");
        MixqRun r = MixqRun.of("info");
        assertEquals(Mixq.EXIT_USER_ERROR, r.code(), r.err());
        assertEquals("mixq: backend cuda was forced, but the reproducible mode (MIXQ_REPRODUCIBLE) runs on the cpu backend only",
                r.err().strip());
    }
}
