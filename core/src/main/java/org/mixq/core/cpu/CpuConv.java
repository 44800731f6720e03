package org.mixq.core.cpu;

import java.nio.FloatBuffer;
import org.mixq.core.ConvGeometry;

/**
 * 2-D convolution (cross-correlation, NCHW, KCRS filters) as im2col + SGEMM, the cuDNN/Caffe
 * lowering: per image {@code y[K, PQ] = w[K, CRS] * col[CRS, PQ]}, col being the unfolded image
 * ({@link Im2col}); or, for the forward pass and the input gradient of stride-1 convolutions that
 * keep a plane of at least {@link DirectConv#MIN_WIDTH} columns (and the filter gradient of some
 * of them, {@link DirectConv#servesFilterGradient}), as a direct convolution ({@link DirectConv}),
 * which needs the Vector API module and is faster than im2col + GEMM on the VGG and ResNet layers
 * it serves (bench/RESULTS.md, "Direct convolution against im2col + GEMM"). The forward pass on planes narrower than that (8 x 8 and less,
 * where a direct loop would waste most of its vector lanes) goes through {@link PanelConv}:
 * im2col cut into panels that stay in cache, with the same Vector API kernel instead of a BLAS;
 * the input gradient of a plane-keeping convolution, a forward pass, follows it there.
 *
 * <p>Several images share one GEMM when their planes are small ({@code n = images * PQ}
 * columns), since a GEMM with few columns is slow (a 4 x 4 plane gives 16). The unfolded
 * images are written straight into the GEMM lane's scratch matrices (native memory for
 * OpenBLAS), the filter once per call, so no operand is copied a second time; outputs are read
 * back row by row into NCHW. A 1 x 1, stride-1, unpadded filter with enough columns per image
 * multiplies the images as stored, without unfolding.
 *
 * <p>Threads: forward and backward-data cut the images into groups whose size follows from the
 * layer alone, and give each thread a contiguous range of whole groups, which it unfolds and
 * multiplies with its own lane and scratch (cached here, grown to the largest layer seen). The
 * filter gradient sums over images, so it is split by its own columns (filter taps) instead,
 * into tiles fixed by the layer ({@link CpuGemm#tiles}); a thread owns its tiles' block of dw
 * for the whole call, unfolding only their taps. Every GEMM therefore sees the same operands, at the
 * same place in its block, whatever the thread count, and so does every result (a BLAS may
 * round an element by where it falls in its block; see {@link CpuGemm}).
 */
final class CpuConv {
    /** Columns wanted in one GEMM: below a few hundred, BLAS kernels lose much of their speed. */
    private static final int TARGET_COLUMNS = 512;
    /** Columns wanted in a filter-gradient GEMM, whose reduction runs over them. */
    private static final int TARGET_FILTER_COLUMNS = 1024;
    /**
     * Fewest filter taps in a tile of the filter gradient: its GEMMs have a tile's taps as
     * columns and reduce over thousands of pixels, and narrow ones are slow (bench/RESULTS.md,
     * 2026-12-02, "Filter gradient through the GEMM").
     */
    private static final int MIN_FILTER_TAPS = 256;
    /** Largest unfolded matrix per thread, in floats (16 MiB): half the 32 MiB L3 for two threads. */
    private static final long COLUMN_BUDGET = 1L << 22;

    private final CpuThreads threads;
    private final CpuGemm gemm;
    private final float[][] rows;
    private final Im2col[] unfolders;
    /** One per thread where the Vector API module is loaded (it is incubating: a JVM flag); else null. */
    private final DirectConv[] direct;
    /** Likewise, for the forward pass on small planes. */
    private final PanelConv[] panels;
    /**
     * The reproducible mode: the direct filter gradient, which sums each tap in as many lane
     * sums as a vector has lanes, is off (the GEMM path sums in an order fixed by the layer).
     */
    private final boolean reproducible;
    /** The mirrored, transposed filter of the last input-gradient call that used one. */
    private float[] mirrored = new float[0];

    CpuConv(CpuThreads threads, CpuGemm gemm, boolean reproducible) {
        this.threads = threads;
        this.gemm = gemm;
        this.reproducible = reproducible;
        this.rows = new float[threads.threads()][0];
        this.unfolders = new Im2col[threads.threads()];
        for (int i = 0; i < unfolders.length; i++) {
            unfolders[i] = new Im2col();
        }
        this.direct = CpuGemm.vectorApi() ? new DirectConv[threads.threads()] : null;
        this.panels = CpuGemm.vectorApi() ? new PanelConv[threads.threads()] : null;
        if (direct != null) {
            for (int i = 0; i < direct.length; i++) {
                direct[i] = new DirectConv();
                panels[i] = new PanelConv();
            }
        }
    }

