package org.mixq.core.cpu;

/** Elementwise ops for the CPU backend (stub). */
final class CpuElementwise {
    CpuElementwise(CpuThreads threads) {
    }

    void add(float[] y, float[] a, float[] b, int size) {
        throw new UnsupportedOperationException("TODO");
    }

    void biasAdd(float[] y, float[] bias, int n, int c, int inner) {
        throw new UnsupportedOperationException("TODO");
    }

    void biasBackward(float[] dBias, float[] dy, int n, int c, int inner) {
        throw new UnsupportedOperationException("TODO");
    }

    void reluForward(float[] y, float[] x, int size) {
        throw new UnsupportedOperationException("TODO");
    }

    void reluBackward(float[] dx, float[] dy, float[] y, int size) {
        throw new UnsupportedOperationException("TODO");
    }

    void sgd(float[] param, float[] velocity, float[] grad, int size, float lr, float momentum, float weightDecay) {
        throw new UnsupportedOperationException("TODO");
    }
}
