package org.mixq.nn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.mixq.core.Backend;
import org.mixq.core.Tensor;
import org.mixq.core.testing.ArrayAssertions;
import org.mixq.core.testing.RandomArrays;
import org.mixq.nn.Mode;
import org.mixq.nn.NnFixtures;
import org.mixq.nn.models.Model;
import org.mixq.nn.models.ModelConfig;
import org.mixq.nn.models.Models;
import org.mixq.nn.quant.LayerBits;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckpointTest {
    private Backend backend;

    @TempDir
    Path dir;

    @BeforeAll
    void open() {
        backend = NnFixtures.backend();
    }

    @AfterAll
    void close() {
        backend.close();
    }

    private Model resnet(float width, long seed) {
        return Models.create(backend, new ModelConfig("resnet20", width, 3, 8, 8, 5, seed));
    }

    private float[] logits(Model m, Tensor x) {
        return m.forward(x, Mode.EVAL).toArray();
    }

    /** A saved model after a training-mode pass, so BN running statistics differ from their start values. */
    private Path saved(Model m) throws IOException {
        Tensor x = NnFixtures.tensor(backend, RandomArrays.gaussian(new SplittableRandom(1), 4 * 3 * 8 * 8, 1f), 4, 3, 8, 8);
        try (x) {
            m.forward(x, Mode.TRAIN);
        }
        Path file = dir.resolve("model.ckpt");
        ModelCheckpoints.save(m, file, Map.of("epoch", "3"));
        return file;
    }

    @Test
    void roundTripGivesIdenticalOutputsAndPolicy() throws IOException {
        float[] x = RandomArrays.gaussian(new SplittableRandom(2), 2 * 3 * 8 * 8, 1f);
        try (Model m = resnet(0.25f, 1); Tensor in = NnFixtures.tensor(backend, x, 2, 3, 8, 8)) {
            m.applyPolicy(new org.mixq.nn.quant.BitPolicy(List.of(new LayerBits("stage1.block1.conv1", 3, 4),
                    new LayerBits("fc", 8, 32))));
            Path file = saved(m);
            float[] expected = logits(m, in);
            ModelCheckpoints.Loaded loaded = ModelCheckpoints.load(backend, file);
            try (Model back = loaded.model()) {
                assertEquals(m.config(), back.config());
                assertEquals(m.policy(), back.policy());
                assertEquals("3", loaded.metadata().get("epoch"));
                ArrayAssertions.assertExact("logits after reload", expected, logits(back, in));
                for (Map.Entry<String, Tensor> e : m.state().entrySet()) {
                    ArrayAssertions.assertExact(e.getKey(), e.getValue().toArray(), back.state().get(e.getKey()).toArray());
                }
            }
            try (Model other = resnet(0.25f, 99)) {
                assertFalse(java.util.Arrays.equals(expected, logits(other, in)), "another seed computes something else");
                ModelCheckpoints.restore(other, file);
                ArrayAssertions.assertExact("logits after restore into a built model", expected, logits(other, in));
            }
        }
    }

    @Test
    void rawFormatRoundTripsMetadataAndTensorsInOrder() throws IOException {
        Path file = dir.resolve("raw.ckpt");
        try (Tensor a = NnFixtures.tensor(backend, new float[] {1.5f, -0f, Float.MIN_VALUE}, 3);
             Tensor b = NnFixtures.tensor(backend, new float[] {7f, 8f, 9f, 10f}, 1, 2, 2, 1)) {
            Map<String, Tensor> tensors = new java.util.LinkedHashMap<>();
            tensors.put("z.first", a);
            tensors.put("a.second", b);
            Map<String, String> meta = new java.util.LinkedHashMap<>();
            meta.put("note", "grüße = 1");
            meta.put("empty", "");
            CheckpointWriter.write(file, meta, tensors);
            Checkpoint c = CheckpointReader.read(file);
            assertEquals(meta, c.metadata());
            assertEquals(List.of("note", "empty"), List.copyOf(c.metadata().keySet()));
            assertEquals(List.of("z.first", "a.second"), List.copyOf(c.tensors().keySet()));
            ArrayAssertions.assertExact("first", a.toArray(), c.tensors().get("z.first").data());
            assertEquals(b.shape(), c.tensors().get("a.second").shape());
            long expectedLength = CheckpointWriter.HEADER_BYTES + 4 + (4 + 4 + 4 + 11) + (4 + 5 + 4 + 0) + 4
                    + (4 + 7 + 4 + 4 + 12) + (4 + 8 + 4 + 16 + 16) + CheckpointWriter.CHECKSUM_BYTES;
            assertEquals(expectedLength, Files.size(file), "the documented layout, byte for byte");
        }
    }

    @Test
    void badMagic() throws IOException {
        Path file = corrupt(bytes -> bytes[0] = 'X');
        assertProblem(file, "bad magic");
    }

    @Test
    void badVersion() throws IOException {
        Path file = corrupt(bytes -> ByteBuffer.wrap(bytes).putInt(8, 7));
        assertProblem(file, "unsupported checkpoint version 7");
    }

    @Test
    void badChecksum() throws IOException {
        Path file = corrupt(bytes -> bytes[bytes.length / 2] ^= 0x10);
        assertProblem(file, "checksum mismatch");
    }

    @Test
    void truncatedFile() throws IOException {
        try (Model m = resnet(0.25f, 1)) {
            Path file = saved(m);
            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 100));
            assertProblem(file, "truncated");
            Files.write(file, java.util.Arrays.copyOf(bytes, 12));
            assertProblem(file, "truncated");
        }
    }

    @Test
    void missingFile() {
        assertProblem(dir.resolve("nothing.ckpt"), "no such file");
    }

    @Test
    void shapeMismatchNamesTheTensorAndBothShapes() throws IOException {
        try (Model m = resnet(0.25f, 1); Model wider = resnet(0.5f, 1)) {
            Path file = saved(m);
            CheckpointException e = assertThrows(CheckpointException.class, () -> ModelCheckpoints.restore(wider, file));
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("tensor 'stem.conv.weight' has shape [4, 3, 3, 3] in the file but [8, 3, 3, 3] in the model"),
                    e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "one line");
        }
    }

    @Test
    void missingAndUnexpectedTensorsAreNamed() throws IOException {
        try (Model m = resnet(0.25f, 1); Model vgg = NnFixtures.tinyVgg(backend, 1)) {
            Path file = saved(m);
            CheckpointException e = assertThrows(CheckpointException.class, () -> ModelCheckpoints.restore(vgg, file));
            assertTrue(e.getMessage().contains("missing tensor 'conv1.weight'") && e.getMessage().contains("more"), e.getMessage());
        }
    }

    private Path corrupt(java.util.function.Consumer<byte[]> damage) throws IOException {
        try (Model m = resnet(0.25f, 1)) {
            Path file = saved(m);
            byte[] bytes = Files.readAllBytes(file);
            damage.accept(bytes);
            Files.write(file, bytes);
            return file;
        }
    }

    private void assertProblem(Path file, String expected) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> ModelCheckpoints.load(backend, file));
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
