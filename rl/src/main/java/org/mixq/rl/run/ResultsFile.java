package org.mixq.rl.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mixq.core.io.AtomicFiles;

/**
 * {@code results.csv} of a run folder: one row per method after its final fine-tune
 * (validation and test accuracy, weighted bits, size). A method measured again replaces its row.
 */
public final class ResultsFile {
    static final String HEADER = "method,val_acc,test_acc,weighted_bits,size_bytes";

    private ResultsFile() {
    }

    /** Puts a method's row, replacing its earlier one; safe against another process putting its own. */
    public static void put(Path runDir, ResultRow row) throws IOException {
        Path file = new RunFolder(runDir).results();
        AtomicFiles.update(file, current -> {
            StringBuilder sb = new StringBuilder(HEADER).append('\n');
            for (ResultRow r : parse(file, current)) {
                if (!r.method().equals(row.method())) {
                    append(sb, r);
                }
            }
            append(sb, row);
            return sb.toString();
        });
    }

    public static List<ResultRow> read(Path runDir) throws IOException {
        Path file = new RunFolder(runDir).results();
        return Files.exists(file) ? parse(file, Files.readString(file)) : new ArrayList<>();
    }

    private static void append(StringBuilder sb, ResultRow r) {
        sb.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%d%n", r.method().replace(',', ';'), r.validationAccuracy(),
                r.testAccuracy(), r.weightedBits(), r.sizeBytes()));
    }

    private static List<ResultRow> parse(Path file, String text) {
        List<ResultRow> rows = new ArrayList<>();
        List<String> lines = text.lines().toList();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            if (f.length != 5) {
                throw new IllegalArgumentException(file + ": line " + (i + 1) + " has " + f.length + " columns, expected 5");
            }
            rows.add(new ResultRow(f[0], Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Long.parseLong(f[4])));
        }
        return rows;
    }
}
