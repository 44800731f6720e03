package org.mixq.core;

/**
 * The op contract every backend implements. Arguments come in the order outputs, inputs, sizes.
 * Each method says which outputs it overwrites and which it accumulates into: activation
 * gradients are overwritten, parameter gradients ({@code dW}, {@code dBias}, {@code dGamma},
 * {@code dBeta}, {@code dClip}) accumulate, so a layer used twice sums its contributions.
 * All tensors must belong to this backend; bad shapes or sizes throw
 * {@link IllegalArgumentException} naming the argument (see {@link OpChecks}), and backends
 * extend {@link CheckedBackend} so that they all check the same. A value inside a tensor (a
 * label, the activation clip) is checked only where reading it costs nothing: the CPU backend
 * refuses a bad one, a device backend computes NaN from it (said per op below), which the
 * training step's loss read-back catches, so that no op waits for the device to validate.
 *
 * <p>Layouts: images NCHW, convolution filters KCRS (output channels, input channels, rows,
 * columns), matrices row-major. Labels are float tensors holding class indices, so the same
 * kernels serve every backend without an integer tensor type.
 */
public interface Backend extends AutoCloseable {

    /** Short name, as selected by {@code -Dmixq.backend} / {@code MIXQ_BACKEND}: "cpu", "cuda". */
    String name();

    /** One line describing the providers behind the ops, for {@code mixq info}. */
    String describe();

    // ---- memory ----------------------------------------------------------------------------

    /** A new tensor of the given shape, zero-filled. */
    Tensor alloc(Shape shape);

    default Tensor alloc(int... dims) {
        return alloc(Shape.of(dims));
    }

    /** Overwrites {@code dst} with {@code src}; {@code src.length} must equal {@code dst.size()}. */
    void copyIn(Tensor dst, float[] src);

    /** Overwrites {@code dst} with the elements of {@code src}; lengths must match. */
    void copyOut(float[] dst, Tensor src);

    /** Overwrites {@code dst} with {@code src}; equal sizes. */
    void copy(Tensor dst, Tensor src);

    /** Overwrites every element of {@code dst} with {@code value}. */
    void fill(Tensor dst, float value);

    // ---- dense algebra ---------------------------------------------------------------------

    /**
     * {@code c = alpha * op(a) * op(b) + beta * c}, all row-major 2-D (any rank is read as
     * [dim0, rest]). op(a) is m x k, op(b) is k x n, c is m x n. With beta = 0 c is overwritten
     * (never read, so NaN in c does not propagate).
     */
    void gemm(Tensor c, Tensor a, Tensor b, boolean transA, boolean transB, float alpha, float beta);

    /** Adds {@code bias[c]} to every element of channel c (dim 1) of {@code y}, in place. */
    void biasAdd(Tensor y, Tensor bias);

    /** Accumulates into {@code dBias[c]} the sum of {@code dy} over every dim except dim 1. */
    void biasBackward(Tensor dBias, Tensor dy);

    /** Overwrites {@code y = a + b} elementwise; {@code y} may alias {@code a} or {@code b}. */
    void add(Tensor y, Tensor a, Tensor b);

    // ---- convolution -------------------------------------------------------------------------

    /**
     * Overwrites {@code y[n,k,p,q]} with the cross-correlation of {@code x[n,c,h,w]} and
     * {@code w[k,c,r,s]}, zero padding; {@code bias[k]} is added when not null.
     */
    void conv2dForward(Tensor y, Tensor x, Tensor w, Tensor bias, ConvSpec spec);

    /** Overwrites {@code dx} with the gradient of the convolution with respect to its input. */
    void conv2dBackwardData(Tensor dx, Tensor dy, Tensor w, ConvSpec spec);

    /** Accumulates into {@code dw} (and {@code dBias} when not null) the filter and bias gradients. */
    void conv2dBackwardFilter(Tensor dw, Tensor dBias, Tensor dy, Tensor x, ConvSpec spec);

    // ---- batch normalization (per channel of NCHW, or per column of [n, c]) -------------------

    /**
     * Training mode: normalizes with the batch statistics. Overwrites {@code y},
     * {@code saveMean} and {@code saveInvStd} (1/sqrt(var_biased + eps), kept for backward) and
     * updates in place {@code runningMean = (1-momentum)*runningMean + momentum*mean} and the
     * same for {@code runningVar} with the unbiased variance (PyTorch's convention).
     */
    void batchNormForwardTraining(Tensor y, Tensor saveMean, Tensor saveInvStd, Tensor runningMean,
                                  Tensor runningVar, Tensor x, Tensor gamma, Tensor beta,
                                  float momentum, float eps);

    /** Inference mode: overwrites {@code y} using the running statistics. */
    void batchNormForwardInference(Tensor y, Tensor x, Tensor gamma, Tensor beta, Tensor runningMean,
                                   Tensor runningVar, float eps);

