package org.mixq.kernels;

import java.util.Locale;
import jcuda.driver.CUdeviceptr;
import org.mixq.core.Buffer;
import org.mixq.core.CheckedBackend;
import org.mixq.core.ConvGeometry;
import org.mixq.core.Tensor;

/**
 * The CUDA backend: tensors in device memory from a caching pool, all work queued on one
 * stream. {@link CheckedBackend} validates each op, exactly as for the CPU backend; the kernels
 * here hand it to cuBLAS, cuDNN or the launcher of a hand-written kernel file. No op waits for
 * the device: labels and the activation clip are never read back to be checked (a synchronizing
 * copy per op, several per training step); the kernels turn a bad one into NaN instead, which
 * the loss that a training step reads back anyway carries (loss.cu, fake_quant.cu). Only
 * {@link #copyOut}, {@link #countCorrect} and {@link #synchronize} wait.
 *
 * <p>Created by {@link CudaBackendProvider}; owns the context, the libraries and the launchers,
 * and releases them in {@link #close()}.
 */
public final class CudaBackend extends CheckedBackend<CUdeviceptr> {
    private final CudaOptions options;
    private final CudaContext ctx;
    private final Libraries libraries;
    private final Sgemm gemm;
    private final FakeQuantKernels fakeQuant;
    private final ElementwiseKernels elementwise;
    private final PoolingKernels pooling;
    private final BatchNormKernels norm;
    private final LossKernels loss;
    private final CudaConv conv;
    private boolean closed;

    CudaBackend(CudaOptions options) {
        this.options = options;
        this.ctx = new CudaContext(options.device(), options.syncEachOp());
        Libraries opened = null;
        try {
            opened = new Libraries(ctx, options);
            this.libraries = opened;
            this.gemm = libraries.cublas != null ? libraries.cublas : new GemmKernels(ctx);
            this.fakeQuant = new FakeQuantKernels(ctx, options.fqWeights());
            this.elementwise = new ElementwiseKernels(ctx);
            this.pooling = new PoolingKernels(ctx);
            this.norm = new BatchNormKernels(ctx);
            this.loss = new LossKernels(ctx);
            this.conv = new CudaConv(ctx, libraries.cudnn, gemm, new Im2colKernels(ctx), elementwise);
        } catch (RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            ctx.close();
            throw e;
        }
    }

    /**
     * The device address of a tensor that the checks accepted. Every op resolves its tensors
     * before it queues work, so this is where the context is made current on the calling thread.
     */
    @Override
    protected CUdeviceptr storage(Tensor t) {
        ctx.bind();
        return ((CudaBuffer) t.buffer()).ptr();
    }

    @Override
    public String name() {
        return "cuda";
    }

    /** The device, where the kernels came from, which provider serves each op and why, and the pool. */
    @Override
    public String describe() {
        return "cuda: " + ctx.info.summary() + "; kernels from " + ctx.kernelOrigins() + "; "
                + libraries.describe(gemm.name()) + "; batch norm, pooling, softmax cross-entropy, "
                + "fake quantization (weights: " + options.fqWeights().name().toLowerCase(Locale.ROOT) + "), "
                + "elementwise, SGD: hand-written" + (options.syncEachOp() ? "; synchronous (mixq.cuda.sync)" : "")
                + "; " + ctx.allocator.stats();
    }

    /** The provider serving GEMM: "cuBLAS 12.x.y" or "hand-written". */
    public String gemmProvider() {
        return gemm.name();
    }

    /** Pool counters: requests, blocks reused, cuMemAlloc calls, bytes in use and cached. */
    public String poolStatistics() {
        return ctx.allocator.stats().toString();
    }

    /** How many times the pool has called cuMemAlloc (a steady-state training step adds none). */
    public long driverAllocations() {
        return ctx.allocator.stats().driverAllocations();
    }

    /** A pair of events on this backend's stream, for timing device work. */
    public CudaTimer timer() {
        return new CudaTimer(ctx);
    }

    // ---- memory ----------------------------------------------------------------------------

