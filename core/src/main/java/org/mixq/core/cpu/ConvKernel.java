package org.mixq.core.cpu;

import jdk.incubator.vector.FloatVector;
import org.mixq.core.ConvGeometry;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner loop of both direct convolutions ({@link DirectConv},
 * {@link PanelConv}): output channels times a block of {@link #BLOCK} columns, each column a
 * dot product of a filter row {@code w[k][0..crs)} with input values found at
 * {@code in[taps[j] + t + column]} for the taps {@code j = 0..crs-1}.
 *
 * <p>Four channels x four vectors of columns sit in 16 registers: per tap, 4 loads and 4
 * broadcasts feed 16 FMAs. Each output value is one chain of FMAs over the taps in order, so a
 * value does not depend on which block or thread computed it.
 */
final class ConvKernel {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int V = SPECIES.length();
    /** Columns per call: four vectors. */
    static final int BLOCK = 4 * V;
    /** Output channels per {@link #fourChannels} call. */
    static final int CHANNELS = 4;

    private ConvKernel() {
    }

    /**
     * Channels k..k+3: writes {@code out[outAt + c*outStride + 0..BLOCK)} for c = 0..3 with the
     * columns whose inputs start at {@code in[taps[j] + t]}.
     */
    static void fourChannels(float[] out, int outAt, int outStride, float[] in, int[] taps, int t, float[] w, int k,
                             int crs) {
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
        // stored inline: a method taking vectors as arguments may not inline, and then boxes them
        a00.intoArray(out, outAt);
        a01.intoArray(out, outAt + V);
        a02.intoArray(out, outAt + 2 * V);
        a03.intoArray(out, outAt + 3 * V);
        int at = outAt + outStride;
        a10.intoArray(out, at);
        a11.intoArray(out, at + V);
        a12.intoArray(out, at + 2 * V);
        a13.intoArray(out, at + 3 * V);
        at += outStride;
        a20.intoArray(out, at);
        a21.intoArray(out, at + V);
        a22.intoArray(out, at + 2 * V);
        a23.intoArray(out, at + 3 * V);
        at += outStride;
        a30.intoArray(out, at);
        a31.intoArray(out, at + V);
        a32.intoArray(out, at + 2 * V);
        a33.intoArray(out, at + 3 * V);
    }

    /** Channel k alone (the last K mod 4 channels): writes {@code out[outAt + 0..BLOCK)}. */
    static void oneChannel(float[] out, int outAt, float[] in, int[] taps, int t, float[] w, int k, int crs) {
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
        a0.intoArray(out, outAt);
        a1.intoArray(out, outAt + V);
        a2.intoArray(out, outAt + 2 * V);
        a3.intoArray(out, outAt + 3 * V);
    }

    /**
     * Copies image {@code image} of x into the interior of a zero-bordered buffer at
     * {@code padded[at]}: planes of {@code (H + 2 padH) x (W + 2 padW)}, channel after channel.
     * The borders are not written; they stay as the caller zeroed them.
     */
    static void pad(float[] padded, int at, float[] x, int image, ConvGeometry g) {
        int hw = g.h() * g.w();
        int wp = g.w() + 2 * g.padW();
        int plane = (g.h() + 2 * g.padH()) * wp;
        for (int c = 0; c < g.c(); c++) {
            int from = (image * g.c() + c) * hw;
            int to = at + c * plane + g.padH() * wp + g.padW();
            for (int h = 0; h < g.h(); h++) {
                System.arraycopy(x, from + h * g.w(), padded, to + h * wp, g.w());
            }
        }
    }
}
