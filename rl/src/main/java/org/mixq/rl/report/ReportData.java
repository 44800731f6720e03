package org.mixq.rl.report;

import java.util.List;
import org.mixq.rl.run.EpisodeRow;
import org.mixq.rl.run.ResultRow;

/**
 * Everything the search report shows. Accuracies are fractions in [0, 1].
 *
 * @param title       heading of the report
 * @param facts       key/value lines shown under the heading (model, dataset, command, seed, ...)
 * @param fpAccuracy  validation accuracy of the full-precision model
 * @param fpSizeBytes size of the full-precision model
 * @param warmup      number of leading warm-up (random) episodes
 * @param episodes    every searched episode, in order
 * @param baselines   points of other methods (uniform QAT, random search, sensitivity) to compare against
 * @param best        the chosen policy
 * @param results     the final table: one row per method after fine-tuning
 * @param comparison  the other methods' fronts, the budgets and the sensitivity table
 */
public record ReportData(String title, List<String[]> facts, double fpAccuracy, long fpSizeBytes, int warmup,
                         List<EpisodeRow> episodes, List<Point> baselines, Policy best, List<ResultRow> results,
                         Comparison comparison) {

    /**
     * What compares the methods run on one model: each method's evaluated policies (their
     * fronts are drawn), the budgets (NaN when not set), the chosen policy of each method, and
     * the sensitivity table (null when none was measured).
     */
    public record Comparison(List<MethodRows> methods, double targetBits, double maxAccDrop, List<MethodBits> chosen,
                             Sensitivity sensitivity) {
        public static Comparison none() {
            return new Comparison(List.of(), Double.NaN, Double.NaN, List.of(), null);
        }
    }

    /** Every policy one method evaluated. */
    public record MethodRows(String method, List<EpisodeRow> rows) {
    }

    /** The weight bits per layer of a method's chosen policy. */
    public record MethodBits(String method, int[] weightBits) {
    }

    /**
     * Validation accuracy with one layer quantized at a time: {@code accuracy[layer][b]} for
     * {@code bits[b]}, NaN where not measured (layers not searched).
     */
    public record Sensitivity(String[] layers, int[] bits, double[][] accuracy, double fpAccuracy) {
    }

    /** One evaluated policy of another method, for the accuracy-versus-size chart. */
    public record Point(String method, double accuracy, long sizeBytes, double weightedBits) {
    }

    /** Per-layer view of a policy. */
    public record Policy(String[] layerNames, long[] parameters, int[] weightBits, int[] activationBits,
                         double weightedBits, long sizeBytes, double accuracy) {
    }
}
