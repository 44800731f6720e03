package org.mixq.core.cpu;

import java.util.Arrays;

/**
 * A blocked SGEMM in plain Java, the fallback when no BLAS loads. Goto-style blocking: a
 * {@code KC x NC} block of op(B) is packed row by row, then every group of {@link #MR} rows of
 * op(A) (packed, times alpha) is multiplied into {@link #MR} accumulator rows, loaded from C and
 * stored back, by a micro-kernel whose inner loop runs over the columns of the block.
 *
 * <p>The micro-kernel is written so that C2 (JDK 21+) vectorizes it: every array in the inner
 * loop is indexed by the loop variable alone (rows of B and of the accumulator are separate
 * arrays, so no two accesses of one array sit at an unknown distance, which would block
 * vectorization), and each accumulator takes four chained {@link Math#fma} calls per step,
 * a 4 x 4 register block over (rows, depth). Measured on AVX-512: about as fast as netlib's
 * VectorBLAS on one thread; larger blocks (8 rows, or depth 8) stopped vectorizing.
 *
 * <p>Each element's accumulator continues one FMA chain over the whole depth in order (the depth
 * left over after whole steps of four takes single FMAs, so no padding adds a zero that could
 * turn -0 into +0): the same bits as {@link VectorGemmLane}, as {@link GemmLane} promises.
 */
final class JavaGemmLane extends GemmLane {
    /** Depth of a packed block of B; 256 x 512 floats = 512 KiB, which stays in a 1 MiB L2. */
    static final int KC = 256;
    /** Columns of a packed block of B. */
    static final int NC = 512;
    /** Rows of C per micro-kernel call (4 x 4 register block). */
    static final int MR = 4;

    private final float[][] packedB = new float[KC][];
    private final float[] packedA = new float[MR * KC];
    private final float[][] acc = new float[MR][NC];

    @Override
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        scale(c, cOff, ldc, m, n, beta);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(transB, b, bOff, ldb, pc, kc, jc, nc);
                for (int ic = 0; ic < m; ic += MR) {
                    int mr = Math.min(MR, m - ic);
                    packA(transA, alpha, a, aOff, lda, ic, mr, pc, kc);
                    for (int r = 0; r < MR; r++) {
                        if (r < mr) {
                            System.arraycopy(c, cOff + (ic + r) * ldc + jc, acc[r], 0, nc);
                        } else {
                            Arrays.fill(acc[r], 0, nc, 0f);
                        }
                    }
                    micro(kc, nc);
                    for (int r = 0; r < mr; r++) {
                        System.arraycopy(acc[r], 0, c, cOff + (ic + r) * ldc + jc, nc);
                    }
                }
            }
        }
    }

    /** Rows pc..pc+kc of op(B), columns jc..jc+nc, into packedB. */
    private void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc) {
        for (int p = 0; p < kc; p++) {
            if (packedB[p] == null) {
                packedB[p] = new float[NC];
            }
        }
        if (!transB) {
            for (int p = 0; p < kc; p++) {
                System.arraycopy(b, bOff + (pc + p) * ldb + jc, packedB[p], 0, nc);
            }
        } else {
            for (int j = 0; j < nc; j++) {
                int src = bOff + (jc + j) * ldb + pc;
                for (int p = 0; p < kc; p++) {
                    packedB[p][j] = b[src + p];
                }
            }
        }
    }

    /** alpha * op(A)[ic..ic+mr, pc..pc+kc] into packedA as MR rows of {@code kc}; rows past mr are zero. */
    private void packA(boolean transA, float alpha, float[] a, int aOff, int lda, int ic, int mr, int pc, int kc) {
        Arrays.fill(packedA, 0, MR * kc, 0f);
        for (int r = 0; r < mr; r++) {
            int dst = r * kc;
            for (int p = 0; p < kc; p++) {
                float v = transA ? a[aOff + (pc + p) * lda + ic + r] : a[aOff + (ic + r) * lda + pc + p];
                packedA[dst + p] = alpha == 1f ? v : alpha * v;
            }
        }
    }

    /**
     * acc[r][0..nc) = fma chain of packedA[r][p] * packedB[p][0..nc) over p < kc in order: 4 rows x 4
     * depths a step, then the depth left over one at a time.
     */
    private void micro(int kc, int nc) {
        float[] ap = packedA;
        float[] r0 = acc[0];
        float[] r1 = acc[1];
        float[] r2 = acc[2];
        float[] r3 = acc[3];
        int p = 0;
        for (; p + 4 <= kc; p += 4) {
            float a00 = ap[p], a01 = ap[p + 1], a02 = ap[p + 2], a03 = ap[p + 3];
            float a10 = ap[kc + p], a11 = ap[kc + p + 1], a12 = ap[kc + p + 2], a13 = ap[kc + p + 3];
            int q = 2 * kc + p;
            float a20 = ap[q], a21 = ap[q + 1], a22 = ap[q + 2], a23 = ap[q + 3];
            q += kc;
            float a30 = ap[q], a31 = ap[q + 1], a32 = ap[q + 2], a33 = ap[q + 3];
            float[] b0 = packedB[p];
            float[] b1 = packedB[p + 1];
            float[] b2 = packedB[p + 2];
            float[] b3 = packedB[p + 3];
            for (int j = 0; j < nc; j++) {
                float x0 = b0[j], x1 = b1[j], x2 = b2[j], x3 = b3[j];
                r0[j] = Math.fma(a03, x3, Math.fma(a02, x2, Math.fma(a01, x1, Math.fma(a00, x0, r0[j]))));
                r1[j] = Math.fma(a13, x3, Math.fma(a12, x2, Math.fma(a11, x1, Math.fma(a10, x0, r1[j]))));
                r2[j] = Math.fma(a23, x3, Math.fma(a22, x2, Math.fma(a21, x1, Math.fma(a20, x0, r2[j]))));
                r3[j] = Math.fma(a33, x3, Math.fma(a32, x2, Math.fma(a31, x1, Math.fma(a30, x0, r3[j]))));
            }
        }
        for (; p < kc; p++) {
            float a0 = ap[p], a1 = ap[kc + p], a2 = ap[2 * kc + p], a3 = ap[3 * kc + p];
            float[] b0 = packedB[p];
            for (int j = 0; j < nc; j++) {
                float x = b0[j];
                r0[j] = Math.fma(a0, x, r0[j]);
                r1[j] = Math.fma(a1, x, r1[j]);
                r2[j] = Math.fma(a2, x, r2[j]);
                r3[j] = Math.fma(a3, x, r3[j]);
            }
        }
    }
}
