package org.mixq.core.cpu;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.mixq.core.ConvGeometry;

/**
 * One thread's unfolding of a group of images into GEMM columns (im2col), one row at a time,
 * and its adjoint (col2im). Buffers are kept between calls.
 *
 * <p>Layout: the unfolded group has one row per filter tap (c, r, s), row index
 * {@code j = (c*R + r)*S + s} (the order of the KCRS filter, so the filter as stored is the
 * [K, CRS] left operand), and one column per image and output pixel, {@code t = i*PQ + p*Q + q}.
 * Row j holds {@code x[i][c][p*strideH - padH + r][q*strideW - padW + s]}, zero in the padding.
 *
 * <p>Two ways to build a row:
 * <ul>
 * <li>Stride 1 with "same" padding (3x3 with padding 1, 1x1 with none: output plane = input
 * plane) on planes of at least {@link #SHIFT_MIN_PIXELS}: a row of one image is its input plane
 * shifted by {@code (r - padH)*W + (s - padW)}, one bulk copy, after which the columns that
 * wrapped around into the neighbouring image row are zeroed.
 * <li>Everything else: the group is copied once into a zero-bordered buffer, and a row is a
 * gather {@code row[t] = padded[source[t] + tap(j)]} over all the group's columns, one long loop
 * per row however small the planes (a 2x2 plane would otherwise cost a call per 4 values).
 * </ul>
 */
final class Im2col {
    /** Planes smaller than this use the gather: per-image copies of under 256 values cost more in calls than in data. */
    static final int SHIFT_MIN_PIXELS = 256;

    private ConvGeometry g;
    private int pq;
    private boolean shift;
    private int hp;
    private int wp;
    private int paddedImage;
    /** Gather path: position in the padded group of tap (0, 0, 0) for each column. */
    private int[] source = new int[0];
    private float[] padded = new float[0];
    /** Gather path: one row, built on the heap before its bulk copy. */
    private float[] gathered = new float[0];
    /** Shift path: zeros for the rows' padding, one plane long. */
    private float[] zeros = new float[0];
    private float[] images;
    private int first;
    private int count;

    /** Sets the geometry and the largest group; tables are rebuilt only when these change. */
    void prepare(ConvGeometry geometry, int maxCount) {
        if (!geometry.equals(g) || source.length < maxCount * pq) {
            g = geometry;
            pq = g.p() * g.q();
            shift = g.strideH() == 1 && g.strideW() == 1 && g.p() == g.h() && g.q() == g.w() && pq >= SHIFT_MIN_PIXELS;
            hp = g.h() + 2 * g.padH();
            wp = g.w() + 2 * g.padW();
            paddedImage = g.c() * hp * wp;
            if (!shift) {
                source = new int[maxCount * pq];
                for (int t = 0; t < source.length; t++) {
                    int i = t / pq;
                    int p = t % pq / g.q();
                    int q = t % g.q();
                    source[t] = i * paddedImage + p * g.strideH() * wp + q * g.strideW();
                }
                padded = padded.length < maxCount * paddedImage ? new float[maxCount * paddedImage] : padded;
                gathered = gathered.length < maxCount * pq ? new float[maxCount * pq] : gathered;
            } else if (zeros.length < pq) {
                zeros = new float[pq];
            }
        }
    }

    /** Selects images {@code first .. first+count-1} of {@code x} as the group to unfold. */
    void load(float[] x, int first, int count) {
        this.images = x;
        this.first = first;
        this.count = count;
        if (!shift) {
            Arrays.fill(padded, 0, count * paddedImage, 0f);
            for (int i = 0; i < count; i++) {
                for (int c = 0; c < g.c(); c++) {
                    for (int h = 0; h < g.h(); h++) {
                        System.arraycopy(x, (((first + i) * g.c() + c) * g.h() + h) * g.w(), padded,
                                i * paddedImage + (c * hp + g.padH() + h) * wp + g.padW(), g.w());
                    }
                }
            }
        }
    }

