package org.mixq.core.contract;

import org.mixq.core.Backend;
import org.mixq.core.cpu.CpuBackend;

class CpuConvTest extends ConvContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend(2);
    }
}
