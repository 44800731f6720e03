package org.mixq.core.cpu;

import org.mixq.core.OpChecks;

/**
 * Softmax cross-entropy and accuracy over {@code logits[n, classes]} for the CPU backend.
 * Labels are floats holding class indices; each is checked before any output is written,
 * because a bad label is the one argument error only the data can reveal.
 */
final class CpuLoss {

    /**
     * Softmax with the row maximum subtracted first, so exp never overflows; the row sums and
     * the loss are accumulated in double, and the loss uses log-sum-exp directly
     * ({@code -log p = log(sum) - (z_label - max)}) rather than the log of a rounded probability.
     * StrictMath, not Math: its results are specified to the bit, where Math's may come from a
     * JIT intrinsic (the reproducible mode promises the same loss on every machine).
     */
    void forward(float[] loss, float[] probs, float[] logits, float[] labels, int n, int classes) {
        int[] target = labels("softmaxCrossEntropyForward", labels, n, classes);
        double[] exps = new double[classes];
        double total = 0;
        for (int i = 0; i < n; i++) {
            int row = i * classes;
            float max = logits[row];
            for (int j = 1; j < classes; j++) {
                max = Math.max(max, logits[row + j]);
            }
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                exps[j] = StrictMath.exp((double) logits[row + j] - max);
                sum += exps[j];
            }
            for (int j = 0; j < classes; j++) {
                probs[row + j] = (float) (exps[j] / sum);
            }
            total += StrictMath.log(sum) - ((double) logits[row + target[i]] - max);
        }
        loss[0] = (float) (total / n);
    }

    /** {@code dLogits = (probs - onehot(labels)) / n}: the gradient of the mean over rows. */
    void backward(float[] dLogits, float[] probs, float[] labels, int n, int classes) {
        int[] target = labels("softmaxCrossEntropyBackward", labels, n, classes);
        for (int i = 0; i < n; i++) {
            int row = i * classes;
            for (int j = 0; j < classes; j++) {
                float onehot = j == target[i] ? 1f : 0f;
                dLogits[row + j] = (probs[row + j] - onehot) / n;
            }
        }
    }

    /** Rows whose first (lowest-index) maximum equals the label; later equal values do not count. */
    int countCorrect(float[] logits, float[] labels, int n, int classes) {
        int[] target = labels("countCorrect", labels, n, classes);
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int row = i * classes;
            int best = 0;
            for (int j = 1; j < classes; j++) {
                if (logits[row + j] > logits[row + best]) {
                    best = j;
                }
            }
            if (best == target[i]) {
                correct++;
            }
        }
        return correct;
    }

    private static int[] labels(String op, float[] labels, int n, int classes) {
        int[] target = new int[n];
        for (int i = 0; i < n; i++) {
            target[i] = OpChecks.label(op, labels[i], i, classes);
        }
        return target;
    }
}
