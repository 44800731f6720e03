package org.mixq.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void replacesContentAndLeavesNoTemporaryFile() throws IOException {
        Path f = dir.resolve("a.txt");
        AtomicFiles.writeString(f, "one");
        AtomicFiles.writeString(f, "two");
        assertEquals("two", Files.readString(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    /**
     * Two processes each add 50 lines to one file through read-modify-write updates: under the
     * lock none is lost (without it, interleaved reads and writes drop lines).
     */
    @Test
    void updatesFromTwoProcessesLoseNothing() throws IOException, InterruptedException {
        Path f = dir.resolve("shared.csv");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> children = new ArrayList<>();
        for (String tag : List.of("a", "b")) {
            children.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), AppendByUpdate.class.getName(),
                    f.toString(), tag, "50").redirectErrorStream(true).redirectOutput(dir.resolve(tag + ".log").toFile()).start());
        }
        for (Process p : children) {
            assertEquals(0, p.waitFor(), "child exit code");
        }
        List<String> lines = Files.readAllLines(f);
        assertEquals(100, lines.size());
        for (String tag : List.of("a", "b")) {
            for (int i = 0; i < 50; i++) {
                assertTrue(lines.contains(tag + " " + i), tag + " " + i);
            }
        }
    }

    @Test
    void failedWriteKeepsOldContent() throws IOException {
        Path f = dir.resolve("b.txt");
        AtomicFiles.writeString(f, "old");
        assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write("partial".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void appendsLines() throws IOException {
        Path f = dir.resolve("c.csv");
        AtomicFiles.appendLine(f, "x");
        AtomicFiles.appendLine(f, "y");
        assertEquals("x\ny\n", Files.readString(f));
    }
}
