package org.mixq.core.cpu;

import org.mixq.core.Backend;
import org.mixq.core.ConvGeometry;
import org.mixq.core.ConvSpec;
import org.mixq.core.OpChecks;
import org.mixq.core.Shape;
import org.mixq.core.Tensor;

/**
 * The reference backend: heap float arrays and plain Java loops, with a BLAS (or a blocked
 * Java kernel) for GEMM and im2col convolution. Ops are validated here, then delegated to
 * one class per op family, which works on raw arrays.
 */
public final class CpuBackend implements Backend {
    private final CpuThreads threads;
    private final CpuGemm gemm;
    private final CpuConv conv;
    private final CpuNorm norm;
    private final CpuElementwise elementwise;
    private final CpuPooling pooling;
    private final CpuLoss loss;
    private final CpuFakeQuant fakeQuant;

    public CpuBackend(int threads) {
        this(threads, CpuGemm.Provider.AUTO);
    }

    /**
     * A backend whose GEMM uses {@code provider} (tests compare the providers against each
     * other). {@link CpuGemm.Provider#ORDERED} is the reproducible mode: mixq's own kernels only,
     * every sum in an order fixed by the problem, so the same bits on any machine.
     */
    public CpuBackend(int threads, CpuGemm.Provider provider) {
        this.threads = new CpuThreads(threads);
        this.gemm = new CpuGemm(this.threads, provider);
        this.conv = new CpuConv(this.threads, gemm, provider == CpuGemm.Provider.ORDERED);
        this.norm = new CpuNorm(this.threads);
        this.elementwise = new CpuElementwise(this.threads);
        this.pooling = new CpuPooling(this.threads);
        this.loss = new CpuLoss();
        this.fakeQuant = new CpuFakeQuant(this.threads);
    }

