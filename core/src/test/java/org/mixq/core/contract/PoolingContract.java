package org.mixq.core.contract;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mixq.core.Tensor;
import org.mixq.core.testing.ArrayAssertions;
import org.mixq.core.testing.BackendContract;
import org.mixq.core.testing.GradCheck;
import org.mixq.core.testing.RandomArrays;
import org.mixq.core.testing.Tolerances;

/** Max pooling (forward, backward with cuDNN's tie rule) and global average pooling. */
public abstract class PoolingContract extends BackendContract {

    /** {n, c, h, w, window, stride}: tiling, overlapping (stride < window), gaps (stride > window), one window, 1x1. */
    static Stream<Arguments> maxCases() {
        return Stream.of(
                Arguments.of(new int[] {2, 3, 6, 8}, 2, 2),
                Arguments.of(new int[] {2, 3, 7, 5}, 2, 2),
                Arguments.of(new int[] {1, 1, 5, 7}, 3, 2),
                Arguments.of(new int[] {2, 2, 4, 5}, 3, 1),
                Arguments.of(new int[] {1, 2, 7, 4}, 2, 3),
                Arguments.of(new int[] {3, 1, 3, 3}, 3, 1),
                Arguments.of(new int[] {1, 1, 2, 3}, 1, 1),
                Arguments.of(new int[] {8, 16, 16, 16}, 2, 2));
    }

    private static int out(int size, int window, int stride) {
        return (size - window) / stride + 1;
    }

    /** Index of the first (row-major) maximum of each window: where forward reads and backward writes. */
    private static int[] argmaxReference(float[] x, int[] d, int window, int stride) {
        int outH = out(d[2], window, stride);
        int outW = out(d[3], window, stride);
        int planes = d[0] * d[1];
        int[] at = new int[planes * outH * outW];
        for (int plane = 0; plane < planes; plane++) {
            for (int p = 0; p < outH; p++) {
                for (int q = 0; q < outW; q++) {
                    int best = -1;
                    for (int r = 0; r < window; r++) {
                        for (int s = 0; s < window; s++) {
                            int i = (plane * d[2] + p * stride + r) * d[3] + q * stride + s;
                            if (best < 0 || x[i] > x[best]) {
                                best = i;
                            }
                        }
                    }
                    at[(plane * outH + p) * outW + q] = best;
                }
            }
        }
        return at;
    }

