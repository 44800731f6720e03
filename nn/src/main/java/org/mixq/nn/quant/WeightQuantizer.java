package org.mixq.nn.quant;

import org.mixq.core.Backend;
import org.mixq.core.Quantizer;
import org.mixq.core.Tensor;
import org.mixq.nn.Scratch;

/**
 * The weight side of a quantized layer: per-output-channel symmetric fake quantization in
 * forward ({@link Backend#fakeQuantWeightsForward}) and the straight-through mask in backward
 * ({@link Backend#fakeQuantWeightsBackward}). At 32 bits it passes the weights through.
 *
 * <p>The bit width in effect is captured at forward, so changing {@link #setBits} between a
 * forward and its backward does not mix two quantizers in one step.
 */
public final class WeightQuantizer implements AutoCloseable {
    private final Backend backend;
    private final String layer;
    private final Scratch quantized;
    private final Scratch mask;
    private final Scratch scale;
    private final Scratch dQuantized;
    private int bits = Quantizer.FULL_PRECISION;
    private boolean appliedInForward;

    public WeightQuantizer(Backend backend, String layer) {
        this.backend = backend;
        this.layer = layer;
        this.quantized = new Scratch(backend);
        this.mask = new Scratch(backend);
        this.scale = new Scratch(backend);
        this.dQuantized = new Scratch(backend);
    }

    public int bits() {
        return bits;
    }

    /** 1..8, or 32 for full precision. */
    public void setBits(int bits) {
        BitWidths.checkWeight(layer, bits);
        this.bits = bits;
    }

    /** The weights the layer computes with: {@code w} itself at 32 bits, else its fake-quantized copy. */
    public Tensor forward(Tensor w) {
        appliedInForward = bits != Quantizer.FULL_PRECISION;
        if (!appliedInForward) {
            return w;
        }
        Tensor wq = quantized.get(w.shape());
        backend.fakeQuantWeightsForward(wq, mask.get(w.shape()), scale.get(w.dim(0)), w, bits);
        return wq;
    }

    /**
     * Where the layer's backward should put the gradient of the weights it computed with: the
     * parameter gradient {@code dw} itself at full precision, else a separate buffer for
     * dL/dw_q that the caller must overwrite (not accumulate into) and then pass through
     * {@link #backward}.
     */
    public Tensor gradientTarget(Tensor dw) {
        return appliedInForward ? dQuantized.get(dw.shape()) : dw;
    }

    /** Straight-through estimator: accumulates {@code dw += dL/dw_q * mask}; nothing at full precision. */
    public void backward(Tensor dw) {
        if (appliedInForward) {
            backend.fakeQuantWeightsBackward(dw, dQuantized.get(dw.shape()), mask.get(dw.shape()));
        }
    }

    /** Whether the last forward quantized. */
    public boolean appliedInForward() {
        return appliedInForward;
    }

    @Override
    public void close() {
        quantized.close();
        mask.close();
        scale.close();
        dQuantized.close();
    }
}
