package org.mixq.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mixq.core.Backend;
import org.mixq.core.Backends;

/**
 * Where a device is usable: {@link Backends#best()} takes the CUDA backend, and, in a run that
 * expects cuBLAS and cuDNN ({@code -Dmixq.test.expectVendorLibraries=true}: the emulated run with
 * their stand-ins), they serve GEMM and convolution instead of the hand-written kernels.
 */
@Tag("gpu")
class CudaSelectionTest {
    static final String EXPECT_VENDOR = "mixq.test.expectVendorLibraries";

    @Test
    void bestTakesTheCudaBackend() {
        assumeTrue(Backends.requested() == null, "a backend is forced by mixq.backend / MIXQ_BACKEND");
        CudaTesting.backend().close();
        try (Backend best = Backends.best()) {
            assertEquals("cuda", best.name());
        }
    }

    @Test
    void vendorLibrariesServeWhereExpected() {
        assumeTrue(Boolean.getBoolean(EXPECT_VENDOR), () -> EXPECT_VENDOR + " is not set");
        try (CudaBackend gpu = CudaTesting.backend()) {
            String served = gpu.describe();
            assertTrue(served.contains("gemm: cuBLAS"), () -> "cuBLAS does not serve GEMM: " + served);
            assertTrue(served.contains("conv: cuDNN"), () -> "cuDNN does not serve convolution: " + served);
        }
    }
}
