package org.mixq.core.contract;

import org.mixq.core.Backend;
import org.mixq.core.cpu.CpuBackend;

/** The fake quantization contract on the CPU backend, with two threads so that work is split. */
class CpuFakeQuantTest extends FakeQuantContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend(2);
    }
}
