package org.mixq.core.io;

import java.io.IOException;
import java.nio.file.Path;

/** A separate process for {@link AtomicFilesTest}: adds COUNT lines "TAG i" to FILE, one update each. */
final class AppendByUpdate {
    private AppendByUpdate() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        int count = Integer.parseInt(args[2]);
        for (int i = 0; i < count; i++) {
            String line = args[1] + " " + i + "\n";
            AtomicFiles.update(file, current -> current + line);
        }
    }
}
