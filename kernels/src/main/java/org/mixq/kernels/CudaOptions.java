package org.mixq.kernels;

import java.util.Locale;

/**
 * Choices of the CUDA backend, from system properties by default:
 * <ul>
 *   <li>{@code mixq.cuda.device}: device ordinal (0);</li>
 *   <li>{@code mixq.cuda.gemm}: {@code auto} (cuBLAS where it loads, else the hand-written kernel),
 *       {@code cublas} or {@code kernel};</li>
 *   <li>{@code mixq.cuda.conv}: {@code auto} (cuDNN where it loads, else im2col + GEMM),
 *       {@code cudnn} or {@code im2col};</li>
 *   <li>{@code mixq.cuda.fqweights}: the weight fake-quantization kernel, {@code auto} (by channel
 *       size against the L2 cache), {@code block} (one block per channel) or {@code resident} (one
 *       block per multiprocessor, channel after channel);</li>
 *   <li>{@code mixq.cuda.tf32}: let cuBLAS and cuDNN use TF32 tensor cores (false: results then
 *       stay float32 and comparable with the CPU);</li>
 *   <li>{@code mixq.cuda.sync}: wait for the device after every op, so that a kernel fault is
 *       reported by the op that caused it (debugging; slow).</li>
 * </ul>
 */
public record CudaOptions(int device, Library gemm, Library conv, WeightQuantKernel fqWeights, boolean tf32,
                          boolean syncEachOp) {

    /** Which implementation serves GEMM or convolution. */
    public enum Library {
        /** The vendor library where it loads, else the hand-written kernels. */
        AUTO,
        /** The vendor library (cuBLAS, cuDNN); creating the backend fails where it does not load. */
        VENDOR,
        /** The hand-written kernels only. */
        KERNEL
    }

    /** Which kernel quantizes weights (see fake_quant.cu). */
    public enum WeightQuantKernel {
        /** The resident kernel where the L2 holds a channel per multiprocessor but not the blocks' channels. */
        AUTO,
        /** One block per channel. */
        BLOCK,
        /** One resident block per multiprocessor, channel after channel. */
        RESIDENT
    }

    public CudaOptions {
        if (device < 0) {
            throw new IllegalArgumentException("mixq.cuda.device must be >= 0, got " + device);
        }
        if (gemm == null || conv == null || fqWeights == null) {
            throw new IllegalArgumentException("gemm, conv and fqweights choices must not be null");
        }
    }

    public static CudaOptions defaults() {
        return new CudaOptions(0, Library.AUTO, Library.AUTO, WeightQuantKernel.AUTO, false, false);
    }

    public CudaOptions withGemm(Library choice) {
        return new CudaOptions(device, choice, conv, fqWeights, tf32, syncEachOp);
    }

    public CudaOptions withConv(Library choice) {
        return new CudaOptions(device, gemm, choice, fqWeights, tf32, syncEachOp);
    }

    public CudaOptions withFqWeights(WeightQuantKernel choice) {
        return new CudaOptions(device, gemm, conv, choice, tf32, syncEachOp);
    }

    public static CudaOptions fromSystemProperties() {
        return new CudaOptions(
                intProperty("mixq.cuda.device", 0),
                library("mixq.cuda.gemm", "cublas"),
                library("mixq.cuda.conv", "cudnn"),
                weightQuantKernel(),
                Boolean.parseBoolean(System.getProperty("mixq.cuda.tf32", "false")),
                Boolean.parseBoolean(System.getProperty("mixq.cuda.sync", "false")));
    }

    private static int intProperty(String name, int fallback) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": expected an integer, got '" + v + "'", e);
        }
    }

    private static WeightQuantKernel weightQuantKernel() {
        String v = System.getProperty("mixq.cuda.fqweights", "auto").trim().toLowerCase(Locale.ROOT);
        for (WeightQuantKernel k : WeightQuantKernel.values()) {
            if (k.name().toLowerCase(Locale.ROOT).equals(v)) {
                return k;
            }
        }
        throw new IllegalArgumentException("mixq.cuda.fqweights: expected auto, block or resident, got '" + v + "'");
    }

    private static Library library(String name, String vendor) {
        String v = System.getProperty(name, "auto").trim().toLowerCase(Locale.ROOT);
        if (v.equals("auto")) {
            return Library.AUTO;
        }
        if (v.equals(vendor)) {
            return Library.VENDOR;
        }
        if (v.equals("kernel") || v.equals("im2col")) {
            return Library.KERNEL;
        }
        throw new IllegalArgumentException(name + ": expected auto, " + vendor + " or "
                + (vendor.equals("cudnn") ? "im2col" : "kernel") + ", got '" + v + "'");
    }
}
