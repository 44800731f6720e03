package org.mixq.core.cpu;

import org.mixq.core.Buffer;
import org.mixq.core.CheckedBackend;
import org.mixq.core.ConvGeometry;
import org.mixq.core.OpChecks;
import org.mixq.core.Tensor;

/**
 * The reference backend: heap float arrays and plain Java loops, with a BLAS (or a blocked
 * Java kernel) for GEMM and im2col convolution. {@link CheckedBackend} validates each op; the
 * kernels here hand its arrays to one class per op family. The values that a check needs from
 * inside a tensor (labels, the activation clip) are on the heap, so they are checked too.
 */
public final class CpuBackend extends CheckedBackend<float[]> {
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

    @Override
    protected float[] storage(Tensor t) {
        return data(t);
    }

    // ---- memory ----------------------------------------------------------------------------

    @Override
    protected Buffer allocate(int size) {
        return new CpuBuffer(size);
    }

    @Override
    protected void copyInKernel(float[] dst, float[] src) {
        System.arraycopy(src, 0, dst, 0, src.length);
    }

    @Override
    protected void copyOutKernel(float[] dst, float[] src) {
        System.arraycopy(src, 0, dst, 0, dst.length);
    }

    @Override
    protected void copyKernel(float[] dst, float[] src, int n) {
        System.arraycopy(src, 0, dst, 0, n);
    }

    @Override
    protected void fillKernel(float[] dst, int n, float value) {
        java.util.Arrays.fill(dst, 0, n, value);
    }

    // ---- dense algebra ---------------------------------------------------------------------

    @Override
    protected void gemmKernel(float[] c, float[] a, float[] b, boolean transA, boolean transB, int m, int n, int k,
                              int lda, int ldb, float alpha, float beta) {
        gemm.sgemm(transA, transB, m, n, k, alpha, a, 0, lda, b, 0, ldb, beta, c, 0, n);
    }

    @Override
    protected void biasAddKernel(float[] y, float[] bias, int n, int c, int inner) {
        elementwise.biasAdd(y, bias, n, c, inner);
    }

    @Override
    protected void biasBackwardKernel(float[] dBias, float[] dy, int n, int c, int inner) {
        elementwise.biasBackward(dBias, dy, n, c, inner);
    }

    @Override
    protected void addKernel(float[] y, float[] a, float[] b, int n) {
        elementwise.add(y, a, b, n);
    }

    // ---- convolution -------------------------------------------------------------------------

    @Override
    protected void conv2dForwardKernel(float[] y, float[] x, float[] w, float[] bias, ConvGeometry g) {
        conv.forward(y, x, w, bias, g);
    }

    @Override
    protected void conv2dBackwardDataKernel(float[] dx, float[] dy, float[] w, ConvGeometry g) {
        conv.backwardData(dx, dy, w, g);
    }

    @Override
    protected void conv2dBackwardFilterKernel(float[] dw, float[] dBias, float[] dy, float[] x, ConvGeometry g) {
        conv.backwardFilter(dw, dBias, dy, x, g);
    }

    // ---- batch normalization -------------------------------------------------------------------

    @Override
    protected void batchNormForwardTrainingKernel(float[] y, float[] saveMean, float[] saveInvStd,
                                                  float[] runningMean, float[] runningVar, float[] x, float[] gamma,
                                                  float[] beta, int n, int c, int inner, float momentum, float eps) {
        norm.forwardTraining(y, saveMean, saveInvStd, runningMean, runningVar, x, gamma, beta, n, c, inner, momentum,
                eps);
    }

    @Override
    protected void batchNormForwardInferenceKernel(float[] y, float[] x, float[] gamma, float[] beta,
                                                   float[] runningMean, float[] runningVar, int n, int c, int inner,
                                                   float eps) {
        norm.forwardInference(y, x, gamma, beta, runningMean, runningVar, n, c, inner, eps);
    }

