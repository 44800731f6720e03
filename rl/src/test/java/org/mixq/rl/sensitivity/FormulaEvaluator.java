package org.mixq.rl.sensitivity;

import java.util.List;
import org.mixq.core.Quantizer;
import org.mixq.nn.quant.BitPolicy;
import org.mixq.nn.quant.ModelSize;
import org.mixq.nn.quant.QuantLayerInfo;

/**
 * A stand-in for a model: accuracy is full precision less, for each quantized layer,
 * {@code sensitivity_l / b^2} (so fewer bits and more sensitive layers lose more), and it
 * counts evaluations as QuantTask does.
 */
final class FormulaEvaluator implements PolicyEvaluator {
    static final double FP = 0.9;

    /** conv1 (fixed end), four middle layers of different sizes and sensitivities, fc (fixed end). */
    static final List<QuantLayerInfo> LAYERS = List.of(
            new QuantLayerInfo(0, "conv1", QuantLayerInfo.Kind.CONV, 3, 8, 3, 1, 16, 16, 216, 55296, false),
            new QuantLayerInfo(1, "conv2", QuantLayerInfo.Kind.CONV, 8, 16, 3, 1, 16, 16, 1152, 294912, true),
            new QuantLayerInfo(2, "conv3", QuantLayerInfo.Kind.CONV, 16, 32, 3, 1, 8, 8, 4608, 294912, true),
            new QuantLayerInfo(3, "conv4", QuantLayerInfo.Kind.CONV, 32, 32, 3, 1, 8, 8, 9216, 589824, true),
            new QuantLayerInfo(4, "conv5", QuantLayerInfo.Kind.CONV, 32, 64, 3, 1, 4, 4, 18432, 294912, true),
            new QuantLayerInfo(5, "fc", QuantLayerInfo.Kind.LINEAR, 64, 10, 1, 1, 1, 1, 640, 640, true));

    private static final double[] SENSITIVITY = {0.5, 0.8, 0.3, 0.2, 0.05, 0.4};

    private int evaluations;

    @Override
    public List<QuantLayerInfo> layers() {
        return LAYERS;
    }

    @Override
    public double fullPrecisionAccuracy() {
        evaluations++;
        return FP;
    }

    @Override
    public double accuracy(int[] weightBits, int[] activationBits) {
        evaluations++;
        double acc = FP;
        for (int l = 0; l < weightBits.length; l++) {
            if (weightBits[l] != Quantizer.FULL_PRECISION) {
                acc -= SENSITIVITY[l] / ((double) weightBits[l] * weightBits[l]);
            }
        }
        return acc;
    }

    @Override
    public long sizeBytes(int[] weightBits, int[] activationBits) {
        return ModelSize.of(LAYERS, BitPolicy.ofWeightBits(LAYERS, weightBits), 1000).totalBytes();
    }

    @Override
    public int evaluations() {
        return evaluations;
    }
}
