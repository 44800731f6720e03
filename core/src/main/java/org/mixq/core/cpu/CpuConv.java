package org.mixq.core.cpu;

import org.mixq.core.ConvGeometry;

/** Convolution for the CPU backend (stub). */
final class CpuConv {
    CpuConv(CpuThreads threads, CpuGemm gemm) {
    }

    void forward(float[] y, float[] x, float[] w, float[] bias, ConvGeometry g) {
        throw new UnsupportedOperationException("TODO");
    }

    void backwardData(float[] dx, float[] dy, float[] w, ConvGeometry g) {
        throw new UnsupportedOperationException("TODO");
    }

    void backwardFilter(float[] dw, float[] dBias, float[] dy, float[] x, ConvGeometry g) {
        throw new UnsupportedOperationException("TODO");
    }
}
