package org.mixq.nn.train;

import org.mixq.core.Backend;
import org.mixq.core.Tensor;
import org.mixq.nn.Scratch;

/**
 * Mean softmax cross-entropy of {@code [n, classes]} logits against class labels, forward and
 * backward, optionally with label smoothing (Szegedy et al. 2016): target
 * {@code (1 - e) * onehot + e / classes}. Without smoothing both passes run on the backend;
 * with it, the smoothed term is added on the host from the probabilities, which are only
 * {@code n * classes} floats.
 */
public final class CrossEntropyLoss implements AutoCloseable {
    private final Backend backend;
    private final float smoothing;
    private final Tensor loss;
    private final Scratch probs;
    private final Scratch dLogits;
    private final float[] lossHost = new float[1];
    private Tensor savedLabels;
    private Tensor savedProbs;
    private float[] probsHost = new float[0];
    private float[] gradHost = new float[0];
    private float[] labelsHost = new float[0];

    public CrossEntropyLoss(Backend backend, float labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + labelSmoothing);
        }
        this.backend = backend;
        this.smoothing = labelSmoothing;
        this.loss = backend.alloc(1);
        this.probs = new Scratch(backend);
        this.dLogits = new Scratch(backend);
    }

    /** The mean loss of the batch (copied to the host: one float, or the probabilities when smoothing). */
    public float forward(Tensor logits, Tensor labels) {
        Tensor p = probs.get(logits.shape());
        backend.softmaxCrossEntropyForward(loss, p, logits, labels);
        savedLabels = labels;
        savedProbs = p;
        backend.copyOut(lossHost, loss);
        if (smoothing == 0f) {
            return lossHost[0];
        }
        int n = logits.dim(0);
        int k = logits.dim(1);
        copyToHost(p, labels);
        // smoothed = (1 - e) * CE + e * mean over rows of (-1/k * sum_j log p_j)
        double uniform = 0;
        for (int i = 0; i < n * k; i++) {
            uniform -= StrictMath.log(Math.max(probsHost[i], Float.MIN_NORMAL));
        }
        return (float) ((1 - smoothing) * lossHost[0] + smoothing * uniform / ((double) n * k));
    }

    /** dL/dlogits of the last forward, overwritten in a reused buffer. */
    public Tensor backward() {
        if (savedProbs == null) {
            throw new IllegalStateException("cross-entropy: backward before forward");
        }
        Tensor p = savedProbs;
        Tensor d = dLogits.get(p.shape());
        if (smoothing == 0f) {
            backend.softmaxCrossEntropyBackward(d, p, savedLabels);
            return d;
        }
        int n = p.dim(0);
        int k = p.dim(1);
        if (gradHost.length != n * k) {
            gradHost = new float[n * k];
        }
        float[] g = gradHost;
        for (int i = 0; i < n; i++) {
            int label = (int) labelsHost[i];
            for (int j = 0; j < k; j++) {
                float target = (j == label ? 1 - smoothing : 0f) + smoothing / k;
                g[i * k + j] = (probsHost[i * k + j] - target) / n;
            }
        }
        backend.copyIn(d, g);
        return d;
    }

    private void copyToHost(Tensor p, Tensor labels) {
        if (probsHost.length != p.size()) {
            probsHost = new float[p.size()];
        }
        if (labelsHost.length != labels.size()) {
            labelsHost = new float[labels.size()];
        }
        backend.copyOut(probsHost, p);
        backend.copyOut(labelsHost, labels);
    }

    @Override
    public void close() {
        loss.close();
        probs.close();
        dLogits.close();
    }
}
