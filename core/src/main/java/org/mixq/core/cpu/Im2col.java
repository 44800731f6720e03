package org.mixq.core.cpu;

import java.util.Arrays;
import org.mixq.core.ConvGeometry;

/**
 * The unfolding of one image into GEMM columns (im2col) and its adjoint (col2im), on a
 * zero-padded copy of the image so that the inner loops need no bounds tests.
 *
 * <p>Layout: the column matrix has one row per filter tap (c, r, s), row index
 * {@code (c*R + r)*S + s} (the order of the KCRS filter, so the filter is its [K, CRS] left
 * operand as stored), and one column per output pixel (p, q) at {@code colOff + p*Q + q}. Rows
 * are {@code ld} apart, so several images can sit side by side in one matrix.
 */
final class Im2col {
    private Im2col() {
    }

    /** Height of the padded plane. */
    static int paddedH(ConvGeometry g) {
        return g.h() + 2 * g.padH();
    }

    /** Width of the padded plane. */
    static int paddedW(ConvGeometry g) {
        return g.w() + 2 * g.padW();
    }

    /** Floats in one padded image, {@code C * Hp * Wp}. */
    static int paddedSize(ConvGeometry g) {
        return g.c() * paddedH(g) * paddedW(g);
    }

    /** {@code xp[c][ph + i][pw + j] = x[xOff + (c*H + i)*W + j]}, zeros around. */
    static void pad(float[] xp, float[] x, int xOff, ConvGeometry g) {
        int hp = paddedH(g);
        int wp = paddedW(g);
        Arrays.fill(xp, 0, paddedSize(g), 0f);
        for (int c = 0; c < g.c(); c++) {
            for (int i = 0; i < g.h(); i++) {
                System.arraycopy(x, xOff + (c * g.h() + i) * g.w(), xp, (c * hp + g.padH() + i) * wp + g.padW(), g.w());
            }
        }
    }

    /** {@code dx[dxOff + (c*H + i)*W + j] = dxp[c][ph + i][pw + j]}: the interior of a padded plane. */
    static void crop(float[] dx, int dxOff, float[] dxp, ConvGeometry g) {
        int hp = paddedH(g);
        int wp = paddedW(g);
        for (int c = 0; c < g.c(); c++) {
            for (int i = 0; i < g.h(); i++) {
                System.arraycopy(dxp, (c * hp + g.padH() + i) * wp + g.padW(), dx, dxOff + (c * g.h() + i) * g.w(), g.w());
            }
        }
    }

    /**
     * im2col from a padded image {@code xp[c][Hp][Wp]} at {@code xpOff}:
     * {@code col[((c*R + r)*S + s)*ld + colOff + p*Q + q] = xp[c][p*strideH + r][q*strideW + s]}.
     */
    static void unfold(float[] col, int colOff, int ld, float[] xp, int xpOff, int hp, int wp, ConvGeometry g) {
        int q = g.q();
        int sw = g.strideW();
        for (int c = 0; c < g.c(); c++) {
            for (int r = 0; r < g.r(); r++) {
                for (int s = 0; s < g.s(); s++) {
                    int dst = ((c * g.r() + r) * g.s() + s) * ld + colOff;
                    int src = xpOff + (c * hp + r) * wp + s;
                    for (int p = 0; p < g.p(); p++, dst += q) {
                        int from = src + p * g.strideH() * wp;
                        if (sw == 1) {
                            System.arraycopy(xp, from, col, dst, q);
                        } else {
                            for (int j = 0; j < q; j++) {
                                col[dst + j] = xp[from + j * sw];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * col2im into a padded image, accumulating (the adjoint of {@link #unfold}):
     * {@code dxp[c][p*strideH + r][q*strideW + s] += col[((c*R + r)*S + s)*ld + colOff + p*Q + q]},
     * taps in (c, r, s, p, q) order.
     */
    static void fold(float[] dxp, float[] col, int colOff, int ld, ConvGeometry g) {
        int hp = paddedH(g);
        int wp = paddedW(g);
        int q = g.q();
        int sw = g.strideW();
        for (int c = 0; c < g.c(); c++) {
            for (int r = 0; r < g.r(); r++) {
                for (int s = 0; s < g.s(); s++) {
                    int src = ((c * g.r() + r) * g.s() + s) * ld + colOff;
                    int dst = (c * hp + r) * wp + s;
                    for (int p = 0; p < g.p(); p++, src += q) {
                        int to = dst + p * g.strideH() * wp;
                        for (int j = 0; j < q; j++) {
                            dxp[to + j * sw] += col[src + j];
                        }
                    }
                }
            }
        }
    }
}
