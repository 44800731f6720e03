package org.mixq.core.contract;

import org.mixq.core.Backend;
import org.mixq.core.cpu.CpuBackend;
import org.mixq.core.cpu.CpuGemm;

/** The GEMM contract on the Vector API GEMM. */
class CpuGemmVectorTest extends GemmContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend(2, CpuGemm.Provider.VECTOR);
    }
}