    boolean reproducible() {
        return reproducible;
    }

    /** Which path serves which convolutions, for {@code mixq info} and the benchmarks' logs. */
    String describe() {
        return direct == null
                ? "conv=im2col+gemm (direct path off: run with --add-modules jdk.incubator.vector)"
                : "conv=direct (Vector API, " + DirectConv.lanes() + " lanes) for stride-1 same-padding planes "
                        + DirectConv.MIN_WIDTH + "+ wide (filter gradient: "
                        + (reproducible ? "im2col+gemm in the reproducible mode" : DirectConv.filterGradientReach())
                        + "), panels of " + ConvKernel.BLOCK + " columns for narrower planes, im2col+gemm otherwise";
    }

    /** Overwrites {@code y = conv(x, w) + bias} (bias may be null). */
    void forward(float[] y, float[] x, float[] w, float[] bias, ConvGeometry g) {
        int crs = g.c() * g.r() * g.s();
        int pq = g.p() * g.q();
        int kpq = g.k() * pq;
        int chw = g.c() * g.h() * g.w();
        if (direct != null && DirectConv.serves(g)) {
            overGroups(g.n(), 1, (part, begin, end) -> {
                for (int i = begin; i < end; i++) {
                    direct[part].forward(y, x, w, bias, g, i);
                }
            });
            return;
        }
        if (panels != null && PanelConv.serves(g)) {
            int columns = g.n() * pq;
            int blocks = (columns + ConvKernel.BLOCK - 1) / ConvKernel.BLOCK;
            threads.forParts(blocks, (part, first, end) -> panels[part].forward(y, x, w, bias, g, first * ConvKernel.BLOCK,
                    Math.min(columns, end * ConvKernel.BLOCK)));
            return;
        }
        int group = groupSize(g, g.n(), TARGET_COLUMNS);
        overGroups(g.n(), group, (part, begin, end) -> {
            GemmLane lane = gemm.lane(part);
            if (group == 1 && pointwise(g)) {
                for (int i = begin; i < end; i++) {
                    lane.sgemm(false, false, g.k(), pq, crs, 1f, w, 0, crs, x, i * chw, pq, 0f, y, i * kpq, pq);
                    addBias(y, i * kpq, bias, g.k(), pq);
                }
                return;
            }
            Im2col im2col = unfolders[part];
            im2col.prepare(g, group);
            lane.scratch(GemmLane.A, g.k() * crs).put(0, w, 0, g.k() * crs);
            FloatBuffer col = lane.scratch(GemmLane.B, crs * group * pq);
            FloatBuffer out = lane.scratch(GemmLane.C, g.k() * group * pq);
            for (int first = begin; first < end; first += group) {
                int count = Math.min(group, end - first);
                int n = count * pq;
                im2col.load(x, first, count);
                for (int j = 0; j < crs; j++) {
                    im2col.unfoldRow(col, j * n, j);
                }
                lane.sgemmScratch(false, false, g.k(), n, crs, 1f, 0f);
                for (int i = 0; i < count; i++) {
                    for (int k = 0; k < g.k(); k++) {
                        out.get(k * n + i * pq, y, (first + i) * kpq + k * pq, pq);
                    }
                    addBias(y, (first + i) * kpq, bias, g.k(), pq);
                }
            }
        });
    }

