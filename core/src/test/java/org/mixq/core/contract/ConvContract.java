package org.mixq.core.contract;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mixq.core.ConvGeometry;
import org.mixq.core.ConvSpec;
import org.mixq.core.Shape;
import org.mixq.core.Tensor;
import org.mixq.core.testing.ArrayAssertions;
import org.mixq.core.testing.BackendContract;
import org.mixq.core.testing.GradCheck;
import org.mixq.core.testing.RandomArrays;
import org.mixq.core.testing.Tolerances;

/**
 * The three convolution passes against direct loops over every index (in double), gradients
 * against finite differences, accumulation of the filter gradient, and argument checks.
 */
public abstract class ConvContract extends BackendContract {

    /** One convolution: input [n, c, h, w], filter [k, c, r, s], stride, padding, with or without bias. */
    record Case(int n, int c, int h, int w, int k, int r, int s, ConvSpec spec, boolean bias) {
        ConvGeometry geometry() {
            return ConvGeometry.of(Shape.of(n, c, h, w), Shape.of(k, c, r, s), spec);
        }

        @Override
        public String toString() {
            ConvGeometry g = geometry();
            return "x[" + n + "," + c + "," + h + "," + w + "] w[" + k + "," + c + "," + r + "," + s + "] stride "
                    + spec.strideH() + "x" + spec.strideW() + " pad " + spec.padH() + "x" + spec.padW()
                    + " -> " + g.p() + "x" + g.q() + (bias ? " +bias" : "");
        }
    }

    /**
     * 3x3 and 1x1, non-square planes and filters, one channel, batch of one, odd sizes, stride
     * 2, padding 0, 1 and 2, more images than threads and fewer, small planes that several images
     * share in one GEMM, a deep (576-row) unfolding, a 1x1 plane under a padded 3x3 filter, and
     * planes large enough for the shifted-copy unfolding (3x3, 1x1, and 5x5 with two wrapped
     * columns a side), for an unfolded 1x1 and for the direct convolution (16 wide and more;
     * channel counts that are and are not multiples of its 4-channel block; its filter gradient on
     * 32 x 32 planes and on a 33-wide one, whose rows are not whole vectors).
     */
    static List<Case> cases() {
        return List.of(
                new Case(2, 3, 5, 7, 4, 3, 3, ConvSpec.of(1, 1), true),
                new Case(1, 1, 6, 5, 2, 3, 3, ConvSpec.of(2, 0), false),
                new Case(3, 5, 4, 4, 6, 1, 1, ConvSpec.of(1, 0), true),
                new Case(2, 4, 9, 7, 3, 1, 1, ConvSpec.of(2, 0), false),
                new Case(3, 2, 7, 6, 5, 3, 3, ConvSpec.of(2, 1), true),
                new Case(5, 3, 17, 17, 4, 3, 3, ConvSpec.of(1, 1), false),
                new Case(1, 8, 32, 32, 16, 3, 3, ConvSpec.of(1, 1), true),
                new Case(3, 2, 5, 6, 3, 3, 2, new ConvSpec(1, 2, 1, 0), true),
                new Case(2, 3, 6, 5, 4, 3, 1, new ConvSpec(1, 1, 1, 0), false),
                new Case(8, 4, 2, 2, 3, 1, 1, ConvSpec.of(1, 0), true),
                new Case(9, 16, 8, 8, 8, 3, 3, ConvSpec.of(1, 1), false),
                new Case(6, 64, 4, 4, 32, 3, 3, ConvSpec.of(1, 1), true),
                new Case(2, 3, 6, 5, 4, 3, 3, ConvSpec.of(1, 0), true),
                new Case(2, 2, 7, 9, 3, 5, 5, ConvSpec.of(1, 2), false),
                new Case(3, 4, 1, 1, 2, 3, 3, ConvSpec.of(1, 1), true),
                new Case(3, 4, 16, 20, 5, 1, 1, ConvSpec.of(1, 0), true),
                new Case(2, 3, 24, 24, 4, 1, 1, ConvSpec.of(1, 0), false),
                new Case(2, 2, 16, 17, 3, 5, 5, ConvSpec.of(1, 2), true),
                new Case(2, 6, 34, 32, 7, 3, 3, ConvSpec.of(1, 1), true),
                new Case(2, 5, 33, 33, 6, 3, 3, ConvSpec.of(1, 1), false));
    }

