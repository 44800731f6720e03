package org.mixq.bench.gpu;

import org.mixq.core.Backends;

/**
 * What {@code mixq info} prints, without the command line's dependencies: the runtime, every
 * backend with its probe, and the description of the one selected (for CUDA: which provider
 * serves each op and why a library is missing). Runs from the GPU bundle.
 */
public final class GpuInfo {
    private GpuInfo() {
    }

    public static void main(String[] args) {
        System.out.print(Backends.report());
    }
}