    /**
     * Overwrites {@code dx} with the gradient of the convolution with respect to its input.
     *
     * <p>A stride-1 convolution whose padding keeps the plane ({@code R = 2*padH + 1}, as every
     * 3x3 convolution with padding 1) has as input gradient the forward convolution of dy, with
     * the same padding, by the filter with K and C swapped and each tap mirrored:
     * {@code dx[c][h][w] = sum_{k,r,s} dy[k][h + padH - r][w + padW - s] * w[k][c][r][s]}, and
     * {@code r' = R-1-r} turns the row offset into {@code r' - padH}. That path unfolds dy
     * (copies) where the general one folds the GEMM's output back into dx (read-modify-write,
     * one pass per filter tap), and its GEMM reduces over K*R*S into a C-row output instead
     * of over K into C*R*S rows.
     */
    void backwardData(float[] dx, float[] dy, float[] w, ConvGeometry g) {
        if (keepsPlane(g) && !pointwise(g)) {
            forward(dx, dy, mirroredTranspose(w, g), null, new ConvGeometry(g.n(), g.k(), g.p(), g.q(), g.c(), g.r(),
                    g.s(), g.h(), g.w(), 1, 1, g.padH(), g.padW()));
            return;
        }
        int crs = g.c() * g.r() * g.s();
        int pq = g.p() * g.q();
        int kpq = g.k() * pq;
        int chw = g.c() * g.h() * g.w();
        int group = groupSize(g, g.n(), TARGET_COLUMNS);
        overGroups(g.n(), group, (part, begin, end) -> {
            GemmLane lane = gemm.lane(part);
            if (group == 1 && pointwise(g)) {
                for (int i = begin; i < end; i++) {
                    lane.sgemm(true, false, crs, pq, g.k(), 1f, w, 0, crs, dy, i * kpq, pq, 0f, dx, i * chw, pq);
                }
                return;
            }
            Im2col im2col = unfolders[part];
            im2col.prepare(g, group);
            lane.scratch(GemmLane.A, g.k() * crs).put(0, w, 0, g.k() * crs);
            FloatBuffer dyCols = lane.scratch(GemmLane.B, g.k() * group * pq);
            FloatBuffer dcol = lane.scratch(GemmLane.C, crs * group * pq);
            for (int first = begin; first < end; first += group) {
                int count = Math.min(group, end - first);
                int n = count * pq;
                for (int i = 0; i < count; i++) {
                    for (int k = 0; k < g.k(); k++) {
                        dyCols.put(k * n + i * pq, dy, (first + i) * kpq + k * pq, pq);
                    }
                }
                lane.sgemmScratch(true, false, crs, n, g.k(), 1f, 0f);
                float[] row = row(part, n);
                im2col.beginFold(dx, first, count);
                for (int j = 0; j < crs; j++) {
                    dcol.get(j * n, row, 0, n);
                    im2col.foldRow(row, j);
                }
                im2col.endFold();
            }
        });
    }

    /**
     * Accumulates the filter gradient {@code dw[K, CRS] += dy[K, n*PQ] * col[CRS, n*PQ]^T} and,
     * when not null, the bias gradient. Thread t owns the columns (filter taps) {@code [j0, j1)}
     * of dw for the whole call, so dw does not depend on the thread count.
     */
    void backwardFilter(float[] dw, float[] dBias, float[] dy, float[] x, ConvGeometry g) {
        if (direct != null && !reproducible && DirectConv.servesFilterGradient(g)) {
            int crs = g.c() * g.r() * g.s();
            int parts = Math.min(threads.threads(), Math.max(1, crs / CpuGemm.SPLIT_ALIGN));
            threads.forRange(parts, 1, (from, to) -> {
                for (int part = from; part < to; part++) {
                    direct[part].backwardFilter(dw, dy, x, g, CpuGemm.blockStart(crs, parts, part),
                            CpuGemm.blockStart(crs, parts, part + 1));
                }
            });
        } else {
            filterGradientByGemm(dw, dy, x, g);
        }
        if (dBias != null) {
            biasGradient(dBias, dy, g.n(), g.k(), g.p() * g.q());
        }
    }

    /**
     * The filter gradient as GEMMs over unfolded groups of images (a size fixed by the layer, not
     * the thread count), added one after another. The taps are cut into tiles fixed by the
     * layer, each tile one GEMM per group; a thread takes a contiguous range of tiles, keeps
     * their block of dw in its lane's scratch for the whole call, and copies dy and unfolds its
     * taps once per group for all of its tiles.
     */
    private void filterGradientByGemm(float[] dw, float[] dy, float[] x, ConvGeometry g) {
        int crs = g.c() * g.r() * g.s();
        int pq = g.p() * g.q();
        int kpq = g.k() * pq;
        int group = groupSize(g, g.n(), TARGET_FILTER_COLUMNS);
        int lastCount = g.n() - (g.n() - 1) / group * group;
        int tiles = Math.min(CpuGemm.tiles((long) g.k() * crs * lastCount * pq, crs), Math.max(1, crs / MIN_FILTER_TAPS));
        threads.forParts(tiles, (part, firstTile, endTile) -> {
            GemmLane lane = gemm.lane(part);
            Im2col im2col = unfolders[part];
            im2col.prepare(g, group);
            int j0 = CpuGemm.blockStart(crs, tiles, firstTile);
            int taps = CpuGemm.blockStart(crs, tiles, endTile) - j0;
            FloatBuffer dwBlock = lane.scratch(GemmLane.C, g.k() * taps);
            for (int k = 0; k < g.k(); k++) {
                dwBlock.put(k * taps, dw, k * crs + j0, taps);
            }
            FloatBuffer dyCols = lane.scratch(GemmLane.A, g.k() * group * pq);
            FloatBuffer col = lane.scratch(GemmLane.B, taps * group * pq);
            for (int first = 0; first < g.n(); first += group) {
                int count = Math.min(group, g.n() - first);
                int n = count * pq;
                for (int i = 0; i < count; i++) {
                    for (int k = 0; k < g.k(); k++) {
                        dyCols.put(k * n + i * pq, dy, (first + i) * kpq + k * pq, pq);
                    }
                }
                im2col.load(x, first, count);
                for (int j = 0; j < taps; j++) {
                    im2col.unfoldRow(col, j * n, j0 + j);
                }
                for (int tile = firstTile; tile < endTile; tile++) {
                    int t0 = CpuGemm.blockStart(crs, tiles, tile) - j0;
                    int t1 = CpuGemm.blockStart(crs, tiles, tile + 1) - j0;
                    lane.sgemmScratch(false, true, g.k(), t1 - t0, n, 1f, 0, n, t0 * n, n, 1f, t0, taps);
                }
            }
            for (int k = 0; k < g.k(); k++) {
                dwBlock.get(k * taps, dw, k * crs + j0, taps);
            }
        });
    }

