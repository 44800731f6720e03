package org.mixq.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mixq.core.Backend;
import org.mixq.core.ConvSpec;
import org.mixq.core.Shape;
import org.mixq.core.Tensor;
import org.mixq.core.cpu.CpuBackend;
import org.mixq.core.testing.ArrayAssertions;
import org.mixq.core.testing.RandomArrays;
import org.mixq.core.testing.Tolerances;

/**
 * CUDA against the CPU backend (the specification) on random inputs, at sizes that are not
 * multiples of the block, tile or float4 width. Overwritten outputs start as NaN on the device,
 * so an element a kernel forgets to write fails the comparison. Elementwise ops, quantization,
 * pooling and the loss must agree bit for bit; GEMM and convolution within a bound that grows
 * with the reduction length; both the vendor libraries (where they load) and the hand-written
 * kernels are compared.
 */
@Tag("gpu")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CudaParityTest {
    /** Sizes around the 256-thread block and the float4 width, and one that needs several blocks. */
    private static final int[] SIZES = {1, 3, 4, 5, 255, 256, 257, 1000, 4099, 65537};

    private CpuBackend cpu;
    private final List<CudaBackend> gpus = new ArrayList<>();

    @BeforeAll
    void open() {
        CudaOptions options = CudaOptions.fromSystemProperties();
        gpus.add(CudaTesting.backend(options));
        gpus.add(CudaTesting.backend(options.withGemm(CudaOptions.Library.KERNEL).withConv(CudaOptions.Library.KERNEL)));
        cpu = new CpuBackend(2);
    }

    @AfterAll
    void close() {
        gpus.forEach(CudaBackend::close);
        if (cpu != null) {
            cpu.close();
        }
    }

    private static Tensor put(Backend b, float[] data, int... dims) {
        Tensor t = b.alloc(dims);
        b.copyIn(t, data);
        return t;
    }

    private static Tensor poisoned(Backend b, int... dims) {
        Tensor t = b.alloc(dims);
        b.fill(t, Float.NaN);
        return t;
    }

    private static float[] read(Tensor t) {
        t.backend().synchronize();
        return t.toArray();
    }

    static IntStream sizes() {
        return IntStream.of(SIZES);
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void elementwiseOpsAgreeBitForBit(int n) {
        float[][] ref = elementwise(cpu, n);
        float[][] got = elementwise(gpus.get(0), n);
        String[] names = {"add", "relu", "relu backward", "sgd param", "sgd velocity", "fake quant backward"};
        for (int i = 0; i < names.length; i++) {
            ArrayAssertions.assertExact(names[i] + " n=" + n, ref[i], got[i]);
        }
    }

    private static float[][] elementwise(Backend be, int n) {
        SplittableRandom rnd = new SplittableRandom(n);
        float[] a = RandomArrays.uniform(rnd, n, -2f, 2f);
        float[] b = RandomArrays.uniform(rnd, n, -2f, 2f);
        float[] g = RandomArrays.uniform(rnd, n, -1f, 1f);
        float[] mask = new float[n];
        for (int i = 0; i < n; i++) {
            mask[i] = rnd.nextBoolean() ? 1f : 0f;
        }
        Tensor sum = poisoned(be, n);
        be.add(sum, put(be, a, n), put(be, b, n));
        Tensor relu = poisoned(be, n);
        be.reluForward(relu, put(be, a, n));
        Tensor dx = poisoned(be, n);
        be.reluBackward(dx, put(be, b, n), relu);
        Tensor param = put(be, a, n);
        Tensor velocity = put(be, b, n);
        be.sgdUpdate(param, velocity, put(be, g, n), 0.05f, 0.9f, 5e-4f);
        Tensor dw = put(be, a, n);
        be.fakeQuantWeightsBackward(dw, put(be, g, n), put(be, mask, n));
        return new float[][] {read(sum), read(relu), read(dx), read(param), read(velocity), read(dw)};
    }

    /** [n, c, h, w] shapes with odd planes and channel counts, and one with many values per channel. */
    static Stream<int[]> imageShapes() {
        return Stream.of(new int[] {3, 5, 1, 257}, new int[] {2, 3, 33, 31}, new int[] {64, 16, 16, 16}, new int[] {5, 7, 3, 3});
    }

    @ParameterizedTest
    @MethodSource("imageShapes")
    void normalizationPoolingAndBiasAgree(int[] dims) {
        float[][] ref = imageOps(cpu, dims);
        float[][] got = imageOps(gpus.get(0), dims);
        String[] names = {"bn y", "bn mean", "bn invStd", "bn running mean", "bn running var", "bn dx", "bn dGamma",
                "bn dBeta", "bn inference", "bias add", "bias backward", "max pool", "max pool backward",
                "avg pool", "avg pool backward"};
        String what = " " + java.util.Arrays.toString(dims);
        for (int i = 0; i < names.length; i++) {
            // per-channel sums are taken in double in a different order: a rounding of the
            // float result may differ by one ulp
            ArrayAssertions.assertClose(names[i] + what, ref[i], got[i], 0f, Tolerances.ELEMENTWISE_RTOL);
        }
    }

    private static float[][] imageOps(Backend b, int[] d) {
        SplittableRandom rnd = new SplittableRandom(Shape.of(d).size());
        int size = Shape.of(d).size();
        int c = d[1];
        Tensor x = put(b, RandomArrays.uniform(rnd, size, -1f, 3f), d);
        Tensor dy = put(b, RandomArrays.uniform(rnd, size, -1f, 1f), d);
        Tensor gamma = put(b, RandomArrays.uniform(rnd, c, 0.5f, 1.5f), c);
        Tensor beta = put(b, RandomArrays.uniform(rnd, c, -0.5f, 0.5f), c);
        Tensor mean = poisoned(b, c);
        Tensor invStd = poisoned(b, c);
        Tensor runningMean = put(b, RandomArrays.uniform(rnd, c, -0.1f, 0.1f), c);
        Tensor runningVar = put(b, RandomArrays.uniform(rnd, c, 0.9f, 1.1f), c);
        Tensor y = poisoned(b, d);
        b.batchNormForwardTraining(y, mean, invStd, runningMean, runningVar, x, gamma, beta, 0.1f, 1e-5f);
        Tensor dx = poisoned(b, d);
        Tensor dGamma = put(b, new float[c], c);
        Tensor dBeta = put(b, new float[c], c);
        b.batchNormBackward(dx, dGamma, dBeta, dy, x, gamma, mean, invStd);
        Tensor inference = poisoned(b, d);
        b.batchNormForwardInference(inference, x, gamma, beta, runningMean, runningVar, 1e-5f);
        Tensor biased = put(b, read(x), d);
        b.biasAdd(biased, beta);
        Tensor dBias = put(b, new float[c], c);
        b.biasBackward(dBias, dy);
        int window = Math.min(3, Math.min(d[2], d[3]));
        int stride = Math.max(1, window - 1);
        int[] pooled = {d[0], c, (d[2] - window) / stride + 1, (d[3] - window) / stride + 1};
        Tensor max = poisoned(b, pooled);
        b.maxPool2dForward(max, x, window, stride);
        Tensor dMax = poisoned(b, d);
        b.maxPool2dBackward(dMax, put(b, read(max), pooled), x, max, window, stride);
        Tensor avg = poisoned(b, d[0], c);
        b.globalAvgPoolForward(avg, x);
        Tensor dAvg = poisoned(b, d);
        b.globalAvgPoolBackward(dAvg, avg);
        return new float[][] {read(y), read(mean), read(invStd), read(runningMean), read(runningVar), read(dx),
            read(dGamma), read(dBeta), read(inference), read(biased), read(dBias), read(max), read(dMax), read(avg),
            read(dAvg)};
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void lossAndAccuracyAgree(int n) {
        for (int classes : new int[] {1, 10, 100}) {
            SplittableRandom rnd = new SplittableRandom(n * 101L + classes);
            float[] logits = RandomArrays.uniform(rnd, n * classes, -4f, 4f);
            float[] labels = new float[n];
            for (int i = 0; i < n; i++) {
                labels[i] = rnd.nextInt(classes);
            }
            float[][] out = new float[4][];
            float[][] ref = null;
            for (Backend b : List.<Backend>of(cpu, gpus.get(0))) {
                Tensor z = put(b, logits, n, classes);
                Tensor lab = put(b, labels, n);
                Tensor loss = poisoned(b, 1);
                Tensor probs = poisoned(b, n, classes);
                b.softmaxCrossEntropyForward(loss, probs, z, lab);
                Tensor dz = poisoned(b, n, classes);
                b.softmaxCrossEntropyBackward(dz, probs, lab);
                out = new float[][] {read(loss), read(probs), read(dz), {b.countCorrect(z, lab)}};
                if (ref == null) {
                    ref = out;
                }
            }
            String what = " n=" + n + " classes=" + classes;
            ArrayAssertions.assertClose("loss" + what, ref[0], out[0], 0f, Tolerances.ELEMENTWISE_RTOL);
            ArrayAssertions.assertClose("probs" + what, ref[1], out[1], 0f, Tolerances.ELEMENTWISE_RTOL);
            ArrayAssertions.assertClose("dLogits" + what, ref[2], out[2], 0f, Tolerances.ELEMENTWISE_RTOL);
            ArrayAssertions.assertExact("correct" + what, ref[3], out[3]);
        }
    }

    static Stream<Arguments> weightShapes() {
        List<Arguments> list = new ArrayList<>();
        for (int channels : new int[] {1, 7, 64}) {
            for (int inner : new int[] {1, 3, 4, 27, 255, 256, 257, 4608}) {
                list.add(Arguments.of(channels, inner));
            }
        }
        return list.stream();
    }

    @ParameterizedTest
    @MethodSource("weightShapes")
    void weightFakeQuantAgreesBitForBitAtEveryWidth(int channels, int inner) {
        SplittableRandom rnd = new SplittableRandom(channels * 7919L + inner);
        float[] w = RandomArrays.gaussian(rnd, channels * inner, 0.05f);
        if (channels > 1) {
            java.util.Arrays.fill(w, inner, 2 * inner, 0f); // a zero channel quantizes to zeros
        }
        for (int bits = 1; bits <= 8; bits++) {
            float[][] ref = weightFakeQuant(cpu, w, channels, inner, bits);
            float[][] got = weightFakeQuant(gpus.get(0), w, channels, inner, bits);
            String what = channels + "x" + inner + " at " + bits + " bits: ";
            ArrayAssertions.assertExact(what + "mask", ref[1], got[1]);
            if (bits == 1) {
                // s = mean|w| is a double sum whose order differs between the backends
                ArrayAssertions.assertClose(what + "scale", ref[2], got[2], 0f, Tolerances.ELEMENTWISE_RTOL);
                ArrayAssertions.assertClose(what + "wq", ref[0], got[0], 0f, Tolerances.ELEMENTWISE_RTOL);
            } else {
                ArrayAssertions.assertExact(what + "scale", ref[2], got[2]);
                ArrayAssertions.assertExact(what + "wq", ref[0], got[0]);
            }
        }
    }

    private static float[][] weightFakeQuant(Backend b, float[] w, int channels, int inner, int bits) {
        Tensor wq = poisoned(b, channels, inner);
        Tensor mask = poisoned(b, channels, inner);
        Tensor scale = poisoned(b, channels);
        b.fakeQuantWeightsForward(wq, mask, scale, put(b, w, channels, inner), bits);
        return new float[][] {read(wq), read(mask), read(scale)};
    }

    @Test
    void quotientsHalfwayBetweenLevelsRoundToEven() {
        // max|w| = 7 at 4 bits gives s = 1, so w / s is w itself: every .5 is a tie
        float[] w = {7f, 2.5f, -3.5f, 0.5f, 1.5f, -0.5f, 6.5f, -2.5f};
        float[] expected = {7f, 2f, -4f, 0f, 2f, -0f, 6f, -2f};
        for (Backend b : List.<Backend>of(cpu, gpus.get(0))) {
            float[][] r = weightFakeQuant(b, w, 1, w.length, 4);
            ArrayAssertions.assertExact(b.name() + " ties", expected, r[0]);
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void activationFakeQuantAgrees(int n) {
        SplittableRandom rnd = new SplittableRandom(31L * n);
        float[] x = RandomArrays.uniform(rnd, n, -0.5f, 2.5f);
        float[] dy = RandomArrays.uniform(rnd, n, -1f, 1f);
        for (int bits : new int[] {2, 4, 8}) {
            float[][] out = new float[2][];
            float[][] grads = new float[2][];
            float[][] clipGrad = new float[2][];
            for (Backend b : List.<Backend>of(cpu, gpus.get(0))) {
                int k = b == cpu ? 0 : 1;
                Tensor clip = put(b, new float[] {1.7f}, 1);
                Tensor y = poisoned(b, n);
                b.fakeQuantActivationsForward(y, put(b, x, n), clip, bits);
                Tensor dx = poisoned(b, n);
                Tensor dClip = put(b, new float[] {0.25f}, 1);
                b.fakeQuantActivationsBackward(dx, dClip, put(b, dy, n), put(b, x, n), clip);
                out[k] = read(y);
                grads[k] = read(dx);
                clipGrad[k] = read(dClip);
            }
            ArrayAssertions.assertExact("activation fake quant n=" + n + " b=" + bits, out[0], out[1]);
            ArrayAssertions.assertExact("PACT dx n=" + n, grads[0], grads[1]);
            ArrayAssertions.assertClose("PACT dClip n=" + n, clipGrad[0], clipGrad[1], Tolerances.reduction(n), 0f);
        }
    }

    static Stream<Arguments> gemmShapes() {
        List<Arguments> list = new ArrayList<>();
        int[][] mnk = {{1, 1, 1}, {17, 33, 65}, {128, 128, 128}, {129, 127, 300}, {300, 5, 1024}, {2, 257, 3}};
        for (int[] s : mnk) {
            for (int t = 0; t < 4; t++) {
                list.add(Arguments.of(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0));
            }
        }
        return list.stream();
    }

    @ParameterizedTest
    @MethodSource("gemmShapes")
    void gemmAgreesWithinReductionTolerance(int m, int n, int k, boolean transA, boolean transB) {
        SplittableRandom rnd = new SplittableRandom(m * 31L + n * 17L + k);
        int[] aDims = transA ? new int[] {k, m} : new int[] {m, k};
        int[] bDims = transB ? new int[] {n, k} : new int[] {k, n};
        float[] a = RandomArrays.uniform(rnd, m * k, -1f, 1f);
        float[] b = RandomArrays.uniform(rnd, k * n, -1f, 1f);
        float[] c = RandomArrays.uniform(rnd, m * n, -1f, 1f);
        for (float beta : new float[] {0f, 0.5f}) {
            Tensor cc = put(cpu, c, m, n);
            cpu.gemm(cc, put(cpu, a, aDims), put(cpu, b, bDims), transA, transB, 1.5f, beta);
            float[] expected = read(cc);
            for (CudaBackend gpu : gpus) {
                // beta = 0 must not read c: poison it
                Tensor gc = beta == 0f ? poisoned(gpu, m, n) : put(gpu, c, m, n);
                gpu.gemm(gc, put(gpu, a, aDims), put(gpu, b, bDims), transA, transB, 1.5f, beta);
                ArrayAssertions.assertClose(gpu.describe().contains("cuBLAS") ? "cuBLAS" : "hand-written", expected, read(gc),
                        1.5f * Tolerances.reduction(k), 0f);
            }
        }
    }

    static Stream<Arguments> convShapes() {
        // n, c, h, w, k, r, s, stride, pad
        return Stream.of(Arguments.of(new int[] {2, 3, 7, 7, 4, 3, 3, 1, 1}), Arguments.of(new int[] {3, 5, 9, 6, 7, 3, 2, 2, 0}),
                Arguments.of(new int[] {1, 1, 5, 5, 2, 1, 1, 1, 0}), Arguments.of(new int[] {4, 16, 16, 16, 32, 3, 3, 1, 1}),
                Arguments.of(new int[] {2, 2, 6, 6, 3, 5, 5, 3, 2}), Arguments.of(new int[] {8, 64, 8, 8, 64, 3, 3, 1, 1}));
    }

    @ParameterizedTest
    @MethodSource("convShapes")
    void convolutionAgreesWithinReductionTolerance(int[] g) {
        int n = g[0], c = g[1], h = g[2], w = g[3], k = g[4], r = g[5], s = g[6];
        ConvSpec spec = ConvSpec.of(g[7], g[8]);
        int p = spec.outH(h, r);
        int q = spec.outW(w, s);
        SplittableRandom rnd = new SplittableRandom(Shape.of(g).size());
        float[] x = RandomArrays.uniform(rnd, n * c * h * w, -1f, 1f);
        float[] wt = RandomArrays.uniform(rnd, k * c * r * s, -1f, 1f);
        float[] bias = RandomArrays.uniform(rnd, k, -1f, 1f);
        float[] dy = RandomArrays.uniform(rnd, n * k * p * q, -1f, 1f);
        float[] dw0 = RandomArrays.uniform(rnd, wt.length, -1f, 1f);
        float[][] ref = conv(cpu, x, wt, bias, dy, dw0, g, spec, p, q);
        for (CudaBackend gpu : gpus) {
            float[][] got = conv(gpu, x, wt, bias, dy, dw0, g, spec, p, q);
            String what = (gpu.describe().contains("conv: cuDNN") ? "cuDNN " : "im2col ") + java.util.Arrays.toString(g);
            ArrayAssertions.assertClose(what + " y", ref[0], got[0], 2 * Tolerances.reduction(c * r * s), 0f);
            ArrayAssertions.assertClose(what + " dx", ref[1], got[1], 2 * Tolerances.reduction(k * r * s), 0f);
            ArrayAssertions.assertClose(what + " dw", ref[2], got[2], 2 * Tolerances.reduction(n * p * q), 0f);
            ArrayAssertions.assertClose(what + " dBias", ref[3], got[3], 2 * Tolerances.reduction(n * p * q), 0f);
        }
    }

    private static float[][] conv(Backend b, float[] x, float[] wt, float[] bias, float[] dy, float[] dw0, int[] g,
                                  ConvSpec spec, int p, int q) {
        Tensor tx = put(b, x, g[0], g[1], g[2], g[3]);
        Tensor tw = put(b, wt, g[4], g[1], g[5], g[6]);
        Tensor y = poisoned(b, g[0], g[4], p, q);
        b.conv2dForward(y, tx, tw, put(b, bias, g[4]), spec);
        Tensor dx = poisoned(b, g[0], g[1], g[2], g[3]);
        Tensor tdy = put(b, dy, g[0], g[4], p, q);
        b.conv2dBackwardData(dx, tdy, tw, spec);
        Tensor dw = put(b, dw0, g[4], g[1], g[5], g[6]);
        Tensor dBias = put(b, bias, g[4]);
        b.conv2dBackwardFilter(dw, dBias, tdy, tx, spec);
        return new float[][] {read(y), read(dx), read(dw), read(dBias)};
    }

    @Test
    void aRepeatedTrainingStepAllocatesNoNewDeviceMemory() {
        CudaBackend gpu = gpus.get(0);
        SplittableRandom rnd = new SplittableRandom(5);
        float[] x = RandomArrays.uniform(rnd, 8 * 16 * 12 * 12, -1f, 1f);
        long before = 0;
        for (int step = 0; step < 3; step++) {
            if (step == 2) {
                before = gpu.driverAllocations();
            }
            try (Tensor tx = put(gpu, x, 8, 16, 12, 12); Tensor w = gpu.alloc(32, 16, 3, 3);
                 Tensor y = gpu.alloc(8, 32, 12, 12); Tensor dw = gpu.alloc(32, 16, 3, 3);
                 Tensor dx = gpu.alloc(8, 16, 12, 12); Tensor wq = gpu.alloc(32, 16, 3, 3);
                 Tensor mask = gpu.alloc(32, 16, 3, 3); Tensor scale = gpu.alloc(32)) {
                gpu.fakeQuantWeightsForward(wq, mask, scale, w, 4);
                gpu.conv2dForward(y, tx, wq, null, ConvSpec.of(1, 1));
                gpu.conv2dBackwardData(dx, y, wq, ConvSpec.of(1, 1));
                gpu.conv2dBackwardFilter(dw, null, y, tx, ConvSpec.of(1, 1));
                gpu.synchronize();
            }
        }
        assertEquals(before, gpu.driverAllocations(), () -> "the third step called cuMemAlloc: " + gpu.poolStatistics());
    }
}
