package org.mixq.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mixq.core.Backend;
import org.mixq.core.BackendProvider;
import org.mixq.core.Backends;

/**
 * The CUDA provider on any machine: registered above the CPU, and, where no device is usable,
 * reporting why in one line while {@link Backends#best()} falls back to the CPU backend.
 */
class CudaProviderTest {

    @Test
    void registeredWithPriorityAboveCpu() {
        List<String> names = Backends.providers().stream().map(BackendProvider::name).toList();
        assertTrue(Backends.provider("cuda").priority() > Backends.provider("cpu").priority(), "cuda must outrank cpu");
        assertTrue(names.indexOf("cuda") < names.indexOf("cpu"), () -> "providers are listed highest priority first: " + names);
    }

    @Test
    void probeNeverThrowsAndAnswersInOneLine() {
        BackendProvider.Probe probe = new CudaBackendProvider().probe();
        assertFalse(probe.detail().isBlank(), "the probe must say something");
        assertFalse(probe.detail().contains("\n"), () -> "probe detail spans lines: " + probe.detail());
    }

    @Test
    void repeatedProbesGiveTheSameReason() {
        // the second touch of a class whose native failed to load throws NoClassDefFoundError
        // instead of UnsatisfiedLinkError; the reason must not change with it
        BackendProvider.Probe first = new CudaBackendProvider().probe();
        BackendProvider.Probe second = new CudaBackendProvider().probe();
        assertEquals(first, second);
    }

    @Test
    void withoutDriverTheReasonNamesTheMissingLibrary() {
        BackendProvider.Probe probe = new CudaBackendProvider().probe();
        assumeFalse(probe.usable(), "a CUDA device is usable here");
        assumeTrue(probe.detail().startsWith("no CUDA driver"), () -> "a driver is installed: " + probe.detail());
        assertEquals("no CUDA driver (libcuda.so.1 not found)", probe.detail());
    }

    @Test
    void withoutDeviceBestFallsBackToCpu() {
        assumeTrue(Backends.requested() == null, "a backend is forced by mixq.backend / MIXQ_BACKEND");
        BackendProvider.Probe probe = new CudaBackendProvider().probe();
        assumeFalse(probe.usable(), "a CUDA device is usable here");
        try (Backend best = Backends.best()) {
            assertEquals("cpu", best.name());
        }
    }

    @Test
    void createFailsWithTheProbeReason() {
        CudaBackendProvider provider = new CudaBackendProvider();
        BackendProvider.Probe probe = provider.probe();
        assumeFalse(probe.usable(), "a CUDA device is usable here");
        IllegalStateException e = assertThrows(IllegalStateException.class, provider::create);
        assertTrue(e.getMessage().contains(probe.detail()), e.getMessage());
    }
}
