package org.mixq.bench.gpu;

import org.mixq.core.Backend;
import org.mixq.core.BackendProvider;
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
        System.out.println("java     " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ", "
                + System.getProperty("java.home") + ")");
        System.out.println("cpus     " + Runtime.getRuntime().availableProcessors());
        for (BackendProvider p : Backends.providers()) {
            BackendProvider.Probe probe = p.probe();
            System.out.printf("backend  %-5s %-9s %s%n", p.name(), probe.usable() ? "usable" : "unusable", probe.detail());
        }
        try (Backend b = Backends.best()) {
            System.out.println("selected " + b.describe());
        }
    }
}
