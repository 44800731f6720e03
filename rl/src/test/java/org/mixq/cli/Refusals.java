package org.mixq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.mixq.core.Backend;
import org.mixq.core.cpu.CpuBackend;
import org.mixq.nn.checkpoint.ModelCheckpoints;
import org.mixq.nn.models.Model;
import org.mixq.nn.models.ModelConfig;
import org.mixq.nn.models.Models;
import org.mixq.nn.quant.QuantLayerInfo;
import org.mixq.nn.train.DataSetup;

/**
 * Command lines that must be refused before any work: exit code 2, one line on standard error
 * naming the option, nothing on standard output before it, and no file written or changed.
 */
final class Refusals {
    private Refusals() {
    }

    /** An untrained VGG-11 at 1/16 width that says it was trained on the synthetic set: enough for every check. */
    static Path checkpoint(Path dir) {
        Path file = dir.resolve("fp.ckpt");
        try (Backend backend = new CpuBackend(1);
             Model model = Models.create(backend, new ModelConfig("vgg11", 0.0625f, 3, 32, 32, 10, 3))) {
            ModelCheckpoints.save(model, file, Map.of(DataSetup.NAME, "synthetic"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The quantizable layers of {@link #checkpoint}'s model. */
    static List<QuantLayerInfo> layers() {
        try (Backend backend = new CpuBackend(1);
             Model model = Models.create(backend, new ModelConfig("vgg11", 0.0625f, 3, 32, 32, 10, 3))) {
            return model.quantLayerInfos();
        }
    }

    /** {@code base} followed by {@code extra}. */
    static String[] args(List<String> base, String... extra) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(extra));
        return all.toArray(String[]::new);
    }

    /** {@code command}, each {option, value} of {@code defaults} that {@code extra} does not give, then {@code extra}. */
    static String[] args(String command, String[][] defaults, String... extra) {
        List<String> given = List.of(extra);
        List<String> all = new ArrayList<>(List.of(command.split(" ")));
        for (String[] option : defaults) {
            if (!given.contains(option[0])) {
                all.addAll(List.of(option));
            }
        }
        all.addAll(given);
        return all.toArray(String[]::new);
    }

    /** Runs {@code args} and checks the refusal; {@code watched} is the folder nothing may change in. */
    static MixqRun assertRefused(Path watched, String fragment, String... args) {
        Map<String, String> before = snapshot(watched);
        MixqRun r = MixqRun.of(args);
        String command = String.join(" ", args);
        assertEquals(Mixq.EXIT_USER_ERROR, r.code(), () -> command + "\n" + r.out() + r.err());
        assertEquals("", r.out(), () -> "printed before the error: " + command);
        assertEquals(1, r.err().strip().lines().count(), () -> command + "\n" + r.err());
        assertTrue(r.err().startsWith("mixq: ") && r.err().contains(fragment),
                () -> command + "\nexpected '" + fragment + "' in: " + r.err());
        assertEquals(before, snapshot(watched), () -> "files written or changed: " + command);
        return r;
    }

    /** Every file and folder under {@code dir} with its size and modification time. */
    private static Map<String, String> snapshot(Path dir) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                files.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "folder"
                        : Files.size(p) + " bytes, " + Files.getLastModifiedTime(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
