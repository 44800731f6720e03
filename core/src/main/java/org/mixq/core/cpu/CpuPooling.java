package org.mixq.core.cpu;

/** Pooling for the CPU backend (stub). */
final class CpuPooling {
    CpuPooling(CpuThreads threads) {
    }

    void maxForward(float[] y, float[] x, int planes, int h, int w, int window, int stride) {
        throw new UnsupportedOperationException("TODO");
    }

    void maxBackward(float[] dx, float[] dy, float[] x, float[] y, int planes, int h, int w, int window, int stride) {
        throw new UnsupportedOperationException("TODO");
    }

    void avgForward(float[] y, float[] x, int planes, int hw) {
        throw new UnsupportedOperationException("TODO");
    }

    void avgBackward(float[] dx, float[] dy, int planes, int hw) {
        throw new UnsupportedOperationException("TODO");
    }
}
