package org.mixq.kernels;

import org.junit.jupiter.api.Tag;
import org.mixq.core.Backend;
import org.mixq.core.contract.ElementwiseContract;

/** The elementwise contract on the CUDA backend; skipped where no device is usable. */
@Tag("gpu")
class CudaElementwiseTest extends ElementwiseContract {
    @Override
    protected Backend createBackend() {
        return CudaTesting.backend();
    }
}
