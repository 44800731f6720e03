package org.mixq.core.cpu;

/** SGEMM for the CPU backend (stub: to be implemented). */
public final class CpuGemm {
    public enum Provider { AUTO, OPENBLAS, NETLIB, JAVA }

    CpuGemm(CpuThreads threads, Provider provider) {
    }

    public String provider() {
        return "none";
    }

    public String providerReason() {
        return "not implemented";
    }

    /** Row-major BLAS SGEMM: c = alpha * op(a) * op(b) + beta * c; beta = 0 never reads c. */
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        throw new UnsupportedOperationException("TODO");
    }
}
