package org.mixq.rl.sensitivity;

import java.util.Arrays;
import java.util.List;
import org.mixq.core.Quantizer;
import org.mixq.nn.quant.QuantLayerInfo;
import org.mixq.rl.config.Setting;
import org.mixq.rl.config.SettingException;

/**
 * Phase one of the sensitivity baseline (as AIMET's AMP phase 1): the validation accuracy with
 * one searched layer's weights at one candidate width, every other searched layer in full
 * precision and the fixed end layers at {@code endBits} (as the search fixes them); inputs stay
 * in full precision. Entries not yet measured are NaN.
 */
public final class SensitivityTable {
    private final List<QuantLayerInfo> layers;
    private final boolean[] searched;
    private final int[] candidates;
    private final int endBits;
    private final double[][] accuracy;
    private double fpAccuracy = Double.NaN;

    /** An empty table; {@code candidates} are sorted and deduplicated. */
    public SensitivityTable(List<QuantLayerInfo> layers, boolean[] searched, int[] candidates, int endBits) {
        if (searched.length != layers.size()) {
            throw new IllegalArgumentException("searched: " + searched.length + " flags for " + layers.size() + " layers");
        }
        this.candidates = Arrays.stream(candidates).sorted().distinct().toArray();
        if (this.candidates.length == 0) {
            throw new SettingException(Setting.CANDIDATE_BITS, "no candidate bit widths");
        }
        for (int b : this.candidates) {
            if (b < Quantizer.MIN_WEIGHT_BITS || b > Quantizer.MAX_BITS) {
                throw new SettingException(Setting.CANDIDATE_BITS, "candidates must be in " + Quantizer.MIN_WEIGHT_BITS + ".."
                        + Quantizer.MAX_BITS + ", got " + b);
            }
        }
        this.layers = List.copyOf(layers);
        this.searched = searched.clone();
        this.endBits = endBits;
        this.accuracy = new double[layers.size()][this.candidates.length];
        for (double[] row : accuracy) {
            Arrays.fill(row, Double.NaN);
        }
    }

    public List<QuantLayerInfo> layers() {
        return layers;
    }

    public boolean searched(int layer) {
        return searched[layer];
    }

    public boolean[] searched() {
        return searched.clone();
    }

    public int[] candidates() {
        return candidates.clone();
    }

    public int endBits() {
        return endBits;
    }

    public double fpAccuracy() {
        return fpAccuracy;
    }

    void setFpAccuracy(double acc) {
        fpAccuracy = acc;
    }

    /** Position of {@code bits} among the candidates, or -1. */
    public int candidateIndex(int bits) {
        return Arrays.binarySearch(candidates, bits) >= 0 ? Arrays.binarySearch(candidates, bits) : -1;
    }

    /** The measured accuracy of layer {@code layer} alone at {@code bits}, NaN when not measured. */
    public double accuracy(int layer, int bits) {
        int j = candidateIndex(bits);
        if (j < 0 || !searched[layer]) {
            throw new IllegalArgumentException("sensitivity: layer " + layer + " at " + bits + " bits is not in the table");
        }
        return accuracy[layer][j];
    }

    void set(int layer, int bits, double acc) {
        if (!Double.isNaN(accuracy(layer, bits))) {
            throw new IllegalArgumentException("layer " + layers.get(layer).name() + " at " + bits + " bits is measured twice");
        }
        accuracy[layer][candidateIndex(bits)] = acc;
    }

    /** Accuracy drop in percentage points against full precision (positive: worse). */
    public double dropPoints(int layer, int bits) {
        return 100 * (fpAccuracy - accuracy(layer, bits));
    }

    /** Whether every searched layer is measured at every candidate and full precision is known. */
    public boolean complete() {
        if (Double.isNaN(fpAccuracy)) {
            return false;
        }
        for (int l = 0; l < layers.size(); l++) {
            for (int j = 0; searched[l] && j < candidates.length; j++) {
                if (Double.isNaN(accuracy[l][j])) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Number of single-layer entries, {@code searched layers x candidates}. */
    public int size() {
        int n = 0;
        for (boolean s : searched) {
            n += s ? candidates.length : 0;
        }
        return n;
    }

    /** Weight bits with only {@code layer} at {@code bits}: other searched layers 32, ends at endBits. */
    public int[] singleLayerPolicy(int layer, int bits) {
        int[] w = new int[layers.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = searched[i] ? Quantizer.FULL_PRECISION : endBits;
        }
        w[layer] = bits;
        return w;
    }

    /** Activation bits of every policy of the baseline: inputs in full precision. */
    public int[] activationPolicy() {
        int[] a = new int[layers.size()];
        Arrays.fill(a, Quantizer.FULL_PRECISION);
        return a;
    }
}
