package org.mixq.core.cpu;

import java.util.Arrays;
import org.mixq.core.ConvGeometry;

/**
 * Forward convolution for small planes (narrower than {@link DirectConv#MIN_WIDTH}), any stride
 * and padding, one panel of {@link ConvKernel#BLOCK} output columns at a time, with the Vector
 * API.
 *
 * <p>The output columns are numbered image-major, then pixel: column {@code u} is pixel
 * {@code u mod PQ} of image {@code u / PQ}, so a 64-column panel is one 8 x 8 image, four 4 x 4
 * images or sixteen 2 x 2 ones. For a panel, the images it touches are copied once into a
 * zero-bordered buffer; the panel's unfolded input {@code panel[j][0..BLOCK)} is gathered from
 * there tap by tap (no boundary test: a padding tap reads a zero border); then
 * {@link ConvKernel} multiplies the filter rows into it, 4 output channels at a time, and the
 * block of results is scattered into NCHW. This is im2col + GEMM with the unfolded matrix cut
 * into panels that stay in L2 (2304 taps x 64 columns = 576 KiB for a 256-channel 3x3 layer)
 * and a GEMM kernel of our own, whose sum over taps runs in order: a value does not depend on
 * the panel or thread that computed it.
 */
final class PanelConv {
    private static final int BLOCK = ConvKernel.BLOCK;
    private static final int CHANNELS = ConvKernel.CHANNELS;

    private ConvGeometry g;
    private int wp;
    private int paddedImage;
    private int slots;
    /** Offset of tap j = (c, r, s) in a padded image, KCRS order. */
    private int[] gatherTaps = new int[0];
    /** Offset of tap j's row in the panel: {@code j * BLOCK}. */
    private int[] panelTaps = new int[0];
    /** Offset in the padded images of each panel column's window origin. */
    private final int[] column = new int[BLOCK];
    private float[] padded = new float[0];
    private float[] panel = new float[0];
    private float[] out = new float[0];

    /** Whether this path serves the forward pass of the geometry: planes too narrow for {@link DirectConv}, filters larger than 1 x 1. */
    static boolean serves(ConvGeometry g) {
        return g.w() < DirectConv.MIN_WIDTH && g.r() * g.s() > 1;
    }

    /**
     * Overwrites the output columns {@code [u0, u1)} of y (column {@code u}: image u / PQ,
     * pixel u mod PQ) with {@code conv(x, w) + bias} (bias may be null).
     */
    void forward(float[] y, float[] x, float[] w, float[] bias, ConvGeometry geometry, int u0, int u1) {
        prepare(geometry);
        int crs = g.c() * g.r() * g.s();
        for (int u = u0; u < u1; u += BLOCK) {
            int n = Math.min(BLOCK, u1 - u);
            unfold(x, u, n);
            int k = 0;
            for (; k + CHANNELS <= g.k(); k += CHANNELS) {
                ConvKernel.fourChannels(out, k * BLOCK, BLOCK, panel, panelTaps, 0, w, k, crs);
            }
            for (; k < g.k(); k++) {
                ConvKernel.oneChannel(out, k * BLOCK, panel, panelTaps, 0, w, k, crs);
            }
            scatter(y, bias, u, n);
        }
    }

    private void prepare(ConvGeometry geometry) {
        if (geometry.equals(g)) {
            return;
        }
        g = geometry;
        wp = g.w() + 2 * g.padW();
        int hp = g.h() + 2 * g.padH();
        paddedImage = g.c() * hp * wp;
        int pq = g.p() * g.q();
        // a panel starting inside an image spans at most ceil((BLOCK - 1) / PQ) + 1 images
        slots = Math.min(g.n(), (BLOCK - 2 + pq) / pq + 1);
        int crs = g.c() * g.r() * g.s();
        gatherTaps = new int[crs];
        panelTaps = new int[crs];
        for (int j = 0; j < crs; j++) {
            int c = j / (g.r() * g.s());
            int r = j / g.s() % g.r();
            int s = j % g.s();
            gatherTaps[j] = c * hp * wp + r * wp + s;
            panelTaps[j] = j * BLOCK;
        }
        if (padded.length < slots * paddedImage) {
            padded = new float[slots * paddedImage];
        }
        // borders stay zero: each panel overwrites only the interior rows of its images
        Arrays.fill(padded, 0, slots * paddedImage, 0f);
        if (panel.length < crs * BLOCK) {
            panel = new float[crs * BLOCK];
        }
        if (out.length < g.k() * BLOCK) {
            out = new float[g.k() * BLOCK];
        }
    }

    /**
     * The panel of columns {@code [u, u + n)}: pads their images, then gathers every tap. Columns
     * past n repeat the last one (computed, never stored).
     */
    private void unfold(float[] x, int u, int n) {
        int pq = g.p() * g.q();
        int first = u / pq;
        int last = (u + n - 1) / pq;
        for (int i = first; i <= last; i++) {
            ConvKernel.pad(padded, (i - first) * paddedImage, x, i, g);
        }
        for (int col = 0; col < BLOCK; col++) {
            int v = u + Math.min(col, n - 1);
            int pixel = v % pq;
            column[col] = (v / pq - first) * paddedImage + pixel / g.q() * g.strideH() * wp + pixel % g.q() * g.strideW();
        }
        for (int j = 0; j < gatherTaps.length; j++) {
            int base = gatherTaps[j];
            int row = j * BLOCK;
            for (int col = 0; col < BLOCK; col++) {
                panel[row + col] = padded[base + column[col]];
            }
        }
    }

    /** The n computed columns into NCHW y, one run per image, plus the bias. */
    private void scatter(float[] y, float[] bias, int u, int n) {
        int pq = g.p() * g.q();
        for (int col = 0; col < n; ) {
            int image = (u + col) / pq;
            int pixel = (u + col) % pq;
            int run = Math.min(n - col, pq - pixel);
            for (int k = 0; k < g.k(); k++) {
                int to = (image * g.k() + k) * pq + pixel;
                System.arraycopy(out, k * BLOCK + col, y, to, run);
                if (bias != null) {
                    float b = bias[k];
                    for (int j = to; j < to + run; j++) {
                        y[j] += b;
                    }
                }
            }
            col += run;
        }
    }
}
