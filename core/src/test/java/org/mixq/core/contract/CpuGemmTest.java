package org.mixq.core.contract;

import org.mixq.core.Backend;
import org.mixq.core.cpu.CpuBackend;

class CpuGemmTest extends GemmContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend(2);
    }
}