    // ---- references: one loop per index, double accumulation ------------------------------------

    static float[] forwardReference(float[] x, float[] w, float[] bias, ConvGeometry g) {
        float[] y = new float[g.n() * g.k() * g.p() * g.q()];
        for (int n = 0; n < g.n(); n++) {
            for (int k = 0; k < g.k(); k++) {
                for (int p = 0; p < g.p(); p++) {
                    for (int q = 0; q < g.q(); q++) {
                        double sum = 0;
                        for (int c = 0; c < g.c(); c++) {
                            for (int r = 0; r < g.r(); r++) {
                                for (int s = 0; s < g.s(); s++) {
                                    int ih = p * g.strideH() - g.padH() + r;
                                    int iw = q * g.strideW() - g.padW() + s;
                                    if (ih >= 0 && ih < g.h() && iw >= 0 && iw < g.w()) {
                                        sum += (double) x[((n * g.c() + c) * g.h() + ih) * g.w() + iw]
                                                * w[((k * g.c() + c) * g.r() + r) * g.s() + s];
                                    }
                                }
                            }
                        }
                        y[((n * g.k() + k) * g.p() + p) * g.q() + q] = (float) (sum + (bias == null ? 0 : bias[k]));
                    }
                }
            }
        }
        return y;
    }

    /** dx, dw and dBias of {@code L = sum(y * dy)}: each product of the forward sum credited to both factors. */
    static double[][] backwardReference(float[] dy, float[] x, float[] w, ConvGeometry g) {
        double[] dx = new double[x.length];
        double[] dw = new double[w.length];
        double[] dBias = new double[g.k()];
        for (int n = 0; n < g.n(); n++) {
            for (int k = 0; k < g.k(); k++) {
                for (int p = 0; p < g.p(); p++) {
                    for (int q = 0; q < g.q(); q++) {
                        double d = dy[((n * g.k() + k) * g.p() + p) * g.q() + q];
                        dBias[k] += d;
                        for (int c = 0; c < g.c(); c++) {
                            for (int r = 0; r < g.r(); r++) {
                                for (int s = 0; s < g.s(); s++) {
                                    int ih = p * g.strideH() - g.padH() + r;
                                    int iw = q * g.strideW() - g.padW() + s;
                                    if (ih >= 0 && ih < g.h() && iw >= 0 && iw < g.w()) {
                                        int xi = ((n * g.c() + c) * g.h() + ih) * g.w() + iw;
                                        int wi = ((k * g.c() + c) * g.r() + r) * g.s() + s;
                                        dx[xi] += d * w[wi];
                                        dw[wi] += d * x[xi];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return new double[][] {dx, dw, dBias};
    }

    private static float[] plus(float[] start, double[] delta, int times) {
        float[] out = new float[start.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (start[i] + times * delta[i]);
        }
        return out;
    }

    // ---- tests ----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardMatchesReference(Case t) {
        ConvGeometry g = t.geometry();
        SplittableRandom rnd = new SplittableRandom(61 + t.hashCode());
        float[] x = RandomArrays.uniform(rnd, t.n * t.c * t.h * t.w, -1f, 1f);
        float[] w = RandomArrays.uniform(rnd, t.k * t.c * t.r * t.s, -1f, 1f);
        float[] bias = t.bias ? RandomArrays.uniform(rnd, t.k, -1f, 1f) : null;
        Tensor y = poisoned(t.n, t.k, g.p(), g.q());
        backend.conv2dForward(y, tensor(x, t.n, t.c, t.h, t.w), tensor(w, t.k, t.c, t.r, t.s),
                bias == null ? null : tensor(bias, t.k), t.spec);
        ArrayAssertions.assertClose("y (was NaN)", forwardReference(x, w, bias, g), read(y),
                Tolerances.reduction(t.c * t.r * t.s + 1), 0f);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void backwardDataMatchesReference(Case t) {
        ConvGeometry g = t.geometry();
        SplittableRandom rnd = new SplittableRandom(62 + t.hashCode());
        float[] x = RandomArrays.uniform(rnd, t.n * t.c * t.h * t.w, -1f, 1f);
        float[] w = RandomArrays.uniform(rnd, t.k * t.c * t.r * t.s, -1f, 1f);
        float[] dy = RandomArrays.uniform(rnd, t.n * t.k * g.p() * g.q(), -1f, 1f);
        Tensor dx = poisoned(t.n, t.c, t.h, t.w);
        backend.conv2dBackwardData(dx, tensor(dy, t.n, t.k, g.p(), g.q()), tensor(w, t.k, t.c, t.r, t.s), t.spec);
        ArrayAssertions.assertClose("dx (was NaN)", plus(new float[x.length], backwardReference(dy, x, w, g)[0], 1), read(dx),
                Tolerances.reduction(t.k * t.r * t.s), 0f);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void backwardFilterAccumulates(Case t) {
        ConvGeometry g = t.geometry();
        SplittableRandom rnd = new SplittableRandom(63 + t.hashCode());
        float[] x = RandomArrays.uniform(rnd, t.n * t.c * t.h * t.w, -1f, 1f);
        float[] w = RandomArrays.uniform(rnd, t.k * t.c * t.r * t.s, -1f, 1f);
        float[] dy = RandomArrays.uniform(rnd, t.n * t.k * g.p() * g.q(), -1f, 1f);
        float[] dw0 = RandomArrays.uniform(rnd, w.length, -1f, 1f);
        float[] dBias0 = RandomArrays.uniform(rnd, t.k, -1f, 1f);
        double[][] ref = backwardReference(dy, x, w, g);
        Tensor dw = tensor(dw0, t.k, t.c, t.r, t.s);
        Tensor dBias = t.bias ? tensor(dBias0, t.k) : null;
        Tensor dyT = tensor(dy, t.n, t.k, g.p(), g.q());
        Tensor xT = tensor(x, t.n, t.c, t.h, t.w);
        int reduction = t.n * g.p() * g.q();
        for (int call = 1; call <= 2; call++) {
            backend.conv2dBackwardFilter(dw, dBias, dyT, xT, t.spec);
            ArrayAssertions.assertClose("dw after " + call + " call(s)", plus(dw0, ref[1], call), read(dw),
                    call * Tolerances.reduction(reduction + 1), 0f);
            if (t.bias) {
                ArrayAssertions.assertClose("dBias after " + call + " call(s)", plus(dBias0, ref[2], call), read(dBias),
                        call * Tolerances.reduction(reduction + 1), 0f);
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        for (Case t : List.of(new Case(2, 3, 5, 4, 2, 3, 3, ConvSpec.of(1, 1), true),
                new Case(2, 2, 7, 6, 3, 3, 3, ConvSpec.of(2, 1), true),
                new Case(3, 4, 3, 5, 2, 1, 1, ConvSpec.of(1, 0), true))) {
            ConvGeometry g = t.geometry();
            SplittableRandom rnd = new SplittableRandom(64);
            float[] x = RandomArrays.uniform(rnd, t.n * t.c * t.h * t.w, -1f, 1f);
            float[] w = RandomArrays.uniform(rnd, t.k * t.c * t.r * t.s, -1f, 1f);
            float[] bias = RandomArrays.uniform(rnd, t.k, -1f, 1f);
            float[] r = RandomArrays.uniform(rnd, t.n * t.k * g.p() * g.q(), -1f, 1f);

            Tensor dyT = tensor(r, t.n, t.k, g.p(), g.q());
            Tensor dx = poisoned(t.n, t.c, t.h, t.w);
            backend.conv2dBackwardData(dx, dyT, tensor(w, t.k, t.c, t.r, t.s), t.spec);
            Tensor dw = backend.alloc(t.k, t.c, t.r, t.s);
            Tensor dBias = backend.alloc(t.k);
            backend.conv2dBackwardFilter(dw, dBias, dyT, tensor(x, t.n, t.c, t.h, t.w), t.spec);

            GradCheck.check(t + " dx", x, read(dx), xs -> GradCheck.dot(forward(t, xs, w, bias), r), 1e-2f, 30, rnd);
            GradCheck.check(t + " dw", w, read(dw), ws -> GradCheck.dot(forward(t, x, ws, bias), r), 1e-2f, 30, rnd);
            GradCheck.check(t + " dBias", bias, read(dBias), bs -> GradCheck.dot(forward(t, x, w, bs), r), 1e-2f, t.k, rnd);
        }
    }

    private float[] forward(Case t, float[] x, float[] w, float[] bias) {
        ConvGeometry g = t.geometry();
        Tensor y = poisoned(t.n, t.k, g.p(), g.q());
        backend.conv2dForward(y, tensor(x, t.n, t.c, t.h, t.w), tensor(w, t.k, t.c, t.r, t.s), tensor(bias, t.k), t.spec);
        return read(y);
    }

    /**
     * Whether the backend promises bit-identical results when a call is repeated; a backend
     * whose GEMM rounds differently as its code is compiled says no (see CpuConvNetlibGemmTest).
     */
    protected boolean repeatsBitForBit() {
        return true;
    }

    @Test
    void repeatedCallsGiveIdenticalResults() {
        assumeTrue(repeatsBitForBit(), "this backend does not promise bit-identical repeats");
        Case t = new Case(7, 16, 8, 8, 8, 3, 3, ConvSpec.of(1, 1), true);
        ConvGeometry g = t.geometry();
        SplittableRandom rnd = new SplittableRandom(65);
        Tensor x = tensor(RandomArrays.uniform(rnd, t.n * t.c * t.h * t.w, -1f, 1f), t.n, t.c, t.h, t.w);
        Tensor w = tensor(RandomArrays.uniform(rnd, t.k * t.c * 9, -1f, 1f), t.k, t.c, 3, 3);
        Tensor bias = tensor(RandomArrays.uniform(rnd, t.k, -1f, 1f), t.k);
        Tensor dy = tensor(RandomArrays.uniform(rnd, t.n * t.k * g.p() * g.q(), -1f, 1f), t.n, t.k, g.p(), g.q());
        float[][] first = null;
        for (int run = 0; run < 2; run++) {
            Tensor y = backend.alloc(t.n, t.k, g.p(), g.q());
            Tensor dx = backend.alloc(t.n, t.c, t.h, t.w);
            Tensor dw = backend.alloc(t.k, t.c, 3, 3);
            backend.conv2dForward(y, x, w, bias, t.spec);
            backend.conv2dBackwardData(dx, dy, w, t.spec);
            backend.conv2dBackwardFilter(dw, null, dy, x, t.spec);
            float[][] now = {read(y), read(dx), read(dw)};
            if (first == null) {
                first = now;
            } else {
                for (int i = 0; i < now.length; i++) {
                    ArrayAssertions.assertExact("output " + i + " on a repeat", first[i], now[i]);
                }
            }
        }
    }

    private static void rejects(String expectedInMessage, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expectedInMessage), "message should contain '" + expectedInMessage + "': " + e.getMessage());
    }

    @Test
    void mismatchedShapesNameTheArgument() {
        ConvSpec same = ConvSpec.of(1, 1);
        Tensor x = backend.alloc(2, 3, 5, 5);
        Tensor w = backend.alloc(4, 3, 3, 3);
        rejects("y must have shape [2, 4, 5, 5], got [2, 4, 3, 3]",
                () -> backend.conv2dForward(backend.alloc(2, 4, 3, 3), x, w, null, same));
        rejects("w has 2 input channels but x has 3",
                () -> backend.conv2dForward(backend.alloc(2, 4, 5, 5), x, backend.alloc(4, 2, 3, 3), null, same));
        rejects("bias must have 4 elements",
                () -> backend.conv2dForward(backend.alloc(2, 4, 5, 5), x, w, backend.alloc(3), same));
        rejects("does not fit input",
                () -> backend.conv2dForward(backend.alloc(2, 4, 1, 1), x, backend.alloc(4, 3, 7, 7), null, ConvSpec.of(1, 0)));
        rejects("x must have rank 4",
                () -> backend.conv2dBackwardData(backend.alloc(2, 75), backend.alloc(2, 4, 5, 5), w, same));
        rejects("bias must have 4 elements",
                () -> backend.conv2dBackwardFilter(backend.alloc(4, 3, 3, 3), backend.alloc(5), backend.alloc(2, 4, 5, 5), x, same));
        rejects("y must have shape [2, 4, 5, 5]",
                () -> backend.conv2dBackwardFilter(backend.alloc(4, 3, 3, 3), null, backend.alloc(2, 4, 4, 5), x, same));
    }
}
