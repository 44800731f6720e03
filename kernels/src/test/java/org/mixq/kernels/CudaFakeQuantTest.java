package org.mixq.kernels;

import org.junit.jupiter.api.Tag;
import org.mixq.core.Backend;
import org.mixq.core.contract.FakeQuantContract;

/** The fake-quantization contract on the CUDA backend; skipped where no device is usable. */
@Tag("gpu")
class CudaFakeQuantTest extends FakeQuantContract {
    @Override
    protected Backend createBackend() {
        return CudaTesting.backend();
    }
}
