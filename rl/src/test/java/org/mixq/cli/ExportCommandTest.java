package org.mixq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixq.core.Backend;
import org.mixq.core.cpu.CpuBackend;
import org.mixq.nn.checkpoint.ModelCheckpoints;
import org.mixq.nn.export.PackedModelReader;
import org.mixq.nn.models.Model;
import org.mixq.nn.models.ModelConfig;
import org.mixq.nn.models.Models;
import org.mixq.nn.quant.BitPolicy;
import org.mixq.nn.quant.ModelSize;
import org.mixq.nn.quant.QuantLayerInfo;
import org.mixq.rl.policy.Policies;

class ExportCommandTest {
    private static final Pattern FILE_LINE =
            Pattern.compile("file +(\\S+): (\\d+) bytes = model size (\\d+) \\+ header (\\d+) \\+ checksum (\\d+)");

    @TempDir
    Path dir;

    private Path checkpoint;
    private List<QuantLayerInfo> layers;
    private long fullPrecisionParams;

    /** A VGG-11 at 1/16 width saved with the data facts a training run records. */
    @BeforeEach
    void saveCheckpoint() throws IOException {
        checkpoint = dir.resolve("model.ckpt");
        try (Backend backend = new CpuBackend(1);
             Model model = Models.create(backend, new ModelConfig("vgg11", 0.0625f, 3, 32, 32, 10, 9))) {
            layers = model.quantLayerInfos();
            fullPrecisionParams = model.fullPrecisionParameterCount();
            ModelCheckpoints.save(model, checkpoint, Map.of("data.name", "cifar10", "epoch", "2"));
        }
    }

    /** A policy as the search writes it: figures at the top level, each layer with its weight count. */
    private Path searchPolicy() throws IOException {
        StringBuilder s = new StringBuilder("{\n  \"model\": \"vgg11\",\n  \"weightedBits\": 3.1,\n  \"layers\": [\n");
        int[] wbits = {8, 3, 2, 4, 1, 5, 6, 7, 8};
        for (int i = 0; i < layers.size(); i++) {
            QuantLayerInfo info = layers.get(i);
            int abits = info.activationQuantizable() && i % 2 == 1 ? 4 : 32;
            s.append("    {\"name\": \"").append(info.name()).append("\", \"params\": ").append(info.params())
                    .append(", \"wbits\": ").append(wbits[i]).append(", \"abits\": ").append(abits).append('}')
                    .append(i + 1 < layers.size() ? ",\n" : "\n");
        }
        Path file = dir.resolve("best-policy.json");
        Files.writeString(file, s.append("  ]\n}\n").toString());
        return file;
    }

    @Test
    void exportsASearchPolicyAndTheFileIsTheReportedSizePlusTheHeader() throws IOException {
        Path policy = searchPolicy();
        Path out = dir.resolve("model.mixq");
        MixqRun r = MixqRun.of("export", "--checkpoint", checkpoint.toString(), "--policy", policy.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Matcher m = FILE_LINE.matcher(r.out());
        assertTrue(m.find(), r.out());
        long fileBytes = Long.parseLong(m.group(2));
        long modelBytes = Long.parseLong(m.group(3));
        long headerBytes = Long.parseLong(m.group(4));
        long checksumBytes = Long.parseLong(m.group(5));
        assertEquals(Files.size(out), fileBytes);
        assertEquals(fileBytes, modelBytes + headerBytes + checksumBytes);
        BitPolicy bits = Policies.read(policy, layers);
        assertEquals(ModelSize.of(layers, bits, fullPrecisionParams).totalBytes(), modelBytes);
        assertTrue(r.out().contains("size    " + modelBytes + " bytes = weights "), r.out());

        assertTrue(PackedModelReader.isPacked(out));
        try (Backend backend = new CpuBackend(1)) {
            ModelCheckpoints.Loaded loaded = PackedModelReader.load(backend, out);
            try (Model model = loaded.model()) {
                assertEquals(bits, model.policy());
                assertEquals("cifar10", loaded.metadata().get("data.name"));
                assertEquals("2", loaded.metadata().get("epoch"));
            }
        }
    }

    @Test
    void withoutAPolicyTheCheckpointsOwnIsExported() throws IOException {
        Path out = dir.resolve("fp.mixq");
        MixqRun r = MixqRun.of("export", "--checkpoint", checkpoint.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("32.000 weighted-average weight bits"), r.out());
        assertTrue(Files.exists(out));
    }

    @Test
    void aMissingCheckpointIsAUserError() {
        Path out = dir.resolve("x.mixq");
        MixqRun r = MixqRun.of("export", "--checkpoint", dir.resolve("none.ckpt").toString(), "--out", out.toString());
        assertEquals(Mixq.EXIT_USER_ERROR, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("none.ckpt: no such file"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void badPoliciesAreUserErrors() throws IOException {
        Path out = dir.resolve("x.mixq");
        Path unknownLayer = dir.resolve("unknown.json");
        Files.writeString(unknownLayer, "{\"layers\": [{\"name\": \"conv99\", \"wbits\": 4}]}");
        Path badBits = dir.resolve("bits.json");
        Files.writeString(badBits, "{\"layers\": [{\"name\": \"conv2\", \"wbits\": 9}]}");
        Path notJson = dir.resolve("broken.json");
        Files.writeString(notJson, "{\"layers\": [");
        Path misspelt = dir.resolve("misspelt.json");
        Files.writeString(misspelt, "{\"layers\": [{\"name\": \"conv2\", \"wbit\": 4}]}");
        for (Path policy : List.of(unknownLayer, badBits, notJson, misspelt, dir.resolve("missing.json"))) {
            MixqRun r = MixqRun.of("export", "--checkpoint", checkpoint.toString(), "--policy", policy.toString(), "--out", out.toString());
            assertEquals(Mixq.EXIT_USER_ERROR, r.code(), policy + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("mixq: " + policy), r.err());
        }
        assertFalse(Files.exists(out));
    }

    @Test
    void missingArgumentsAreUserErrors() {
        assertEquals(Mixq.EXIT_USER_ERROR, MixqRun.of("export", "--checkpoint", checkpoint.toString()).code());
    }
}
