package org.mixq.core;

/**
 * Argument validation of the {@link Backend} contract. {@link CheckedBackend} runs the per-op
 * checks (package-private) before every kernel, so each op is checked once, at the boundary,
 * with the same messages on every backend; the public helpers serve kernels that check a value
 * they read for free (a CPU label). Every failure is an {@link IllegalArgumentException} whose
 * message starts with the op and names the argument.
 */
public final class OpChecks {
    private OpChecks() {
    }

    public static void check(boolean ok, String op, String message) {
        if (!ok) {
            throw new IllegalArgumentException(op + ": " + message);
        }
    }

    public static void notNull(String op, String name, Object value) {
        check(value != null, op, name + " is null");
    }

    /** Not null, owned by {@code backend}, not closed. */
    public static void tensor(Backend backend, String op, String name, Tensor t) {
        notNull(op, name, t);
        if (t.backend() != backend) {
            String owner = t.backend().name().equals(backend.name())
                    ? "another " + backend.name() + " backend instance" : "backend " + t.backend().name();
            check(false, op, name + " belongs to " + owner + ", not to this " + backend.name() + " backend");
        }
        t.buffer();
    }

    public static void rank(String op, String name, Tensor t, int rank) {
        check(t.rank() == rank, op, name + " must have rank " + rank + ", got shape " + t.shape());
    }

    public static void size(String op, String name, Tensor t, int expected) {
        check(t.size() == expected, op, name + " must have " + expected + " elements, got shape " + t.shape());
    }

    public static void sameShape(String op, String name, Tensor t, String refName, Tensor ref) {
        check(t.shape().equals(ref.shape()), op, name + " has shape " + t.shape() + " but " + refName + " has " + ref.shape());
    }

    public static void positive(String op, String name, float v) {
        check(v > 0 && Float.isFinite(v), op, name + " must be a positive finite number, got " + v);
    }

    public static void nonNegative(String op, String name, float v) {
        check(v >= 0 && Float.isFinite(v), op, name + " must be a finite number >= 0, got " + v);
    }

    public static void weightBits(String op, int bits) {
        check(bits >= Quantizer.MIN_WEIGHT_BITS && bits <= Quantizer.MAX_BITS, op,
                "bits must be in " + Quantizer.MIN_WEIGHT_BITS + ".." + Quantizer.MAX_BITS + ", got " + bits);
    }

    public static void activationBits(String op, int bits) {
        check(bits >= Quantizer.MIN_ACTIVATION_BITS && bits <= Quantizer.MAX_BITS, op,
                "bits must be in " + Quantizer.MIN_ACTIVATION_BITS + ".." + Quantizer.MAX_BITS + ", got " + bits);
    }

    /** Rows of a tensor read as a matrix [dim0, rest]. */
    public static int rows(Tensor t) {
        return t.rank() == 0 ? 1 : t.dim(0);
    }

    /** Columns of a tensor read as a matrix [dim0, rest]. */
    public static int cols(Tensor t) {
        return t.rank() == 0 ? 1 : t.shape().inner(0);
    }

    /** Channels (dim 1) of an NCHW or [n, c] tensor. */
    public static int channels(String op, String name, Tensor t) {
        check(t.rank() >= 2, op, name + " must have rank >= 2 (N, C, ...), got shape " + t.shape());
        return t.dim(1);
    }

    static void gemm(Backend b, Tensor c, Tensor a, Tensor bm, boolean transA, boolean transB) {
        String op = "gemm";
        tensor(b, op, "c", c);
        tensor(b, op, "a", a);
        tensor(b, op, "b", bm);
        int m = transA ? cols(a) : rows(a);
        int k = transA ? rows(a) : cols(a);
        int kb = transB ? cols(bm) : rows(bm);
        int n = transB ? rows(bm) : cols(bm);
        check(k == kb, op, "inner dimensions differ: op(a) is " + m + "x" + k + ", op(b) is " + kb + "x" + n);
        check(rows(c) == m && cols(c) == n, op, "c must be " + m + "x" + n + ", got shape " + c.shape());
    }

