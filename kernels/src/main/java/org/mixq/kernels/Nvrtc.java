package org.mixq.kernels;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jcuda.nvrtc.JNvrtc;
import jcuda.nvrtc.nvrtcProgram;
import jcuda.nvrtc.nvrtcResult;

/**
 * Compiles a shipped kernel source to PTX with NVRTC, for a driver that rejects the PTX the
 * build made (PTX from nvcc 13 declares ISA 9.0, which only a CUDA 13 driver accepts) or a
 * device older than the build's architectures. JNvrtc's native needs libnvrtc.so.12; its
 * absence surfaces as a LinkageError from the first call.
 */
final class Nvrtc {
    private Nvrtc() {
    }

    /** PTX for {@code source} targeting the newest virtual architecture NVRTC knows up to {@code deviceArch}. */
    static String compile(KernelSource source, int deviceArch) {
        int arch = supportedArch(deviceArch);
        byte[] text = KernelSource.resource(source.sourceResource());
        if (text == null) {
            throw new IllegalStateException("resource " + source.sourceResource() + " is missing from the kernels jar");
        }
        List<String> options = new ArrayList<>();
        options.add("--gpu-architecture=compute_" + arch);
        if (!source.fusedMultiplyAdd) {
            options.add("--fmad=false");
        }
        nvrtcProgram program = new nvrtcProgram();
        check(JNvrtc.nvrtcCreateProgram(program, new String(text, StandardCharsets.UTF_8), source.file + ".cu", 0,
                null, null), "nvrtcCreateProgram(" + source.file + ")");
        try {
            int rc = JNvrtc.nvrtcCompileProgram(program, options.size(), options.toArray(new String[0]));
            if (rc != nvrtcResult.NVRTC_SUCCESS) {
                String[] log = new String[1];
                JNvrtc.nvrtcGetProgramLog(program, log);
                throw new IllegalStateException("NVRTC could not compile " + source.file + ".cu for compute_" + arch
                        + ": " + nvrtcResult.stringFor(rc) + "\n" + log[0]);
            }
            String[] ptx = new String[1];
            check(JNvrtc.nvrtcGetPTX(program, ptx), "nvrtcGetPTX(" + source.file + ")");
            return ptx[0];
        } finally {
            JNvrtc.nvrtcDestroyProgram(program);
        }
    }

    /** "12.6" */
    static String version() {
        int[] major = new int[1];
        int[] minor = new int[1];
        check(JNvrtc.nvrtcVersion(major, minor), "nvrtcVersion");
        return major[0] + "." + minor[0];
    }

    private static int supportedArch(int deviceArch) {
        int[] count = new int[1];
        check(JNvrtc.nvrtcGetNumSupportedArchs(count), "nvrtcGetNumSupportedArchs");
        int[] archs = new int[count[0]];
        check(JNvrtc.nvrtcGetSupportedArchs(archs), "nvrtcGetSupportedArchs");
        int best = -1;
        for (int a : archs) {
            if (a <= deviceArch && a > best) {
                best = a;
            }
        }
        if (best < 0) {
            throw new IllegalStateException("NVRTC " + version() + " supports no architecture up to sm_" + deviceArch);
        }
        return best;
    }

    private static void check(int rc, String call) {
        if (rc != nvrtcResult.NVRTC_SUCCESS) {
            throw new CudaCallException(call, rc, nvrtcResult.stringFor(rc));
        }
    }
}
