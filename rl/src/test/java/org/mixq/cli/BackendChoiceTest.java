package org.mixq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mixq.core.Backends;

/** A backend forced with mixq.backend that cannot run here, or that does not exist: one line, exit 2. */
class BackendChoiceTest {

    @AfterEach
    void clear() {
        System.clearProperty(Backends.PROPERTY);
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
}
