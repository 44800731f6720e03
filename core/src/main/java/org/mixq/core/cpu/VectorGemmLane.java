package org.mixq.core.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SGEMM with the Vector API on Java arrays: no copy into native memory, and a register-blocked
 * micro-kernel, the same 4 rows x 4 vectors of {@link DirectConv}. Goto-style blocking: a
 * {@code KC x NC} block of op(B) is packed row-major (columns rounded up to whole micro-tiles
 * with zeros), a 4-row panel of alpha * op(A) is packed depth-major, and the micro-kernel loads
 * a 4 x {@link #NR} tile of C into 16 registers, carries it over the block's depth (per depth
 * step, 4 loads of B and 4 broadcasts of A feed 16 FMAs) and stores it back.
 *
 * <p>So every element of C is one FMA chain over the whole depth in order (the next depth block
 * continues from the stored value), as {@link GemmLane} promises: the vector width only decides
 * which elements share a register.
 */
final class VectorGemmLane extends GemmLane {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int V = SPECIES.length();
    /** Rows of C per micro-tile. */
    private static final int MR = 4;
    /** Columns of C per micro-tile: four vectors. */
    private static final int NR = 4 * V;
    /** Depth of a packed block of B: 256 x 512 floats = 512 KiB, half a 1 MiB L2. */
    static final int KC = 256;
    /** Columns of a packed block of B, a whole number of micro-tiles. */
    static final int NC = 512 / NR * NR;

    private final float[] packedB = new float[KC * NC];
    private final float[] packedA = new float[KC * MR];
    /** The C tile of one micro-kernel call, whole even where C's edge cuts it. */
    private final float[] tile = new float[MR * NR];

    /** Width of the vectors in use on this machine. */
    static int bits() {
        return SPECIES.vectorBitSize();
    }