    static void conv(Backend b, String op, Tensor y, Tensor x, Tensor w, ConvSpec spec) {
        tensor(b, op, "y/dy", y);
        tensor(b, op, "x/dx", x);
        tensor(b, op, "w/dw", w);
        notNull(op, "spec", spec);
        rank(op, "x", x, 4);
        rank(op, "w", w, 4);
        rank(op, "y", y, 4);
        check(w.dim(1) == x.dim(1), op, "w has " + w.dim(1) + " input channels but x has " + x.dim(1) + " (w " + w.shape() + ", x " + x.shape() + ")");
        int p = spec.outH(x.dim(2), w.dim(2));
        int q = spec.outW(x.dim(3), w.dim(3));
        check(p > 0 && q > 0, op, "filter " + w.shape() + " does not fit input " + x.shape() + " with " + spec);
        Shape expected = Shape.of(x.dim(0), w.dim(0), p, q);
        check(y.shape().equals(expected), op, "y must have shape " + expected + ", got " + y.shape());
    }

    static void bias(Backend b, String op, Tensor bias, int channels) {
        if (bias != null) {
            tensor(b, op, "bias", bias);
            size(op, "bias", bias, channels);
        }
    }

    /** Per-channel parameter tensors of batch norm, each with {@code c} elements. */
    static void perChannel(Backend b, String op, int c, String[] names, Tensor... ts) {
        for (int i = 0; i < ts.length; i++) {
            tensor(b, op, names[i], ts[i]);
            size(op, names[i], ts[i], c);
        }
    }

    static void pool(Backend b, String op, Tensor y, Tensor x, int window, int stride) {
        tensor(b, op, "y", y);
        tensor(b, op, "x", x);
        rank(op, "x", x, 4);
        check(window >= 1, op, "window must be >= 1, got " + window);
        check(stride >= 1, op, "stride must be >= 1, got " + stride);
        check(x.dim(2) >= window && x.dim(3) >= window, op, "window " + window + " larger than input " + x.shape());
        Shape expected = Shape.of(x.dim(0), x.dim(1), (x.dim(2) - window) / stride + 1, (x.dim(3) - window) / stride + 1);
        check(y.shape().equals(expected), op, "y must have shape " + expected + ", got " + y.shape());
    }

    static void classification(Backend b, String op, Tensor logits, Tensor labels) {
        tensor(b, op, "logits", logits);
        tensor(b, op, "labels", labels);
        rank(op, "logits", logits, 2);
        check(logits.dim(1) >= 1, op, "logits must have at least one class, got shape " + logits.shape());
        size(op, "labels", labels, logits.dim(0));
    }

    /** A label must be an integer class index in [0, classes). */
    public static int label(String op, float v, int row, int classes) {
        int label = (int) v;
        check(label == v && label >= 0 && label < classes, op,
                "labels[" + row + "] = " + v + " is not a class index in [0, " + classes + ")");
        return label;
    }

    // ---- per-op argument checks, shared by every backend ------------------------------------

    /** Arguments of {@link Backend#copyIn}. */
    static void copyIn(Backend backend, Tensor dst, float[] src) {
        tensor(backend, "copyIn", "dst", dst);
        notNull("copyIn", "src", src);
        check(src.length == dst.size(), "copyIn", "src has " + src.length + " elements, dst " + dst.shape() + " has " + dst.size());
    }

    /** Arguments of {@link Backend#copyOut}. */
    static void copyOut(Backend backend, float[] dst, Tensor src) {
        tensor(backend, "copyOut", "src", src);
        notNull("copyOut", "dst", dst);
        check(dst.length == src.size(), "copyOut", "dst has " + dst.length + " elements, src " + src.shape() + " has " + src.size());
    }

    /** Arguments of {@link Backend#copy}. */
    static void copy(Backend backend, Tensor dst, Tensor src) {
        tensor(backend, "copy", "dst", dst);
        tensor(backend, "copy", "src", src);
        size("copy", "dst", dst, src.size());
    }

    /** Arguments of {@link Backend#biasAdd}. Returns the channel count. */
    static int biasAdd(Backend backend, Tensor y, Tensor bias) {
        tensor(backend, "biasAdd", "y", y);
        int c = channels("biasAdd", "y", y);
        bias(backend, "biasAdd", bias, c);
        notNull("biasAdd", "bias", bias);
        return c;
    }

    /** Arguments of {@link Backend#biasBackward}. Returns the channel count. */
    static int biasBackward(Backend backend, Tensor dBias, Tensor dy) {
        tensor(backend, "biasBackward", "dy", dy);
        int c = channels("biasBackward", "dy", dy);
        notNull("biasBackward", "dBias", dBias);
        bias(backend, "biasBackward", dBias, c);
        return c;
    }

