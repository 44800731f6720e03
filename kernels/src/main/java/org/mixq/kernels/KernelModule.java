package org.mixq.kernels;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        CudaDiagnostics.check(JCudaDriver.cuModuleLoadData(m, ptx), "cuModuleLoadData(" + source.file + ", NVRTC PTX)");
        return new KernelModule(source, m, "NVRTC " + version + " (" + why + ")");
    }

    /**
     * Why this build's kernels certainly cannot load for a device and driver, or null where they
     * can or may (then loading decides): without NVRTC, the PTX must exist for the device and the
     * driver must know its ISA version (ISA 8.x came with CUDA 12, ISA 9.x with CUDA 13).
     */
    static String unloadableReason(int deviceArch, int driverVersion) {
        if (Natives.nvrtcMissing() == null) {
            return null;
        }
        String isa = ptxIsaVersion();
        String why = null;
        if (isa == null) {
            why = "the jar has no PTX (built without nvcc)";
        } else if (deviceArch < KernelSource.PTX_ARCHS[KernelSource.PTX_ARCHS.length - 1]) {
            why = "the jar has no PTX for sm_" + deviceArch;
        } else {
            int needed = Integer.parseInt(isa.substring(0, isa.indexOf('.'))) + 4;
            if (driverVersion / 1000 < needed) {
                why = "its PTX (ISA " + isa + ") needs a CUDA " + needed + " driver, this one is "
                        + CudaDiagnostics.version(driverVersion);
            }
        }
        return why == null ? null : "the kernels cannot load: " + why + ", and NVRTC is unavailable ("
                + Natives.nvrtcMissing() + ")";
    }

    /** The ".version" of the PTX in the jar, e.g. "9.0", or null when it has none. */
    static String ptxIsaVersion() {
        byte[] ptx = KernelSource.resource(KernelSource.GEMM.ptxResource(KernelSource.PTX_ARCHS[0]));
        if (ptx == null) {
            return null;
        }
        Matcher m = Pattern.compile("\\.version\\s+(\\d+\\.\\d+)").matcher(new String(ptx, StandardCharsets.US_ASCII));
        return m.find() ? m.group(1) : null;
    }

    /** A kernel function and its name, for launches and their error messages. */
    record Kernel(String name, CUfunction function) {
    }

    Kernel function(String name) {
        CUfunction f = new CUfunction();
        CudaDiagnostics.check(JCudaDriver.cuModuleGetFunction(f, module, name),
                "cuModuleGetFunction(" + source.file + "." + name + ")");
        return new Kernel(source.file + "." + name, f);
    }

    String origin() {
        return origin;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            CudaDiagnostics.check(JCudaDriver.cuModuleUnload(module), "cuModuleUnload(" + source.file + ")");
        }
    }
}
