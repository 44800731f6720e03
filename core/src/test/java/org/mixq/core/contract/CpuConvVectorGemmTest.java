package org.mixq.core.contract;

import org.mixq.core.Backend;
import org.mixq.core.cpu.CpuBackend;
import org.mixq.core.cpu.CpuGemm;

/** The convolution contract on the Vector API GEMM. */
class CpuConvVectorGemmTest extends ConvContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend(2, CpuGemm.Provider.VECTOR);
    }
}
