package org.mixq.rl.run;

import java.util.Arrays;
import java.util.Locale;

/**
 * One evaluated policy: a row of {@code episodes.csv}. Accuracy is a fraction in [0, 1] of the
 * validation split; {@code weightedBits} is sum(b_l * n_l) / sum(n_l) over the quantizable
 * layers; {@code sizeBytes} the model size (packed weights + scales + full-precision
 * parameters); {@code cost} the value under the run's cost model. {@code seconds} is wall time
 * and is the only column that differs between two runs of the same seed.
 */
public record EpisodeRow(int episode, double reward, double accuracy, double weightedBits, long sizeBytes,
                         double cost, int[] weightBits, int[] activationBits, double seconds) {

    public static final String HEADER = "episode,reward,val_acc,weighted_bits,size_bytes,cost,w_bits,a_bits,seconds";

    /** The CSV line; doubles with enough digits to read back exactly, per-layer bits joined by '|'. */
    public String toCsv() {
        return String.format(Locale.ROOT, "%d,%s,%s,%s,%d,%s,%s,%s,%.3f", episode, exact(reward), exact(accuracy),
                exact(weightedBits), sizeBytes, exact(cost), join(weightBits), join(activationBits), seconds);
    }

    /** The CSV line without the wall-time column: equal for equal seeds, interrupted or not. */
    public String deterministicPart() {
        String csv = toCsv();
        return csv.substring(0, csv.lastIndexOf(','));
    }

    public static EpisodeRow parse(String line) {
        String[] f = line.split(",", -1);
        if (f.length != 9) {
            throw new IllegalArgumentException("episodes.csv: expected 9 columns, got " + f.length + ": " + line);
        }
        return new EpisodeRow(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                Double.parseDouble(f[3]), Long.parseLong(f[4]), Double.parseDouble(f[5]), split(f[6]), split(f[7]),
                Double.parseDouble(f[8]));
    }

    private static String exact(double v) {
        return Double.toString(v);
    }

    private static String join(int[] bits) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bits.length; i++) {
            if (i > 0) {
                sb.append('|');
            }
            sb.append(bits[i]);
        }
        return sb.toString();
    }

    private static int[] split(String s) {
        return s.isEmpty() ? new int[0] : Arrays.stream(s.split("\\|")).mapToInt(Integer::parseInt).toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EpisodeRow r && toCsv().equals(r.toCsv());
    }

    @Override
    public int hashCode() {
        return toCsv().hashCode();
    }

    @Override
    public String toString() {
        return toCsv();
    }
}
