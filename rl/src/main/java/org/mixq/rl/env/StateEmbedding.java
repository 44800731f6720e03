package org.mixq.rl.env;

import java.util.List;
import org.mixq.nn.quant.QuantLayerInfo;

/**
 * The agent's observation of layer l (DESIGN.md, "The search"). Static columns, each min-max
 * normalized over the layers (a constant column becomes 0): index, c_in, c_out, kernel,
 * stride, input feature-map size, weight count, is-linear; with the parameter prior in the
 * state also log10 of the weight count, its fraction of the total, and the cumulative fraction
 * of the layers before l (the thesis's prior: where the parameters are). Two dynamic columns
 * follow: the previous layer's action (1 before the first layer, i.e. "full precision so
 * far") and the remaining budget.
 */
public final class StateEmbedding {
    private final double[][] staticFeatures;
    private final double[] paramPrior;

    public StateEmbedding(List<QuantLayerInfo> layers, Prior prior) {
        int n = layers.size();
        if (n == 0) {
            throw new IllegalArgumentException("state: the model has no quantizable layers");
        }
        int cols = prior.inState() ? 11 : 8;
        double total = 0;
        for (QuantLayerInfo l : layers) {
            total += l.params();
        }
        double[][] raw = new double[n][cols];
        double cumulative = 0;
        for (int i = 0; i < n; i++) {
            QuantLayerInfo l = layers.get(i);
            double[] f = raw[i];
            f[0] = i;
            f[1] = l.cIn();
            f[2] = l.cOut();
            f[3] = l.kernel();
            f[4] = l.stride();
            f[5] = l.featureMapSize();
            f[6] = l.params();
            f[7] = l.isLinear() ? 1 : 0;
            if (prior.inState()) {
                f[8] = StrictMath.log10(Math.max(1, l.params()));
                f[9] = l.params() / total;
                f[10] = cumulative / total;
            }
            cumulative += l.params();
        }
        this.staticFeatures = normalizeColumns(raw);
        this.paramPrior = new double[n];
        double[][] logParams = new double[n][1];
        for (int i = 0; i < n; i++) {
            logParams[i][0] = StrictMath.log10(Math.max(1, layers.get(i).params()));
        }
        double[][] norm = normalizeColumns(logParams);
        for (int i = 0; i < n; i++) {
            paramPrior[i] = norm[i][0];
        }
    }

    /** Length of a state vector. */
    public int dimension() {
        return staticFeatures[0].length + 2;
    }

    /** The observation of layer {@code l} given the previous action and the remaining budget. */
    public double[] state(int l, double previousAction, double remainingBudget) {
        double[] s = new double[dimension()];
        System.arraycopy(staticFeatures[l], 0, s, 0, staticFeatures[l].length);
        s[s.length - 2] = previousAction;
        s[s.length - 1] = remainingBudget;
        return s;
    }

    /**
     * Layer {@code l}'s log parameter count, min-max normalized to [0, 1]: the action prior
     * shifts exploration down by {@code strength * (prior - 0.5)}, so larger layers get fewer bits.
     */
    public double parameterPrior(int l) {
        return paramPrior[l];
    }

    private static double[][] normalizeColumns(double[][] raw) {
        int n = raw.length;
        int cols = raw[0].length;
        double[][] out = new double[n][cols];
        for (int c = 0; c < cols; c++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double[] row : raw) {
                lo = Math.min(lo, row[c]);
                hi = Math.max(hi, row[c]);
            }
            for (int i = 0; i < n; i++) {
                out[i][c] = hi > lo ? (raw[i][c] - lo) / (hi - lo) : 0;
            }
        }
        return out;
    }
}
