package org.mixq.nn.quant;

import java.util.List;
import org.mixq.core.Quantizer;

/**
 * The search's currency (DESIGN.md, accounting): the weighted-average weight bit width
 * {@code sum(b_l * n_l) / sum(n_l)} over the quantizable layers' weights, and the model size
 * in bytes, reported in three parts:
 * <ul>
 *   <li>{@code weightBytes}: each layer's weights packed at its bit width, {@code ceil(b_l * n_l / 8)}
 *       (32 bits per weight for a full-precision layer);</li>
 *   <li>{@code scaleBytes}: the float32 per-output-channel scales of every quantized layer, plus
 *       one float32 clip threshold per layer whose input activations are quantized;</li>
 *   <li>{@code fullPrecisionBytes}: 4 bytes per element of every tensor kept in float32 (biases,
 *       batch-norm scale, shift and running statistics; batch norm is not folded).</li>
 * </ul>
 * A layer the policy does not name counts as full precision.
 */
public record ModelSize(long weightBytes, long scaleBytes, long fullPrecisionBytes) {

    public long totalBytes() {
        return weightBytes + scaleBytes + fullPrecisionBytes;
    }

    /** The size of a model whose layers are {@code infos} under {@code policy}. */
    public static ModelSize of(List<QuantLayerInfo> infos, BitPolicy policy, long fullPrecisionParams) {
        long weightBytes = 0;
        long scaleBytes = 0;
        for (QuantLayerInfo info : infos) {
            int wb = weightBits(policy, info);
            weightBytes += (Quantizer.storageBits(wb) * info.params() + 7) / 8;
            if (wb != Quantizer.FULL_PRECISION) {
                scaleBytes += 4L * info.cOut();
            }
            LayerBits lb = policy.get(info.name());
            if (lb != null && lb.activationBits() != Quantizer.FULL_PRECISION) {
                scaleBytes += 4;
            }
        }
        return new ModelSize(weightBytes, scaleBytes, 4 * fullPrecisionParams);
    }

    /** {@code sum(b_l * n_l) / sum(n_l)} over the layers, 32 for full-precision ones. */
    public static double weightedBits(List<QuantLayerInfo> infos, BitPolicy policy) {
        double bits = 0;
        double n = 0;
        for (QuantLayerInfo info : infos) {
            bits += (double) Quantizer.storageBits(weightBits(policy, info)) * info.params();
            n += info.params();
        }
        return n == 0 ? 0 : bits / n;
    }

    /** The same with bit widths per layer in network order. */
    public static double weightedBits(List<QuantLayerInfo> infos, int[] weightBits) {
        return weightedBits(infos, BitPolicy.ofWeightBits(infos, weightBits));
    }

    private static int weightBits(BitPolicy policy, QuantLayerInfo info) {
        LayerBits lb = policy.get(info.name());
        return lb == null ? Quantizer.FULL_PRECISION : lb.weightBits();
    }
}