    /** Arguments of {@link Backend#add}. */
    static void add(Backend backend, Tensor y, Tensor a, Tensor b) {
        tensor(backend, "add", "y", y);
        tensor(backend, "add", "a", a);
        tensor(backend, "add", "b", b);
        size("add", "a", a, y.size());
        size("add", "b", b, y.size());
    }

    /** Arguments of {@link Backend#reluForward}. */
    static void reluForward(Backend backend, Tensor y, Tensor x) {
        tensor(backend, "reluForward", "y", y);
        tensor(backend, "reluForward", "x", x);
        size("reluForward", "y", y, x.size());
    }

    /** Arguments of {@link Backend#reluBackward}. */
    static void reluBackward(Backend backend, Tensor dx, Tensor dy, Tensor y) {
        tensor(backend, "reluBackward", "dx", dx);
        tensor(backend, "reluBackward", "dy", dy);
        tensor(backend, "reluBackward", "y", y);
        size("reluBackward", "dx", dx, y.size());
        size("reluBackward", "dy", dy, y.size());
    }

    /** Arguments of {@link Backend#maxPool2dBackward}. */
    static void maxPool2dBackward(Backend backend, Tensor dx, Tensor dy, Tensor x, Tensor y, int window, int stride) {
        String op = "maxPool2dBackward";
        pool(backend, op, y, x, window, stride);
        tensor(backend, op, "dx", dx);
        tensor(backend, op, "dy", dy);
        sameShape(op, "dx", dx, "x", x);
        sameShape(op, "dy", dy, "y", y);
    }

    /** Arguments of {@link Backend#globalAvgPoolForward}. */
    static void globalAvgPoolForward(Backend backend, Tensor y, Tensor x) {
        String op = "globalAvgPoolForward";
        tensor(backend, op, "y", y);
        tensor(backend, op, "x", x);
        rank(op, "x", x, 4);
        size(op, "y", y, x.dim(0) * x.dim(1));
    }

    /** Arguments of {@link Backend#globalAvgPoolBackward}. */
    static void globalAvgPoolBackward(Backend backend, Tensor dx, Tensor dy) {
        String op = "globalAvgPoolBackward";
        tensor(backend, op, "dx", dx);
        tensor(backend, op, "dy", dy);
        rank(op, "dx", dx, 4);
        size(op, "dy", dy, dx.dim(0) * dx.dim(1));
    }

    /** Arguments of {@link Backend#softmaxCrossEntropyForward}. */
    static void softmaxCrossEntropyForward(Backend backend, Tensor lossOut, Tensor probs, Tensor logits, Tensor labels) {
        String op = "softmaxCrossEntropyForward";
        classification(backend, op, logits, labels);
        tensor(backend, op, "loss", lossOut);
        size(op, "loss", lossOut, 1);
        tensor(backend, op, "probs", probs);
        sameShape(op, "probs", probs, "logits", logits);
    }

    /** Arguments of {@link Backend#softmaxCrossEntropyBackward}. */
    static void softmaxCrossEntropyBackward(Backend backend, Tensor dLogits, Tensor probs, Tensor labels) {
        String op = "softmaxCrossEntropyBackward";
        classification(backend, op, probs, labels);
        tensor(backend, op, "dLogits", dLogits);
        sameShape(op, "dLogits", dLogits, "probs", probs);
    }

    /** Arguments of {@link Backend#fakeQuantWeightsForward}. */
    static void fakeQuantWeightsForward(Backend backend, Tensor wq, Tensor mask, Tensor scale, Tensor w, int bits) {
        String op = "fakeQuantWeightsForward";
        tensor(backend, op, "w", w);
        tensor(backend, op, "wq", wq);
        tensor(backend, op, "mask", mask);
        tensor(backend, op, "scale", scale);
        weightBits(op, bits);
        check(w.rank() >= 1, op, "w must have rank >= 1 (channel first), got shape " + w.shape());
        size(op, "wq", wq, w.size());
        size(op, "mask", mask, w.size());
        size(op, "scale", scale, w.dim(0));
    }

    /** Arguments of {@link Backend#fakeQuantWeightsBackward}. */
    static void fakeQuantWeightsBackward(Backend backend, Tensor dw, Tensor dwq, Tensor mask) {
        String op = "fakeQuantWeightsBackward";
        tensor(backend, op, "dw", dw);
        tensor(backend, op, "dwq", dwq);
        tensor(backend, op, "mask", mask);
        size(op, "dwq", dwq, dw.size());
        size(op, "mask", mask, dw.size());
    }

