package org.mixq.kernels;

import org.junit.jupiter.api.Tag;
import org.mixq.core.Backend;
import org.mixq.core.contract.BadArgumentsContract;

/** The bad-argument contract on the CUDA backend; skipped where no device is usable. */
@Tag("gpu")
class CudaBadArgumentsTest extends BadArgumentsContract {
    @Override
    protected Backend createBackend() {
        return CudaTesting.backend();
    }
}
