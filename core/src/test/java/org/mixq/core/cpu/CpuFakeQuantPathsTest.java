package org.mixq.core.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mixq.core.Quantizer;
import org.mixq.core.testing.ArrayAssertions;
import org.mixq.core.testing.RandomArrays;

/**
 * Inside the CPU weight quantizer: the fast paths against the plain loop over {@link Quantizer},
 * bit for bit; clipping and special values with given scales (the max-based scale of the public
 * op clips only when it is subnormal); and results that do not depend on the thread count.
 */
class CpuFakeQuantPathsTest {
    private static final float[] SPECIAL = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE,
        -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1e-30f, -3e38f};

    private static void quantizeWithScale(CpuThreads threads, float[] wq, float[] mask, float[] w, float[] scale,
                                          int inner, int bits) {
        new CpuFakeQuant(threads).quantizeWithScale(wq, mask, w, scale, scale.length, inner, bits);
    }

    @Test
    void clippingOfAHandComputedCase() {
        // 2 bits (levels -1, 0, 1), scale 0.5: 1.48 rounds to 1; 1.5 is a tie that rounds to 2, outside
        float[] w = {0.74f, 0.75f, -0.25f, 1f, -3f, -0.75f};
        float[] wq = new float[6];
        float[] mask = new float[6];
        try (CpuThreads threads = new CpuThreads(1)) {
            quantizeWithScale(threads, wq, mask, w, new float[]{0.5f}, 6, 2);
        }
        ArrayAssertions.assertExact("wq", new float[]{0.5f, 0.5f, -0f, 0.5f, -0.5f, -0.5f}, wq);
        ArrayAssertions.assertExact("mask", new float[]{1f, 0f, 1f, 0f, 0f, 0f}, mask);
    }

    @Test
    void givenScalesMatchQuantizerIncludingClippedAndSpecialValues() {
        int channels = 64;
        int inner = 4099;
        SplittableRandom rnd = new SplittableRandom(31);
        float[] w = RandomArrays.gaussian(rnd, channels * inner, 1f);
        for (int i = 0; i < w.length; i += 97) {
            w[i] = SPECIAL[(i / 97) % SPECIAL.length];
        }
        float[] wq = new float[w.length];
        float[] mask = new float[w.length];
        try (CpuThreads threads = new CpuThreads(2)) {
            // enough rounds over a large array for the JIT to compile (and vectorize) the loop
            for (int round = 0; round < 12; round++) {
                int bits = 1 + round % 8;
                float[] scale = new float[channels];
                for (int c = 0; c < channels; c++) {
                    // scales from far too small (everything clips) to far too large (everything rounds to 0)
                    scale[c] = c < SPECIAL.length ? SPECIAL[c] : (float) Math.pow(2, rnd.nextInt(-40, 10)) * 0.37f;
                }
                quantizeWithScale(threads, wq, mask, w, scale, inner, bits);
                for (int i = 0; i < w.length; i++) {
                    float s = scale[i / inner];
                    assertBits(Quantizer.quantizeWeight(w[i], s, bits), wq[i], "wq", w[i], s, bits);
                    assertBits(Quantizer.weightMask(w[i], s, bits), mask[i], "mask", w[i], s, bits);
                }
            }
        }
    }

    /** Bit-identical floats; all NaNs count as one. */
    private static void assertBits(float expected, float actual, String what, float w, float s, int bits) {
        if (Float.floatToIntBits(expected) != Float.floatToIntBits(actual)) {
            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual),
                    what + " of w=" + w + " scale=" + s + " bits=" + bits + ": expected " + expected + ", got " + actual);
        }
    }

    @Test
    void roundingFastPathMatchesThePlainLoop() {
        SplittableRandom rnd = new SplittableRandom(43);
        int inner = 1003;
        float[] w = RandomArrays.gaussian(rnd, inner, 1f);
        float[] fast = new float[inner];
        float[] fastMask = new float[inner];
        float[] plain = new float[inner];
        float[] plainMask = new float[inner];
        // enough rounds for the JIT to compile (and vectorize) both loops
        for (int round = 0; round < 400; round++) {
            int bits = 2 + round % 7;
            float qmax = Quantizer.weightQmax(bits);
            float s = CpuFakeQuant.channelScale(w, 0, inner, bits);
            for (int k = 0; k < 20; k++) {
                // ties: w / s lands on, or one ulp next to, a half level
                float tie = (rnd.nextInt((int) -qmax, (int) qmax) + 0.5f) * s;
                w[1 + rnd.nextInt(inner - 1)] = k % 3 == 0 ? tie : k % 3 == 1 ? Math.nextUp(tie) : Math.nextDown(tie);
            }
            s = CpuFakeQuant.channelScale(w, 0, inner, bits);
            CpuFakeQuant.roundChannel(fast, fastMask, w, 0, inner, s);
            CpuFakeQuant.quantizeChannel(plain, plainMask, w, 0, inner, s, bits);
            ArrayAssertions.assertExact("wq, bits " + bits, plain, fast);
            ArrayAssertions.assertExact("mask, bits " + bits, plainMask, fastMask);
            w = RandomArrays.gaussian(rnd, inner, (float) Math.pow(2, rnd.nextInt(-20, 20)));
        }
    }

    @Test
    void maxAbsMatchesASingleScan() {
        SplittableRandom rnd = new SplittableRandom(47);
        for (int length : new int[]{0, 1, 3, 4, 7, 33, 1000}) {
            float[] w = RandomArrays.gaussian(rnd, length + 2, 1f);
            w[0] = 100f;
            w[length + 1] = -100f;
            for (int at = 1; at <= length; at++) {
                float[] v = w.clone();
                v[at] = (at % 2 == 0 ? 9f : -9f);
                assertEquals(length == 0 ? 0f : 9f, CpuFakeQuant.maxAbs(v, 1, length), "length " + length + ", max at " + at);
            }
            float single = 0f;
            for (int i = 1; i <= length; i++) {
                single = Math.max(single, Math.abs(w[i]));
            }
            assertEquals(single, CpuFakeQuant.maxAbs(w, 1, length), "length " + length);
        }
    }

    @Test
    void activationPathsMatchTheComparisonsIncludingSpecialValues() {
        float clip = 1.5f;
        float[] special = {0f, -0f, clip, Math.nextUp(clip), Math.nextDown(clip), Float.MIN_VALUE, -Float.MIN_VALUE,
            Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE};
        int n = 50_003;
        SplittableRandom rnd = new SplittableRandom(53);
        float[] x = RandomArrays.uniform(rnd, n, -1f, 3f);
        float[] dy = new float[n];
        for (int i = 0; i < n; i++) {
            // multiples of 2^-10: the clip-gradient sum is exact in double, in any order
            dy[i] = (rnd.nextInt(2001) - 1000) / 1024f;
            if (i % 7 == 0) {
                x[i] = special[(i / 7) % special.length];
            }
        }
        float[] expectedDx = new float[n];
        float[] expectedY = new float[n];
        double expectedSum = 0;
        for (int i = 0; i < n; i++) {
            expectedDx[i] = dy[i] * (x[i] > 0f && x[i] < clip ? 1f : 0f);
            expectedSum += dy[i] * (x[i] >= clip ? 1f : 0f);
            expectedY[i] = Quantizer.quantizeActivation(x[i], clip, 3);
        }
        float[] dx = new float[n];
        float[] y = new float[n];
        try (CpuThreads threads = new CpuThreads(2)) {
            CpuFakeQuant fq = new CpuFakeQuant(threads);
            // enough rounds for the JIT to compile (and vectorize) the loops
            for (int round = 0; round < 20; round++) {
                float[] dClip = {0.25f};
                fq.activationsBackward(dx, dClip, dy, x, clip, n);
                fq.activationsForward(y, x, clip, n, 3);
                ArrayAssertions.assertExact("dx, round " + round, expectedDx, dx);
                assertEquals((float) (0.25 + expectedSum), dClip[0], "dClip, round " + round);
                ArrayAssertions.assertExact("y, round " + round, expectedY, y);
            }
        }
    }

    @Test
    void pactBackwardInPlaceMatchesOutOfPlace() {
        int n = 40_001;
        float clip = 1.25f;
        SplittableRandom rnd = new SplittableRandom(59);
        float[] x = RandomArrays.uniform(rnd, n, -1f, 2f);
        float[] dy = new float[n];
        for (int i = 0; i < n; i++) {
            dy[i] = (rnd.nextInt(2001) - 1000) / 1024f;
        }
        try (CpuThreads threads = new CpuThreads(2)) {
            CpuFakeQuant fq = new CpuFakeQuant(threads);
            float[] dx = new float[n];
            float[] dClip = {0f};
            fq.activationsBackward(dx, dClip, dy, x, clip, n);
            float[] overDy = dy.clone();
            float[] dClipOverDy = {0f};
            fq.activationsBackward(overDy, dClipOverDy, overDy, x, clip, n);
            ArrayAssertions.assertExact("dx written over dy", dx, overDy);
            ArrayAssertions.assertExact("dClip, dx written over dy", dClip, dClipOverDy);
            float[] overX = x.clone();
            float[] dClipOverX = {0f};
            fq.activationsBackward(overX, dClipOverX, dy, overX, clip, n);
            ArrayAssertions.assertExact("dx written over x", dx, overX);
            ArrayAssertions.assertExact("dClip, dx written over x", dClip, dClipOverX);
        }
    }

    @Test
    void emptyChannelsHaveZeroScale() {
        float[] scale = {Float.NaN, Float.NaN};
        try (CpuThreads threads = new CpuThreads(1)) {
            for (int bits = 1; bits <= 8; bits++) {
                new CpuFakeQuant(threads).weightsForward(new float[0], new float[0], scale, new float[0], 2, 0, bits);
                ArrayAssertions.assertExact("scale of empty channels, bits " + bits, new float[]{0f, 0f}, scale);
            }
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        SplittableRandom rnd = new SplittableRandom(37);
        int n = 300_007;
        float[] x = RandomArrays.uniform(rnd, n, -0.5f, 2f);
        float[] dy = RandomArrays.gaussian(rnd, n, 1f);
        float[] w = RandomArrays.gaussian(rnd, 97 * 3001, 1f);
        float[][] dx = new float[2][n];
        float[][] dClip = {{0.1f}, {0.1f}};
        float[][] wq = new float[2][w.length];
        float[][] mask = new float[2][w.length];
        float[][] scale = new float[2][97];
        int[] threadCounts = {1, 3};
        for (int t = 0; t < 2; t++) {
            try (CpuThreads threads = new CpuThreads(threadCounts[t])) {
                CpuFakeQuant fq = new CpuFakeQuant(threads);
                fq.activationsBackward(dx[t], dClip[t], dy, x, 1.5f, n);
                fq.weightsForward(wq[t], mask[t], scale[t], w, 97, 3001, 1);
            }
        }
        ArrayAssertions.assertExact("dx", dx[0], dx[1]);
        ArrayAssertions.assertExact("dClip", dClip[0], dClip[1]);
        ArrayAssertions.assertExact("binary wq", wq[0], wq[1]);
        ArrayAssertions.assertExact("binary scale", scale[0], scale[1]);
    }
}
