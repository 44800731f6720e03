package org.mixq.core.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.mixq.core.ConvGeometry;

/**
 * Direct convolution, without im2col, for stride-1 filters whose padding keeps the plane
 * ({@code R = 2*padH + 1}, {@code S = 2*padW + 1}: every 3x3 convolution with padding 1), one
 * image at a time, with the Vector API.
 *
 * <p>The image is copied once into a zero-bordered buffer of rows {@code WP = W + 2*padW} wide.
 * Output pixel (p, q) is then computed at the "wide" column {@code t = p*WP + q}, where every
 * filter tap (c, r, s) reads the padded image at the fixed offset {@code c*HP*WP + r*WP + s}
 * from t: one unit-stride vector load serves 16 output pixels of a tap, with no boundary test
 * and no unfolded copy. The {@code 2*padW} columns per row past W are computed and dropped
 * (6% extra work on a 32-wide plane, 12.5% on a 16-wide one, which is why small planes keep
 * the im2col + GEMM path).
 *
 * <p>The micro-kernel holds 4 output channels x 4 vectors of wide columns in 16 registers:
 * per tap, 4 loads and 4 broadcasts feed 16 FMAs. Each output value is one chain of FMAs over
 * the taps in KCRS order, so results do not depend on the thread count or on which block a
 * pixel falls in.
 */
final class DirectConv {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int V = SPECIES.length();
    /** Wide columns per micro-kernel call: four vectors. */
    private static final int BLOCK = 4 * V;
    /** Output channels per micro-kernel call. */
    private static final int CHANNELS = 4;
    /** Narrowest plane served: on narrower ones the dropped columns cost more than im2col saves. */
    static final int MIN_WIDTH = 16;

    private ConvGeometry g;
    private int wp;
    private int paddedPlane;
    private int wideColumns;
    /** Offset in the padded image of each tap (c, r, s), in KCRS order. */
    private int[] taps = new int[0];
    private float[] padded = new float[0];
    private float[] wide = new float[0];

    /** Floats per vector on this machine. */
    static int lanes() {
        return V;
    }

    /** Whether this path serves the geometry. */
    static boolean serves(ConvGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1 && g.r() == 2 * g.padH() + 1 && g.s() == 2 * g.padW() + 1
                && g.r() * g.s() > 1 && g.w() >= MIN_WIDTH;
    }

    /** Overwrites image {@code i} of {@code y} with {@code conv(x, w) + bias} (bias may be null). */
    void forward(float[] y, float[] x, float[] w, float[] bias, ConvGeometry geometry, int i) {
        prepare(geometry);
        pad(x, i);
        int crs = g.c() * g.r() * g.s();
        int k = 0;
        for (; k + CHANNELS <= g.k(); k += CHANNELS) {
            for (int t = 0; t < wideColumns; t += BLOCK) {
                fourChannels(k, t, w, crs);
            }
        }
        for (; k < g.k(); k++) {
            for (int t = 0; t < wideColumns; t += BLOCK) {
                oneChannel(k, t, w, crs);
            }
        }
        unpad(y, bias, i);
    }

    private void prepare(ConvGeometry geometry) {
        if (geometry.equals(g)) {
            return;
        }
        g = geometry;
        wp = g.w() + 2 * g.padW();
        paddedPlane = (g.h() + 2 * g.padH()) * wp;
        wideColumns = (g.p() * wp + BLOCK - 1) / BLOCK * BLOCK;
        int crs = g.c() * g.r() * g.s();
        taps = new int[crs];
        for (int j = 0; j < crs; j++) {
            int c = j / (g.r() * g.s());
            int r = j / g.s() % g.r();
            int s = j % g.s();
            taps[j] = c * paddedPlane + r * wp + s;
        }
        // the last tap reads up to wideColumns - 1 past its offset: HP*WP covers p*WP + r*WP
        // for p < P = H, the rest is the block's slack and the last tap's s
        int paddedSize = g.c() * paddedPlane + g.s() + BLOCK;
        if (padded.length < paddedSize) {
            padded = new float[paddedSize];
        }
        // borders and slack stay zero: each image overwrites only the interior rows
        Arrays.fill(padded, 0, paddedSize, 0f);
        if (wide.length < g.k() * wideColumns) {
            wide = new float[g.k() * wideColumns];
        }
    }

