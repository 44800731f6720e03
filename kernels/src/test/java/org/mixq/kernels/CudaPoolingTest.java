package org.mixq.kernels;

import org.junit.jupiter.api.Tag;
import org.mixq.core.Backend;
import org.mixq.core.contract.PoolingContract;

/** The pooling contract on the CUDA backend; skipped where no device is usable. */
@Tag("gpu")
class CudaPoolingTest extends PoolingContract {
    @Override
    protected Backend createBackend() {
        return CudaTesting.backend();
    }
}