    /**
     * Row {@code j} of the loaded group, {@code count * PQ} values, into {@code col} from index
     * {@code at}. The shift path copies each image's plane straight into {@code col} (native
     * memory for OpenBLAS: one copy of the data, not two through a heap row); the gather path
     * builds the row on the heap first, since a gather into native memory would go value by value.
     */
    void unfoldRow(FloatBuffer col, int at, int j) {
        if (!shift) {
            int tap = tap(j);
            int n = count * pq;
            for (int t = 0; t < n; t++) {
                gathered[t] = padded[source[t] + tap];
            }
            col.put(at, gathered, 0, n);
            return;
        }
        int c = j / (g.r() * g.s());
        int r = j / g.s() % g.r();
        int s = j % g.s();
        int lo = firstValid(r, s);
        int hi = endValid(r, s);
        for (int i = 0; i < count; i++) {
            int off = at + i * pq;
            if (hi <= lo) {
                col.put(off, zeros, 0, pq);
                continue;
            }
            int plane = ((first + i) * g.c() + c) * pq;
            col.put(off, zeros, 0, lo);
            col.put(off + lo, images, plane + lo + shift(r, s), hi - lo);
            col.put(off + hi, zeros, 0, pq - hi);
            zeroWrappedColumns(col, off, lo, hi, s);
        }
    }

    /** Starts accumulating a gradient for images {@code first .. first+count-1} of {@code dx}. */
    void beginFold(float[] dx, int first, int count) {
        this.images = dx;
        this.first = first;
        this.count = count;
        if (shift) {
            Arrays.fill(dx, first * g.c() * pq, (first + count) * g.c() * pq, 0f);
        } else {
            Arrays.fill(padded, 0, count * paddedImage, 0f);
        }
    }

    /** Adds row {@code j} of an unfolded gradient (the adjoint of {@link #unfoldRow}); the row is used as scratch. */
    void foldRow(float[] row, int j) {
        if (!shift) {
            int tap = tap(j);
            int n = count * pq;
            for (int t = 0; t < n; t++) {
                padded[source[t] + tap] += row[t];
            }
            return;
        }
        int c = j / (g.r() * g.s());
        int r = j / g.s() % g.r();
        int s = j % g.s();
        int lo = firstValid(r, s);
        int hi = endValid(r, s);
        if (hi <= lo) {
            return;
        }
        FloatBuffer rowBuffer = FloatBuffer.wrap(row);
        for (int i = 0; i < count; i++) {
            int off = i * pq;
            zeroWrappedColumns(rowBuffer, off, lo, hi, s);
            int to = ((first + i) * g.c() + c) * pq + shift(r, s);
            for (int t = lo; t < hi; t++) {
                images[to + t] += row[off + t];
            }
        }
    }

    /** Writes the accumulated gradient into the images given to {@link #beginFold}, overwriting them. */
    void endFold() {
        if (shift) {
            return;
        }
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < g.c(); c++) {
                for (int h = 0; h < g.h(); h++) {
                    System.arraycopy(padded, i * paddedImage + (c * hp + g.padH() + h) * wp + g.padW(), images,
                            (((first + i) * g.c() + c) * g.h() + h) * g.w(), g.w());
                }
            }
        }
    }

    /** Gather path: offset of tap j = (c, r, s) in a padded image. */
    private int tap(int j) {
        int c = j / (g.r() * g.s());
        int r = j / g.s() % g.r();
        int s = j % g.s();
        return (c * hp + r) * wp + s;
    }

    /** Shift path: offset from output pixel to input pixel of tap (r, s). */
    private int shift(int r, int s) {
        return (r - g.padH()) * g.w() + (s - g.padW());
    }

    /** Shift path: first pixel p*Q + q of a row whose tap lies inside the image. */
    private int firstValid(int r, int s) {
        return Math.max(0, g.padH() - r) * g.q() + Math.max(0, g.padW() - s);
    }

    /** Shift path: one past the last pixel of a row whose tap lies inside the image. */
    private int endValid(int r, int s) {
        return Math.min(g.p(), g.h() + g.padH() - r) * g.q() - Math.max(0, s - g.padW());
    }

    /**
     * Shift path: zeroes, in the pixels {@code [lo, hi)} of the row at {@code off}, the
     * columns whose tap falls left of the image ({@code q < padW - s}) or right of it
     * ({@code q >= W + padW - s}); the bulk copy filled them from the neighbouring image row.
     * One strided loop per such column (a 3x3 filter has at most one): a loop over image rows
     * with two inner loops of one or no pass each cost as much as the bulk copy itself.
     */
    private void zeroWrappedColumns(FloatBuffer row, int off, int lo, int hi, int s) {
        int q = g.q();
        int left = Math.max(0, g.padW() - s);
        int right = Math.min(q, g.w() + g.padW() - s);
        int firstRow = off + lo / q * q;
        for (int col = 0; col < left; col++) {
            for (int t = firstRow + col; t < off + hi; t += q) {
                row.put(t, 0f);
            }
        }
        for (int col = right; col < q; col++) {
            for (int t = firstRow + col; t < off + hi; t += q) {
                row.put(t, 0f);
            }
        }
    }
}
