package org.mixq.core.contract;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mixq.core.Tensor;
import org.mixq.core.testing.ArrayAssertions;
import org.mixq.core.testing.BackendContract;
import org.mixq.core.testing.GradCheck;
import org.mixq.core.testing.RandomArrays;
import org.mixq.core.testing.Tolerances;

/** {@code gemm} against a double-precision triple loop, and a linear layer built on it against finite differences. */
public abstract class GemmContract extends BackendContract {

    /**
     * Sizes: ones, odd sizes around block and vector widths, a depth beyond one 256-deep block,
     * more than 512 columns, and products big enough to be split between threads.
     */
    static List<Arguments> products() {
        int[][] sizes = {{1, 1, 1}, {3, 17, 65}, {17, 3, 1}, {65, 1, 17}, {1, 65, 3}, {33, 130, 257}, {70, 40, 300},
                {5, 600, 20}, {96, 256, 128}};
        float[][] scalars = {{1f, 0f}, {-0.5f, 1f}, {1.5f, 0.75f}};
        List<Arguments> out = new ArrayList<>();
        for (int[] s : sizes) {
            for (int t = 0; t < 4; t++) {
                float[] ab = scalars[(s[0] + t) % scalars.length];
                out.add(Arguments.of(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, ab[0], ab[1]));
            }
        }
        return out;
    }

