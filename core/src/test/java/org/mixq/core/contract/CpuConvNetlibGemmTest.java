package org.mixq.core.contract;

import org.mixq.core.Backend;
import org.mixq.core.cpu.CpuBackend;
import org.mixq.core.cpu.CpuGemm;

/** The convolution contract on netlib's GEMM, the provider used where OpenBLAS's natives are absent. */
class CpuConvNetlibGemmTest extends ConvContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend(2, CpuGemm.Provider.NETLIB);
    }
}
