package org.mixq.core.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mixq.core.Quantizer;
import org.mixq.core.testing.Arrays2;

/**
 * The CPU weight quantizer with given scales: the max-based scale of the public op never clips,
 * so clipping, its mask and special values are reached here, element by element against
 * {@link Quantizer}. Also: results do not depend on the thread count.
 */
class CpuFakeQuantClippingTest {
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
        Arrays2.assertExact("wq", new float[]{0.5f, 0.5f, -0f, 0.5f, -0.5f, -0.5f}, wq);
        Arrays2.assertExact("mask", new float[]{1f, 0f, 1f, 0f, 0f, 0f}, mask);
    }

    @Test
    void givenScalesMatchQuantizerIncludingClippedAndSpecialValues() {
        int channels = 64;
        int inner = 4099;
        SplittableRandom rnd = new SplittableRandom(31);
        float[] w = Arrays2.gaussian(rnd, channels * inner, 1f);
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
    void emptyChannelsHaveZeroScale() {
        float[] scale = {Float.NaN, Float.NaN};
        try (CpuThreads threads = new CpuThreads(1)) {
            for (int bits = 1; bits <= 8; bits++) {
                new CpuFakeQuant(threads).weightsForward(new float[0], new float[0], scale, new float[0], 2, 0, bits);
                Arrays2.assertExact("scale of empty channels, bits " + bits, new float[]{0f, 0f}, scale);
            }
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        SplittableRandom rnd = new SplittableRandom(37);
        int n = 300_007;
        float[] x = Arrays2.uniform(rnd, n, -0.5f, 2f);
        float[] dy = Arrays2.gaussian(rnd, n, 1f);
        float[] w = Arrays2.gaussian(rnd, 97 * 3001, 1f);
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
        Arrays2.assertExact("dx", dx[0], dx[1]);
        Arrays2.assertExact("dClip", dClip[0], dClip[1]);
        Arrays2.assertExact("binary wq", wq[0], wq[1]);
        Arrays2.assertExact("binary scale", scale[0], scale[1]);
    }
}