    @Override
    protected Buffer allocate(int size) {
        ctx.bind();
        CudaBuffer b = new CudaBuffer(ctx.allocator, size);
        ctx.fill(b.ptr(), size, 0f);
        return b;
    }

    @Override
    protected void copyInKernel(CUdeviceptr dst, float[] src) {
        ctx.copyIn(dst, src);
    }

    @Override
    protected void copyOutKernel(float[] dst, CUdeviceptr src) {
        ctx.copyOut(dst, src);
    }

    @Override
    protected void copyKernel(CUdeviceptr dst, CUdeviceptr src, int n) {
        ctx.copy(dst, src, n);
    }

    @Override
    protected void fillKernel(CUdeviceptr dst, int n, float value) {
        ctx.fill(dst, n, value);
    }

    // ---- dense algebra ---------------------------------------------------------------------

    @Override
    protected void gemmKernel(CUdeviceptr c, CUdeviceptr a, CUdeviceptr b, boolean transA, boolean transB, int m,
                              int n, int k, int lda, int ldb, float alpha, float beta) {
        gemm.sgemm(transA, transB, m, n, k, alpha, a, lda, 0, b, ldb, 0, beta, c, n, 0, 1);
    }

    @Override
    protected void biasAddKernel(CUdeviceptr y, CUdeviceptr bias, int n, int c, int inner) {
        elementwise.biasAdd(y, bias, n, c, inner);
    }

    @Override
    protected void biasBackwardKernel(CUdeviceptr dBias, CUdeviceptr dy, int n, int c, int inner) {
        elementwise.biasBackward(dBias, dy, n, c, inner);
    }

    @Override
    protected void addKernel(CUdeviceptr y, CUdeviceptr a, CUdeviceptr b, int n) {
        elementwise.add(y, a, b, n);
    }

    // ---- convolution -------------------------------------------------------------------------

    @Override
    protected void conv2dForwardKernel(CUdeviceptr y, CUdeviceptr x, CUdeviceptr w, CUdeviceptr bias, ConvGeometry g) {
        conv.forward(y, x, w, bias, g);
    }

    @Override
    protected void conv2dBackwardDataKernel(CUdeviceptr dx, CUdeviceptr dy, CUdeviceptr w, ConvGeometry g) {
        conv.backwardData(dx, dy, w, g);
    }

    @Override
    protected void conv2dBackwardFilterKernel(CUdeviceptr dw, CUdeviceptr dBias, CUdeviceptr dy, CUdeviceptr x,
                                              ConvGeometry g) {
        conv.backwardFilter(dw, dBias, dy, x, g);
    }

    // ---- batch normalization -------------------------------------------------------------------

    @Override
    protected void batchNormForwardTrainingKernel(CUdeviceptr y, CUdeviceptr saveMean, CUdeviceptr saveInvStd,
                                                  CUdeviceptr runningMean, CUdeviceptr runningVar, CUdeviceptr x,
                                                  CUdeviceptr gamma, CUdeviceptr beta, int n, int c, int inner,
                                                  float momentum, float eps) {
        norm.forwardTraining(y, saveMean, saveInvStd, runningMean, runningVar, x, gamma, beta, n, c, inner, momentum,
                eps);
    }

    @Override
    protected void batchNormForwardInferenceKernel(CUdeviceptr y, CUdeviceptr x, CUdeviceptr gamma, CUdeviceptr beta,
                                                   CUdeviceptr runningMean, CUdeviceptr runningVar, int n, int c,
                                                   int inner, float eps) {
        norm.forwardInference(y, x, gamma, beta, runningMean, runningVar, n, c, inner, eps);
    }

    @Override
    protected void batchNormBackwardKernel(CUdeviceptr dx, CUdeviceptr dGamma, CUdeviceptr dBeta, CUdeviceptr dy,
                                           CUdeviceptr x, CUdeviceptr gamma, CUdeviceptr saveMean,
                                           CUdeviceptr saveInvStd, int n, int c, int inner) {
        norm.backward(dx, dGamma, dBeta, dy, x, gamma, saveMean, saveInvStd, n, c, inner);
    }