    @Override
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
               float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        scale(c, cOff, ldc, m, n, beta);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int width = (nc + NR - 1) / NR * NR;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(transB, b, bOff, ldb, pc, kc, jc, nc, width);
                for (int ic = 0; ic < m; ic += MR) {
                    int mr = Math.min(MR, m - ic);
                    packA(transA, alpha, a, aOff, lda, ic, mr, pc, kc);
                    for (int jr = 0; jr < nc; jr += NR) {
                        micro(kc, width, jr, c, cOff + ic * ldc + jc + jr, ldc, mr, Math.min(NR, nc - jr));
                    }
                }
            }
        }
    }

    /** Rows pc..pc+kc of op(B), columns jc..jc+nc, row-major {@code width} wide, zeros past nc. */
    private void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, int width) {
        for (int p = 0; p < kc; p++) {
            int to = p * width;
            if (!transB) {
                System.arraycopy(b, bOff + (pc + p) * ldb + jc, packedB, to, nc);
            } else {
                for (int j = 0; j < nc; j++) {
                    packedB[to + j] = b[bOff + (jc + j) * ldb + pc + p];
                }
            }
            Arrays.fill(packedB, to + nc, to + width, 0f);
        }
    }

    /** alpha * op(A)[ic..ic+mr, pc..pc+kc] depth-major, {@code packedA[p*MR + r]}; rows past mr are zero. */
    private void packA(boolean transA, float alpha, float[] a, int aOff, int lda, int ic, int mr, int pc, int kc) {
        for (int p = 0; p < kc; p++) {
            for (int r = 0; r < MR; r++) {
                float v = 0f;
                if (r < mr) {
                    v = transA ? a[aOff + (pc + p) * lda + ic + r] : a[aOff + (ic + r) * lda + pc + p];
                }
                packedA[p * MR + r] = alpha == 1f ? v : alpha * v;
            }
        }
    }

    /**
     * C[0..rows, 0..cols) from {@code at} += the product of the packed A panel and the packed B
     * columns jr..jr+NR over depth kc, continuing each element's FMA chain from its value in C.
     */
    private void micro(int kc, int width, int jr, float[] c, int at, int ldc, int rows, int cols) {
        float[] bp = packedB;
        float[] ap = packedA;
        float[] t = tile;
        loadTile(c, at, ldc, rows, cols);
        FloatVector a00 = FloatVector.fromArray(SPECIES, t, 0);
        FloatVector a01 = FloatVector.fromArray(SPECIES, t, V);
        FloatVector a02 = FloatVector.fromArray(SPECIES, t, 2 * V);
        FloatVector a03 = FloatVector.fromArray(SPECIES, t, 3 * V);
        FloatVector a10 = FloatVector.fromArray(SPECIES, t, NR);
        FloatVector a11 = FloatVector.fromArray(SPECIES, t, NR + V);
        FloatVector a12 = FloatVector.fromArray(SPECIES, t, NR + 2 * V);
        FloatVector a13 = FloatVector.fromArray(SPECIES, t, NR + 3 * V);
        FloatVector a20 = FloatVector.fromArray(SPECIES, t, 2 * NR);
        FloatVector a21 = FloatVector.fromArray(SPECIES, t, 2 * NR + V);
        FloatVector a22 = FloatVector.fromArray(SPECIES, t, 2 * NR + 2 * V);
        FloatVector a23 = FloatVector.fromArray(SPECIES, t, 2 * NR + 3 * V);
        FloatVector a30 = FloatVector.fromArray(SPECIES, t, 3 * NR);
        FloatVector a31 = FloatVector.fromArray(SPECIES, t, 3 * NR + V);
        FloatVector a32 = FloatVector.fromArray(SPECIES, t, 3 * NR + 2 * V);
        FloatVector a33 = FloatVector.fromArray(SPECIES, t, 3 * NR + 3 * V);
        for (int p = 0; p < kc; p++) {
            int bi = p * width + jr;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bi + V);
            FloatVector b2 = FloatVector.fromArray(SPECIES, bp, bi + 2 * V);
            FloatVector b3 = FloatVector.fromArray(SPECIES, bp, bi + 3 * V);
            FloatVector x = FloatVector.broadcast(SPECIES, ap[p * MR]);
            a00 = b0.fma(x, a00);
            a01 = b1.fma(x, a01);
            a02 = b2.fma(x, a02);
            a03 = b3.fma(x, a03);
            x = FloatVector.broadcast(SPECIES, ap[p * MR + 1]);
            a10 = b0.fma(x, a10);
            a11 = b1.fma(x, a11);
            a12 = b2.fma(x, a12);
            a13 = b3.fma(x, a13);
            x = FloatVector.broadcast(SPECIES, ap[p * MR + 2]);
            a20 = b0.fma(x, a20);
            a21 = b1.fma(x, a21);
            a22 = b2.fma(x, a22);
            a23 = b3.fma(x, a23);
            x = FloatVector.broadcast(SPECIES, ap[p * MR + 3]);
            a30 = b0.fma(x, a30);
            a31 = b1.fma(x, a31);
            a32 = b2.fma(x, a32);
            a33 = b3.fma(x, a33);
        }
        // through the tile buffer: a helper taking the vectors as arguments is not inlined
        // (too large for a cold call site), and vectors passed to it would be boxed
        a00.intoArray(t, 0);
        a01.intoArray(t, V);
        a02.intoArray(t, 2 * V);
        a03.intoArray(t, 3 * V);
        a10.intoArray(t, NR);
        a11.intoArray(t, NR + V);
        a12.intoArray(t, NR + 2 * V);
        a13.intoArray(t, NR + 3 * V);
        a20.intoArray(t, 2 * NR);
        a21.intoArray(t, 2 * NR + V);
        a22.intoArray(t, 2 * NR + 2 * V);
        a23.intoArray(t, 2 * NR + 3 * V);
        a30.intoArray(t, 3 * NR);
        a31.intoArray(t, 3 * NR + V);
        a32.intoArray(t, 3 * NR + 2 * V);
        a33.intoArray(t, 3 * NR + 3 * V);
        storeTile(c, at, ldc, rows, cols);
    }

    /** The tile buffer = C[0..rows, 0..cols) from {@code at}, zeros past C's edge. */
    private void loadTile(float[] c, int at, int ldc, int rows, int cols) {
        for (int r = 0; r < MR; r++) {
            int n = r < rows ? cols : 0;
            if (n > 0) {
                System.arraycopy(c, at + r * ldc, tile, r * NR, n);
            }
            Arrays.fill(tile, r * NR + n, (r + 1) * NR, 0f);
        }
    }

    /** C[0..rows, 0..cols) from {@code at} = the tile buffer. */
    private void storeTile(float[] c, int at, int ldc, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(tile, r * NR, c, at + r * ldc, cols);
        }
    }
}
