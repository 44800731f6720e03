package org.mixq.core.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.mixq.core.Backend;
import org.mixq.core.ConvSpec;
import org.mixq.core.Shape;
import org.mixq.core.Tensor;
import org.mixq.core.testing.BackendContract;

/**
 * Every bad argument is refused with an {@link IllegalArgumentException} whose message names
 * it, before any kernel runs (so these checks hold whatever the op's implementation does). A bad
 * value inside a tensor (a label, the clip) is refused where the backend reads it for free, and
 * otherwise turns into NaN, as the {@link Backend} contract says.
 */
public abstract class BadArgumentsContract extends BackendContract {

    /** Whether the backend refuses bad labels and clips (true) or computes NaN from them (false). */
    protected boolean refusesBadTensorValues() {
        return true;
    }

    private static void rejects(String expectedInMessage, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expectedInMessage),
                "message should name '" + expectedInMessage + "': " + e.getMessage());
    }

    @Test
    void mismatchedShapesNameTheArgument() {
        Tensor a = backend.alloc(2, 3);
        rejects("b must have 6 elements", () -> backend.add(backend.alloc(2, 3), a, backend.alloc(3, 3)));
        rejects("dy must have 6 elements", () -> backend.reluBackward(backend.alloc(2, 3), backend.alloc(5), a));
        rejects("bias must have 3 elements", () -> backend.biasAdd(a, backend.alloc(2)));
        rejects("inner dimensions differ", () -> backend.gemm(backend.alloc(2, 2), a, backend.alloc(2, 2), false, false, 1f, 0f));
        rejects("w has 2 input channels but x has 3", () -> backend.conv2dForward(backend.alloc(1, 4, 3, 3),
                backend.alloc(1, 3, 5, 5), backend.alloc(4, 2, 3, 3), null, ConvSpec.of(1, 0)));
        rejects("y must have shape [1, 2, 2, 2]", () -> backend.maxPool2dForward(backend.alloc(1, 2, 3, 3),
                backend.alloc(1, 2, 4, 4), 2, 2));
        rejects("window 5 larger than input", () -> backend.maxPool2dForward(backend.alloc(1, 1, 1, 1),
                backend.alloc(1, 1, 4, 4), 5, 1));
        rejects("probs has shape [2, 4]", () -> backend.softmaxCrossEntropyForward(backend.alloc(1), backend.alloc(2, 4),
                a, backend.alloc(2)));
        rejects("labels must have 2 elements", () -> backend.countCorrect(a, backend.alloc(3)));
    }

    @Test
    void batchNormArgumentsAreChecked() {
        Tensor x = backend.alloc(2, 3, 2, 2);
        Tensor c3 = backend.alloc(3);
        rejects("gamma must have 3 elements", () -> backend.batchNormForwardTraining(backend.alloc(2, 3, 2, 2),
                c3, c3, c3, c3, x, backend.alloc(4), c3, 0.1f, 1e-5f));
        rejects("momentum must be in [0, 1]", () -> backend.batchNormForwardTraining(backend.alloc(2, 3, 2, 2),
                c3, c3, c3, c3, x, c3, c3, 1.5f, 1e-5f));
        rejects("eps must be a positive", () -> backend.batchNormForwardInference(backend.alloc(2, 3, 2, 2),
                x, c3, c3, c3, c3, 0f));
        rejects("more than one value per channel", () -> backend.batchNormForwardTraining(backend.alloc(1, 3),
                c3, c3, c3, c3, backend.alloc(1, 3), c3, c3, 0.1f, 1e-5f));
        rejects("dy has shape [2, 3]", () -> backend.batchNormBackward(backend.alloc(2, 3, 2, 2), c3, c3,
                backend.alloc(2, 3), x, c3, c3, c3));
    }

    @Test
    void weightBitsOutside1To8AreRefused() {
        Tensor w = backend.alloc(2, 3);
        for (int bits : new int[] {0, 9}) {
            rejects("bits must be in 1..8, got " + bits, () -> backend.fakeQuantWeightsForward(backend.alloc(2, 3),
                    backend.alloc(2, 3), backend.alloc(2), w, bits));
        }
    }

    @Test
    void activationBitsOutside2To8AreRefused() {
        Tensor x = backend.alloc(4);
        Tensor clip = tensor(new float[] {1f}, 1);
        for (int bits : new int[] {1, 9}) {
            rejects("bits must be in 2..8, got " + bits,
                    () -> backend.fakeQuantActivationsForward(backend.alloc(4), x, clip, bits));
        }
    }

    @Test
    void negativeSizesAreRefused() {
        rejects("dimension 1 is negative", () -> Shape.of(2, -1));
        rejects("dimension 0 is negative", () -> backend.alloc(-3));
        rejects("window must be >= 1", () -> backend.maxPool2dForward(backend.alloc(1, 1, 2, 2), backend.alloc(1, 1, 2, 2), 0, 1));
        rejects("stride must be >= 1", () -> backend.maxPool2dForward(backend.alloc(1, 1, 2, 2), backend.alloc(1, 1, 2, 2), 1, -1));
        rejects("lr must be a finite number >= 0", () -> backend.sgdUpdate(backend.alloc(2), backend.alloc(2),
                backend.alloc(2), -0.1f, 0.9f, 0f));
    }

    @Test
    void nullTensorsAreNamed() {
        Tensor t = backend.alloc(2, 3);
        rejects("y is null", () -> backend.add(null, t, t));
        rejects("b is null", () -> backend.add(t, t, null));
        rejects("bias is null", () -> backend.biasAdd(t, null));
        rejects("dBias is null", () -> backend.biasBackward(null, t));
        rejects("x is null", () -> backend.reluForward(t, null));
        rejects("labels is null", () -> backend.countCorrect(t, null));
        rejects("shape is null", () -> backend.alloc((Shape) null));
    }

    @Test
    void tensorsOfAnotherBackendAreRefused() {
        try (Backend other = createBackend()) {
            Tensor mine = backend.alloc(2, 3);
            Tensor foreign = other.alloc(2, 3);
            rejects("b belongs to another " + backend.name() + " backend instance", () -> backend.add(mine, mine, foreign));
            rejects("x belongs to another " + backend.name() + " backend instance", () -> backend.reluForward(mine, foreign));
            rejects("src belongs to another " + backend.name() + " backend instance", () -> backend.copy(mine, foreign));
            rejects("dst belongs to another " + backend.name() + " backend instance", () -> backend.fill(foreign, 0f));
        }
    }

    @Test
    void labelsThatAreNotClassIndicesAreRefusedOrGiveNaN() {
        Tensor logits = backend.alloc(3, 4);
        for (float[] labels : new float[][] {{0, 4, 1}, {0, -1, 1}, {0, 1.5f, 1}, {0, Float.NaN, 1}}) {
            Tensor l = tensor(labels, 3);
            Tensor loss = backend.alloc(1);
            Tensor dLogits = backend.alloc(3, 4);
            if (refusesBadTensorValues()) {
                rejects("labels[1] = " + labels[1], () -> backend.softmaxCrossEntropyForward(loss,
                        backend.alloc(3, 4), logits, l));
                rejects("labels[1] = " + labels[1], () -> backend.softmaxCrossEntropyBackward(dLogits, logits, l));
                rejects("labels[1] = " + labels[1], () -> backend.countCorrect(logits, l));
                continue;
            }
            backend.softmaxCrossEntropyForward(loss, backend.alloc(3, 4), logits, l);
            assertTrue(Float.isNaN(read(loss)[0]), "loss with labels[1] = " + labels[1]);
            backend.softmaxCrossEntropyBackward(dLogits, logits, l);
            float[] d = read(dLogits);
            for (int i = 0; i < d.length; i++) {
                assertEquals(i / 4 == 1, Float.isNaN(d[i]), "dLogits[" + i + "] = " + d[i] + " with labels[1] = " + labels[1]);
            }
            // all-zero logits: every row's argmax is class 0, which only row 0's label names
            assertEquals(1, backend.countCorrect(logits, l), "correct rows with labels[1] = " + labels[1]);
        }
    }

    @Test
    void clipsThatAreNotPositiveAreRefusedOrGiveNaN() {
        Tensor x = tensor(new float[] {-1f, 0.5f, 2f, 7f, 0f}, 5);
        for (float c : new float[] {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY}) {
            Tensor clip = tensor(new float[] {c}, 1);
            Tensor y = backend.alloc(5);
            Tensor dx = backend.alloc(5);
            Tensor dClip = backend.alloc(1);
            Tensor dy = tensor(new float[] {1f, 2f, 3f, 4f, 5f}, 5);
            if (refusesBadTensorValues()) {
                rejects("clip[0] must be a positive finite number, got " + c,
                        () -> backend.fakeQuantActivationsForward(y, x, clip, 4));
                rejects("clip[0] must be a positive finite number, got " + c,
                        () -> backend.fakeQuantActivationsBackward(dx, dClip, dy, x, clip));
                continue;
            }
            backend.fakeQuantActivationsForward(y, x, clip, 4);
            backend.fakeQuantActivationsBackward(dx, dClip, dy, x, clip);
            for (float[] out : new float[][] {read(y), read(dx), read(dClip)}) {
                for (float v : out) {
                    assertTrue(Float.isNaN(v), "clip " + c + " gave " + v + " in " + Arrays.toString(out));
                }
            }
        }
    }
}
