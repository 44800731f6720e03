package org.mixq.kernels;

import java.util.Locale;
import jcuda.driver.CUdeviceptr;
import org.mixq.core.Backend;
import org.mixq.core.ConvGeometry;
import org.mixq.core.ConvSpec;
import org.mixq.core.OpChecks;
import org.mixq.core.Shape;
import org.mixq.core.Tensor;

/**
 * The CUDA backend: tensors in device memory from a caching pool, all work queued on one
 * stream. Ops are validated here with {@link OpChecks}, exactly as the CPU backend validates
 * them, then handed to cuBLAS, cuDNN or the launcher of a hand-written kernel file. Three
 * checks need a value that lives on the device and so read it back (a synchronizing copy of a
 * few bytes): the activation clip threshold and the labels of the loss and accuracy ops.
 *
 * <p>Created by {@link CudaBackendProvider}; owns the context, the libraries and the launchers,
 * and releases them in {@link #close()}.
 */
public final class CudaBackend implements Backend {
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

    /** The device address of a tensor of this backend (validated by the caller). */
    static CUdeviceptr ptr(Tensor t) {
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
    public Tensor alloc(Shape shape) {
        OpChecks.notNull("alloc", "shape", shape);
        ctx.bind();
        CudaBuffer b = new CudaBuffer(ctx.allocator, shape.size());
        ctx.fill(b.ptr(), shape.size(), 0f);
        return new Tensor(this, shape, b);
    }

    @Override
    public void copyIn(Tensor dst, float[] src) {
        OpChecks.copyIn(this, dst, src);
        ctx.bind();
        ctx.copyIn(ptr(dst), src);
    }

    @Override
    public void copyOut(float[] dst, Tensor src) {
        OpChecks.copyOut(this, dst, src);
        ctx.bind();
        ctx.copyOut(dst, ptr(src));
    }

    @Override
    public void copy(Tensor dst, Tensor src) {
        OpChecks.copy(this, dst, src);
        ctx.bind();
        ctx.copy(ptr(dst), ptr(src), src.size());
    }

    @Override
    public void fill(Tensor dst, float value) {
        OpChecks.tensor(this, "fill", "dst", dst);
        ctx.bind();
        ctx.fill(ptr(dst), dst.size(), value);
    }

    /** Copies labels to the host and checks each is a class index, with the CPU backend's message. */
    private void checkLabels(String op, Tensor labels, int classes) {
        float[] host = new float[labels.size()];
        ctx.copyOut(host, ptr(labels));
        for (int i = 0; i < host.length; i++) {
            OpChecks.label(op, host[i], i, classes);
        }
    }

    // ---- dense algebra ---------------------------------------------------------------------

    @Override
    public void gemm(Tensor c, Tensor a, Tensor b, boolean transA, boolean transB, float alpha, float beta) {
        OpChecks.gemm(this, c, a, b, transA, transB);
        int m = OpChecks.rows(c);
        int n = OpChecks.cols(c);
        int k = transA ? OpChecks.rows(a) : OpChecks.cols(a);
        ctx.bind();
        gemm.sgemm(transA, transB, m, n, k, alpha, ptr(a), OpChecks.cols(a), 0, ptr(b), OpChecks.cols(b), 0, beta, ptr(c),
                n, 0, 1);
    }

    @Override
    public void biasAdd(Tensor y, Tensor bias) {
        int c = OpChecks.biasAdd(this, y, bias);
        ctx.bind();
        elementwise.biasAdd(ptr(y), ptr(bias), y.dim(0), c, y.shape().inner(1));
    }

    @Override
    public void biasBackward(Tensor dBias, Tensor dy) {
        int c = OpChecks.biasBackward(this, dBias, dy);
        ctx.bind();
        elementwise.biasBackward(ptr(dBias), ptr(dy), dy.dim(0), c, dy.shape().inner(1));
    }

    @Override
    public void add(Tensor y, Tensor a, Tensor b) {
        OpChecks.add(this, y, a, b);
        ctx.bind();
        elementwise.add(ptr(y), ptr(a), ptr(b), y.size());
    }

    // ---- convolution -------------------------------------------------------------------------

    @Override
    public void conv2dForward(Tensor y, Tensor x, Tensor w, Tensor bias, ConvSpec spec) {
        OpChecks.conv(this, "conv2dForward", y, x, w, spec);
        OpChecks.bias(this, "conv2dForward", bias, w.dim(0));
        ctx.bind();
        conv.forward(ptr(y), ptr(x), ptr(w), bias == null ? null : ptr(bias), ConvGeometry.of(x.shape(), w.shape(), spec));
    }

    @Override
    public void conv2dBackwardData(Tensor dx, Tensor dy, Tensor w, ConvSpec spec) {
        OpChecks.conv(this, "conv2dBackwardData", dy, dx, w, spec);
        ctx.bind();
        conv.backwardData(ptr(dx), ptr(dy), ptr(w), ConvGeometry.of(dx.shape(), w.shape(), spec));
    }

    @Override
    public void conv2dBackwardFilter(Tensor dw, Tensor dBias, Tensor dy, Tensor x, ConvSpec spec) {
        OpChecks.conv(this, "conv2dBackwardFilter", dy, x, dw, spec);
        OpChecks.bias(this, "conv2dBackwardFilter", dBias, dw.dim(0));
        ctx.bind();
        conv.backwardFilter(ptr(dw), dBias == null ? null : ptr(dBias), ptr(dy), ptr(x),
                ConvGeometry.of(x.shape(), dw.shape(), spec));
    }

    // ---- batch normalization -------------------------------------------------------------------


    @Override
    public void batchNormForwardTraining(Tensor y, Tensor saveMean, Tensor saveInvStd, Tensor runningMean,
                                         Tensor runningVar, Tensor x, Tensor gamma, Tensor beta,
                                         float momentum, float eps) {
        int c = OpChecks.batchNormForwardTraining(this, y, saveMean, saveInvStd, runningMean, runningVar, x, gamma, beta, momentum, eps);
        ctx.bind();
        norm.forwardTraining(ptr(y), ptr(saveMean), ptr(saveInvStd), ptr(runningMean), ptr(runningVar), ptr(x),
                ptr(gamma), ptr(beta), x.dim(0), c, x.shape().inner(1), momentum, eps);
    }

    @Override
    public void batchNormForwardInference(Tensor y, Tensor x, Tensor gamma, Tensor beta, Tensor runningMean,
                                          Tensor runningVar, float eps) {
        int c = OpChecks.batchNormForwardInference(this, y, x, gamma, beta, runningMean, runningVar, eps);
        ctx.bind();
        norm.forwardInference(ptr(y), ptr(x), ptr(gamma), ptr(beta), ptr(runningMean), ptr(runningVar), x.dim(0), c,
                x.shape().inner(1), eps);
    }

    @Override
    public void batchNormBackward(Tensor dx, Tensor dGamma, Tensor dBeta, Tensor dy, Tensor x, Tensor gamma,
                                  Tensor saveMean, Tensor saveInvStd) {
        int c = OpChecks.batchNormBackward(this, dx, dGamma, dBeta, dy, x, gamma, saveMean, saveInvStd);
        ctx.bind();
        norm.backward(ptr(dx), ptr(dGamma), ptr(dBeta), ptr(dy), ptr(x), ptr(gamma), ptr(saveMean), ptr(saveInvStd),
                x.dim(0), c, x.shape().inner(1));
    }


    // ---- activations and pooling ---------------------------------------------------------------

    @Override
    public void reluForward(Tensor y, Tensor x) {
        OpChecks.reluForward(this, y, x);
        ctx.bind();
        elementwise.reluForward(ptr(y), ptr(x), x.size());
    }

    @Override
    public void reluBackward(Tensor dx, Tensor dy, Tensor y) {
        OpChecks.reluBackward(this, dx, dy, y);
        ctx.bind();
        elementwise.reluBackward(ptr(dx), ptr(dy), ptr(y), y.size());
    }

    @Override
    public void maxPool2dForward(Tensor y, Tensor x, int window, int stride) {
        OpChecks.pool(this, "maxPool2dForward", y, x, window, stride);
        ctx.bind();
        pooling.maxForward(ptr(y), ptr(x), x.dim(0) * x.dim(1), x.dim(2), x.dim(3), window, stride);
    }

    @Override
    public void maxPool2dBackward(Tensor dx, Tensor dy, Tensor x, Tensor y, int window, int stride) {
        OpChecks.maxPool2dBackward(this, dx, dy, x, y, window, stride);
        ctx.bind();
        pooling.maxBackward(ptr(dx), ptr(dy), ptr(x), ptr(y), x.dim(0) * x.dim(1), x.dim(2), x.dim(3), window, stride);
    }

    @Override
    public void globalAvgPoolForward(Tensor y, Tensor x) {
        OpChecks.globalAvgPoolForward(this, y, x);
        ctx.bind();
        pooling.avgForward(ptr(y), ptr(x), x.dim(0) * x.dim(1), x.dim(2) * x.dim(3));
    }

    @Override
    public void globalAvgPoolBackward(Tensor dx, Tensor dy) {
        OpChecks.globalAvgPoolBackward(this, dx, dy);
        ctx.bind();
        pooling.avgBackward(ptr(dx), ptr(dy), dx.dim(0) * dx.dim(1), dx.dim(2) * dx.dim(3));
    }

    // ---- loss and metrics ------------------------------------------------------------------------

    @Override
    public void softmaxCrossEntropyForward(Tensor lossOut, Tensor probs, Tensor logits, Tensor labels) {
        OpChecks.softmaxCrossEntropyForward(this, lossOut, probs, logits, labels);
        ctx.bind();
        checkLabels("softmaxCrossEntropyForward", labels, logits.dim(1));
        loss.forward(ptr(lossOut), ptr(probs), ptr(logits), ptr(labels), logits.dim(0), logits.dim(1));
    }

    @Override
    public void softmaxCrossEntropyBackward(Tensor dLogits, Tensor probs, Tensor labels) {
        OpChecks.softmaxCrossEntropyBackward(this, dLogits, probs, labels);
        ctx.bind();
        checkLabels("softmaxCrossEntropyBackward", labels, probs.dim(1));
        loss.backward(ptr(dLogits), ptr(probs), ptr(labels), probs.dim(0), probs.dim(1));
    }

    @Override
    public int countCorrect(Tensor logits, Tensor labels) {
        OpChecks.classification(this, "countCorrect", logits, labels);
        ctx.bind();
        checkLabels("countCorrect", labels, logits.dim(1));
        return loss.countCorrect(ptr(logits), ptr(labels), logits.dim(0), logits.dim(1));
    }

    // ---- fake quantization -------------------------------------------------------------------

    @Override
    public void fakeQuantWeightsForward(Tensor wq, Tensor mask, Tensor scale, Tensor w, int bits) {
        OpChecks.fakeQuantWeightsForward(this, wq, mask, scale, w, bits);
        ctx.bind();
        fakeQuant.weightsForward(ptr(wq), ptr(mask), ptr(scale), ptr(w), w.dim(0), w.shape().inner(0), bits);
    }

    @Override
    public void fakeQuantWeightsBackward(Tensor dw, Tensor dwq, Tensor mask) {
        OpChecks.fakeQuantWeightsBackward(this, dw, dwq, mask);
        ctx.bind();
        fakeQuant.weightsBackward(ptr(dw), ptr(dwq), ptr(mask), dw.size());
    }

    @Override
    public void fakeQuantActivationsForward(Tensor y, Tensor x, Tensor clip, int bits) {
        OpChecks.fakeQuantActivationsForward(this, y, x, clip, bits);
        ctx.bind();
        OpChecks.positive("fakeQuantActivationsForward", "clip[0]", ctx.first(ptr(clip)));
        fakeQuant.activationsForward(ptr(y), ptr(x), ptr(clip), x.size(), bits);
    }

    @Override
    public void fakeQuantActivationsBackward(Tensor dx, Tensor dClip, Tensor dy, Tensor x, Tensor clip, int bits) {
        OpChecks.fakeQuantActivationsBackward(this, dx, dClip, dy, x, clip, bits);
        ctx.bind();
        OpChecks.positive("fakeQuantActivationsBackward", "clip[0]", ctx.first(ptr(clip)));
        fakeQuant.activationsBackward(ptr(dx), ptr(dClip), ptr(dy), ptr(x), ptr(clip), x.size());
    }

    // ---- optimizer -------------------------------------------------------------------------------

    @Override
    public void sgdUpdate(Tensor param, Tensor velocity, Tensor grad, float lr, float momentum, float weightDecay) {
        OpChecks.sgdUpdate(this, param, velocity, grad, lr, momentum, weightDecay);
        ctx.bind();
        elementwise.sgd(ptr(param), ptr(velocity), ptr(grad), param.size(), lr, momentum, weightDecay);
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
