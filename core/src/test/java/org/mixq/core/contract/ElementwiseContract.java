package org.mixq.core.contract;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mixq.core.Shape;
import org.mixq.core.Tensor;
import org.mixq.core.testing.ArrayAssertions;
import org.mixq.core.testing.BackendContract;
import org.mixq.core.testing.RandomArrays;
import org.mixq.core.testing.Tolerances;

/** add, bias, ReLU and the SGD update against reference loops. */
public abstract class ElementwiseContract extends BackendContract {
    /**
     * Values of magnitude about 1 through one or two float32 operations that a device may fuse
     * into an FMA: a few ulps of 1, as an absolute bound where a result cancels towards 0.
     */
    private static final float UNIT_ATOL = 1e-6f;

    /** Odd sizes, one channel, batch of one, non-square planes, 2-D and 3-D, and one big enough to split between threads. */
    static Stream<int[]> shapes() {
        return Stream.of(new int[] {2, 3, 5, 7}, new int[] {1, 1, 1, 1}, new int[] {1, 4, 3, 2}, new int[] {5, 3},
                new int[] {3, 2, 9}, new int[] {4, 16, 32, 32});
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void addMatchesReferenceAndMayAliasAnInput(int[] dims) {
        SplittableRandom rnd = new SplittableRandom(21);
        int size = Shape.of(dims).size();
        float[] a = RandomArrays.uniform(rnd, size, -2f, 2f);
        float[] b = RandomArrays.uniform(rnd, size, -2f, 2f);
        float[] expected = new float[size];
        for (int i = 0; i < size; i++) {
            expected[i] = a[i] + b[i];
        }
        Tensor y = poisoned(dims);
        backend.add(y, tensor(a, dims), tensor(b, dims));
        ArrayAssertions.assertExact("y = a + b", expected, read(y));

        Tensor inPlace = tensor(a, dims);
        backend.add(inPlace, inPlace, tensor(b, dims));
        ArrayAssertions.assertExact("a += b in place", expected, read(inPlace));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void biasAddAddsPerChannel(int[] dims) {
        SplittableRandom rnd = new SplittableRandom(22);
        Shape shape = Shape.of(dims);
        int c = dims[1];
        int inner = shape.inner(1);
        float[] y0 = RandomArrays.uniform(rnd, shape.size(), -2f, 2f);
        float[] bias = RandomArrays.uniform(rnd, c, -1f, 1f);
        float[] expected = new float[y0.length];
        for (int i = 0; i < dims[0]; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int j = 0; j < inner; j++) {
                    int at = (i * c + ch) * inner + j;
                    expected[at] = y0[at] + bias[ch];
                }
            }
        }
        Tensor y = tensor(y0, dims);
        backend.biasAdd(y, tensor(bias, c));
        ArrayAssertions.assertExact("y + bias", expected, read(y));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void biasBackwardSumsPerChannelAndAccumulates(int[] dims) {
        SplittableRandom rnd = new SplittableRandom(23);
        Shape shape = Shape.of(dims);
        int c = dims[1];
        int inner = shape.inner(1);
        float[] dy = RandomArrays.uniform(rnd, shape.size(), -1f, 1f);
        float[] start = RandomArrays.uniform(rnd, c, -1f, 1f);
        double[] sums = new double[c];
        for (int i = 0; i < dims[0]; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int j = 0; j < inner; j++) {
                    sums[ch] += dy[(i * c + ch) * inner + j];
                }
            }
        }
        Tensor dBias = tensor(start, c);
        Tensor dyT = tensor(dy, dims);
        float atol = Tolerances.reduction(shape.size() / c);
        for (int call = 1; call <= 2; call++) {
            backend.biasBackward(dBias, dyT);
            float[] expected = new float[c];
            for (int ch = 0; ch < c; ch++) {
                expected[ch] = (float) (start[ch] + call * sums[ch]);
            }
            ArrayAssertions.assertClose("dBias after " + call + " call(s)", expected, read(dBias), atol,
                    Tolerances.ELEMENTWISE_RTOL);
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void reluForwardMatchesReferenceAndMayRunInPlace(int[] dims) {
        SplittableRandom rnd = new SplittableRandom(24);
        int size = Shape.of(dims).size();
        float[] x = RandomArrays.uniform(rnd, size, -1f, 1f);
        x[0] = 0f;
        float[] expected = new float[size];
        for (int i = 0; i < size; i++) {
            expected[i] = x[i] > 0 ? x[i] : 0f;
        }
        Tensor y = poisoned(dims);
        backend.reluForward(y, tensor(x, dims));
        ArrayAssertions.assertExact("relu(x)", expected, read(y));

        Tensor inPlace = tensor(x, dims);
        backend.reluForward(inPlace, inPlace);
        ArrayAssertions.assertExact("relu(x) in place", expected, read(inPlace));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void reluBackwardUsesForwardOutputAndMayAliasDy(int[] dims) {
        SplittableRandom rnd = new SplittableRandom(25);
        int size = Shape.of(dims).size();
        float[] y = RandomArrays.uniform(rnd, size, -1f, 1f);
        for (int i = 0; i < size; i++) {
            y[i] = Math.max(y[i], 0f);
        }
        float[] dy = RandomArrays.uniform(rnd, size, -1f, 1f);
        float[] expected = new float[size];
        for (int i = 0; i < size; i++) {
            expected[i] = y[i] > 0 ? dy[i] : 0f;
        }
        Tensor dx = poisoned(dims);
        Tensor yT = tensor(y, dims);
        backend.reluBackward(dx, tensor(dy, dims), yT);
        ArrayAssertions.assertExact("dx", expected, read(dx));

        Tensor inPlace = tensor(dy, dims);
        backend.reluBackward(inPlace, inPlace, yT);
        ArrayAssertions.assertExact("dx in place of dy", expected, read(inPlace));
    }

    /**
     * Every kind of y against every kind of dy: y > 0 holds for the positive numbers up to
     * infinity, never for the zeros, negatives or NaN, and where it fails dx is +0 whatever
     * dy is (a NaN or infinite dy included); where it holds dx is dy bit for bit (a -0 stays -0).
     */
    @Test
    void reluBackwardSpecialValues() {
        float[] kinds = {0f, -0f, Float.MIN_VALUE, Float.MIN_NORMAL, 1f, Float.MAX_VALUE, Float.POSITIVE_INFINITY,
                -Float.MIN_VALUE, -1f, -Float.MAX_VALUE, Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0xffc00000)};
        int size = kinds.length * kinds.length;
        float[] y = new float[size];
        float[] dy = new float[size];
        float[] expected = new float[size];
        for (int i = 0; i < size; i++) {
            y[i] = kinds[i / kinds.length];
            dy[i] = kinds[i % kinds.length];
            expected[i] = y[i] > 0 ? dy[i] : 0f;
        }
        Tensor dx = poisoned(new int[] {size});
        backend.reluBackward(dx, tensor(dy, new int[] {size}), tensor(y, new int[] {size}));
        ArrayAssertions.assertExact("dx", expected, read(dx));
    }

    /**
     * Two steps by hand, lr 0.1, momentum 0.9, weight decay 0.01, from zero velocity, same grad:
     * step 1: g = 0.5 + 0.01*1 = 0.51, v = 0.51, p = 1 - 0.051 = 0.949;
     * step 2: g = 0.5 + 0.00949 = 0.50949, v = 0.459 + 0.50949 = 0.96849, p = 0.949 - 0.096849 = 0.852151.
     * Second element, p = -2, grad 0.25: g = 0.23, v = 0.23, p = -2.023; then
     * g = 0.25 - 0.02023 = 0.22977, v = 0.207 + 0.22977 = 0.43677, p = -2.023 - 0.043677 = -2.066677.
     */
    @Test
    void sgdMatchesTwoHandComputedSteps() {
        Tensor param = tensor(new float[] {1f, -2f}, 2);
        Tensor velocity = backend.alloc(2);
        Tensor grad = tensor(new float[] {0.5f, 0.25f}, 2);
        backend.sgdUpdate(param, velocity, grad, 0.1f, 0.9f, 0.01f);
        ArrayAssertions.assertClose("param after step 1", new float[] {0.949f, -2.023f}, read(param), UNIT_ATOL,
                Tolerances.ELEMENTWISE_RTOL);
        ArrayAssertions.assertClose("velocity after step 1", new float[] {0.51f, 0.23f}, read(velocity), UNIT_ATOL,
                Tolerances.ELEMENTWISE_RTOL);
        backend.sgdUpdate(param, velocity, grad, 0.1f, 0.9f, 0.01f);
        ArrayAssertions.assertClose("param after step 2", new float[] {0.852151f, -2.066677f}, read(param), UNIT_ATOL,
                Tolerances.ELEMENTWISE_RTOL);
        ArrayAssertions.assertClose("velocity after step 2", new float[] {0.96849f, 0.43677f}, read(velocity), UNIT_ATOL,
                Tolerances.ELEMENTWISE_RTOL);
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void sgdMatchesReferenceLoop(int[] dims) {
        SplittableRandom rnd = new SplittableRandom(26);
        int size = Shape.of(dims).size();
        float[] p = RandomArrays.uniform(rnd, size, -1f, 1f);
        float[] v = RandomArrays.uniform(rnd, size, -1f, 1f);
        float[] g = RandomArrays.uniform(rnd, size, -1f, 1f);
        float lr = 0.05f;
        float momentum = 0.9f;
        float decay = 5e-4f;
        float[] expectedP = new float[size];
        float[] expectedV = new float[size];
        for (int i = 0; i < size; i++) {
            float d = g[i] + decay * p[i];
            expectedV[i] = momentum * v[i] + d;
            expectedP[i] = p[i] - lr * expectedV[i];
        }
        Tensor param = tensor(p, dims);
        Tensor velocity = tensor(v, dims);
        backend.sgdUpdate(param, velocity, tensor(g, dims), lr, momentum, decay);
        ArrayAssertions.assertClose("velocity", expectedV, read(velocity), UNIT_ATOL, Tolerances.ELEMENTWISE_RTOL);
        ArrayAssertions.assertClose("param", expectedP, read(param), UNIT_ATOL, Tolerances.ELEMENTWISE_RTOL);
    }
}
