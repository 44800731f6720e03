package org.mixq.core.cpu;

import org.mixq.core.Backend;
import org.mixq.core.BackendProvider;
import org.mixq.core.Backends;

/**
 * The always-usable CPU backend. Threads: system property {@code mixq.threads}, else the
 * environment variable {@code MIXQ_THREADS}, else every available processor. In the
 * reproducible mode ({@link Backends#reproducible()}) its GEMM is {@link CpuGemm.Provider#ORDERED}.
 */
public final class CpuBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Probe probe() {
        try {
            return Probe.ok(threads() + " thread(s), " + Runtime.version() + (Backends.reproducible() ? ", reproducible mode" : ""));
        } catch (IllegalArgumentException e) {
            return Probe.unusable(e.getMessage());
        }
    }

    @Override
    public Backend create() {
        return new CpuBackend(threads(), Backends.reproducible() ? CpuGemm.Provider.ORDERED : CpuGemm.Provider.AUTO);
    }

    /** Thread count from {@code mixq.threads}, {@code MIXQ_THREADS}, or the processor count. */
    public static int threads() {
        String v = System.getProperty("mixq.threads");
        if (v == null || v.isBlank()) {
            v = System.getenv("MIXQ_THREADS");
        }
        if (v == null || v.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int t = Integer.parseInt(v.trim());
            if (t >= 1) {
                return t;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the error below
        }
        throw new IllegalArgumentException("mixq.threads / MIXQ_THREADS: expected a positive integer, got '" + v + "'");
    }
}
