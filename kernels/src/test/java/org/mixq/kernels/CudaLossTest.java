package org.mixq.kernels;

import org.junit.jupiter.api.Tag;
import org.mixq.core.Backend;
import org.mixq.core.contract.LossContract;

/** The softmax cross-entropy contract on the CUDA backend; skipped where no device is usable. */
@Tag("gpu")
class CudaLossTest extends LossContract {
    @Override
    protected Backend createBackend() {
        return CudaTesting.backend();
    }
}