    // ---- work splitting ----------------------------------------------------------------------

    /**
     * Cuts the images into groups of {@code group} (the last may be short) and gives each thread
     * a contiguous range of whole groups, as {@code [begin, end)} images.
     */
    private void overGroups(int images, int group, CpuThreads.Parts body) {
        threads.forParts((images + group - 1) / group,
                (part, first, end) -> body.run(part, first * group, Math.min(images, end * group)));
    }

    /** Images per GEMM: enough for {@code target} columns, at most {@code images}, within the column budget. */
    private static int groupSize(ConvGeometry g, int images, int target) {
        int pq = g.p() * g.q();
        long crs = (long) g.c() * g.r() * g.s();
        int wanted = (target + pq - 1) / pq;
        int affordable = (int) Math.max(1, COLUMN_BUDGET / (crs * pq));
        return Math.max(1, Math.min(Math.min(wanted, affordable), images));
    }

    private static boolean keepsPlane(ConvGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1 && g.r() == 2 * g.padH() + 1 && g.s() == 2 * g.padW() + 1;
    }

    /**
     * {@code w'[c][k][r'][s'] = w[k][c][R-1-r'][S-1-s']}, in a buffer kept for the next call. Split
     * by c between threads, each writing its rows of w' in order: for a 512-512 3x3 layer it reads
     * 9 MiB in 36-byte pieces, once per input-gradient call.
     */
    private float[] mirroredTranspose(float[] w, ConvGeometry g) {
        int rs = g.r() * g.s();
        int size = g.k() * g.c() * rs;
        if (mirrored.length < size) {
            mirrored = new float[size];
        }
        float[] out = mirrored;
        threads.forRange(g.c(), Math.max(1, (1 << 15) / (g.k() * rs)), (from, to) -> {
            for (int c = from; c < to; c++) {
                for (int k = 0; k < g.k(); k++) {
                    int src = (k * g.c() + c) * rs;
                    int dst = (c * g.k() + k) * rs;
                    for (int t = 0; t < rs; t++) {
                        out[dst + t] = w[src + rs - 1 - t];
                    }
                }
            }
        });
        return out;
    }

    private static boolean pointwise(ConvGeometry g) {
        return g.r() == 1 && g.s() == 1 && g.strideH() == 1 && g.strideW() == 1 && g.padH() == 0 && g.padW() == 0;
    }

    /** Thread {@code part}'s row buffer, one row of an unfolded group of images. */
    private float[] row(int part, int size) {
        if (rows[part].length < size) {
            rows[part] = new float[size];
        }
        return rows[part];
    }

    // ---- bias ----------------------------------------------------------------------------------

    private static void addBias(float[] y, int off, float[] bias, int k, int pq) {
        if (bias == null) {
            return;
        }
        for (int ch = 0; ch < k; ch++) {
            float b = bias[ch];
            int at = off + ch * pq;
            for (int j = 0; j < pq; j++) {
                y[at + j] += b;
            }
        }
    }

    /** {@code dBias[k] += sum over images and pixels of dy[n][k][pq]}, in double, split by channel. */
    private void biasGradient(float[] dBias, float[] dy, int n, int k, int pq) {
        threads.forRange(k, Math.max(1, (1 << 16) / Math.max(1, n * pq)), (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                dBias[ch] += (float) DoubleSums.channel(dy, ch, n, k, pq);
            }
        });
    }
}