    /** {@code alpha * op(a) * op(b) + beta * c} in double, row-major, op(a) m x k, op(b) k x n. */
    static float[] reference(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b,
                             float beta, float[] c) {
        float[] out = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[p * m + i] : a[i * k + p];
                    double bv = transB ? b[j * k + p] : b[p * n + j];
                    sum += av * bv;
                }
                double prior = beta == 0f ? 0 : (double) beta * c[i * n + j];
                out[i * n + j] = (float) (alpha * sum + prior);
            }
        }
        return out;
    }

    private Tensor operand(float[] data, boolean trans, int rows, int cols) {
        return trans ? tensor(data, cols, rows) : tensor(data, rows, cols);
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4} alpha={5} beta={6}")
    @MethodSource("products")
    void gemmMatchesReference(int m, int n, int k, boolean transA, boolean transB, float alpha, float beta) {
        SplittableRandom rnd = new SplittableRandom(31L * m + 7L * n + k + (transA ? 1 : 0) + (transB ? 2 : 0));
        float[] a = RandomArrays.uniform(rnd, m * k, -1f, 1f);
        float[] b = RandomArrays.uniform(rnd, k * n, -1f, 1f);
        float[] c0 = RandomArrays.uniform(rnd, m * n, -1f, 1f);
        Tensor c = tensor(c0, m, n);
        backend.gemm(c, operand(a, transA, m, k), operand(b, transB, k, n), transA, transB, alpha, beta);
        float[] expected = reference(transA, transB, m, n, k, alpha, a, b, beta, c0);
        ArrayAssertions.assertClose("c", expected, read(c), Tolerances.reduction(k + 1), 0f);
    }

    @Test
    void betaZeroNeverReadsC() {
        SplittableRandom rnd = new SplittableRandom(32);
        for (int[] s : new int[][] {{1, 1, 1}, {7, 9, 5}, {64, 96, 80}}) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            float[] a = RandomArrays.uniform(rnd, m * k, -1f, 1f);
            float[] b = RandomArrays.uniform(rnd, k * n, -1f, 1f);
            for (int t = 0; t < 4; t++) {
                boolean transA = (t & 1) != 0;
                boolean transB = (t & 2) != 0;
                Tensor c = poisoned(m, n);
                backend.gemm(c, operand(a, transA, m, k), operand(b, transB, k, n), transA, transB, 1f, 0f);
                ArrayAssertions.assertClose("c (was NaN) " + m + "x" + n + "x" + k + " t" + t,
                        reference(transA, transB, m, n, k, 1f, a, b, 0f, null), read(c), Tolerances.reduction(k), 0f);
            }
        }
    }

    @Test
    void emptyDepthScalesC() {
        float[] c0 = {1f, -2f, 3f, 4f, 5f, -6f};
        Tensor c = tensor(c0, 2, 3);
        backend.gemm(c, backend.alloc(2, 0), backend.alloc(0, 3), false, false, 1f, 0.5f);
        ArrayAssertions.assertExact("c = 0.5 c", new float[] {0.5f, -1f, 1.5f, 2f, 2.5f, -3f}, read(c));
        Tensor poisoned = poisoned(2, 3);
        backend.gemm(poisoned, backend.alloc(2, 0), backend.alloc(0, 3), false, false, 1f, 0f);
        ArrayAssertions.assertExact("c = 0", new float[6], read(poisoned));
    }

    @Test
    void higherRankTensorsAreReadAsMatrices() {
        SplittableRandom rnd = new SplittableRandom(33);
        float[] x = RandomArrays.uniform(rnd, 2 * 3 * 2 * 2, -1f, 1f);
        float[] w = RandomArrays.uniform(rnd, 5 * 12, -1f, 1f);
        Tensor y = poisoned(2, 5);
        backend.gemm(y, tensor(x, 2, 3, 2, 2), tensor(w, 5, 3, 2, 2), false, true, 1f, 0f);
        ArrayAssertions.assertClose("x[2, 12] w[5, 12]^T", reference(false, true, 2, 5, 12, 1f, x, w, 0f, null), read(y),
                Tolerances.reduction(12), 0f);
    }

    /**
     * A linear layer {@code y = x W^T + b} with its backward pass written with gemm
     * ({@code dx = dy W}, {@code dW = dy^T x}), checked by central finite differences of
     * {@code L = sum(y * R)}. The bias is added in this test's own loop.
     */
    @Test
    void linearLayerGradientsMatchFiniteDifferences() {
        int batch = 6;
        int in = 19;
        int out = 7;
        SplittableRandom rnd = new SplittableRandom(34);
        float[] x = RandomArrays.uniform(rnd, batch * in, -1f, 1f);
        float[] w = RandomArrays.uniform(rnd, out * in, -1f, 1f);
        float[] bias = RandomArrays.uniform(rnd, out, -1f, 1f);
        float[] r = RandomArrays.uniform(rnd, batch * out, -1f, 1f);

        Tensor dy = tensor(r, batch, out);
        Tensor dx = poisoned(batch, in);
        Tensor dw = poisoned(out, in);
        backend.gemm(dx, dy, tensor(w, out, in), false, false, 1f, 0f);
        backend.gemm(dw, dy, tensor(x, batch, in), true, false, 1f, 0f);
        float[] dBias = new float[out];
        for (int i = 0; i < batch; i++) {
            for (int o = 0; o < out; o++) {
                dBias[o] += r[i * out + o];
            }
        }

        GradCheck.check("dx", x, read(dx), xs -> GradCheck.dot(linear(xs, w, bias, batch, in, out), r),
                1e-2f, 40, rnd);
        GradCheck.check("dW", w, read(dw), ws -> GradCheck.dot(linear(x, ws, bias, batch, in, out), r),
                1e-2f, 40, rnd);
        GradCheck.check("dBias", bias, dBias, bs -> GradCheck.dot(linear(x, w, bs, batch, in, out), r),
                1e-2f, out, rnd);
    }

    private float[] linear(float[] x, float[] w, float[] bias, int batch, int in, int out) {
        Tensor y = poisoned(batch, out);
        backend.gemm(y, tensor(x, batch, in), tensor(w, out, in), false, true, 1f, 0f);
        float[] values = read(y);
        for (int i = 0; i < batch; i++) {
            for (int o = 0; o < out; o++) {
                values[i * out + o] += bias[o];
            }
        }
        return values;
    }

    private static void rejects(String expectedInMessage, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expectedInMessage), "message should contain '" + expectedInMessage + "': " + e.getMessage());
    }

    @Test
    void mismatchedShapesNameTheArgument() {
        rejects("inner dimensions differ: op(a) is 2x3, op(b) is 4x5",
                () -> backend.gemm(backend.alloc(2, 5), backend.alloc(2, 3), backend.alloc(4, 5), false, false, 1f, 0f));
        rejects("inner dimensions differ: op(a) is 3x2, op(b) is 5x4",
                () -> backend.gemm(backend.alloc(3, 4), backend.alloc(2, 3), backend.alloc(4, 5), true, true, 1f, 0f));
        rejects("c must be 2x5, got shape [5, 2]",
                () -> backend.gemm(backend.alloc(5, 2), backend.alloc(2, 3), backend.alloc(3, 5), false, false, 1f, 0f));
        rejects("c is null",
                () -> backend.gemm(null, backend.alloc(2, 3), backend.alloc(3, 5), false, false, 1f, 0f));
    }
}
