package org.mixq.core.cpu;

/** Fake quantization for the CPU backend (stub). */
final class CpuFakeQuant {
    CpuFakeQuant(CpuThreads threads) {
    }

    void weightsForward(float[] wq, float[] mask, float[] scale, float[] w, int channels, int inner, int bits) {
        throw new UnsupportedOperationException("TODO");
    }

    void weightsBackward(float[] dw, float[] dwq, float[] mask, int size) {
        throw new UnsupportedOperationException("TODO");
    }

    void activationsForward(float[] y, float[] x, float clip, int size, int bits) {
        throw new UnsupportedOperationException("TODO");
    }

    void activationsBackward(float[] dx, float[] dClip, float[] dy, float[] x, float clip, int size) {
        throw new UnsupportedOperationException("TODO");
    }
}
