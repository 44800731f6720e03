package org.mixq.core.cpu;

/** Batch normalization for the CPU backend (stub). */
final class CpuNorm {
    CpuNorm(CpuThreads threads) {
    }

    void forwardTraining(float[] y, float[] saveMean, float[] saveInvStd, float[] runningMean, float[] runningVar,
                         float[] x, float[] gamma, float[] beta, int n, int c, int inner, float momentum, float eps) {
        throw new UnsupportedOperationException("TODO");
    }

    void forwardInference(float[] y, float[] x, float[] gamma, float[] beta, float[] runningMean, float[] runningVar,
                          int n, int c, int inner, float eps) {
        throw new UnsupportedOperationException("TODO");
    }

    void backward(float[] dx, float[] dGamma, float[] dBeta, float[] dy, float[] x, float[] gamma, float[] saveMean,
                  float[] saveInvStd, int n, int c, int inner) {
        throw new UnsupportedOperationException("TODO");
    }
}