    /** Image i into the interior of the zero-bordered buffer. */
    private void pad(float[] x, int i) {
        int hw = g.h() * g.w();
        for (int c = 0; c < g.c(); c++) {
            int from = (i * g.c() + c) * hw;
            int to = c * paddedPlane + g.padH() * wp + g.padW();
            for (int h = 0; h < g.h(); h++) {
                System.arraycopy(x, from + h * g.w(), padded, to + h * wp, g.w());
            }
        }
    }

    /** The wide output's first Q columns of each row into image i of y, plus the bias. */
    private void unpad(float[] y, float[] bias, int i) {
        int pq = g.p() * g.q();
        for (int k = 0; k < g.k(); k++) {
            int to = (i * g.k() + k) * pq;
            int from = k * wideColumns;
            for (int p = 0; p < g.p(); p++) {
                System.arraycopy(wide, from + p * wp, y, to + p * g.q(), g.q());
            }
            if (bias != null) {
                float b = bias[k];
                for (int j = to; j < to + pq; j++) {
                    y[j] += b;
                }
            }
        }
    }

    /** Channels k..k+3, wide columns t..t+BLOCK-1. */
    private void fourChannels(int k, int t, float[] w, int crs) {
        float[] in = padded;
        FloatVector a00 = FloatVector.zero(SPECIES), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        int w0 = k * crs;
        for (int j = 0; j < crs; j++) {
            int at = taps[j] + t;
            FloatVector x0 = FloatVector.fromArray(SPECIES, in, at);
            FloatVector x1 = FloatVector.fromArray(SPECIES, in, at + V);
            FloatVector x2 = FloatVector.fromArray(SPECIES, in, at + 2 * V);
            FloatVector x3 = FloatVector.fromArray(SPECIES, in, at + 3 * V);
            FloatVector b = FloatVector.broadcast(SPECIES, w[w0 + j]);
            a00 = x0.fma(b, a00);
            a01 = x1.fma(b, a01);
            a02 = x2.fma(b, a02);
            a03 = x3.fma(b, a03);
            b = FloatVector.broadcast(SPECIES, w[w0 + crs + j]);
            a10 = x0.fma(b, a10);
            a11 = x1.fma(b, a11);
            a12 = x2.fma(b, a12);
            a13 = x3.fma(b, a13);
            b = FloatVector.broadcast(SPECIES, w[w0 + 2 * crs + j]);
            a20 = x0.fma(b, a20);
            a21 = x1.fma(b, a21);
            a22 = x2.fma(b, a22);
            a23 = x3.fma(b, a23);
            b = FloatVector.broadcast(SPECIES, w[w0 + 3 * crs + j]);
            a30 = x0.fma(b, a30);
            a31 = x1.fma(b, a31);
            a32 = x2.fma(b, a32);
            a33 = x3.fma(b, a33);
        }
        store(a00, a01, a02, a03, k * wideColumns + t);
        store(a10, a11, a12, a13, (k + 1) * wideColumns + t);
        store(a20, a21, a22, a23, (k + 2) * wideColumns + t);
        store(a30, a31, a32, a33, (k + 3) * wideColumns + t);
    }

    /** Channel k alone (the last K mod 4 channels), wide columns t..t+BLOCK-1. */
    private void oneChannel(int k, int t, float[] w, int crs) {
        float[] in = padded;
        FloatVector a0 = FloatVector.zero(SPECIES), a1 = a0, a2 = a0, a3 = a0;
        int w0 = k * crs;
        for (int j = 0; j < crs; j++) {
            int at = taps[j] + t;
            FloatVector b = FloatVector.broadcast(SPECIES, w[w0 + j]);
            a0 = FloatVector.fromArray(SPECIES, in, at).fma(b, a0);
            a1 = FloatVector.fromArray(SPECIES, in, at + V).fma(b, a1);
            a2 = FloatVector.fromArray(SPECIES, in, at + 2 * V).fma(b, a2);
            a3 = FloatVector.fromArray(SPECIES, in, at + 3 * V).fma(b, a3);
        }
        store(a0, a1, a2, a3, k * wideColumns + t);
    }

    private void store(FloatVector a0, FloatVector a1, FloatVector a2, FloatVector a3, int at) {
        a0.intoArray(wide, at);
        a1.intoArray(wide, at + V);
        a2.intoArray(wide, at + 2 * V);
        a3.intoArray(wide, at + 3 * V);
    }
}