    /** Arguments of {@link Backend#sgdUpdate}. */
    static void sgdUpdate(Backend backend, Tensor param, Tensor velocity, Tensor grad, float lr, float momentum, float weightDecay) {
        String op = "sgdUpdate";
        tensor(backend, op, "param", param);
        tensor(backend, op, "velocity", velocity);
        tensor(backend, op, "grad", grad);
        size(op, "velocity", velocity, param.size());
        size(op, "grad", grad, param.size());
        nonNegative(op, "lr", lr);
        nonNegative(op, "momentum", momentum);
        nonNegative(op, "weightDecay", weightDecay);
    }

    /** Arguments of {@link Backend#batchNormForwardTraining}; returns the channel count. */
    static int batchNormForwardTraining(Backend backend, Tensor y, Tensor saveMean, Tensor saveInvStd, Tensor runningMean, Tensor runningVar, Tensor x, Tensor gamma, Tensor beta, float momentum, float eps) {
        String op = "batchNormForwardTraining";
        int c = bnShapes(backend, op, y, x);
        perChannel(backend, op, c, BN_TRAIN, saveMean, saveInvStd, runningMean, runningVar, gamma, beta);
        check(momentum >= 0 && momentum <= 1, op, "momentum must be in [0, 1], got " + momentum);
        positive(op, "eps", eps);
        check(x.size() / c > 1, op, "batch statistics need more than one value per channel, x is " + x.shape());
        return c;
    }

    /** Arguments of {@link Backend#batchNormForwardInference}; returns the channel count. */
    static int batchNormForwardInference(Backend backend, Tensor y, Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, float eps) {
        String op = "batchNormForwardInference";
        int c = bnShapes(backend, op, y, x);
        perChannel(backend, op, c, BN_INFER, gamma, beta, runningMean, runningVar);
        positive(op, "eps", eps);
        return c;
    }

    /** Arguments of {@link Backend#batchNormBackward}; returns the channel count. */
    static int batchNormBackward(Backend backend, Tensor dx, Tensor dGamma, Tensor dBeta, Tensor dy, Tensor x, Tensor gamma, Tensor saveMean, Tensor saveInvStd) {
        String op = "batchNormBackward";
        int c = bnShapes(backend, op, dx, x);
        tensor(backend, op, "dy", dy);
        sameShape(op, "dy", dy, "x", x);
        perChannel(backend, op, c, BN_BACK, dGamma, dBeta, gamma, saveMean, saveInvStd);
        return c;
    }

    private static int bnShapes(Backend backend, String op, Tensor y, Tensor x) {
        tensor(backend, op, "x", x);
        tensor(backend, op, "y/dx", y);
        sameShape(op, "y/dx", y, "x", x);
        return channels(op, "x", x);
    }

    private static final String[] BN_TRAIN = {"saveMean", "saveInvStd", "runningMean", "runningVar", "gamma", "beta"};
    private static final String[] BN_INFER = {"gamma", "beta", "runningMean", "runningVar"};
    private static final String[] BN_BACK = {"dGamma", "dBeta", "gamma", "saveMean", "saveInvStd"};

    /** Arguments of {@link Backend#fakeQuantActivationsForward} but the clip's value, which only a kernel reads. */
    static void fakeQuantActivationsForward(Backend backend, Tensor y, Tensor x, Tensor clip, int bits) {
        String op = "fakeQuantActivationsForward";
        tensor(backend, op, "y", y);
        tensor(backend, op, "x", x);
        tensor(backend, op, "clip", clip);
        activationBits(op, bits);
        size(op, "y", y, x.size());
        size(op, "clip", clip, 1);
    }

    /** Arguments of {@link Backend#fakeQuantActivationsBackward} but the clip's value, which only a kernel reads. */
    static void fakeQuantActivationsBackward(Backend backend, Tensor dx, Tensor dClip, Tensor dy, Tensor x, Tensor clip) {
        String op = "fakeQuantActivationsBackward";
        tensor(backend, op, "dx", dx);
        tensor(backend, op, "dClip", dClip);
        tensor(backend, op, "dy", dy);
        tensor(backend, op, "x", x);
        tensor(backend, op, "clip", clip);
        size(op, "dx", dx, x.size());
        size(op, "dy", dy, x.size());
        size(op, "dClip", dClip, 1);
        size(op, "clip", clip, 1);
    }
}
