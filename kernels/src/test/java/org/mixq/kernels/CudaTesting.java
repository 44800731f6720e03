package org.mixq.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.mixq.core.BackendProvider;

/**
 * Opens a CUDA backend for a gpu-tagged test, or skips the test where no device is usable. With
 * {@code -Dmixq.test.requireDevice=true} (the runs on the CPU emulator of the driver, and the GPU
 * check) a missing device fails the test instead, so that such a run cannot pass by skipping.
 */
final class CudaTesting {
    static final String REQUIRE_DEVICE = "mixq.test.requireDevice";

    private CudaTesting() {
    }

    static CudaBackend backend() {
        return backend(CudaOptions.fromSystemProperties());
    }

    static CudaBackend backend(CudaOptions options) {
        BackendProvider.Probe probe = CudaBackendProvider.probe(options.device());
        if (Boolean.getBoolean(REQUIRE_DEVICE)) {
            assertTrue(probe.usable(), () -> REQUIRE_DEVICE + " is set, but no CUDA device is usable: " + probe.detail());
        } else {
            assumeTrue(probe.usable(), () -> "no usable CUDA device: " + probe.detail());
        }
        return CudaBackendProvider.create(options);
    }
}
