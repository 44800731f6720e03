package org.mixq.nn;

import org.mixq.core.Backend;
import org.mixq.core.ConvSpec;
import org.mixq.core.Shape;
import org.mixq.core.Tensor;

/** Delegates every op to another backend and counts the tensors it allocates. */
public final class CountingBackend implements Backend {
    private final Backend inner;
    private long allocations;

    public CountingBackend(Backend inner) {
        this.inner = inner;
    }

    public long allocations() {
        return allocations;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public String describe() {
        return "counting " + inner.describe();
    }

    @Override
    public Tensor alloc(Shape shape) {
        allocations++;
        return inner.alloc(shape);
    }

    @Override
    public void copyIn(Tensor dst, float[] src) {
        inner.copyIn(dst, src);
    }

    @Override
    public void copyOut(float[] dst, Tensor src) {
        inner.copyOut(dst, src);
    }

    @Override
    public void copy(Tensor dst, Tensor src) {
        inner.copy(dst, src);
    }

    @Override
    public void fill(Tensor dst, float value) {
        inner.fill(dst, value);
    }

    @Override
    public void gemm(Tensor c, Tensor a, Tensor b, boolean transA, boolean transB, float alpha, float beta) {
        inner.gemm(c, a, b, transA, transB, alpha, beta);
    }

    @Override
    public void biasAdd(Tensor y, Tensor bias) {
        inner.biasAdd(y, bias);
    }

    @Override
    public void biasBackward(Tensor dBias, Tensor dy) {
        inner.biasBackward(dBias, dy);
    }

    @Override
    public void add(Tensor y, Tensor a, Tensor b) {
        inner.add(y, a, b);
    }

    @Override
    public void conv2dForward(Tensor y, Tensor x, Tensor w, Tensor bias, ConvSpec spec) {
        inner.conv2dForward(y, x, w, bias, spec);
    }

    @Override
    public void conv2dBackwardData(Tensor dx, Tensor dy, Tensor w, ConvSpec spec) {
        inner.conv2dBackwardData(dx, dy, w, spec);
    }

    @Override
    public void conv2dBackwardFilter(Tensor dw, Tensor dBias, Tensor dy, Tensor x, ConvSpec spec) {
        inner.conv2dBackwardFilter(dw, dBias, dy, x, spec);
    }

    @Override
    public void batchNormForwardTraining(Tensor y, Tensor saveMean, Tensor saveInvStd, Tensor runningMean, Tensor runningVar,
                                         Tensor x, Tensor gamma, Tensor beta, float momentum, float eps) {
        inner.batchNormForwardTraining(y, saveMean, saveInvStd, runningMean, runningVar, x, gamma, beta, momentum, eps);
    }

    @Override
    public void batchNormForwardInference(Tensor y, Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                          float eps) {
        inner.batchNormForwardInference(y, x, gamma, beta, runningMean, runningVar, eps);
    }

    @Override
    public void batchNormBackward(Tensor dx, Tensor dGamma, Tensor dBeta, Tensor dy, Tensor x, Tensor gamma, Tensor saveMean,
                                  Tensor saveInvStd) {
        inner.batchNormBackward(dx, dGamma, dBeta, dy, x, gamma, saveMean, saveInvStd);
    }

    @Override
    public void reluForward(Tensor y, Tensor x) {
        inner.reluForward(y, x);
    }

    @Override
    public void reluBackward(Tensor dx, Tensor dy, Tensor y) {
        inner.reluBackward(dx, dy, y);
    }

    @Override
    public void maxPool2dForward(Tensor y, Tensor x, int window, int stride) {
        inner.maxPool2dForward(y, x, window, stride);
    }

    @Override
    public void maxPool2dBackward(Tensor dx, Tensor dy, Tensor x, Tensor y, int window, int stride) {
        inner.maxPool2dBackward(dx, dy, x, y, window, stride);
    }

    @Override
    public void globalAvgPoolForward(Tensor y, Tensor x) {
        inner.globalAvgPoolForward(y, x);
    }

    @Override
    public void globalAvgPoolBackward(Tensor dx, Tensor dy) {
        inner.globalAvgPoolBackward(dx, dy);
    }

    @Override
    public void softmaxCrossEntropyForward(Tensor loss, Tensor probs, Tensor logits, Tensor labels) {
        inner.softmaxCrossEntropyForward(loss, probs, logits, labels);
    }

    @Override
    public void softmaxCrossEntropyBackward(Tensor dLogits, Tensor probs, Tensor labels) {
        inner.softmaxCrossEntropyBackward(dLogits, probs, labels);
    }

    @Override
    public int countCorrect(Tensor logits, Tensor labels) {
        return inner.countCorrect(logits, labels);
    }

    @Override
    public void fakeQuantWeightsForward(Tensor wq, Tensor mask, Tensor scale, Tensor w, int bits) {
        inner.fakeQuantWeightsForward(wq, mask, scale, w, bits);
    }

    @Override
    public void fakeQuantWeightsBackward(Tensor dw, Tensor dwq, Tensor mask) {
        inner.fakeQuantWeightsBackward(dw, dwq, mask);
    }

    @Override
    public void fakeQuantActivationsForward(Tensor y, Tensor x, Tensor clip, int bits) {
        inner.fakeQuantActivationsForward(y, x, clip, bits);
    }

    @Override
    public void fakeQuantActivationsBackward(Tensor dx, Tensor dClip, Tensor dy, Tensor x, Tensor clip, int bits) {
        inner.fakeQuantActivationsBackward(dx, dClip, dy, x, clip, bits);
    }

    @Override
    public void sgdUpdate(Tensor param, Tensor velocity, Tensor grad, float lr, float momentum, float weightDecay) {
        inner.sgdUpdate(param, velocity, grad, lr, momentum, weightDecay);
    }

    @Override
    public void synchronize() {
        inner.synchronize();
    }

    @Override
    public void close() {
        inner.close();
    }
}
