package org.mixq.rl.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mixq.core.io.AtomicFiles;

/**
 * {@code baselines.csv} of a run folder: policies of other methods evaluated with the search's
 * own protocol (same fine-tune and validation), one {@link EpisodeRow} each with its method.
 * Re-running a baseline replaces that method's rows.
 */
public final class BaselinesFile {

    /** A method's evaluated policy. */
    public record Row(String method, EpisodeRow row) {
    }

    private BaselinesFile() {
    }

    /** Replaces a method's rows; safe against another process replacing its own. */
    public static void replace(Path runDir, String method, List<EpisodeRow> rows) throws IOException {
        Path file = new RunFolder(runDir).baselines();
        AtomicFiles.update(file, current -> {
            StringBuilder sb = new StringBuilder("method,").append(EpisodeRow.HEADER).append('\n');
            for (Row r : parse(file, current)) {
                if (!r.method().equals(method)) {
                    sb.append(r.method()).append(',').append(r.row().toCsv()).append('\n');
                }
            }
            rows.forEach(r -> sb.append(method).append(',').append(r.toCsv()).append('\n'));
            return sb.toString();
        });
    }

    public static List<Row> read(Path runDir) throws IOException {
        Path file = new RunFolder(runDir).baselines();
        return Files.exists(file) ? parse(file, Files.readString(file)) : new ArrayList<>();
    }

    private static List<Row> parse(Path file, String text) {
        List<Row> rows = new ArrayList<>();
        List<String> lines = text.lines().toList();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            int comma = line.indexOf(',');
            if (comma <= 0) {
                throw new IllegalArgumentException(file + ": line " + (i + 1) + " has no method column");
            }
            rows.add(new Row(line.substring(0, comma), EpisodeRow.parse(line.substring(comma + 1))));
        }
        return rows;
    }
}
