package org.mixq.rl.sensitivity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.mixq.core.Quantizer;
import org.mixq.core.io.AtomicFiles;
import org.mixq.nn.quant.QuantLayerInfo;

/**
 * Measures a {@link SensitivityTable}, cached in {@code sensitivity.csv}: every measurement is
 * appended and forced to disk as soon as it is made, and a later run on the same folder reads
 * the file and measures only what is missing. An append torn by a kill (a last line without
 * its newline) is dropped and measured again.
 *
 * <p>File: header {@code layer_index,layer,w_bits,a_bits,val_acc}; the full-precision model
 * is the row {@code -1,full-precision,32,32,acc}; accuracies are fractions, written with
 * enough digits to read back exactly.
 */
public final class SensitivityAnalysis {
    public static final String HEADER = "layer_index,layer,w_bits,a_bits,val_acc";
    public static final String FULL_PRECISION_ROW = "full-precision";

    /** One row of sensitivity.csv. */
    public record Entry(int layerIndex, String layer, int weightBits, int activationBits, double accuracy) {
        public String toCsv() {
            return layerIndex + "," + layer + "," + weightBits + "," + activationBits + "," + accuracy;
        }

        static Entry parse(String line) {
            String[] f = line.split(",", -1);
            if (f.length != 5) {
                throw new IllegalArgumentException("expected 5 columns (" + HEADER + "), got " + f.length);
            }
            return new Entry(Integer.parseInt(f[0].strip()), f[1].strip(), Integer.parseInt(f[2].strip()),
                    Integer.parseInt(f[3].strip()), Double.parseDouble(f[4].strip()));
        }
    }

    /** Told of each new measurement (progress display). */
    public interface Listener {
        void measured(Entry entry, int done, int total);
    }

    private SensitivityAnalysis() {
    }

    /**
     * Fills {@code table} from {@code file}, then measures the missing entries (full precision
     * first, then layer by layer, candidates from the highest), checking {@code stop} before
     * each; the table is complete unless stopped.
     */
    public static SensitivityTable measure(PolicyEvaluator ev, SensitivityTable table, Path file, BooleanSupplier stop,
                                           Listener listener) throws IOException {
        load(table, file);
        int total = table.size() + 1;
        int done = countDone(table);
        if (Double.isNaN(table.fpAccuracy()) && !stop.getAsBoolean()) {
            double acc = ev.fullPrecisionAccuracy();
            table.setFpAccuracy(acc);
            Entry e = new Entry(-1, FULL_PRECISION_ROW, Quantizer.FULL_PRECISION, Quantizer.FULL_PRECISION, acc);
            AtomicFiles.appendLine(file, e.toCsv());
            listener.measured(e, ++done, total);
        }
        int[] bits = table.candidates();
        for (int l = 0; l < table.layers().size(); l++) {
            for (int j = bits.length - 1; table.searched(l) && j >= 0; j--) {
                if (!Double.isNaN(table.accuracy(l, bits[j]))) {
                    continue;
                }
                if (stop.getAsBoolean()) {
                    return table;
                }
                double acc = ev.accuracy(table.singleLayerPolicy(l, bits[j]), table.activationPolicy());
                table.set(l, bits[j], acc);
                Entry e = new Entry(l, table.layers().get(l).name(), bits[j], Quantizer.FULL_PRECISION, acc);
                AtomicFiles.appendLine(file, e.toCsv());
                listener.measured(e, ++done, total);
            }
        }
        return table;
    }

    private static int countDone(SensitivityTable t) {
        int done = Double.isNaN(t.fpAccuracy()) ? 0 : 1;
        for (int l = 0; l < t.layers().size(); l++) {
            for (int b : t.candidates()) {
                done += t.searched(l) && !Double.isNaN(t.accuracy(l, b)) ? 1 : 0;
            }
        }
        return done;
    }

    /** Reads the rows of a sensitivity.csv (for reports); the full-precision row has layer_index -1. */
    public static List<Entry> read(Path file) throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 1; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                entries.add(parseLine(file, i, lines.get(i)));
            }
        }
        return entries;
    }

    private static Entry parseLine(Path file, int i, String line) {
        try {
            return Entry.parse(line);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": line " + (i + 1) + ": " + e.getMessage());
        }
    }

    /** Creates the file, or reads its rows into the table after checking them against the model. */
    private static void load(SensitivityTable table, Path file) throws IOException {
        if (!Files.exists(file)) {
            AtomicFiles.writeString(file, HEADER + "\n");
            return;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(text.lines().toList());
        if (lines.isEmpty() || !lines.get(0).strip().equals(HEADER)) {
            throw new IllegalArgumentException(file + ": line 1: expected the header '" + HEADER + "'");
        }
        if (!text.endsWith("\n") && lines.size() > 1) {
            lines.remove(lines.size() - 1);
            AtomicFiles.writeString(file, String.join("\n", lines) + "\n");
        }
        List<QuantLayerInfo> layers = table.layers();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            Entry e = parseLine(file, i, lines.get(i));
            String where = file + ": line " + (i + 1) + ": ";
            if (e.layerIndex() == -1 && e.layer().equals(FULL_PRECISION_ROW)) {
                table.setFpAccuracy(e.accuracy());
                continue;
            }
            if (e.layerIndex() < 0 || e.layerIndex() >= layers.size() || !layers.get(e.layerIndex()).name().equals(e.layer())) {
                throw new IllegalArgumentException(where + "layer " + e.layerIndex() + " '" + e.layer()
                        + "' is not the model's layer at that position; the folder holds another model's analysis");
            }
            if (!table.searched(e.layerIndex()) || table.candidateIndex(e.weightBits()) < 0
                    || e.activationBits() != Quantizer.FULL_PRECISION) {
                throw new IllegalArgumentException(where + String.format(Locale.ROOT,
                        "layer %s at w_bits %d, a_bits %d is not part of this analysis", e.layer(), e.weightBits(),
                        e.activationBits()));
            }
            try {
                table.set(e.layerIndex(), e.weightBits(), e.accuracy());
            } catch (IllegalArgumentException dup) {
                throw new IllegalArgumentException(where + dup.getMessage());
            }
        }
    }
}
