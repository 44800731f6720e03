package org.mixq.rl.search;

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
    public static final String NAME = "baselines.csv";

    /** A method's evaluated policy. */
    public record Row(String method, EpisodeRow row) {
    }

    private BaselinesFile() {
    }

    public static void replace(Path runDir, String method, List<EpisodeRow> rows) throws IOException {
        List<Row> all = new ArrayList<>();
        for (Row r : read(runDir)) {
            if (!r.method().equals(method)) {
                all.add(r);
            }
        }
        rows.forEach(r -> all.add(new Row(method, r)));
        StringBuilder sb = new StringBuilder("method,").append(EpisodeRow.HEADER).append('\n');
        for (Row r : all) {
            sb.append(r.method()).append(',').append(r.row().toCsv()).append('\n');
        }
        AtomicFiles.writeString(runDir.resolve(NAME), sb.toString());
    }

    public static List<Row> read(Path runDir) throws IOException {
        Path file = runDir.resolve(NAME);
        List<Row> rows = new ArrayList<>();
        if (!Files.exists(file)) {
            return rows;
        }
        List<String> lines = Files.readAllLines(file);
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
