package org.mixq.cli;

import static org.mixq.cli.Refusals.assertRefused;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mixq export and mixq policy show/convert refuse missing inputs and outputs that would overwrite them. */
class ExportPolicyOptionChecksTest {
    @TempDir
    static Path dir;
    static Path checkpoint;
    static Path policy;

    @BeforeAll
    static void files() throws IOException {
        checkpoint = Refusals.checkpoint(dir);
        policy = Files.writeString(dir.resolve("policy.json"), "{\"layers\": [{\"name\": \"conv2\", \"wbits\": 4}]}");
        Files.createDirectories(dir.resolve("folder"));
    }

    @Test
    void exportRefusesMissingInputsAndOutputsThatAreInputsOrFolders() {
        String ckpt = checkpoint.toString();
        assertRefused(dir, "none.ckpt: no such file (--checkpoint)", "export", "--checkpoint", dir.resolve("none.ckpt").toString(),
                "--out", dir.resolve("m.mixq").toString());
        assertRefused(dir, "none.json: no such file (--policy)", "export", "--checkpoint", ckpt, "--policy",
                dir.resolve("none.json").toString(), "--out", dir.resolve("m.mixq").toString());
        assertRefused(dir, "--out: " + dir.resolve("folder") + " is a folder, expected a file to write", "export", "--checkpoint",
                ckpt, "--out", dir.resolve("folder").toString());
        assertRefused(dir, "--out: " + checkpoint + " is an input of the command", "export", "--checkpoint", ckpt, "--out", ckpt);
        assertRefused(dir, "--out: " + policy + " is an input of the command", "export", "--checkpoint", ckpt, "--policy",
                policy.toString(), "--out", policy.toString());
    }

    @Test
    void policyShowAndConvertRefuseMissingInputsAndOutputsThatAreInputsOrFolders() {
        String ckpt = checkpoint.toString();
        String in = policy.toString();
        assertRefused(dir, "none.json: no such file (--in)", "policy", "show", "--in", dir.resolve("none.json").toString(),
                "--checkpoint", ckpt);
        assertRefused(dir, "none.ckpt: no such file (--checkpoint)", "policy", "show", "--in", in, "--checkpoint",
                dir.resolve("none.ckpt").toString());
        assertRefused(dir, "--to: expected json, nncf, haq or csv, got 'yaml'", "policy", "convert", "--in", in, "--to", "yaml",
                "--checkpoint", ckpt, "--out", dir.resolve("p.csv").toString());
        assertRefused(dir, "none.json: no such file (--in)", "policy", "convert", "--in", dir.resolve("none.json").toString(), "--to",
                "csv", "--checkpoint", ckpt, "--out", dir.resolve("p.csv").toString());
        assertRefused(dir, "--out: " + dir.resolve("folder") + " is a folder", "policy", "convert", "--in", in, "--to", "csv",
                "--checkpoint", ckpt, "--out", dir.resolve("folder").toString());
        assertRefused(dir, "--out: " + policy + " is an input of the command", "policy", "convert", "--in", in, "--to", "nncf",
                "--checkpoint", ckpt, "--out", in);
        assertRefused(dir, "Missing required option: '--checkpoint=<checkpoint>' (see 'mixq policy convert --help')", "policy",
                "convert", "--in", in, "--to", "csv", "--out", dir.resolve("p.csv").toString());
    }
}
