package org.mixq.kernels;

import org.junit.jupiter.api.Tag;
import org.mixq.core.Backend;
import org.mixq.core.contract.FakeQuantContract;

/**
 * The fake-quantization contract with the resident weight kernel on every shape (one block per
 * multiprocessor, channel after channel), which the default choice takes only for large channels.
 */
@Tag("gpu")
class CudaFakeQuantResidentTest extends FakeQuantContract {
    @Override
    protected Backend createBackend() {
        return CudaTesting.backend(CudaOptions.fromSystemProperties().withFqWeights(CudaOptions.WeightQuantKernel.RESIDENT));
    }
}
