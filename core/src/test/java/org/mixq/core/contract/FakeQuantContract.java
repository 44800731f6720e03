package org.mixq.core.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mixq.core.Tensor;
import org.mixq.core.testing.ArrayAssertions;
import org.mixq.core.testing.BackendContract;
import org.mixq.core.testing.RandomArrays;
import org.mixq.core.testing.Tolerances;

/**
 * Fake quantization of weights (symmetric, per output channel, straight-through backward) and
 * activations (unsigned, per tensor, PACT backward), through the {@code Backend} interface only,
 * against reference loops written here in the style of PyTorch's
 * {@code _fake_quantize_per_channel_affine_reference}. Every backend must match them bit for bit:
 * the quotient is a float32 division and rounding is half-to-even everywhere.
 */
public abstract class FakeQuantContract extends BackendContract {
    /** Shapes with one channel, inner sizes that are no multiple of a vector, conv filters, and sizes split over threads. */
    private static final int[][] SHAPES = {{1, 1}, {1, 37}, {3, 17}, {8, 3, 3, 3}, {16, 1000}, {70, 1024}};

    private final List<Tensor> open = new ArrayList<>();

    @AfterEach
    void closeTensors() {
        open.forEach(Tensor::close);
        open.clear();
    }

    private Tensor in(float[] data, int... dims) {
        Tensor t = tensor(data, dims);
        open.add(t);
        return t;
    }

    private Tensor out(int... dims) {
        Tensor t = poisoned(dims);
        open.add(t);
        return t;
    }

    /** The three outputs of the weight forward op. */
    record Quantized(float[] wq, float[] mask, float[] scale) {
    }

    private Quantized forward(float[] w, int bits, int... dims) {
        Tensor wq = out(dims);
        Tensor mask = out(dims);
        Tensor scale = out(dims[0]);
        backend.fakeQuantWeightsForward(wq, mask, scale, in(w, dims), bits);
        return new Quantized(read(wq), read(mask), read(scale));
    }

