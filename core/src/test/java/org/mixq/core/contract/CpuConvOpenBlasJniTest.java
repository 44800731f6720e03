package org.mixq.core.contract;

import org.mixq.core.Backend;
import org.mixq.core.cpu.CpuBackend;
import org.mixq.core.cpu.CpuGemm;

/**
 * The convolution contract on OpenBLAS through JNI, whose unfolded images live in native
 * scratch memory (on Java 22+ the default OpenBLAS binding works on Java arrays instead).
 */
class CpuConvOpenBlasJniTest extends ConvContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend(2, CpuGemm.Provider.OPENBLAS_JNI);
    }
}