    /** Integers from a small range, so that many windows hold ties. */
    private static float[] withTies(SplittableRandom rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = rnd.nextInt(-3, 4);
        }
        return x;
    }

    /** Distinct values at least 0.05 apart, so that a finite-difference step of 0.01 never changes a maximum. */
    private static float[] withoutTies(SplittableRandom rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = 0.05f * (i - size / 2);
        }
        for (int i = size - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            float t = x[i];
            x[i] = x[j];
            x[j] = t;
        }
        return x;
    }

    private static int[] outDims(int[] d, int window, int stride) {
        return new int[] {d[0], d[1], out(d[2], window, stride), out(d[3], window, stride)};
    }

    @ParameterizedTest
    @MethodSource("maxCases")
    void maxForwardMatchesReference(int[] d, int window, int stride) {
        SplittableRandom rnd = new SplittableRandom(31);
        float[] x = withTies(rnd, d[0] * d[1] * d[2] * d[3]);
        int[] at = argmaxReference(x, d, window, stride);
        float[] expected = new float[at.length];
        for (int o = 0; o < at.length; o++) {
            expected[o] = x[at[o]];
        }
        Tensor y = poisoned(outDims(d, window, stride));
        backend.maxPool2dForward(y, tensor(x, d), window, stride);
        ArrayAssertions.assertExact("y", expected, read(y));
    }

    @ParameterizedTest
    @MethodSource("maxCases")
    void maxBackwardRoutesToFirstMaximumAndOverwrites(int[] d, int window, int stride) {
        SplittableRandom rnd = new SplittableRandom(32);
        float[] x = withTies(rnd, d[0] * d[1] * d[2] * d[3]);
        int[] yDims = outDims(d, window, stride);
        Tensor xt = tensor(x, d);
        Tensor y = poisoned(yDims);
        backend.maxPool2dForward(y, xt, window, stride);
        int[] at = argmaxReference(x, d, window, stride);
        float[] dy = RandomArrays.uniform(rnd, at.length, -1f, 1f);
        float[] expected = new float[x.length];
        for (int o = 0; o < at.length; o++) {
            expected[at[o]] += dy[o];
        }
        Tensor dx = poisoned(d);
        backend.maxPool2dBackward(dx, tensor(dy, yDims), xt, y, window, stride);
        // An input position shared by overlapping windows sums at most window^2 gradients.
        ArrayAssertions.assertClose("dx", expected, read(dx), Tolerances.reduction(window * window), Tolerances.ELEMENTWISE_RTOL);
    }

    /** One 2x2 window holding 1, 3 / 3, 2: the gradient goes to the first 3 only; an all-equal window to its first element. */
    @Test
    void maxBackwardBreaksTiesRowMajor() {
        Tensor x = tensor(new float[] {1, 3, 5, 5, 3, 2, 5, 5}, 1, 1, 2, 4);
        Tensor y = poisoned(1, 1, 1, 2);
        backend.maxPool2dForward(y, x, 2, 2);
        ArrayAssertions.assertExact("y", new float[] {3, 5}, read(y));
        Tensor dx = poisoned(1, 1, 2, 4);
        backend.maxPool2dBackward(dx, tensor(new float[] {0.5f, -2f}, 1, 1, 1, 2), x, y, 2, 2);
        ArrayAssertions.assertExact("dx", new float[] {0, 0.5f, -2f, 0, 0, 0, 0, 0}, read(dx));
    }

    private float[] maxForward(float[] x, int[] d, int window, int stride) {
        Tensor y = poisoned(outDims(d, window, stride));
        backend.maxPool2dForward(y, tensor(x, d), window, stride);
        return read(y);
    }

    @ParameterizedTest
    @MethodSource("maxCases")
    void maxBackwardMatchesFiniteDifference(int[] d, int window, int stride) {
        SplittableRandom rnd = new SplittableRandom(33);
        float[] x = withoutTies(rnd, d[0] * d[1] * d[2] * d[3]);
        int[] yDims = outDims(d, window, stride);
        float[] y = maxForward(x, d, window, stride);
        float[] r = RandomArrays.uniform(rnd, y.length, -1f, 1f);
        Tensor dx = poisoned(d);
        backend.maxPool2dBackward(dx, tensor(r, yDims), tensor(x, d), tensor(y, yDims), window, stride);
        GradCheck.check("dx", x, read(dx), in -> GradCheck.dot(maxForward(in, d, window, stride), r), 1e-2f, 20, rnd);
    }

    /** [n, c, h, w] inputs; y is written as [n, c] and as [n, c, 1, 1] alternately. */
    static Stream<int[]> avgShapes() {
        return Stream.of(new int[] {2, 3, 5, 7}, new int[] {1, 1, 1, 1}, new int[] {1, 4, 3, 2}, new int[] {3, 1, 4, 4},
                new int[] {16, 32, 8, 8});
    }

    @ParameterizedTest
    @MethodSource("avgShapes")
    void avgForwardAndBackwardMatchReference(int[] d) {
        SplittableRandom rnd = new SplittableRandom(34);
        int planes = d[0] * d[1];
        int hw = d[2] * d[3];
        float[] x = RandomArrays.uniform(rnd, planes * hw, -2f, 2f);
        float[] expectedY = new float[planes];
        for (int p = 0; p < planes; p++) {
            double sum = 0;
            for (int j = 0; j < hw; j++) {
                sum += x[p * hw + j];
            }
            expectedY[p] = (float) (sum / hw);
        }
        Tensor y = d[0] % 2 == 0 ? poisoned(d[0], d[1]) : poisoned(d[0], d[1], 1, 1);
        backend.globalAvgPoolForward(y, tensor(x, d));
        // A mean of hw values of magnitude up to 2: the sum's reduction error over hw.
        ArrayAssertions.assertClose("y", expectedY, read(y), 2 * Tolerances.reduction(hw) / hw, Tolerances.ELEMENTWISE_RTOL);

        float[] dy = RandomArrays.uniform(rnd, planes, -1f, 1f);
        float[] expectedDx = new float[x.length];
        for (int p = 0; p < planes; p++) {
            for (int j = 0; j < hw; j++) {
                expectedDx[p * hw + j] = (float) ((double) dy[p] / hw);
            }
        }
        Tensor dx = poisoned(d);
        backend.globalAvgPoolBackward(dx, tensor(dy, d[0], d[1]));
        ArrayAssertions.assertClose("dx", expectedDx, read(dx), 0f, Tolerances.ELEMENTWISE_RTOL);
    }

    private float[] avgForward(float[] x, int[] d) {
        Tensor y = poisoned(d[0], d[1]);
        backend.globalAvgPoolForward(y, tensor(x, d));
        return read(y);
    }

    @ParameterizedTest
    @MethodSource("avgShapes")
    void avgBackwardMatchesFiniteDifference(int[] d) {
        SplittableRandom rnd = new SplittableRandom(35);
        float[] x = RandomArrays.uniform(rnd, d[0] * d[1] * d[2] * d[3], -2f, 2f);
        float[] r = RandomArrays.uniform(rnd, d[0] * d[1], -1f, 1f);
        Tensor dx = poisoned(d);
        backend.globalAvgPoolBackward(dx, tensor(r, d[0], d[1]));
        GradCheck.check("dx", x, read(dx), in -> GradCheck.dot(avgForward(in, d), r), 1e-2f, 20, rnd);
    }
}
