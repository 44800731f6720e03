package org.mixq.nn.quant;

import org.mixq.core.Backend;
import org.mixq.core.Quantizer;
import org.mixq.core.Shape;
import org.mixq.core.Tensor;
import org.mixq.nn.Parameter;
import org.mixq.nn.Scratch;

/**
 * The input side of a quantized layer: unsigned per-tensor fake quantization of a post-ReLU
 * input with a clip threshold, the PACT parameter (Choi et al. 2018) learned through
 * {@link Backend#fakeQuantActivationsBackward}. At 32 bits the input passes through.
 *
 * <p>The clip starts at {@link #INITIAL_CLIP}; {@link #calibrate} replaces it with the mean of
 * observed per-batch maxima. Calibration observes with a host copy of the input, so it is meant
 * for a few batches, not the training loop.
 */
public final class ActivationQuantizer implements AutoCloseable {
    /** ReLU6's bound: above the bulk of post-BN ReLU outputs, a usable start before calibration. */
    public static final float INITIAL_CLIP = 6f;

    private final Backend backend;
    private final String layer;
    private final Parameter clip;
    private final Scratch output;
    private final Scratch dx;
    private int bits = Quantizer.FULL_PRECISION;
    private int bitsInForward = Quantizer.FULL_PRECISION;
    private Tensor savedX;
    private boolean observing;
    private double observedMaxSum;
    private int observedBatches;
    private float[] hostCopy = new float[0];

    public ActivationQuantizer(Backend backend, String layer) {
        this.backend = backend;
        this.layer = layer;
        this.clip = new Parameter(backend, layer + ".clip", Shape.of(1), false);
        this.clip.set(new float[] {INITIAL_CLIP});
        this.output = new Scratch(backend);
        this.dx = new Scratch(backend);
    }

    public int bits() {
        return bits;
    }

    /** 2..8, or 32 for full precision. */
    public void setBits(int bits) {
        BitWidths.checkActivation(layer, bits, true);
        this.bits = bits;
    }

    public Parameter clip() {
        return clip;
    }

    /** The input the layer computes with. */
    public Tensor forward(Tensor x) {
        if (observing) {
            observe(x);
        }
        bitsInForward = observing ? Quantizer.FULL_PRECISION : bits;
        if (bitsInForward == Quantizer.FULL_PRECISION) {
            return x;
        }
        savedX = x;
        Tensor y = output.get(x.shape());
        backend.fakeQuantActivationsForward(y, x, clip.value(), bitsInForward);
        return y;
    }

    /** Overwrites and returns dL/dx from dL/d(quantized input); accumulates the clip gradient. */
    public Tensor backward(Tensor dy) {
        if (bitsInForward == Quantizer.FULL_PRECISION) {
            return dy;
        }
        Tensor g = dx.get(savedX.shape());
        backend.fakeQuantActivationsBackward(g, clip.grad(), dy, savedX, clip.value());
        return g;
    }

    /** Starts recording input maxima; forward passes inputs through unquantized until {@link #calibrate}. */
    public void startObserving() {
        observing = true;
        observedMaxSum = 0;
        observedBatches = 0;
    }

    /** Ends observation and sets the clip to the mean observed per-batch maximum (unchanged if nothing positive was seen). */
    public void calibrate() {
        observing = false;
        if (observedBatches > 0 && observedMaxSum > 0) {
            clip.set(new float[] {(float) (observedMaxSum / observedBatches)});
        }
    }

    private void observe(Tensor x) {
        if (hostCopy.length != x.size()) {
            hostCopy = new float[x.size()];
        }
        backend.copyOut(hostCopy, x);
        float max = 0f;
        for (float v : hostCopy) {
            max = Math.max(max, v);
        }
        observedMaxSum += max;
        observedBatches++;
    }

    @Override
    public void close() {
        clip.close();
        output.close();
        dx.close();
    }
}