    /** Overwrites {@code dx}; accumulates {@code dGamma}, {@code dBeta}. Uses what training forward saved. */
    void batchNormBackward(Tensor dx, Tensor dGamma, Tensor dBeta, Tensor dy, Tensor x, Tensor gamma,
                           Tensor saveMean, Tensor saveInvStd);

    // ---- activations and pooling ---------------------------------------------------------------

    /** Overwrites {@code y = max(x, 0)}; {@code y} may alias {@code x}. */
    void reluForward(Tensor y, Tensor x);

    /** Overwrites {@code dx = dy * (y > 0)}, from the forward output; {@code dx} may alias {@code dy}. */
    void reluBackward(Tensor dx, Tensor dy, Tensor y);

    /** Overwrites {@code y} with the max over {@code window x window} patches at {@code stride}, no padding. */
    void maxPool2dForward(Tensor y, Tensor x, int window, int stride);

    /**
     * Overwrites {@code dx}: each {@code dy} goes to the first (row-major) position of its window
     * whose input equals the forward maximum, as cuDNN does with {@code x} and {@code y}.
     */
    void maxPool2dBackward(Tensor dx, Tensor dy, Tensor x, Tensor y, int window, int stride);

    /** Overwrites {@code y[n,c]} (any shape of n*c elements) with the mean of {@code x[n,c,h,w]} over h, w. */
    void globalAvgPoolForward(Tensor y, Tensor x);

    /** Overwrites {@code dx[n,c,h,w] = dy[n,c] / (h*w)}. */
    void globalAvgPoolBackward(Tensor dx, Tensor dy);

    // ---- loss and metrics ------------------------------------------------------------------------

    /**
     * Softmax over dim 1 of {@code logits[n, classes]}: overwrites {@code probs} and writes the
     * mean cross-entropy against {@code labels[n]} into the one-element {@code loss}. A label
     * that is not a class index in [0, classes) is refused, or, on a device, makes the loss NaN.
     */
    void softmaxCrossEntropyForward(Tensor loss, Tensor probs, Tensor logits, Tensor labels);

    /**
     * Overwrites {@code dLogits = (probs - onehot(labels)) / n}: the gradient of the mean loss.
     * A label that is not a class index is refused, or, on a device, makes its row NaN.
     */
    void softmaxCrossEntropyBackward(Tensor dLogits, Tensor probs, Tensor labels);

    /**
     * Number of rows of {@code logits[n, classes]} whose first argmax equals the label. A label
     * that is not a class index is refused, or, on a device, never counts as correct.
     */
    int countCorrect(Tensor logits, Tensor labels);

    // ---- fake quantization (formulas in Quantizer) -------------------------------------------

    /**
     * Symmetric per-output-channel weight fake quantization (channel = dim 0). Overwrites
     * {@code wq}, {@code mask} (1 where the straight-through gradient passes, 0 where clipped)
     * and {@code scale[channels]}. {@code bits} in 1..8.
     */
    void fakeQuantWeightsForward(Tensor wq, Tensor mask, Tensor scale, Tensor w, int bits);

    /** Straight-through estimator: accumulates {@code dw += dwq * mask}. */
    void fakeQuantWeightsBackward(Tensor dw, Tensor dwq, Tensor mask);

    /**
     * Unsigned per-tensor activation fake quantization with clip threshold {@code clip[0] > 0}:
     * overwrites {@code y = rint(clamp(x, 0, clip) / s) * s}, {@code s = clip / (2^bits - 1)},
     * {@code bits} in 2..8. A clip that is not a positive finite number is refused, or, on a
     * device, makes every {@code y} NaN.
     */
    void fakeQuantActivationsForward(Tensor y, Tensor x, Tensor clip, int bits);

    /**
     * PACT backward: overwrites {@code dx = dy * (0 < x < clip)}; accumulates
     * {@code dClip[0] += sum(dy * (x >= clip))}. The gradient does not depend on the bit width.
     * A clip that is not a positive finite number is refused, or, on a device, makes {@code dx}
     * and {@code dClip} NaN.
     */
    void fakeQuantActivationsBackward(Tensor dx, Tensor dClip, Tensor dy, Tensor x, Tensor clip);

    // ---- optimizer -------------------------------------------------------------------------------

    /**
     * SGD with momentum and L2 weight decay, in place, PyTorch's formulation:
     * {@code g = grad + weightDecay*param; velocity = momentum*velocity + g; param -= lr*velocity}.
     */
    void sgdUpdate(Tensor param, Tensor velocity, Tensor grad, float lr, float momentum, float weightDecay);

    /** Waits for queued device work; a no-op on the CPU. */
    default void synchronize() {
    }

    /** Releases pools, threads and handles. Tensors of this backend must not be used afterwards. */
    @Override
    void close();
}
