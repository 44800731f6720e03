package org.mixq.kernels;

import org.junit.jupiter.api.Tag;
import org.mixq.core.Backend;
import org.mixq.core.contract.BadArgumentsContract;

/**
 * The bad-argument contract on the CUDA backend; skipped where no device is usable. Bad labels
 * and clips give NaN here: refusing them would mean reading them back, a host wait per op.
 */
@Tag("gpu")
class CudaBadArgumentsTest extends BadArgumentsContract {
    @Override
    protected Backend createBackend() {
        return CudaTesting.backend();
    }

    @Override
    protected boolean refusesBadTensorValues() {
        return false;
    }
}
