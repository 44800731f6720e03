package org.mixq.core.cpu;

/** Softmax cross-entropy and accuracy for the CPU backend (stub). */
final class CpuLoss {
    void forward(float[] loss, float[] probs, float[] logits, float[] labels, int n, int classes) {
        throw new UnsupportedOperationException("TODO");
    }

    void backward(float[] dLogits, float[] probs, float[] labels, int n, int classes) {
        throw new UnsupportedOperationException("TODO");
    }

    int countCorrect(float[] logits, float[] labels, int n, int classes) {
        throw new UnsupportedOperationException("TODO");
    }
}
