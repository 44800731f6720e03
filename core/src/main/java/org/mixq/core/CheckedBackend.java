package org.mixq.core;

/**
 * The one skeleton under every backend: each op of {@link Backend} is a final method here that
 * runs the op's {@link OpChecks} and derives its sizes, once for all backends, then calls the
 * backend's kernel method for it with the tensors' storage and those sizes (outputs, then
 * inputs, then sizes). A backend supplies only the kernels, so two backends cannot disagree on
 * what they accept or on how an op's sizes follow from its shapes.
 *
 * <p>The checks here read shapes and arguments only, never a value inside a tensor. Such values
 * (labels, the activation clip) are the kernels' concern: the CPU kernels read them for free
 * and refuse bad ones, while a device kernel would have to wait for the device to read one, so
 * its kernels give NaN instead (see {@link Backend#softmaxCrossEntropyForward} and
 * {@link Backend#fakeQuantActivationsForward}).
 *
 * @param <S> what a kernel works on: a heap array, a device address
 */
public abstract class CheckedBackend<S> implements Backend {

    /** The storage of a tensor that the checks have accepted. */
    protected abstract S storage(Tensor t);

    /** A zero-filled buffer of {@code size} floats. */
    protected abstract Buffer allocate(int size);

    // ---- memory ----------------------------------------------------------------------------

    @Override
    public final Tensor alloc(Shape shape) {
        OpChecks.notNull("alloc", "shape", shape);
        return new Tensor(this, shape, allocate(shape.size()));
    }

    @Override
    public final void copyIn(Tensor dst, float[] src) {
        OpChecks.copyIn(this, dst, src);
        copyInKernel(storage(dst), src);
    }

    @Override
    public final void copyOut(float[] dst, Tensor src) {
        OpChecks.copyOut(this, dst, src);
        copyOutKernel(dst, storage(src));
    }

    @Override
    public final void copy(Tensor dst, Tensor src) {
        OpChecks.copy(this, dst, src);
        copyKernel(storage(dst), storage(src), src.size());
    }

    @Override
    public final void fill(Tensor dst, float value) {
        OpChecks.tensor(this, "fill", "dst", dst);
        fillKernel(storage(dst), dst.size(), value);
    }

    protected abstract void copyInKernel(S dst, float[] src);

    protected abstract void copyOutKernel(float[] dst, S src);

    protected abstract void copyKernel(S dst, S src, int n);

    protected abstract void fillKernel(S dst, int n, float value);

    // ---- dense algebra ---------------------------------------------------------------------

    @Override
    public final void gemm(Tensor c, Tensor a, Tensor b, boolean transA, boolean transB, float alpha, float beta) {
        OpChecks.gemm(this, c, a, b, transA, transB);
        int m = OpChecks.rows(c);
        int n = OpChecks.cols(c);
        int k = transA ? OpChecks.rows(a) : OpChecks.cols(a);
        gemmKernel(storage(c), storage(a), storage(b), transA, transB, m, n, k, OpChecks.cols(a), OpChecks.cols(b),
                alpha, beta);
    }

    @Override
    public final void biasAdd(Tensor y, Tensor bias) {
        int c = OpChecks.biasAdd(this, y, bias);
        biasAddKernel(storage(y), storage(bias), y.dim(0), c, y.shape().inner(1));
    }

    @Override
    public final void biasBackward(Tensor dBias, Tensor dy) {
        int c = OpChecks.biasBackward(this, dBias, dy);
        biasBackwardKernel(storage(dBias), storage(dy), dy.dim(0), c, dy.shape().inner(1));
    }

    @Override
    public final void add(Tensor y, Tensor a, Tensor b) {
        OpChecks.add(this, y, a, b);
        addKernel(storage(y), storage(a), storage(b), y.size());
    }

    /** Row-major {@code c[m, n]} (leading dimension n) from {@code a} and {@code b} with leading dimensions lda, ldb. */
    protected abstract void gemmKernel(S c, S a, S b, boolean transA, boolean transB, int m, int n, int k, int lda,
                                       int ldb, float alpha, float beta);

    protected abstract void biasAddKernel(S y, S bias, int n, int c, int inner);

    protected abstract void biasBackwardKernel(S dBias, S dy, int n, int c, int inner);

    protected abstract void addKernel(S y, S a, S b, int n);

    // ---- convolution -------------------------------------------------------------------------

    @Override
    public final void conv2dForward(Tensor y, Tensor x, Tensor w, Tensor bias, ConvSpec spec) {
        OpChecks.conv(this, "conv2dForward", y, x, w, spec);
        OpChecks.bias(this, "conv2dForward", bias, w.dim(0));
        conv2dForwardKernel(storage(y), storage(x), storage(w), bias == null ? null : storage(bias),
                ConvGeometry.of(x.shape(), w.shape(), spec));
    }

    @Override
    public final void conv2dBackwardData(Tensor dx, Tensor dy, Tensor w, ConvSpec spec) {
        OpChecks.conv(this, "conv2dBackwardData", dy, dx, w, spec);
        conv2dBackwardDataKernel(storage(dx), storage(dy), storage(w), ConvGeometry.of(dx.shape(), w.shape(), spec));
    }

