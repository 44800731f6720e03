package org.mixq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCommandTest {
    @TempDir
    Path dir;

    /** Exit code and standard error of one run. */
    private record Run(int code, String err) {
    }

    private static Run run(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Mixq.run(args);
            return new Run(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void offlineItSaysInOneLineWhereToPutTheArchive() {
        // Port 1 on the loopback address refuses at once, as an unreachable server would fail.
        Run r = run("data", "cifar10", "--dir", dir.toString(), "--url", "http://127.0.0.1:1/cifar-10-binary.tar.gz");
        assertEquals(Mixq.EXIT_USER_ERROR, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("mixq: cannot download http://127.0.0.1:1/cifar-10-binary.tar.gz"), r.err());
        assertTrue(r.err().contains("put it in " + dir), r.err());
        assertTrue(r.err().contains("cifar-10-binary.tar.gz"), r.err());
    }

    @Test
    void archivePutThereByHandWithTheWrongMd5IsRejected() throws IOException {
        Files.write(dir.resolve("cifar-100-binary.tar.gz"), new byte[] {1, 2, 3});
        Run r = run("data", "cifar100", "--dir", dir.toString());
        assertEquals(Mixq.EXIT_USER_ERROR, r.code());
        assertTrue(r.err().contains("MD5") && r.err().contains("03b5dce01913d631647c71ecec9e9cb8"), r.err());
        assertFalse(Files.exists(dir.resolve("cifar-100-binary")));
    }

    @Test
    void unknownDatasetIsAUserError() {
        Run r = run("data", "imagenet", "--dir", dir.toString());
        assertEquals(Mixq.EXIT_USER_ERROR, r.code());
        assertTrue(r.err().contains("'imagenet' is not cifar10 or cifar100"), r.err());
    }

    @Test
    void missingDatasetArgumentIsAUserError() {
        assertEquals(Mixq.EXIT_USER_ERROR, run("data").code());
    }
}
