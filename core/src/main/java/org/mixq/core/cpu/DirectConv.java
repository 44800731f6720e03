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
 * <p>The micro-kernel ({@link ConvKernel}) holds 4 output channels x 4 vectors of wide columns
 * in registers. Each output value is one chain of FMAs over the taps in KCRS order, so results
 * do not depend on the thread count or on which block a pixel falls in.
 *
 * <p>The filter gradient reads the same padded image: {@code dw[k][c][r][s]} is a dot product of
 * the dy plane k with the padded plane c shifted by (r, s). dy is copied into the same wide
 * layout, with zeros in the dropped columns, so the dot product is one flat loop over the wide
 * columns (a loop per row of two vectors measured 1.2x to 1.5x slower on 32 x 32 planes). A 4 x 4
 * block of (channel, tap) pairs keeps 16 vector sums in registers over one image, then adds them
 * to lane sums kept across images.
 */
final class DirectConv {
    private static final VectorSpecies<Float> SPECIES = ConvKernel.SPECIES;
    private static final int V = ConvKernel.V;
    private static final int BLOCK = ConvKernel.BLOCK;
    private static final int CHANNELS = ConvKernel.CHANNELS;
    /** Narrowest plane served: on narrower ones the dropped columns cost more than im2col saves. */
    static final int MIN_WIDTH = 16;
    /** Most floats of lane sums, all threads together: 4 MiB, in the two cores' L2 and the L3. */
    private static final long LANE_SUMS_BUDGET = 1L << 20;
    /** Fewest vectors per plane for the direct filter gradient. */
    private static final int MIN_FILTER_VECTORS = 64;

    private ConvGeometry g;
    private int wp;
    private int paddedPlane;
    private int wideColumns;
    /** Offset in the padded image of each tap (c, r, s), in KCRS order. */
    private int[] taps = new int[0];
    private float[] padded = new float[0];
    private float[] wide = new float[0];
    /** Vectors of wide columns the filter gradient sums over: {@code ceil(P * WP / V)}. */
    private int wideVectors;
    /** Filter gradient: one image of dy in the wide layout, {@code [K][wideVectors * V]}. */
    private float[] dyWide = new float[0];
    /** Filter gradient: per (k, tap) the running sums of its V lanes, {@code [K][taps][V]}. */
    private float[] laneSums = new float[0];

    /** Floats per vector on this machine. */
    static int lanes() {
        return V;
    }

    /** Which filter gradients {@link #servesFilterGradient} takes, in words, for {@code mixq info}. */
    static String filterGradientReach() {
        return "planes of " + MIN_FILTER_VECTORS * V + "+ pixels, up to " + (LANE_SUMS_BUDGET * Float.BYTES >> 20)
                + " MiB of lane sums";
    }

    /** Whether this path serves the geometry. */
    static boolean serves(ConvGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1 && g.r() == 2 * g.padH() + 1 && g.s() == 2 * g.padW() + 1
                && g.r() * g.s() > 1 && g.w() >= MIN_WIDTH;
    }

    /**
     * Whether {@link #backwardFilter} serves the geometry, which it does where it measured faster
     * than im2col + GEMM (bench/RESULTS.md, "Filter gradient of the direct path over a wide dy"):
     * planes of at least {@link #MIN_FILTER_VECTORS} vectors (on 16 x 16 planes the per-image
     * update of the lane sums cost more than it saved) and lane sums within
     * {@link #LANE_SUMS_BUDGET}: the 3-64, 16-16 and 64-64 layers on 32 x 32 planes.
     */
    static boolean servesFilterGradient(ConvGeometry g) {
        return serves(g) && g.p() * g.q() >= MIN_FILTER_VECTORS * V
                && (long) g.k() * g.c() * g.r() * g.s() * V <= LANE_SUMS_BUDGET;
    }

    /**
     * Accumulates {@code dw[k][j] += sum over images and pixels of dy[i][k][p][q] *
     * x[i][c][p + r - padH][q + s - padW]} for every k and the taps {@code j = (c, r, s)} in
     * {@code [j0, j1)}. Each (k, j) keeps V lane sums over all images, added image after image,
     * and reduces them once at the end: dw does not depend on how taps are split between threads.
     */
    void backwardFilter(float[] dw, float[] dy, float[] x, ConvGeometry geometry, int j0, int j1) {
        prepare(geometry);
        int crs = g.c() * g.r() * g.s();
        int kpq = g.k() * g.p() * g.q();
        int taps = j1 - j0;
        if (laneSums.length < g.k() * taps * V) {
            laneSums = new float[g.k() * taps * V];
        }
        Arrays.fill(laneSums, 0, g.k() * taps * V, 0f);
        for (int i = 0; i < g.n(); i++) {
            ConvKernel.pad(padded, 0, x, i, g);
            widen(dy, i * kpq);
            for (int k = 0; k < g.k(); k += CHANNELS) {
                for (int j = j0; j < j1; j += CHANNELS) {
                    filterBlock(k, j, j0, j1);
                }
            }
        }
        // lane by lane, in order: reduceLanes(ADD) leaves the order open, and its compiled and
        // interpreted forms differ, so the same call changed its last bits once the JIT took it
        for (int k = 0; k < g.k(); k++) {
            for (int j = j0; j < j1; j++) {
                int at = (k * taps + j - j0) * V;
                float sum = 0f;
                for (int lane = 0; lane < V; lane++) {
                    sum += laneSums[at + lane];
                }
                dw[k * crs + j] += sum;
            }
        }
    }