    @Override
    public final void conv2dBackwardFilter(Tensor dw, Tensor dBias, Tensor dy, Tensor x, ConvSpec spec) {
        OpChecks.conv(this, "conv2dBackwardFilter", dy, x, dw, spec);
        OpChecks.bias(this, "conv2dBackwardFilter", dBias, dw.dim(0));
        conv2dBackwardFilterKernel(storage(dw), dBias == null ? null : storage(dBias), storage(dy), storage(x),
                ConvGeometry.of(x.shape(), dw.shape(), spec));
    }

    /** {@code bias} is null for a convolution without one. */
    protected abstract void conv2dForwardKernel(S y, S x, S w, S bias, ConvGeometry g);

    protected abstract void conv2dBackwardDataKernel(S dx, S dy, S w, ConvGeometry g);

    /** {@code dBias} is null for a convolution without a bias. */
    protected abstract void conv2dBackwardFilterKernel(S dw, S dBias, S dy, S x, ConvGeometry g);

    // ---- batch normalization: n images (rows), c channels, inner values per channel and image ----

    @Override
    public final void batchNormForwardTraining(Tensor y, Tensor saveMean, Tensor saveInvStd, Tensor runningMean,
                                               Tensor runningVar, Tensor x, Tensor gamma, Tensor beta,
                                               float momentum, float eps) {
        int c = OpChecks.batchNormForwardTraining(this, y, saveMean, saveInvStd, runningMean, runningVar, x, gamma,
                beta, momentum, eps);
        batchNormForwardTrainingKernel(storage(y), storage(saveMean), storage(saveInvStd), storage(runningMean),
                storage(runningVar), storage(x), storage(gamma), storage(beta), x.dim(0), c, x.shape().inner(1),
                momentum, eps);
    }

    @Override
    public final void batchNormForwardInference(Tensor y, Tensor x, Tensor gamma, Tensor beta, Tensor runningMean,
                                                Tensor runningVar, float eps) {
        int c = OpChecks.batchNormForwardInference(this, y, x, gamma, beta, runningMean, runningVar, eps);
        batchNormForwardInferenceKernel(storage(y), storage(x), storage(gamma), storage(beta), storage(runningMean),
                storage(runningVar), x.dim(0), c, x.shape().inner(1), eps);
    }

    @Override
    public final void batchNormBackward(Tensor dx, Tensor dGamma, Tensor dBeta, Tensor dy, Tensor x, Tensor gamma,
                                        Tensor saveMean, Tensor saveInvStd) {
        int c = OpChecks.batchNormBackward(this, dx, dGamma, dBeta, dy, x, gamma, saveMean, saveInvStd);
        batchNormBackwardKernel(storage(dx), storage(dGamma), storage(dBeta), storage(dy), storage(x), storage(gamma),
                storage(saveMean), storage(saveInvStd), x.dim(0), c, x.shape().inner(1));
    }

    protected abstract void batchNormForwardTrainingKernel(S y, S saveMean, S saveInvStd, S runningMean,
                                                           S runningVar, S x, S gamma, S beta, int n, int c,
                                                           int inner, float momentum, float eps);

    protected abstract void batchNormForwardInferenceKernel(S y, S x, S gamma, S beta, S runningMean, S runningVar,
                                                            int n, int c, int inner, float eps);

    protected abstract void batchNormBackwardKernel(S dx, S dGamma, S dBeta, S dy, S x, S gamma, S saveMean,
                                                    S saveInvStd, int n, int c, int inner);

    // ---- activations and pooling: planes = images x channels ----------------------------------

    @Override
    public final void reluForward(Tensor y, Tensor x) {
        OpChecks.reluForward(this, y, x);
        reluForwardKernel(storage(y), storage(x), x.size());
    }

    @Override
    public final void reluBackward(Tensor dx, Tensor dy, Tensor y) {
        OpChecks.reluBackward(this, dx, dy, y);
        reluBackwardKernel(storage(dx), storage(dy), storage(y), y.size());
    }

    @Override
    public final void maxPool2dForward(Tensor y, Tensor x, int window, int stride) {
        OpChecks.pool(this, "maxPool2dForward", y, x, window, stride);
        maxPool2dForwardKernel(storage(y), storage(x), x.dim(0) * x.dim(1), x.dim(2), x.dim(3), window, stride);
    }

    @Override
    public final void maxPool2dBackward(Tensor dx, Tensor dy, Tensor x, Tensor y, int window, int stride) {
        OpChecks.maxPool2dBackward(this, dx, dy, x, y, window, stride);
        maxPool2dBackwardKernel(storage(dx), storage(dy), storage(x), storage(y), x.dim(0) * x.dim(1), x.dim(2),
                x.dim(3), window, stride);
    }

    @Override
    public final void globalAvgPoolForward(Tensor y, Tensor x) {
        OpChecks.globalAvgPoolForward(this, y, x);
        globalAvgPoolForwardKernel(storage(y), storage(x), x.dim(0) * x.dim(1), x.dim(2) * x.dim(3));
    }

