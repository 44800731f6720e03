package org.mixq.core.cpu;

import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.mixq.core.Backend;
import org.mixq.core.Tensor;
import org.mixq.core.testing.ArrayAssertions;
import org.mixq.core.testing.RandomArrays;

/**
 * The CPU ops split work by output ownership, never by reduction, so one thread and several
 * must give bit-identical results. Sizes are large enough for the work to be split.
 */
class CpuThreadCountTest {
    private static final int[] DIMS = {16, 16, 16, 16};
    private static final int SIZE = 16 * 16 * 16 * 16;

    /** Runs {@code ops} on a one-thread and a three-thread backend and compares every output bit for bit. */
    private static void sameOnOneAndThreeThreads(Function<Backend, float[][]> ops) {
        float[][] single;
        float[][] multi;
        try (Backend one = new CpuBackend(1); Backend three = new CpuBackend(3)) {
            single = ops.apply(one);
            multi = ops.apply(three);
        }
        for (int i = 0; i < single.length; i++) {
            ArrayAssertions.assertExact("output " + i, single[i], multi[i]);
        }
    }

    private static Tensor tensor(Backend b, float[] data, int... dims) {
        Tensor t = b.alloc(dims);
        b.copyIn(t, data);
        return t;
    }

    @Test
    void batchNormIsIndependentOfThreadCount() {
        sameOnOneAndThreeThreads(b -> {
            SplittableRandom rnd = new SplittableRandom(51);
            Tensor x = tensor(b, RandomArrays.uniform(rnd, SIZE, -1f, 3f), DIMS);
            Tensor gamma = tensor(b, RandomArrays.uniform(rnd, 16, 0.5f, 1.5f), 16);
            Tensor beta = tensor(b, RandomArrays.uniform(rnd, 16, -0.5f, 0.5f), 16);
            Tensor y = b.alloc(DIMS);
            Tensor mean = b.alloc(16);
            Tensor invStd = b.alloc(16);
            Tensor runningMean = b.alloc(16);
            Tensor runningVar = b.alloc(16);
            b.batchNormForwardTraining(y, mean, invStd, runningMean, runningVar, x, gamma, beta, 0.1f, 1e-5f);
            Tensor dx = b.alloc(DIMS);
            Tensor dGamma = b.alloc(16);
            Tensor dBeta = b.alloc(16);
            b.batchNormBackward(dx, dGamma, dBeta, tensor(b, RandomArrays.uniform(rnd, SIZE, -1f, 1f), DIMS), x, gamma,
                    mean, invStd);
            Tensor yInfer = b.alloc(DIMS);
            b.batchNormForwardInference(yInfer, x, gamma, beta, runningMean, runningVar, 1e-5f);
            return new float[][] {y.toArray(), mean.toArray(), invStd.toArray(), runningMean.toArray(),
                    runningVar.toArray(), dx.toArray(), dGamma.toArray(), dBeta.toArray(), yInfer.toArray()};
        });
    }

    @Test
    void elementwiseOpsAreIndependentOfThreadCount() {
        sameOnOneAndThreeThreads(b -> {
            SplittableRandom rnd = new SplittableRandom(52);
            Tensor x = tensor(b, RandomArrays.uniform(rnd, SIZE, -1f, 1f), DIMS);
            Tensor y = b.alloc(DIMS);
            b.reluForward(y, x);
            b.biasAdd(x, tensor(b, RandomArrays.uniform(rnd, 16, -1f, 1f), 16));
            Tensor dBias = b.alloc(16);
            b.biasBackward(dBias, x);
            Tensor param = tensor(b, RandomArrays.uniform(rnd, SIZE, -1f, 1f), SIZE);
            Tensor velocity = b.alloc(SIZE);
            b.sgdUpdate(param, velocity, x.reshape(SIZE), 0.1f, 0.9f, 5e-4f);
            return new float[][] {y.toArray(), x.toArray(), dBias.toArray(), param.toArray(), velocity.toArray()};
        });
    }

    @Test
    void poolingIsIndependentOfThreadCount() {
        sameOnOneAndThreeThreads(b -> {
            SplittableRandom rnd = new SplittableRandom(53);
            Tensor x = tensor(b, RandomArrays.uniform(rnd, SIZE, -1f, 1f), DIMS);
            Tensor y = b.alloc(16, 16, 7, 7);
            b.maxPool2dForward(y, x, 3, 2);
            Tensor dx = b.alloc(DIMS);
            b.maxPool2dBackward(dx, tensor(b, RandomArrays.uniform(rnd, y.size(), -1f, 1f), 16, 16, 7, 7), x, y, 3, 2);
            Tensor avg = b.alloc(16, 16);
            b.globalAvgPoolForward(avg, x);
            return new float[][] {y.toArray(), dx.toArray(), avg.toArray()};
        });
    }
}