    // ---- activations and pooling ---------------------------------------------------------------

    @Override
    protected void reluForwardKernel(CUdeviceptr y, CUdeviceptr x, int n) {
        elementwise.reluForward(y, x, n);
    }

    @Override
    protected void reluBackwardKernel(CUdeviceptr dx, CUdeviceptr dy, CUdeviceptr y, int n) {
        elementwise.reluBackward(dx, dy, y, n);
    }

    @Override
    protected void maxPool2dForwardKernel(CUdeviceptr y, CUdeviceptr x, int planes, int h, int w, int window,
                                          int stride) {
        pooling.maxForward(y, x, planes, h, w, window, stride);
    }

    @Override
    protected void maxPool2dBackwardKernel(CUdeviceptr dx, CUdeviceptr dy, CUdeviceptr x, CUdeviceptr y, int planes,
                                           int h, int w, int window, int stride) {
        pooling.maxBackward(dx, dy, x, y, planes, h, w, window, stride);
    }

    @Override
    protected void globalAvgPoolForwardKernel(CUdeviceptr y, CUdeviceptr x, int planes, int planeSize) {
        pooling.avgForward(y, x, planes, planeSize);
    }

    @Override
    protected void globalAvgPoolBackwardKernel(CUdeviceptr dx, CUdeviceptr dy, int planes, int planeSize) {
        pooling.avgBackward(dx, dy, planes, planeSize);
    }

    // ---- loss and metrics: a bad label gives NaN (loss.cu) ----------------------------------------

    @Override
    protected void softmaxCrossEntropyForwardKernel(CUdeviceptr lossOut, CUdeviceptr probs, CUdeviceptr logits,
                                                    CUdeviceptr labels, int n, int classes) {
        loss.forward(lossOut, probs, logits, labels, n, classes);
    }

    @Override
    protected void softmaxCrossEntropyBackwardKernel(CUdeviceptr dLogits, CUdeviceptr probs, CUdeviceptr labels, int n,
                                                     int classes) {
        loss.backward(dLogits, probs, labels, n, classes);
    }

    @Override
    protected int countCorrectKernel(CUdeviceptr logits, CUdeviceptr labels, int n, int classes) {
        return loss.countCorrect(logits, labels, n, classes);
    }

    // ---- fake quantization: a bad clip gives NaN (fake_quant.cu) --------------------------------

    @Override
    protected void fakeQuantWeightsForwardKernel(CUdeviceptr wq, CUdeviceptr mask, CUdeviceptr scale, CUdeviceptr w,
                                                 int channels, int inner, int bits) {
        fakeQuant.weightsForward(wq, mask, scale, w, channels, inner, bits);
    }

    @Override
    protected void fakeQuantWeightsBackwardKernel(CUdeviceptr dw, CUdeviceptr dwq, CUdeviceptr mask, int n) {
        fakeQuant.weightsBackward(dw, dwq, mask, n);
    }

    @Override
    protected void fakeQuantActivationsForwardKernel(CUdeviceptr y, CUdeviceptr x, CUdeviceptr clip, int n, int bits) {
        fakeQuant.activationsForward(y, x, clip, n, bits);
    }

    @Override
    protected void fakeQuantActivationsBackwardKernel(CUdeviceptr dx, CUdeviceptr dClip, CUdeviceptr dy,
                                                      CUdeviceptr x, CUdeviceptr clip, int n) {
        fakeQuant.activationsBackward(dx, dClip, dy, x, clip, n);
    }

    // ---- optimizer -------------------------------------------------------------------------------

    @Override
    protected void sgdUpdateKernel(CUdeviceptr param, CUdeviceptr velocity, CUdeviceptr grad, int n, float lr,
                                   float momentum, float weightDecay) {
        elementwise.sgd(param, velocity, grad, n, lr, momentum, weightDecay);
    }

    @Override
    public void synchronize() {
        ctx.synchronize();
    }

    /** Waits for the device, then releases the libraries, the kernels, the pool and the context. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            ctx.synchronize();
            libraries.close();
        } finally {
            ctx.close();
        }
    }
}