    /**
     * Lane sums of channels k..k+3 and taps j..j+3 over the image in {@code padded} and {@code dyWide}.
     * Past the last channel or tap the block repeats the last one and drops its sums, so one
     * 4 x 4 kernel serves every edge.
     */
    private void filterBlock(int k, int j, int j0, int j1) {
        int d0 = k * wideVectors * V;
        int d1 = Math.min(k + 1, g.k() - 1) * wideVectors * V;
        int d2 = Math.min(k + 2, g.k() - 1) * wideVectors * V;
        int d3 = Math.min(k + 3, g.k() - 1) * wideVectors * V;
        int x0 = taps[j];
        int x1 = taps[Math.min(j + 1, j1 - 1)];
        int x2 = taps[Math.min(j + 2, j1 - 1)];
        int x3 = taps[Math.min(j + 3, j1 - 1)];
        float[] in = padded;
        float[] dy = dyWide;
        FloatVector a00 = FloatVector.zero(SPECIES), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        for (int t = 0; t < wideVectors * V; t += V) {
            FloatVector y0 = FloatVector.fromArray(SPECIES, dy, d0 + t);
            FloatVector y1 = FloatVector.fromArray(SPECIES, dy, d1 + t);
            FloatVector y2 = FloatVector.fromArray(SPECIES, dy, d2 + t);
            FloatVector y3 = FloatVector.fromArray(SPECIES, dy, d3 + t);
            FloatVector v = FloatVector.fromArray(SPECIES, in, x0 + t);
            a00 = y0.fma(v, a00);
            a10 = y1.fma(v, a10);
            a20 = y2.fma(v, a20);
            a30 = y3.fma(v, a30);
            v = FloatVector.fromArray(SPECIES, in, x1 + t);
            a01 = y0.fma(v, a01);
            a11 = y1.fma(v, a11);
            a21 = y2.fma(v, a21);
            a31 = y3.fma(v, a31);
            v = FloatVector.fromArray(SPECIES, in, x2 + t);
            a02 = y0.fma(v, a02);
            a12 = y1.fma(v, a12);
            a22 = y2.fma(v, a22);
            a32 = y3.fma(v, a32);
            v = FloatVector.fromArray(SPECIES, in, x3 + t);
            a03 = y0.fma(v, a03);
            a13 = y1.fma(v, a13);
            a23 = y2.fma(v, a23);
            a33 = y3.fma(v, a33);
        }
        addLanes(a00, k, j, j0, j1);
        addLanes(a01, k, j + 1, j0, j1);
        addLanes(a02, k, j + 2, j0, j1);
        addLanes(a03, k, j + 3, j0, j1);
        addLanes(a10, k + 1, j, j0, j1);
        addLanes(a11, k + 1, j + 1, j0, j1);
        addLanes(a12, k + 1, j + 2, j0, j1);
        addLanes(a13, k + 1, j + 3, j0, j1);
        addLanes(a20, k + 2, j, j0, j1);
        addLanes(a21, k + 2, j + 1, j0, j1);
        addLanes(a22, k + 2, j + 2, j0, j1);
        addLanes(a23, k + 2, j + 3, j0, j1);
        addLanes(a30, k + 3, j, j0, j1);
        addLanes(a31, k + 3, j + 1, j0, j1);
        addLanes(a32, k + 3, j + 2, j0, j1);
        addLanes(a33, k + 3, j + 3, j0, j1);
    }

    /** Adds one image's lanes of (k, j) to its lane sums, if channel k and tap j exist. */
    private void addLanes(FloatVector lanes, int k, int j, int j0, int j1) {
        if (k < g.k() && j < j1) {
            int at = (k * (j1 - j0) + j - j0) * V;
            FloatVector.fromArray(SPECIES, laneSums, at).add(lanes).intoArray(laneSums, at);
        }
    }

    /** Overwrites image {@code i} of {@code y} with {@code conv(x, w) + bias} (bias may be null). */
    void forward(float[] y, float[] x, float[] w, float[] bias, ConvGeometry geometry, int i) {
        prepare(geometry);
        ConvKernel.pad(padded, 0, x, i, g);
        int crs = g.c() * g.r() * g.s();
        int k = 0;
        for (; k + CHANNELS <= g.k(); k += CHANNELS) {
            for (int t = 0; t < wideColumns; t += BLOCK) {
                ConvKernel.fourChannels(wide, k * wideColumns + t, wideColumns, padded, taps, t, w, k, crs);
            }
        }
        for (; k < g.k(); k++) {
            for (int t = 0; t < wideColumns; t += BLOCK) {
                ConvKernel.oneChannel(wide, k * wideColumns + t, padded, taps, t, w, k, crs);
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
        wideVectors = (g.p() * wp + V - 1) / V;
        if (dyWide.length < g.k() * wideVectors * V) {
            dyWide = new float[g.k() * wideVectors * V];
        }
        Arrays.fill(dyWide, 0, g.k() * wideVectors * V, 0f);
    }

    /**
     * Image i of dy in the wide layout, {@code dyWide[k][p*WP + q]}: the columns past Q of each
     * row, and the tail up to a whole vector, stay zero, so they add nothing to the filter sums.
     */
    private void widen(float[] dy, int at) {
        int pq = g.p() * g.q();
        for (int k = 0; k < g.k(); k++) {
            for (int p = 0; p < g.p(); p++) {
                System.arraycopy(dy, at + k * pq + p * g.q(), dyWide, k * wideVectors * V + p * wp, g.q());
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
}
