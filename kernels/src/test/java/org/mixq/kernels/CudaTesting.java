package org.mixq.kernels;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.mixq.core.BackendProvider;

/** Opens a CUDA backend for a gpu-tagged test, or skips the test where no device is usable. */
final class CudaTesting {
    private CudaTesting() {
    }

    static CudaBackend backend() {
        return backend(CudaOptions.fromSystemProperties());
    }

    static CudaBackend backend(CudaOptions options) {
        BackendProvider.Probe probe = CudaBackendProvider.probe(options.device());
        assumeTrue(probe.usable(), () -> "no usable CUDA device: " + probe.detail());
        return CudaBackendProvider.create(options);
    }
}
