package org.mixq.core.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mixq.core.Shape;
import org.mixq.core.Tensor;
import org.mixq.core.testing.ArrayAssertions;
import org.mixq.core.testing.BackendContract;
import org.mixq.core.testing.GradCheck;
import org.mixq.core.testing.RandomArrays;
import org.mixq.core.testing.Tolerances;

/** Batch normalization (training and inference forward, backward) against a double-precision reference. */
public abstract class BatchNormContract extends BackendContract {
    /**
     * Normalized outputs and input gradients of magnitude up to about 5 are float32 elementwise
     * results built from a mean and inverse deviation rounded to float: a few ulps of 5.
     */
    private static final float NORMALIZED_ATOL = 4e-6f;
    private static final float MOMENTUM = 0.1f;
    private static final float EPS = 1e-5f;

    /** [n, c, h, w] and [n, c]: odd sizes, one channel, batch of one, non-square planes, 2-D input. */
    static Stream<int[]> shapes() {
        return Stream.of(new int[] {4, 3, 5, 7}, new int[] {1, 1, 3, 2}, new int[] {2, 1, 1, 1},
                new int[] {1, 5, 2, 3}, new int[] {6, 5}, new int[] {2, 1}, new int[] {16, 16, 16, 16});
    }

    /** Batch statistics of one channel in double: {mean, biased variance, unbiased variance}. */
    private static double[] stats(float[] x, int n, int c, int inner, int ch) {
        int count = n * inner;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < inner; j++) {
                sum += x[(i * c + ch) * inner + j];
            }
        }
        double mean = sum / count;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < inner; j++) {
                double d = x[(i * c + ch) * inner + j] - mean;
                squares += d * d;
            }
        }
        return new double[] {mean, squares / count, squares / (count - 1)};
    }

    private static float[] normalizeReference(float[] x, float[] gamma, float[] beta, double[] mean, double[] var,
                                              int n, int c, int inner, float eps) {
        float[] y = new float[x.length];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int j = 0; j < inner; j++) {
                    int at = (i * c + ch) * inner + j;
                    y[at] = (float) ((x[at] - mean[ch]) / Math.sqrt(var[ch] + eps) * gamma[ch] + beta[ch]);
                }
            }
        }
        return y;
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void forwardTrainingMatchesReference(int[] dims) {
        SplittableRandom rnd = new SplittableRandom(11);
        Shape shape = Shape.of(dims);
        int n = dims[0];
        int c = dims[1];
        int inner = shape.inner(1);
        float[] x = RandomArrays.uniform(rnd, shape.size(), -1f, 3f);
        float[] gamma = RandomArrays.uniform(rnd, c, 0.5f, 1.5f);
        float[] beta = RandomArrays.uniform(rnd, c, -0.5f, 0.5f);
        float[] runMean = RandomArrays.uniform(rnd, c, -1f, 1f);
        float[] runVar = RandomArrays.uniform(rnd, c, 0.5f, 2f);
        Tensor y = poisoned(dims);
        Tensor saveMean = poisoned(c);
        Tensor saveInvStd = poisoned(c);
        Tensor runningMean = tensor(runMean, c);
        Tensor runningVar = tensor(runVar, c);
        backend.batchNormForwardTraining(y, saveMean, saveInvStd, runningMean, runningVar, tensor(x, dims),
                tensor(gamma, c), tensor(beta, c), MOMENTUM, EPS);

        double[] mean = new double[c];
        double[] var = new double[c];
        float[] expMean = new float[c];
        float[] expInvStd = new float[c];
        float[] expRunMean = new float[c];
        float[] expRunVar = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double[] s = stats(x, n, c, inner, ch);
            mean[ch] = s[0];
            var[ch] = s[1];
            expMean[ch] = (float) s[0];
            expInvStd[ch] = (float) (1 / Math.sqrt(s[1] + EPS));
            expRunMean[ch] = (float) ((1 - MOMENTUM) * runMean[ch] + MOMENTUM * s[0]);
            expRunVar[ch] = (float) ((1 - MOMENTUM) * runVar[ch] + MOMENTUM * s[2]);
        }
        float rtol = Tolerances.ELEMENTWISE_RTOL;
        ArrayAssertions.assertClose("y", normalizeReference(x, gamma, beta, mean, var, n, c, inner, EPS), read(y),
                NORMALIZED_ATOL, rtol);
        ArrayAssertions.assertClose("saveMean", expMean, read(saveMean), 0f, rtol);
        ArrayAssertions.assertClose("saveInvStd", expInvStd, read(saveInvStd), 0f, rtol);
        ArrayAssertions.assertClose("runningMean", expRunMean, read(runningMean), 0f, rtol);
        ArrayAssertions.assertClose("runningVar", expRunVar, read(runningVar), 0f, rtol);
    }

    /** x = 1, 2, 3, 4 in one channel: mean 2.5, biased variance 1.25, unbiased 5/3. */
    @Test
    void runningStatisticsFollowPyTorchMomentum() {
        Tensor runningMean = tensor(new float[] {0f}, 1);
        Tensor runningVar = tensor(new float[] {1f}, 1);
        Tensor x = tensor(new float[] {1, 2, 3, 4}, 4, 1);
        Tensor saveMean = poisoned(1);
        Tensor saveInvStd = poisoned(1);
        Tensor gamma = tensor(new float[] {1f}, 1);
        Tensor beta = tensor(new float[] {0f}, 1);
        backend.batchNormForwardTraining(poisoned(4, 1), saveMean, saveInvStd, runningMean, runningVar, x, gamma, beta,
                MOMENTUM, EPS);
        assertEquals(0.25f, read(runningMean)[0], 1e-7f);
        assertEquals(0.9f + 0.1f * 5f / 3f, read(runningVar)[0], 1e-6f);
        assertEquals(2.5f, read(saveMean)[0], 0f);
        assertEquals((float) (1 / Math.sqrt(1.25 + EPS)), read(saveInvStd)[0], 1e-6f);

        backend.batchNormForwardTraining(poisoned(4, 1), saveMean, saveInvStd, runningMean, runningVar, x, gamma, beta,
                MOMENTUM, EPS);
        assertEquals(0.9f * 0.25f + 0.1f * 2.5f, read(runningMean)[0], 1e-6f);
        assertEquals(0.9f * (0.9f + 0.1f * 5f / 3f) + 0.1f * 5f / 3f, read(runningVar)[0], 1e-6f);
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void forwardInferenceMatchesReference(int[] dims) {
        SplittableRandom rnd = new SplittableRandom(12);
        Shape shape = Shape.of(dims);
        int c = dims[1];
        float[] x = RandomArrays.uniform(rnd, shape.size(), -1f, 3f);
        float[] gamma = RandomArrays.uniform(rnd, c, 0.5f, 1.5f);
        float[] beta = RandomArrays.uniform(rnd, c, -0.5f, 0.5f);
        float[] runMean = RandomArrays.uniform(rnd, c, -1f, 2f);
        float[] runVar = RandomArrays.uniform(rnd, c, 0.5f, 2f);
        Tensor y = poisoned(dims);
        backend.batchNormForwardInference(y, tensor(x, dims), tensor(gamma, c), tensor(beta, c), tensor(runMean, c),
                tensor(runVar, c), EPS);
        double[] mean = new double[c];
        double[] var = new double[c];
        for (int ch = 0; ch < c; ch++) {
            mean[ch] = runMean[ch];
            var[ch] = runVar[ch];
        }
        ArrayAssertions.assertClose("y", normalizeReference(x, gamma, beta, mean, var, dims[0], c, shape.inner(1), EPS),
                read(y), NORMALIZED_ATOL, Tolerances.ELEMENTWISE_RTOL);
    }

    /** Reference backward in double from what forward saved: {dx, dGamma, dBeta}. */
    private static float[][] backwardReference(float[] dy, float[] x, float[] gamma, float[] mean, float[] invStd,
                                               int n, int c, int inner) {
        float[] dx = new float[x.length];
        float[] dGamma = new float[c];
        float[] dBeta = new float[c];
        int count = n * inner;
        for (int ch = 0; ch < c; ch++) {
            double sumDy = 0;
            double sumDyXhat = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < inner; j++) {
                    int at = (i * c + ch) * inner + j;
                    sumDy += dy[at];
                    sumDyXhat += dy[at] * ((x[at] - (double) mean[ch]) * invStd[ch]);
                }
            }
            dGamma[ch] = (float) sumDyXhat;
            dBeta[ch] = (float) sumDy;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < inner; j++) {
                    int at = (i * c + ch) * inner + j;
                    double xhat = (x[at] - (double) mean[ch]) * invStd[ch];
                    dx[at] = (float) (gamma[ch] * (double) invStd[ch] / count
                            * (count * (double) dy[at] - sumDy - xhat * sumDyXhat));
                }
            }
        }
        return new float[][] {dx, dGamma, dBeta};
    }

    /** Runs training forward and returns {y, saveMean, saveInvStd}. */
    private float[][] forwardTraining(float[] x, float[] gamma, float[] beta, int[] dims) {
        int c = dims[1];
        Tensor y = poisoned(dims);
        Tensor saveMean = poisoned(c);
        Tensor saveInvStd = poisoned(c);
        backend.batchNormForwardTraining(y, saveMean, saveInvStd, backend.alloc(c), backend.alloc(c),
                tensor(x, dims), tensor(gamma, c), tensor(beta, c), MOMENTUM, EPS);
        return new float[][] {read(y), read(saveMean), read(saveInvStd)};
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void backwardMatchesReferenceAndAccumulates(int[] dims) {
        SplittableRandom rnd = new SplittableRandom(13);
        Shape shape = Shape.of(dims);
        int c = dims[1];
        float[] x = RandomArrays.uniform(rnd, shape.size(), -1f, 3f);
        float[] gamma = RandomArrays.uniform(rnd, c, 0.5f, 1.5f);
        float[] beta = RandomArrays.uniform(rnd, c, -0.5f, 0.5f);
        float[] dyData = RandomArrays.uniform(rnd, shape.size(), -1f, 1f);
        float[][] saved = forwardTraining(x, gamma, beta, dims);
        float[][] expected = backwardReference(dyData, x, gamma, saved[1], saved[2], dims[0], c, shape.inner(1));

        float[] dGammaStart = RandomArrays.uniform(rnd, c, -1f, 1f);
        float[] dBetaStart = RandomArrays.uniform(rnd, c, -1f, 1f);
        Tensor dGamma = tensor(dGammaStart, c);
        Tensor dBeta = tensor(dBetaStart, c);
        Tensor dy = tensor(dyData, dims);
        Tensor xt = tensor(x, dims);
        Tensor gammaT = tensor(gamma, c);
        Tensor mean = tensor(saved[1], c);
        Tensor invStd = tensor(saved[2], c);
        float atol = Tolerances.reduction(shape.size() / c);
        for (int call = 1; call <= 2; call++) {
            Tensor dx = poisoned(dims);
            backend.batchNormBackward(dx, dGamma, dBeta, dy, xt, gammaT, mean, invStd);
            ArrayAssertions.assertClose("dx, call " + call, expected[0], read(dx), NORMALIZED_ATOL, Tolerances.ELEMENTWISE_RTOL);
            ArrayAssertions.assertClose("dGamma after " + call + " call(s)", plus(dGammaStart, expected[1], call),
                    read(dGamma), atol, Tolerances.ELEMENTWISE_RTOL);
            ArrayAssertions.assertClose("dBeta after " + call + " call(s)", plus(dBetaStart, expected[2], call),
                    read(dBeta), atol, Tolerances.ELEMENTWISE_RTOL);
        }
    }

    private static float[] plus(float[] start, float[] increment, int times) {
        float[] out = new float[start.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (start[i] + (double) times * increment[i]);
        }
        return out;
    }

    /** L = sum(y * R) through training forward; backward with dy = R must give dL/dx, dL/dgamma, dL/dbeta. */
    @ParameterizedTest
    @MethodSource("gradShapes")
    void backwardMatchesFiniteDifference(int[] dims) {
        SplittableRandom rnd = new SplittableRandom(14);
        Shape shape = Shape.of(dims);
        int c = dims[1];
        float[] x = RandomArrays.uniform(rnd, shape.size(), -1f, 3f);
        float[] gamma = RandomArrays.uniform(rnd, c, 0.5f, 1.5f);
        float[] beta = RandomArrays.uniform(rnd, c, -0.5f, 0.5f);
        float[] r = RandomArrays.uniform(rnd, shape.size(), -1f, 1f);
        float[][] saved = forwardTraining(x, gamma, beta, dims);
        Tensor dx = poisoned(dims);
        Tensor dGamma = backend.alloc(c);
        Tensor dBeta = backend.alloc(c);
        backend.batchNormBackward(dx, dGamma, dBeta, tensor(r, dims), tensor(x, dims), tensor(gamma, c),
                tensor(saved[1], c), tensor(saved[2], c));

        float step = 1e-2f;
        int samples = 20;
        GradCheck.check("dx", x, read(dx), in -> GradCheck.dot(forwardTraining(in, gamma, beta, dims)[0], r),
                step, samples, rnd);
        GradCheck.check("dGamma", gamma, read(dGamma), in -> GradCheck.dot(forwardTraining(x, in, beta, dims)[0], r),
                step, samples, rnd);
        GradCheck.check("dBeta", beta, read(dBeta), in -> GradCheck.dot(forwardTraining(x, gamma, in, dims)[0], r),
                step, samples, rnd);
    }

    static Stream<int[]> gradShapes() {
        return Stream.of(new int[] {3, 2, 3, 2}, new int[] {1, 1, 2, 3}, new int[] {5, 3});
    }
}