    private static int size(int... dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    // ---- references ------------------------------------------------------------------------------

    /**
     * Per-channel weight fake quantization, loop by loop. The binary mean is summed in double in
     * index order; a backend may sum in another order (a tree on the GPU), which in double moves
     * the float mean only in rare last-bit cases, none of them in these seeded inputs.
     */
    static Quantized referenceWeights(float[] w, int channels, int bits) {
        int inner = w.length / channels;
        float[] wq = new float[w.length];
        float[] mask = new float[w.length];
        float[] scale = new float[channels];
        float qmax = (1 << (bits - 1)) - 1;
        for (int c = 0; c < channels; c++) {
            float maxAbs = 0f;
            double sumAbs = 0;
            for (int j = 0; j < inner; j++) {
                float a = Math.abs(w[c * inner + j]);
                maxAbs = a > maxAbs ? a : maxAbs;
                sumAbs += a;
            }
            float s = bits == 1 ? (float) (sumAbs / inner) : maxAbs / qmax;
            scale[c] = s;
            for (int j = 0; j < inner; j++) {
                int i = c * inner + j;
                if (bits == 1) {
                    wq[i] = w[i] >= 0f ? s : -s;
                    mask[i] = 1f;
                } else {
                    float q = (float) Math.rint(w[i] / (s == 0f ? 1f : s));
                    mask[i] = q >= -qmax && q <= qmax ? 1f : 0f;
                    wq[i] = (q < -qmax ? -qmax : q > qmax ? qmax : q) * s;
                }
            }
        }
        return new Quantized(wq, mask, scale);
    }

    static float[] referenceActivations(float[] x, float clip, int bits) {
        float s = clip / ((1 << bits) - 1);
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) Math.rint(Math.max(0f, Math.min(clip, x[i])) / s) * s;
        }
        return y;
    }

    private static void assertMatches(String what, Quantized expected, Quantized actual) {
        ArrayAssertions.assertExact(what + " scale", expected.scale(), actual.scale());
        ArrayAssertions.assertExact(what + " wq", expected.wq(), actual.wq());
        ArrayAssertions.assertExact(what + " mask", expected.mask(), actual.mask());
    }

    // ---- weights, forward ------------------------------------------------------------------------

    @Test
    void weightsMatchReferenceForEveryBitWidthAndShape() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int[] dims : SHAPES) {
            float[] w = RandomArrays.gaussian(rnd, size(dims), 0.1f);
            for (int bits = 1; bits <= 8; bits++) {
                Quantized actual = forward(w, bits, dims);
                assertMatches(Arrays.toString(dims) + " bits " + bits, referenceWeights(w, dims[0], bits), actual);
                for (float m : actual.mask()) {
                    assertTrue(m == 1f, "a normal max-based scale never clips, mask " + m);
                }
            }
        }
    }

    @Test
    void tiesRoundHalfToEven() {
        // 4 bits, max 1.75: scale 0.25 exactly, so w / s lands exactly on k + 0.5
        float[] w = {1.75f, 0.125f, 0.375f, 0.625f, 0.875f, 1.125f, 1.375f, 1.625f, -0.125f, -0.375f, -0.625f, -1.625f};
        float[] wq = {1.75f, 0f, 0.5f, 0.5f, 1f, 1f, 1.5f, 1.5f, -0f, -0.5f, -0.5f, -1.5f};
        Quantized q4 = forward(w, 4, 1, w.length);
        assertEquals(0.25f, q4.scale()[0]);
        ArrayAssertions.assertExact("4-bit ties", wq, q4.wq());
        // 8 bits, max 127/16: scale 1/16, ties at 0.5, 2.5, 125.5 and -3.5 steps
        float[] w8 = {127f / 16, 0.5f / 16, 2.5f / 16, 125.5f / 16, -3.5f / 16};
        float[] wq8 = {127f / 16, 0f, 2f / 16, 126f / 16, -4f / 16};
        Quantized q8 = forward(w8, 8, 1, w8.length);
        assertEquals(1f / 16, q8.scale()[0]);
        ArrayAssertions.assertExact("8-bit ties", wq8, q8.wq());
    }

    @Test
    void quotientIsATrueDivisionNotAReciprocalMultiply() {
        // a channel maximum m and weights next to its ties where w / s and w * (1 / s) round to
        // different levels: a reciprocal multiply (or a fast-math division) gets them wrong
        SplittableRandom rnd = new SplittableRandom(41);
        float qmax = 7f;
        List<Float> channel = new ArrayList<>();
        while (channel.size() < 2) {
            float m = (float) (0.5 + rnd.nextDouble());
            float s = m / qmax;
            channel.clear();
            channel.add(m);
            for (int k = -7; k < 7; k++) {
                float tie = (k + 0.5f) * s;
                for (float w : new float[]{Math.nextDown(tie), tie, Math.nextUp(tie)}) {
                    if (Math.abs(w) <= m && Math.rint(w / s) != Math.rint(w * (1f / s))) {
                        channel.add(w);
                    }
                }
            }
        }
        float[] w = new float[channel.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = channel.get(i);
        }
        assertMatches("weights next to ties", referenceWeights(w, 1, 4), forward(w, 4, 1, w.length));
    }

    @Test
    void binaryWeightsTakeTheSignTimesTheMeanMagnitude() {
        float[] w = {0.5f, -1.5f, 0f, -0f, 2f};
        Quantized q = forward(w, 1, 1, 5);
        assertEquals(0.8f, q.scale()[0]);
        ArrayAssertions.assertExact("binary wq (both zeros take +scale)", new float[]{0.8f, -0.8f, 0.8f, 0.8f, 0.8f}, q.wq());
        ArrayAssertions.assertExact("binary mask", new float[]{1f, 1f, 1f, 1f, 1f}, q.mask());
    }

    @Test
    void constantChannelsQuantizeToTheirValue() {
        float[] values = {0.3f, -2.5f, 1e-3f};
        int inner = 50;
        float[] w = new float[values.length * inner];
        for (int i = 0; i < w.length; i++) {
            w[i] = values[i / inner];
        }
        for (int bits = 1; bits <= 8; bits++) {
            Quantized q = forward(w, bits, values.length, inner);
            assertMatches("constant channels, bits " + bits, referenceWeights(w, values.length, bits), q);
            // qmax * (v / qmax) is v up to the rounding of the two operations
            ArrayAssertions.assertClose("constant channels, bits " + bits, w, q.wq(), 0f, Tolerances.ELEMENTWISE_RTOL);
        }
    }

    @Test
    void zeroChannelsQuantizeToZerosNeverNaN() {
        float[] w = RandomArrays.gaussian(new SplittableRandom(5), 3 * 40, 1f);
        for (int j = 0; j < 40; j++) {
            w[40 + j] = j % 2 == 0 ? 0f : -0f;
        }
        for (int bits = 1; bits <= 8; bits++) {
            Quantized q = forward(w, bits, 3, 40);
            assertMatches("zero channel, bits " + bits, referenceWeights(w, 3, bits), q);
            assertEquals(0f, q.scale()[1]);
            for (int j = 0; j < 40; j++) {
                assertEquals(0f, Math.abs(q.wq()[40 + j]), "zero channel, bits " + bits + ", element " + j);
                assertEquals(1f, q.mask()[40 + j]);
            }
        }
    }

    @Test
    void maskPassesAtTheChannelMaximumWhenTheQuotientExceedsQmaxByOneUlp() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int bits = 4; bits <= 8; bits++) {
            float qmax = (1 << (bits - 1)) - 1;
            float m = 0f;
            for (int t = 0; t < 100_000 && m == 0f; t++) {
                float candidate = (float) (0.5 + rnd.nextDouble());
                if (candidate / (candidate / qmax) > qmax) {
                    m = candidate;
                }
            }
            if (m == 0f) {
                fail("no maximum whose quotient exceeds " + qmax + " found: the test would prove nothing");
            }
            float[] w = {-m, 0.5f * m, m, -0.25f * m};
            Quantized q = forward(w, bits, 1, 4);
            assertMatches("one-ulp maximum, bits " + bits, referenceWeights(w, 1, bits), q);
            float s = q.scale()[0];
            ArrayAssertions.assertExact("mask at the maximum, bits " + bits, new float[]{1f, 1f, 1f, 1f}, q.mask());
            assertEquals(-qmax * s, q.wq()[0]);
            assertEquals(qmax * s, q.wq()[2]);
        }
    }

    @Test
    void aSubnormalScaleClipsAtTheChannelMaximum() {
        // 8 bits, max 190 * 2^-149: subnormals are spaced 2^-149 apart, so the scale 190/127 *
        // 2^-149 rounds to 2^-149 and the maximum divides to 190 > 127: clipped, mask 0
        float tiny = Float.MIN_VALUE;
        float[] w = {190 * tiny, -190 * tiny, 100 * tiny, -0f};
        Quantized q = forward(w, 8, 1, 4);
        assertMatches("subnormal scale", referenceWeights(w, 1, 8), q);
        assertEquals(tiny, q.scale()[0]);
        ArrayAssertions.assertExact("subnormal scale wq", new float[]{127 * tiny, -127 * tiny, 100 * tiny, -0f}, q.wq());
        ArrayAssertions.assertExact("subnormal scale mask", new float[]{0f, 0f, 1f, 1f}, q.mask());
    }

    @Test
    void weightBitsOutsideOneToEightAreRejected() {
        for (int bits : new int[]{0, 9}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> backend.fakeQuantWeightsForward(out(2, 3), out(2, 3), out(2), in(new float[6], 2, 3), bits));
            assertTrue(e.getMessage().contains("bits"), e.getMessage());
        }
    }

    // ---- weights, backward -----------------------------------------------------------------------

    @Test
    void straightThroughBackwardAccumulatesMaskedGradient() {
        SplittableRandom rnd = new SplittableRandom(17);
        for (int[] dims : SHAPES) {
            int n = size(dims);
            float[] dw0 = RandomArrays.gaussian(rnd, n, 1f);
            float[] dwq = RandomArrays.gaussian(rnd, n, 1f);
            float[] mask = new float[n];
            for (int i = 0; i < n; i++) {
                mask[i] = rnd.nextBoolean() ? 1f : 0f;
            }
            Tensor dw = in(dw0, dims);
            Tensor dwqT = in(dwq, dims);
            Tensor maskT = in(mask, dims);
            backend.fakeQuantWeightsBackward(dw, dwqT, maskT);
            backend.fakeQuantWeightsBackward(dw, dwqT, maskT);
            float[] expected = new float[n];
            for (int i = 0; i < n; i++) {
                float once = dw0[i] + dwq[i] * mask[i];
                expected[i] = once + dwq[i] * mask[i];
            }
            ArrayAssertions.assertExact("dw after two backward calls " + Arrays.toString(dims), expected, read(dw));
        }
    }

    // ---- activations -----------------------------------------------------------------------------

    private float[] activations(float[] x, float clip, int bits) {
        Tensor y = out(x.length);
        backend.fakeQuantActivationsForward(y, in(x, x.length), in(new float[]{clip}, 1), bits);
        return read(y);
    }

    @Test
    void activationsClampToTheClipAndRoundHalfToEven() {
        // 2 bits, clip 1.5: step 0.5; 0.25, 0.75 and 1.25 are ties (0.5, 1.5, 2.5 steps)
        float[] x = {-1f, -0f, 2f, 1.5f, 0.25f, 0.75f, 1.25f, 0.6f};
        float[] expected = {0f, 0f, 1.5f, 1.5f, 0f, 1f, 1f, 0.5f};
        // -0 and 0 compare equal here: IEEE max/min leave the sign of a zero result open
        ArrayAssertions.assertClose("2-bit activations", expected, activations(x, 1.5f, 2), Tolerances.EXACT, Tolerances.EXACT);
    }

    @Test
    void activationsMatchReferenceForEveryBitWidth() {
        SplittableRandom rnd = new SplittableRandom(23);
        float clip = 2.5f;
        for (int n : new int[]{1, 37, 1000, 100_003}) {
            float[] x = RandomArrays.uniform(rnd, n, -0.5f, 1.25f * clip);
            for (int bits = 2; bits <= 8; bits++) {
                ArrayAssertions.assertExact("activations n=" + n + " bits " + bits, referenceActivations(x, clip, bits),
                        activations(x, clip, bits));
            }
        }
    }

    private float[][] pact(float[] dy, float[] x, float clip, float dClip0) {
        Tensor dx = out(x.length);
        Tensor dClip = in(new float[]{dClip0}, 1);
        backend.fakeQuantActivationsBackward(dx, dClip, in(dy, x.length), in(x, x.length), in(new float[]{clip}, 1));
        return new float[][]{read(dx), read(dClip)};
    }

    @Test
    void pactGradientsOfAHandComputedCase() {
        float[] x = {-1f, 0f, 0.5f, 1.5f, 2f, 1.4f};
        float[] dy = {1f, 2f, 3f, 4f, 5f, -6f};
        float[][] g = pact(dy, x, 1.5f, 0.25f);
        // dx passes only strictly inside (0, clip); dClip gathers dy where x >= clip: 0.25 + 4 + 5
        ArrayAssertions.assertClose("dx", new float[]{0f, 0f, 3f, 0f, 0f, -6f}, g[0], Tolerances.EXACT, Tolerances.EXACT);
        assertEquals(9.25f, g[1][0]);
    }

    @Test
    void pactGradientsMatchReference() {
        SplittableRandom rnd = new SplittableRandom(29);
        float clip = 1.75f;
        for (int n : new int[]{1, 1000, 100_003}) {
            float[] x = RandomArrays.uniform(rnd, n, -0.5f, 2 * clip);
            x[0] = clip;
            float[] dy = new float[n];
            for (int i = 0; i < n; i++) {
                // multiples of 2^-10 below 1: their sum is exact in double, in any order
                dy[i] = (rnd.nextInt(2001) - 1000) / 1024f;
            }
            float[] dx = new float[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                dx[i] = dy[i] * (x[i] > 0f && x[i] < clip ? 1f : 0f);
                sum += x[i] >= clip ? dy[i] : 0;
            }
            float[][] g = pact(dy, x, clip, 0.5f);
            // the sign of a zero gradient carries nothing: -0 and 0 compare equal
            ArrayAssertions.assertClose("dx n=" + n, dx, g[0], Tolerances.EXACT, Tolerances.EXACT);
            assertEquals((float) (0.5 + sum), g[1][0], "dClip n=" + n);
        }
    }

    @Test
    void activationBitsOutsideTwoToEightAreRejected() {
        for (int bits : new int[]{0, 1, 9}) {
            IllegalArgumentException forward = assertThrows(IllegalArgumentException.class,
                    () -> backend.fakeQuantActivationsForward(out(4), in(new float[4], 4), in(new float[]{1f}, 1), bits));
            assertTrue(forward.getMessage().contains("bits"), forward.getMessage());
        }
    }
}