    @Override
    public final void globalAvgPoolBackward(Tensor dx, Tensor dy) {
        OpChecks.globalAvgPoolBackward(this, dx, dy);
        globalAvgPoolBackwardKernel(storage(dx), storage(dy), dx.dim(0) * dx.dim(1), dx.dim(2) * dx.dim(3));
    }

    protected abstract void reluForwardKernel(S y, S x, int n);

    protected abstract void reluBackwardKernel(S dx, S dy, S y, int n);

    protected abstract void maxPool2dForwardKernel(S y, S x, int planes, int h, int w, int window, int stride);

    protected abstract void maxPool2dBackwardKernel(S dx, S dy, S x, S y, int planes, int h, int w, int window,
                                                    int stride);

    protected abstract void globalAvgPoolForwardKernel(S y, S x, int planes, int planeSize);

    protected abstract void globalAvgPoolBackwardKernel(S dx, S dy, int planes, int planeSize);

    // ---- loss and metrics: n rows of classes logits ----------------------------------------------

    @Override
    public final void softmaxCrossEntropyForward(Tensor loss, Tensor probs, Tensor logits, Tensor labels) {
        OpChecks.softmaxCrossEntropyForward(this, loss, probs, logits, labels);
        softmaxCrossEntropyForwardKernel(storage(loss), storage(probs), storage(logits), storage(labels),
                logits.dim(0), logits.dim(1));
    }

    @Override
    public final void softmaxCrossEntropyBackward(Tensor dLogits, Tensor probs, Tensor labels) {
        OpChecks.softmaxCrossEntropyBackward(this, dLogits, probs, labels);
        softmaxCrossEntropyBackwardKernel(storage(dLogits), storage(probs), storage(labels), probs.dim(0),
                probs.dim(1));
    }

    @Override
    public final int countCorrect(Tensor logits, Tensor labels) {
        OpChecks.classification(this, "countCorrect", logits, labels);
        return countCorrectKernel(storage(logits), storage(labels), logits.dim(0), logits.dim(1));
    }

    protected abstract void softmaxCrossEntropyForwardKernel(S loss, S probs, S logits, S labels, int n, int classes);

    protected abstract void softmaxCrossEntropyBackwardKernel(S dLogits, S probs, S labels, int n, int classes);

    protected abstract int countCorrectKernel(S logits, S labels, int n, int classes);

    // ---- fake quantization -------------------------------------------------------------------

    @Override
    public final void fakeQuantWeightsForward(Tensor wq, Tensor mask, Tensor scale, Tensor w, int bits) {
        OpChecks.fakeQuantWeightsForward(this, wq, mask, scale, w, bits);
        fakeQuantWeightsForwardKernel(storage(wq), storage(mask), storage(scale), storage(w), w.dim(0),
                w.shape().inner(0), bits);
    }

    @Override
    public final void fakeQuantWeightsBackward(Tensor dw, Tensor dwq, Tensor mask) {
        OpChecks.fakeQuantWeightsBackward(this, dw, dwq, mask);
        fakeQuantWeightsBackwardKernel(storage(dw), storage(dwq), storage(mask), dw.size());
    }

    @Override
    public final void fakeQuantActivationsForward(Tensor y, Tensor x, Tensor clip, int bits) {
        OpChecks.fakeQuantActivationsForward(this, y, x, clip, bits);
        fakeQuantActivationsForwardKernel(storage(y), storage(x), storage(clip), x.size(), bits);
    }

    @Override
    public final void fakeQuantActivationsBackward(Tensor dx, Tensor dClip, Tensor dy, Tensor x, Tensor clip) {
        OpChecks.fakeQuantActivationsBackward(this, dx, dClip, dy, x, clip);
        fakeQuantActivationsBackwardKernel(storage(dx), storage(dClip), storage(dy), storage(x), storage(clip),
                x.size());
    }

    /** {@code channels} rows of {@code inner} weights each. */
    protected abstract void fakeQuantWeightsForwardKernel(S wq, S mask, S scale, S w, int channels, int inner, int bits);

    protected abstract void fakeQuantWeightsBackwardKernel(S dw, S dwq, S mask, int n);

    protected abstract void fakeQuantActivationsForwardKernel(S y, S x, S clip, int n, int bits);

    protected abstract void fakeQuantActivationsBackwardKernel(S dx, S dClip, S dy, S x, S clip, int n);

    // ---- optimizer -------------------------------------------------------------------------------

    @Override
    public final void sgdUpdate(Tensor param, Tensor velocity, Tensor grad, float lr, float momentum,
                                float weightDecay) {
        OpChecks.sgdUpdate(this, param, velocity, grad, lr, momentum, weightDecay);
        sgdUpdateKernel(storage(param), storage(velocity), storage(grad), param.size(), lr, momentum, weightDecay);
    }

    protected abstract void sgdUpdateKernel(S param, S velocity, S grad, int n, float lr, float momentum,
                                            float weightDecay);
}
