package org.mixq.rl.env;

import java.util.List;
import java.util.stream.IntStream;
import org.mixq.core.Quantizer;
import org.mixq.nn.quant.QuantLayerInfo;

/**
 * The weight and activation bit widths each layer may take during a search, so a cost model
 * backed by a table can be checked for gaps before the search starts.
 */
public record BitChoices(int[][] weight, int[][] activation) {

    public int[] weightBits(int layer) {
        return weight[layer].clone();
    }

    public int[] activationBits(int layer) {
        return activation[layer].clone();
    }

    /**
     * What {@link QuantEnv} visits: a searched layer's weights take {@code minBits..maxBits}
     * (the budget wall and the sequential cap only lower them within that range), its input
     * activations {@code max(2, minBits)..maxBits} when activations are searched and the input
     * is quantizable, else 32; a fixed end layer stays at {@code endBits} with 32-bit input.
     */
    public static BitChoices forSearch(List<QuantLayerInfo> layers, boolean[] searched, int minBits, int maxBits,
                                       int endBits, boolean quantizeActivations) {
        int n = layers.size();
        int[][] w = new int[n][];
        int[][] a = new int[n][];
        int minA = Math.max(Quantizer.MIN_ACTIVATION_BITS, minBits);
        for (int i = 0; i < n; i++) {
            w[i] = searched[i] ? IntStream.rangeClosed(minBits, maxBits).toArray() : new int[] {endBits};
            a[i] = searched[i] && quantizeActivations && layers.get(i).activationQuantizable()
                    ? IntStream.rangeClosed(minA, maxBits).toArray() : new int[] {Quantizer.FULL_PRECISION};
        }
        return new BitChoices(w, a);
    }

    /** Weight-only candidates: searched layers take {@code candidates}, fixed ends {@code endBits}; inputs stay 32. */
    public static BitChoices forCandidates(List<QuantLayerInfo> layers, boolean[] searched, int[] candidates, int endBits) {
        int n = layers.size();
        int[][] w = new int[n][];
        int[][] a = new int[n][];
        for (int i = 0; i < n; i++) {
            w[i] = searched[i] ? candidates.clone() : new int[] {endBits};
            a[i] = new int[] {Quantizer.FULL_PRECISION};
        }
        return new BitChoices(w, a);
    }
}
