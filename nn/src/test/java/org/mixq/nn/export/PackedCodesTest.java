package org.mixq.nn.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mixq.core.Backend;
import org.mixq.core.Quantizer;
import org.mixq.core.Tensor;
import org.mixq.core.cpu.CpuBackend;
import org.mixq.core.testing.ArrayAssertions;
import org.mixq.core.testing.RandomArrays;

class PackedCodesTest {
    private static final int CHANNELS = 600;
    private static final int INNER = 9;
    private static Backend backend;

    @BeforeAll
    static void open() {
        backend = new CpuBackend(1);
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    /** The fake quantizer's output: weights and scales. */
    private record Quantized(float[] wq, float[] scale) {
    }

    private static Quantized fakeQuantize(float[] w, int bits) {
        try (Tensor wt = backend.alloc(CHANNELS, INNER); Tensor wq = backend.alloc(CHANNELS, INNER);
             Tensor mask = backend.alloc(CHANNELS, INNER); Tensor scale = backend.alloc(CHANNELS)) {
            backend.copyIn(wt, w);
            backend.fakeQuantWeightsForward(wq, mask, scale, wt, bits);
            return new Quantized(wq.toArray(), scale.toArray());
        }
    }

    /**
     * Gaussian weights; channel 0 all zero (zero scale), channel 1 with exact ties of w / s at
     * every width (max |w| = qmax makes s = 1), channel 2 so small that its scale is subnormal.
     */
    private static float[] weights(long seed, int bits) {
        float[] w = RandomArrays.gaussian(new SplittableRandom(seed), CHANNELS * INNER, 0.1f);
        int qmax = bits == 1 ? 1 : Quantizer.weightQmax(bits);
        for (int i = 0; i < INNER; i++) {
            w[i] = 0f;
            w[INNER + i] = (i % 2 == 0 ? 1 : -1) * (i % qmax + 0.5f);
            w[2 * INNER + i] *= 1e-38f;
        }
        w[INNER + INNER - 1] = qmax;
        return w;
    }

    /** Bit-identical floats, except that 0 and -0 are equal: the codes do not keep the sign of a zero. */
    private static void assertSameUpToZeroSign(String what, float[] expected, float[] actual) {
        float[] e = expected.clone();
        float[] a = actual.clone();
        for (int i = 0; i < e.length; i++) {
            e[i] += 0f;
            a[i] += 0f;
        }
        ArrayAssertions.assertExact(what, e, a);
    }

    @Test
    void codesAreExactAndDecodeToTheFakeQuantizedWeights() {
        for (int bits = 1; bits <= 8; bits++) {
            Quantized q = fakeQuantize(weights(bits, bits), bits);
            int[] codes = PackedCodes.encode(q.wq(), q.scale(), bits);
            int largest = bits == 1 ? 1 : 2 * Quantizer.weightQmax(bits);
            for (int c : codes) {
                assertTrue(c >= 0 && c <= largest, bits + " bits: code " + c);
            }
            assertSameUpToZeroSign(bits + " bits: q * s", q.wq(), PackedCodes.decode(codes, q.scale(), bits));
            // the codes go through the packing unchanged
            assertEquals(Arrays.toString(codes),
                    Arrays.toString(PackedBits.unpack(PackedBits.pack(codes, bits), 0, codes.length, bits)));
        }
    }

    @Test
    void decodedWeightsAreAFixedPointOfFakeQuantization() {
        for (int bits = 1; bits <= 8; bits++) {
            Quantized q = fakeQuantize(weights(100 + bits, bits), bits);
            int[] codes = PackedCodes.encode(q.wq(), q.scale(), bits);
            Quantized again = fakeQuantize(PackedCodes.decode(codes, q.scale(), bits), bits);
            ArrayAssertions.assertExact(bits + " bits: scales", q.scale(), again.scale());
            assertSameUpToZeroSign(bits + " bits: weights", q.wq(), again.wq());
        }
    }

    /**
     * The fixed point over maxima in every binade, subnormal ones included: a scale
     * {@code s = fl(M / qmax)} comes back from {@code fl(qmax * s)}, the largest decoded weight,
     * which rounds back to qmax.
     */
    @Test
    void everyMaxBasedScaleComesBackFromTheLargestDecodedWeight() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int bits = 2; bits <= 8; bits++) {
            int qmax = Quantizer.weightQmax(bits);
            for (int i = 0; i < 200_000; i++) {
                float max = Float.intBitsToFloat(rnd.nextInt(1, 0x7f000000));
                float s = max / qmax;
                float largest = qmax * s;
                if (s != 0f && (largest / qmax != s || Math.rint(largest / s) != qmax)) {
                    fail(bits + " bits: max " + max + ", scale " + s + ", largest decoded weight " + largest);
                }
            }
        }
    }

    /** The property above needs s to be such a quotient: for floats in general it fails. */
    @Test
    void anArbitraryFloatIsNotAlwaysAFixedPoint() {
        SplittableRandom rnd = new SplittableRandom(6);
        int moved = 0;
        for (int i = 0; i < 1000; i++) {
            float s = Float.intBitsToFloat(rnd.nextInt(0x3f800000, 0x40000000));
            moved += (3 * s) / 3 != s ? 1 : 0;
        }
        assertTrue(moved > 0, "every float in [1, 2) came back from 3 s");
    }

    @Test
    void weightsThatAreNotMultiplesOfTheScaleAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PackedCodes.encode(new float[] {0.5f, 0.25f}, new float[] {0.3f}, 4));
        assertTrue(e.getMessage().contains("wq[0] = 0.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PackedCodes.encode(new float[] {0.3f, 0.2f}, new float[] {0.3f}, 1));
        assertThrows(IllegalArgumentException.class, () -> PackedCodes.decode(new int[] {15}, new float[] {1f}, 4));
        assertThrows(IllegalArgumentException.class, () -> PackedCodes.encode(new float[3], new float[2], 4));
    }
}