    @Override
    protected void batchNormBackwardKernel(float[] dx, float[] dGamma, float[] dBeta, float[] dy, float[] x,
                                           float[] gamma, float[] saveMean, float[] saveInvStd, int n, int c,
                                           int inner) {
        norm.backward(dx, dGamma, dBeta, dy, x, gamma, saveMean, saveInvStd, n, c, inner);
    }

    // ---- activations and pooling ---------------------------------------------------------------

    @Override
    protected void reluForwardKernel(float[] y, float[] x, int n) {
        elementwise.reluForward(y, x, n);
    }

    @Override
    protected void reluBackwardKernel(float[] dx, float[] dy, float[] y, int n) {
        elementwise.reluBackward(dx, dy, y, n);
    }

    @Override
    protected void maxPool2dForwardKernel(float[] y, float[] x, int planes, int h, int w, int window, int stride) {
        pooling.maxForward(y, x, planes, h, w, window, stride);
    }

    @Override
    protected void maxPool2dBackwardKernel(float[] dx, float[] dy, float[] x, float[] y, int planes, int h, int w,
                                           int window, int stride) {
        pooling.maxBackward(dx, dy, x, y, planes, h, w, window, stride);
    }

    @Override
    protected void globalAvgPoolForwardKernel(float[] y, float[] x, int planes, int planeSize) {
        pooling.avgForward(y, x, planes, planeSize);
    }

    @Override
    protected void globalAvgPoolBackwardKernel(float[] dx, float[] dy, int planes, int planeSize) {
        pooling.avgBackward(dx, dy, planes, planeSize);
    }

    // ---- loss and metrics: CpuLoss refuses a label that is not a class index ----------------------

    @Override
    protected void softmaxCrossEntropyForwardKernel(float[] lossOut, float[] probs, float[] logits, float[] labels,
                                                    int n, int classes) {
        loss.forward(lossOut, probs, logits, labels, n, classes);
    }

    @Override
    protected void softmaxCrossEntropyBackwardKernel(float[] dLogits, float[] probs, float[] labels, int n,
                                                     int classes) {
        loss.backward(dLogits, probs, labels, n, classes);
    }

    @Override
    protected int countCorrectKernel(float[] logits, float[] labels, int n, int classes) {
        return loss.countCorrect(logits, labels, n, classes);
    }

    // ---- fake quantization -------------------------------------------------------------------

    @Override
    protected void fakeQuantWeightsForwardKernel(float[] wq, float[] mask, float[] scale, float[] w, int channels,
                                                 int inner, int bits) {
        fakeQuant.weightsForward(wq, mask, scale, w, channels, inner, bits);
    }

    @Override
    protected void fakeQuantWeightsBackwardKernel(float[] dw, float[] dwq, float[] mask, int n) {
        fakeQuant.weightsBackward(dw, dwq, mask, n);
    }

    @Override
    protected void fakeQuantActivationsForwardKernel(float[] y, float[] x, float[] clip, int n, int bits) {
        OpChecks.positive("fakeQuantActivationsForward", "clip[0]", clip[0]);
        fakeQuant.activationsForward(y, x, clip[0], n, bits);
    }

    @Override
    protected void fakeQuantActivationsBackwardKernel(float[] dx, float[] dClip, float[] dy, float[] x, float[] clip,
                                                      int n) {
        OpChecks.positive("fakeQuantActivationsBackward", "clip[0]", clip[0]);
        fakeQuant.activationsBackward(dx, dClip, dy, x, clip[0], n);
    }

    // ---- optimizer -------------------------------------------------------------------------------

    @Override
    protected void sgdUpdateKernel(float[] param, float[] velocity, float[] grad, int n, float lr, float momentum,
                                   float weightDecay) {
        elementwise.sgd(param, velocity, grad, n, lr, momentum, weightDecay);
    }

    @Override
    public void close() {
        threads.close();
        gemm.close();
    }
}
