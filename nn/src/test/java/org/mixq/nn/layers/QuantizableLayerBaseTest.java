package org.mixq.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mixq.core.Backend;
import org.mixq.core.Quantizer;
import org.mixq.core.Tensor;
import org.mixq.core.testing.ArrayAssertions;
import org.mixq.core.testing.RandomArrays;
import org.mixq.core.testing.Tolerances;
import org.mixq.nn.Mode;
import org.mixq.nn.NnFixtures;
import org.mixq.nn.quant.ActivationQuantizer;
import org.mixq.nn.quant.QuantizableLayer;

/**
 * A quantized layer computes exactly what the full-precision layer computes on fake-quantized
 * weights (and inputs), bit widths change between steps without rebuilding, and backward is
 * the straight-through estimator.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuantizableLayerBaseTest {
    private static final int C_IN = 3;
    private static final int C_OUT = 5;

    private Backend backend;

    @BeforeAll
    void open() {
        backend = NnFixtures.backend();
    }

    @AfterAll
    void close() {
        backend.close();
    }

    private Conv2d conv(String name, boolean quantizableInput, long seed) {
        return new Conv2d(backend, name, C_IN, C_OUT, 3, 1, 1, false, quantizableInput, new SplittableRandom(seed));
    }

    /** Host reference of per-channel fake quantization, from the Quantizer formulas. */
    private static float[] fakeQuantized(float[] w, int channels, int bits) {
        int inner = w.length / channels;
        float[] out = new float[w.length];
        for (int c = 0; c < channels; c++) {
            float max = 0f;
            double sum = 0;
            for (int i = 0; i < inner; i++) {
                max = Math.max(max, Math.abs(w[c * inner + i]));
                sum += Math.abs(w[c * inner + i]);
            }
            float scale = Quantizer.weightScale(max, (float) (sum / inner), bits);
            for (int i = 0; i < inner; i++) {
                out[c * inner + i] = Quantizer.quantizeWeight(w[c * inner + i], scale, bits);
            }
        }
        return out;
    }

    @Test
    void convForwardEqualsConvOfFakeQuantizedWeights() {
        float[] x = RandomArrays.gaussian(new SplittableRandom(3), 2 * C_IN * 6 * 6, 1f);
        try (Conv2d q = conv("q", false, 1); Conv2d ref = conv("ref", false, 2);
             Tensor input = NnFixtures.tensor(backend, x, 2, C_IN, 6, 6)) {
            float[] w = q.weight().value().toArray();
            for (int bits : new int[] {2, 3, 4, 5, 8}) {
                q.setWeightBits(bits);
                ref.weight().set(fakeQuantized(w, C_OUT, bits));
                ArrayAssertions.assertExact("conv at " + bits + " bits", ref.forward(input, Mode.EVAL).toArray(),
                        q.forward(input, Mode.EVAL).toArray());
            }
            // binary weights scale by mean|w|, a sum whose order the backend chooses: a few ulps
            q.setWeightBits(1);
            ref.weight().set(fakeQuantized(w, C_OUT, 1));
            ArrayAssertions.assertClose("conv at 1 bit", ref.forward(input, Mode.EVAL).toArray(), q.forward(input, Mode.EVAL).toArray(),
                    Tolerances.reduction(C_IN * 9), Tolerances.ELEMENTWISE_RTOL * 8);
            ArrayAssertions.assertExact("weights untouched by quantization", w, q.weight().value().toArray());
        }
    }

    @Test
    void linearForwardEqualsLinearOfFakeQuantizedWeights() {
        float[] x = RandomArrays.gaussian(new SplittableRandom(4), 3 * 12, 1f);
        try (Linear q = new Linear(backend, "q", 12, 7, true, new SplittableRandom(1));
             Linear ref = new Linear(backend, "ref", 12, 7, true, new SplittableRandom(1));
             Tensor input = NnFixtures.tensor(backend, x, 3, 12)) {
            float[] w = q.weight().value().toArray();
            q.setWeightBits(3);
            ref.weight().set(fakeQuantized(w, 7, 3));
            ArrayAssertions.assertExact("linear at 3 bits", ref.forward(input, Mode.EVAL).toArray(), q.forward(input, Mode.EVAL).toArray());
        }
    }

    @Test
    void inputQuantizationEqualsConvOfQuantizedInput() {
        // values up to 8 so that some exceed the initial clip of 6 and are clipped
        float[] x = RandomArrays.uniform(new SplittableRandom(5), 2 * C_IN * 5 * 5, 0f, 8f);
        float[] xq = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            xq[i] = Quantizer.quantizeActivation(x[i], ActivationQuantizer.INITIAL_CLIP, 4);
        }
        try (Conv2d q = conv("q", true, 1); Conv2d ref = conv("ref", true, 1);
             Tensor input = NnFixtures.tensor(backend, x, 2, C_IN, 5, 5);
             Tensor inputQ = NnFixtures.tensor(backend, xq, 2, C_IN, 5, 5)) {
            q.setActivationBits(4);
            ArrayAssertions.assertExact("conv of 4-bit input", ref.forward(inputQ, Mode.EVAL).toArray(), q.forward(input, Mode.EVAL).toArray());
        }
    }

    @Test
    void bitChangesTakeEffectWithoutRebuilding() {
        float[] x = RandomArrays.gaussian(new SplittableRandom(6), C_IN * 4 * 4, 1f);
        try (Conv2d q = conv("q", false, 1); Tensor input = NnFixtures.tensor(backend, x, 1, C_IN, 4, 4)) {
            float[] full = q.forward(input, Mode.EVAL).toArray();
            q.setWeightBits(2);
            float[] two = q.forward(input, Mode.EVAL).toArray();
            q.setWeightBits(8);
            float[] eight = q.forward(input, Mode.EVAL).toArray();
            assertFalse(Arrays.equals(full, two), "2-bit output differs from full precision");
            assertFalse(Arrays.equals(two, eight), "8-bit output differs from 2-bit");
            assertTrue(maxDiff(full, eight) < maxDiff(full, two), "8 bits is closer to full precision than 2 bits");
            q.setWeightBits(Quantizer.FULL_PRECISION);
            ArrayAssertions.assertExact("back to full precision", full, q.forward(input, Mode.EVAL).toArray());
        }
    }

    @Test
    void backwardIsStraightThroughOnQuantizedWeights() {
        SplittableRandom rnd = new SplittableRandom(7);
        float[] x = RandomArrays.gaussian(rnd, 2 * C_IN * 5 * 5, 1f);
        float[] dy = RandomArrays.gaussian(rnd, 2 * C_OUT * 5 * 5, 1f);
        try (Conv2d q = conv("q", false, 1); Conv2d ref = conv("ref", false, 2);
             Tensor input = NnFixtures.tensor(backend, x, 2, C_IN, 5, 5);
             Tensor grad = NnFixtures.tensor(backend, dy, 2, C_OUT, 5, 5)) {
            q.setWeightBits(4);
            ref.weight().set(fakeQuantized(q.weight().value().toArray(), C_OUT, 4));
            q.forward(input, Mode.TRAIN);
            ref.forward(input, Mode.TRAIN);
            q.weight().zeroGrad();
            ref.weight().zeroGrad();
            float[] dxQ = q.backward(grad).toArray();
            float[] dxRef = ref.backward(grad).toArray();
            ArrayAssertions.assertExact("dx uses the quantized weights", dxRef, dxQ);
            // max-based scales clip nothing, so the mask is all ones and dW = dL/dW_q
            ArrayAssertions.assertExact("dW is the straight-through gradient", ref.weight().grad().toArray(), q.weight().grad().toArray());
        }
    }

    @Test
    void firstLayerRejectsActivationBits() {
        try (Conv2d first = conv("conv1", false, 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> first.setActivationBits(4));
            assertTrue(e.getMessage().contains("conv1"), e.getMessage());
            first.setActivationBits(Quantizer.FULL_PRECISION);
            assertEquals(Quantizer.FULL_PRECISION, first.activationBits());
        }
    }

    @Test
    void badBitWidthsAreRejected() {
        try (Conv2d c = conv("convX", true, 1)) {
            QuantizableLayer q = c;
            for (int bad : new int[] {0, 9, 16, -1}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.setWeightBits(bad));
                assertTrue(e.getMessage().contains("convX") && e.getMessage().contains("weight bits"), e.getMessage());
            }
            assertThrows(IllegalArgumentException.class, () -> q.setActivationBits(1));
            assertEquals(Quantizer.FULL_PRECISION, q.weightBits());
        }
    }

    private static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
