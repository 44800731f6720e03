package org.mixq.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The kernel files of {@code src/main/cuda}, one per op family, each shipped in the jar as
 * {@code cuda/<file>.cu} and, when nvcc was on the build's PATH, as {@code ptx/<file>.sm80.ptx}
 * and {@code ptx/<file>.sm90.ptx}.
 */
enum KernelSource {
    FAKE_QUANT("fake_quant", false),
    ELEMENTWISE("elementwise", false),
    POOLING("pooling", false),
    BATCH_NORM("batch_norm", false),
    LOSS("loss", false),
    IM2COL("im2col", false),
    GEMM("gemm", true);

    /** Architectures the build makes PTX for (kernels/pom.xml), newest first. */
    static final int[] PTX_ARCHS = {90, 80};

    final String file;
    /**
     * Whether multiply-adds may be fused. Only the GEMM: everywhere else -fmad=false keeps the
     * CPU's rounding (kernels/pom.xml passes the same flags to nvcc).
     */
    final boolean fusedMultiplyAdd;

    KernelSource(String file, boolean fusedMultiplyAdd) {
        this.file = file;
        this.fusedMultiplyAdd = fusedMultiplyAdd;
    }

    String sourceResource() {
        return "/cuda/" + file + ".cu";
    }

    String ptxResource(int arch) {
        return "/ptx/" + file + ".sm" + arch + ".ptx";
    }

    /** The bytes of a class-path resource, or null when the jar does not carry it. */
    static byte[] resource(String path) {
        try (InputStream in = KernelSource.class.getResourceAsStream(path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading resource " + path, e);
        }
    }
}
