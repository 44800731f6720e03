package org.mixq.kernels;

import java.util.Arrays;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * One loaded kernel file. Loading tries the PTX the build made with nvcc (sm90, then sm80, as
 * far as the device can run them); where the jar has none or the driver rejects it (PTX from
 * nvcc 13 needs a CUDA 13 driver: older ones answer CUDA_ERROR_UNSUPPORTED_PTX_VERSION), the
 * shipped {@code .cu} source is compiled with NVRTC for the device. {@link #origin()} says which
 * happened, for {@code describe()}.
 */
final class KernelModule implements AutoCloseable {
    private final KernelSource source;
    private final CUmodule module;
    private final String origin;
    private boolean closed;

    private KernelModule(KernelSource source, CUmodule module, String origin) {
        this.source = source;
        this.module = module;
        this.origin = origin;
    }

    /** Loads {@code source} into the current context for a device of architecture {@code deviceArch}. */
    static KernelModule load(KernelSource source, int deviceArch) {
        String rejected = null;
        boolean anyPtx = false;
        for (int arch : KernelSource.PTX_ARCHS) {
            if (arch > deviceArch) {
                continue;
            }
            byte[] ptx = KernelSource.resource(source.ptxResource(arch));
            if (ptx == null) {
                continue;
            }
            anyPtx = true;
            CUmodule m = new CUmodule();
            // cuModuleLoadData reads PTX as a NUL-terminated string
            int rc = JCudaDriver.cuModuleLoadData(m, Arrays.copyOf(ptx, ptx.length + 1));
            if (rc == CUresult.CUDA_SUCCESS) {
                return new KernelModule(source, m, "PTX compute_" + arch);
            }
            rejected = CUresult.stringFor(rc);
        }
        String why = rejected != null ? "the driver rejected the PTX (" + rejected + ")"
                : anyPtx ? "no PTX for sm_" + deviceArch : "the jar has no PTX (built without nvcc)";
        if (Natives.nvrtcMissing() != null) {
            throw new IllegalStateException(source.file + ".cu: " + why + ", and NVRTC is unavailable ("
                    + Natives.nvrtcMissing() + ")");
        }
        String ptx = Nvrtc.compile(source, deviceArch);
        String version = Nvrtc.version();
        CUmodule m = new CUmodule();
        Cu.check(JCudaDriver.cuModuleLoadData(m, ptx), "cuModuleLoadData(" + source.file + ", NVRTC PTX)");
        return new KernelModule(source, m, "NVRTC " + version + " (" + why + ")");
    }

    /** A kernel function and its name, for launches and their error messages. */
    record Kernel(String name, CUfunction function) {
    }

    Kernel function(String name) {
        CUfunction f = new CUfunction();
        Cu.check(JCudaDriver.cuModuleGetFunction(f, module, name), "cuModuleGetFunction(" + source.file + "." + name + ")");
        return new Kernel(source.file + "." + name, f);
    }

    String origin() {
        return origin;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Cu.check(JCudaDriver.cuModuleUnload(module), "cuModuleUnload(" + source.file + ")");
        }
    }
}
