package org.mixq.core.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mixq.core.Tensor;
import org.mixq.core.testing.ArrayAssertions;
import org.mixq.core.testing.BackendContract;
import org.mixq.core.testing.GradCheck;
import org.mixq.core.testing.RandomArrays;
import org.mixq.core.testing.Tolerances;

/** Softmax cross-entropy (forward, backward) and the accuracy count against a double-precision reference. */
public abstract class LossContract extends BackendContract {
    /**
     * Probabilities in [0, 1] and their gradients: float32 results of an exp and a division,
     * each within a few ulps of 1 (absolute), as exp is not correctly rounded on every device.
     */
    private static final float PROB_ATOL = 1e-6f;

    /** {rows, classes}: one row, one class, odd sizes, a CIFAR-100-sized row. */
    static Stream<int[]> shapes() {
        return Stream.of(new int[] {4, 10}, new int[] {1, 7}, new int[] {3, 1}, new int[] {5, 3}, new int[] {2, 100});
    }

    private static float[] labels(SplittableRandom rnd, int n, int classes) {
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rnd.nextInt(classes);
        }
        return labels;
    }

    /** Naive softmax in double, no max subtraction: safe here because logits stay below 700. */
    private static double[] softmaxReference(float[] logits, int n, int classes) {
        double[] p = new double[logits.length];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                sum += Math.exp(logits[i * classes + j]);
            }
            for (int j = 0; j < classes; j++) {
                p[i * classes + j] = Math.exp(logits[i * classes + j]) / sum;
            }
        }
        return p;
    }

    private void checkForward(float[] logits, float[] labels, int n, int classes) {
        double[] p = softmaxReference(logits, n, classes);
        float[] expectedProbs = new float[p.length];
        double loss = 0;
        for (int i = 0; i < p.length; i++) {
            expectedProbs[i] = (float) p[i];
        }
        for (int i = 0; i < n; i++) {
            loss -= Math.log(p[i * classes + (int) labels[i]]);
        }
        Tensor lossT = poisoned(1);
        Tensor probs = poisoned(n, classes);
        backend.softmaxCrossEntropyForward(lossT, probs, tensor(logits, n, classes), tensor(labels, n));
        ArrayAssertions.assertClose("probs", expectedProbs, read(probs), PROB_ATOL, Tolerances.ELEMENTWISE_RTOL);
        // The loss is a mean of per-row log-sum-exps, each of a row of classes values.
        ArrayAssertions.assertClose("loss", new float[] {(float) (loss / n)}, read(lossT), Tolerances.reduction(classes),
                Tolerances.ELEMENTWISE_RTOL);
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void forwardMatchesReference(int[] d) {
        SplittableRandom rnd = new SplittableRandom(41);
        checkForward(RandomArrays.uniform(rnd, d[0] * d[1], -4f, 4f), labels(rnd, d[0], d[1]), d[0], d[1]);
    }

    /** Logits near 100: exp overflows float32 unless the row maximum is subtracted first. */
    @Test
    void forwardIsStableForLargeLogits() {
        SplittableRandom rnd = new SplittableRandom(42);
        int n = 3;
        int classes = 5;
        checkForward(RandomArrays.uniform(rnd, n * classes, 95f, 105f), labels(rnd, n, classes), n, classes);
        checkForward(RandomArrays.uniform(rnd, n * classes, -105f, -95f), labels(rnd, n, classes), n, classes);
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void backwardMatchesReference(int[] d) {
        SplittableRandom rnd = new SplittableRandom(43);
        int n = d[0];
        int classes = d[1];
        float[] probs = RandomArrays.uniform(rnd, n * classes, 0f, 1f);
        float[] labels = labels(rnd, n, classes);
        float[] expected = new float[probs.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < classes; j++) {
                double onehot = j == (int) labels[i] ? 1 : 0;
                expected[i * classes + j] = (float) ((probs[i * classes + j] - onehot) / n);
            }
        }
        Tensor dLogits = poisoned(n, classes);
        backend.softmaxCrossEntropyBackward(dLogits, tensor(probs, n, classes), tensor(labels, n));
        ArrayAssertions.assertClose("dLogits", expected, read(dLogits), PROB_ATOL, Tolerances.ELEMENTWISE_RTOL);
    }

    private float lossOf(float[] logits, float[] labels, int n, int classes) {
        Tensor loss = poisoned(1);
        backend.softmaxCrossEntropyForward(loss, poisoned(n, classes), tensor(logits, n, classes), tensor(labels, n));
        return read(loss)[0];
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void backwardMatchesFiniteDifference(int[] d) {
        SplittableRandom rnd = new SplittableRandom(44);
        int n = d[0];
        int classes = d[1];
        float[] logits = RandomArrays.uniform(rnd, n * classes, -2f, 2f);
        float[] labels = labels(rnd, n, classes);
        Tensor probs = poisoned(n, classes);
        backend.softmaxCrossEntropyForward(poisoned(1), probs, tensor(logits, n, classes), tensor(labels, n));
        Tensor dLogits = poisoned(n, classes);
        backend.softmaxCrossEntropyBackward(dLogits, probs, tensor(labels, n));
        GradCheck.check("dLogits", logits, read(dLogits), in -> lossOf(in, labels, n, classes), 1e-2f, 20, rnd);
    }

    /** Row 0: tie between classes 1 and 2, first wins; row 1: clear argmax 0; row 2: clear argmax 2. */
    @Test
    void countCorrectUsesFirstArgmax() {
        Tensor logits = tensor(new float[] {1, 3, 3, 5, -1, 2, 0, 1, 4}, 3, 3);
        assertEquals(3, backend.countCorrect(logits, tensor(new float[] {1, 0, 2}, 3)));
        assertEquals(2, backend.countCorrect(logits, tensor(new float[] {2, 0, 2}, 3)));
        assertEquals(0, backend.countCorrect(logits, tensor(new float[] {0, 1, 1}, 3)));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void countCorrectMatchesReference(int[] d) {
        SplittableRandom rnd = new SplittableRandom(45);
        int n = d[0];
        int classes = d[1];
        float[] logits = RandomArrays.uniform(rnd, n * classes, -1f, 1f);
        float[] labels = new float[n];
        int expected = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < classes; j++) {
                if (logits[i * classes + j] > logits[i * classes + best]) {
                    best = j;
                }
            }
            labels[i] = i % 2 == 0 ? best : (best + 1) % classes;
            if ((int) labels[i] == best) {
                expected++;
            }
        }
        assertEquals(expected, backend.countCorrect(tensor(logits, n, classes), tensor(labels, n)));
    }
}