    /** The backing array of a CPU tensor (shared, not copied). */
    public static float[] data(Tensor t) {
        return ((CpuBuffer) t.buffer()).data;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String describe() {
        return "cpu: " + threads.threads() + " thread(s), " + (conv.reproducible() ? "reproducible mode, " : "")
                + "gemm=" + gemm.provider() + " (" + gemm.providerReason() + "), "
                + conv.describe();
    }

    public int threads() {
        return threads.threads();
    }

    // ---- memory ----------------------------------------------------------------------------

    @Override
    public Tensor alloc(Shape shape) {
        OpChecks.notNull("alloc", "shape", shape);
        return new Tensor(this, shape, new CpuBuffer(shape.size()));
    }

    @Override
    public void copyIn(Tensor dst, float[] src) {
        OpChecks.copyIn(this, dst, src);
        System.arraycopy(src, 0, data(dst), 0, src.length);
    }

    @Override
    public void copyOut(float[] dst, Tensor src) {
        OpChecks.copyOut(this, dst, src);
        System.arraycopy(data(src), 0, dst, 0, dst.length);
    }

    @Override
    public void copy(Tensor dst, Tensor src) {
        OpChecks.copy(this, dst, src);
        System.arraycopy(data(src), 0, data(dst), 0, src.size());
    }

    @Override
    public void fill(Tensor dst, float value) {
        OpChecks.tensor(this, "fill", "dst", dst);
        java.util.Arrays.fill(data(dst), 0, dst.size(), value);
    }

    // ---- dense algebra ---------------------------------------------------------------------

    @Override
    public void gemm(Tensor c, Tensor a, Tensor b, boolean transA, boolean transB, float alpha, float beta) {
        OpChecks.gemm(this, c, a, b, transA, transB);
        int m = OpChecks.rows(c);
        int n = OpChecks.cols(c);
        int k = transA ? OpChecks.rows(a) : OpChecks.cols(a);
        gemm.sgemm(transA, transB, m, n, k, alpha, data(a), 0, OpChecks.cols(a), data(b), 0, OpChecks.cols(b),
                beta, data(c), 0, n);
    }

    @Override
    public void biasAdd(Tensor y, Tensor bias) {
        int c = OpChecks.biasAdd(this, y, bias);
        elementwise.biasAdd(data(y), data(bias), y.dim(0), c, y.shape().inner(1));
    }

    @Override
    public void biasBackward(Tensor dBias, Tensor dy) {
        int c = OpChecks.biasBackward(this, dBias, dy);
        elementwise.biasBackward(data(dBias), data(dy), dy.dim(0), c, dy.shape().inner(1));
    }

    @Override
    public void add(Tensor y, Tensor a, Tensor b) {
        OpChecks.add(this, y, a, b);
        elementwise.add(data(y), data(a), data(b), y.size());
    }

    // ---- convolution -------------------------------------------------------------------------

    @Override
    public void conv2dForward(Tensor y, Tensor x, Tensor w, Tensor bias, ConvSpec spec) {
        OpChecks.conv(this, "conv2dForward", y, x, w, spec);
        OpChecks.bias(this, "conv2dForward", bias, w.dim(0));
        conv.forward(data(y), data(x), data(w), bias == null ? null : data(bias), ConvGeometry.of(x.shape(), w.shape(), spec));
    }

    @Override
    public void conv2dBackwardData(Tensor dx, Tensor dy, Tensor w, ConvSpec spec) {
        OpChecks.conv(this, "conv2dBackwardData", dy, dx, w, spec);
        conv.backwardData(data(dx), data(dy), data(w), ConvGeometry.of(dx.shape(), w.shape(), spec));
    }

    @Override
    public void conv2dBackwardFilter(Tensor dw, Tensor dBias, Tensor dy, Tensor x, ConvSpec spec) {
        OpChecks.conv(this, "conv2dBackwardFilter", dy, x, dw, spec);
        OpChecks.bias(this, "conv2dBackwardFilter", dBias, dw.dim(0));
        conv.backwardFilter(data(dw), dBias == null ? null : data(dBias), data(dy), data(x),
                ConvGeometry.of(x.shape(), dw.shape(), spec));
    }

    // ---- batch normalization -------------------------------------------------------------------


    @Override
    public void batchNormForwardTraining(Tensor y, Tensor saveMean, Tensor saveInvStd, Tensor runningMean,
                                         Tensor runningVar, Tensor x, Tensor gamma, Tensor beta,
                                         float momentum, float eps) {
        int c = OpChecks.batchNormForwardTraining(this, y, saveMean, saveInvStd, runningMean, runningVar, x, gamma, beta, momentum, eps);
        norm.forwardTraining(data(y), data(saveMean), data(saveInvStd), data(runningMean), data(runningVar),
                data(x), data(gamma), data(beta), x.dim(0), c, x.shape().inner(1), momentum, eps);
    }

    @Override
    public void batchNormForwardInference(Tensor y, Tensor x, Tensor gamma, Tensor beta, Tensor runningMean,
                                          Tensor runningVar, float eps) {
        int c = OpChecks.batchNormForwardInference(this, y, x, gamma, beta, runningMean, runningVar, eps);
        norm.forwardInference(data(y), data(x), data(gamma), data(beta), data(runningMean), data(runningVar),
                x.dim(0), c, x.shape().inner(1), eps);
    }

    @Override
    public void batchNormBackward(Tensor dx, Tensor dGamma, Tensor dBeta, Tensor dy, Tensor x, Tensor gamma,
                                  Tensor saveMean, Tensor saveInvStd) {
        int c = OpChecks.batchNormBackward(this, dx, dGamma, dBeta, dy, x, gamma, saveMean, saveInvStd);
        norm.backward(data(dx), data(dGamma), data(dBeta), data(dy), data(x), data(gamma), data(saveMean),
                data(saveInvStd), x.dim(0), c, x.shape().inner(1));
    }


    // ---- activations and pooling ---------------------------------------------------------------

    @Override
    public void reluForward(Tensor y, Tensor x) {
        OpChecks.reluForward(this, y, x);
        elementwise.reluForward(data(y), data(x), x.size());
    }

    @Override
    public void reluBackward(Tensor dx, Tensor dy, Tensor y) {
        OpChecks.reluBackward(this, dx, dy, y);
        elementwise.reluBackward(data(dx), data(dy), data(y), y.size());
    }

    @Override
    public void maxPool2dForward(Tensor y, Tensor x, int window, int stride) {
        OpChecks.pool(this, "maxPool2dForward", y, x, window, stride);
        pooling.maxForward(data(y), data(x), x.dim(0) * x.dim(1), x.dim(2), x.dim(3), window, stride);
    }

    @Override
    public void maxPool2dBackward(Tensor dx, Tensor dy, Tensor x, Tensor y, int window, int stride) {
        OpChecks.maxPool2dBackward(this, dx, dy, x, y, window, stride);
        pooling.maxBackward(data(dx), data(dy), data(x), data(y), x.dim(0) * x.dim(1), x.dim(2), x.dim(3), window, stride);
    }

    @Override
    public void globalAvgPoolForward(Tensor y, Tensor x) {
        OpChecks.globalAvgPoolForward(this, y, x);
        pooling.avgForward(data(y), data(x), x.dim(0) * x.dim(1), x.dim(2) * x.dim(3));
    }

    @Override
    public void globalAvgPoolBackward(Tensor dx, Tensor dy) {
        OpChecks.globalAvgPoolBackward(this, dx, dy);
        pooling.avgBackward(data(dx), data(dy), dx.dim(0) * dx.dim(1), dx.dim(2) * dx.dim(3));
    }

    // ---- loss and metrics ------------------------------------------------------------------------

    @Override
    public void softmaxCrossEntropyForward(Tensor lossOut, Tensor probs, Tensor logits, Tensor labels) {
        OpChecks.softmaxCrossEntropyForward(this, lossOut, probs, logits, labels);
        loss.forward(data(lossOut), data(probs), data(logits), data(labels), logits.dim(0), logits.dim(1));
    }

    @Override
    public void softmaxCrossEntropyBackward(Tensor dLogits, Tensor probs, Tensor labels) {
        OpChecks.softmaxCrossEntropyBackward(this, dLogits, probs, labels);
        loss.backward(data(dLogits), data(probs), data(labels), probs.dim(0), probs.dim(1));
    }

    @Override
    public int countCorrect(Tensor logits, Tensor labels) {
        OpChecks.classification(this, "countCorrect", logits, labels);
        return loss.countCorrect(data(logits), data(labels), logits.dim(0), logits.dim(1));
    }

    // ---- fake quantization -------------------------------------------------------------------

    @Override
    public void fakeQuantWeightsForward(Tensor wq, Tensor mask, Tensor scale, Tensor w, int bits) {
        OpChecks.fakeQuantWeightsForward(this, wq, mask, scale, w, bits);
        fakeQuant.weightsForward(data(wq), data(mask), data(scale), data(w), w.dim(0), w.shape().inner(0), bits);
    }

    @Override
    public void fakeQuantWeightsBackward(Tensor dw, Tensor dwq, Tensor mask) {
        OpChecks.fakeQuantWeightsBackward(this, dw, dwq, mask);
        fakeQuant.weightsBackward(data(dw), data(dwq), data(mask), dw.size());
    }

    @Override
    public void fakeQuantActivationsForward(Tensor y, Tensor x, Tensor clip, int bits) {
        OpChecks.fakeQuantActivationsForward(this, y, x, clip, bits);
        OpChecks.positive("fakeQuantActivationsForward", "clip[0]", data(clip)[0]);
        fakeQuant.activationsForward(data(y), data(x), data(clip)[0], x.size(), bits);
    }

    @Override
    public void fakeQuantActivationsBackward(Tensor dx, Tensor dClip, Tensor dy, Tensor x, Tensor clip, int bits) {
        OpChecks.fakeQuantActivationsBackward(this, dx, dClip, dy, x, clip, bits);
        OpChecks.positive("fakeQuantActivationsBackward", "clip[0]", data(clip)[0]);
        fakeQuant.activationsBackward(data(dx), data(dClip), data(dy), data(x), data(clip)[0], x.size());
    }

    // ---- optimizer -------------------------------------------------------------------------------

    @Override
    public void sgdUpdate(Tensor param, Tensor velocity, Tensor grad, float lr, float momentum, float weightDecay) {
        OpChecks.sgdUpdate(this, param, velocity, grad, lr, momentum, weightDecay);
        elementwise.sgd(data(param), data(velocity), data(grad), param.size(), lr, momentum, weightDecay);
    }

    @Override
    public void close() {
        threads.close();
        gemm.close();
    }
}
