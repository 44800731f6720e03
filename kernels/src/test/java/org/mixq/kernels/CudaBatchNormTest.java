package org.mixq.kernels;

import org.junit.jupiter.api.Tag;
import org.mixq.core.Backend;
import org.mixq.core.contract.BatchNormContract;

/** The batch-norm contract on the CUDA backend; skipped where no device is usable. */
@Tag("gpu")
class CudaBatchNormTest extends BatchNormContract {
    @Override
    protected Backend createBackend() {
        return CudaTesting.backend();
    }
}
