package org.mixq.nn.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixq.core.Backend;
import org.mixq.core.cpu.CpuBackend;
import org.mixq.nn.checkpoint.CheckpointException;
import org.mixq.nn.checkpoint.ModelCheckpoints;
import org.mixq.nn.models.Model;
import org.mixq.nn.quant.BitPolicy;

/** Damaged and inconsistent files are refused with one line naming the file and the problem. */
class PackedModelCorruptionTest {
    private static Backend backend;

    @TempDir
    Path dir;

    private Path file;
    private BitPolicy policy;
    private byte[] good;

    @BeforeAll
    static void open() {
        backend = new CpuBackend(1);
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    /** A VGG whose first layer (conv1.weight, the first tensor of the payload) is at 4 bits. */
    @BeforeEach
    void writeGoodFile() throws IOException {
        file = dir.resolve("model.mixq");
        try (Model model = ExportFixtures.vgg11(backend, 4)) {
            policy = ExportFixtures.mixedPolicy(model, 3);
            model.applyPolicy(policy);
            PackedModelWriter.write(model, Map.of("data.name", "cifar10"), file);
        }
        good = Files.readAllBytes(file);
    }

    private String refused(byte[] content) throws IOException {
        Files.write(file, content);
        CheckpointException e = assertThrows(CheckpointException.class, () -> PackedModelReader.load(backend, file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    private static int headerLength(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
    }

    /** The file with its CRC-32 recomputed, so that only the deliberate change is wrong. */
    private static byte[] resealed(byte[] b) {
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - PackedModelWriter.CHECKSUM_BYTES);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length - PackedModelWriter.CHECKSUM_BYTES, (int) crc.getValue());
        return b;
    }

    /** The file with its JSON header edited (lengths and CRC-32 recomputed). */
    private byte[] withHeader(Consumer<JsonObject> edit) {
        int j = headerLength(good);
        JsonObject header = JsonParser.parseString(new String(good, PackedModelWriter.HEADER_FIXED_BYTES, j,
                StandardCharsets.UTF_8)).getAsJsonObject();
        edit.accept(header);
        return withHeaderText(header.toString());
    }

    private byte[] withHeaderText(String json) {
        int j = headerLength(good);
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        int rest = good.length - PackedModelWriter.HEADER_FIXED_BYTES - j;
        ByteBuffer out = ByteBuffer.allocate(PackedModelWriter.HEADER_FIXED_BYTES + h.length + rest).order(ByteOrder.LITTLE_ENDIAN);
        out.put(good, 0, PackedModelWriter.HEADER_FIXED_BYTES).putInt(12, h.length).put(h)
                .put(good, PackedModelWriter.HEADER_FIXED_BYTES + j, rest);
        return resealed(out.array());
    }

    /** The file every other test damages loads as written: its policy and its metadata. */
    @Test
    void theGoodFileLoads() throws IOException {
        ModelCheckpoints.Loaded loaded = PackedModelReader.load(backend, file);
        try (Model model = loaded.model()) {
            assertEquals(policy, model.policy());
            assertEquals("cifar10", loaded.metadata().get("data.name"));
        }
    }

    @Test
    void badMagic() throws IOException {
        byte[] b = good.clone();
        b[0] = 'X';
        String m = refused(b);
        assertTrue(m.contains("not a mixq packed model (bad magic: expected \"MIXQPACK\", found \"XIXQPACK\")"), m);
        assertTrue(refused("MIXQCKPT and more".getBytes(StandardCharsets.US_ASCII)).contains("bad magic"));
    }

    @Test
    void unknownVersion() throws IOException {
        byte[] b = good.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 7);
        String m = refused(b);
        assertTrue(m.contains("unsupported packed model version 7, this build reads version 1"), m);
    }

    @Test
    void truncatedFiles() throws IOException {
        String m = refused(Arrays.copyOf(good, good.length - 10));
        assertTrue(m.contains("truncated: " + (good.length - 10) + " bytes, the header says " + good.length), m);
        m = refused(Arrays.copyOf(good, 10));
        assertTrue(m.contains("truncated: 10 bytes, shorter than the 24-byte header and the 4-byte checksum"), m);
        assertTrue(refused(new byte[0]).contains("truncated: 0 bytes"));
    }

    @Test
    void trailingBytes() throws IOException {
        String m = refused(Arrays.copyOf(good, good.length + 3));
        assertTrue(m.contains("(trailing data)"), m);
    }

    @Test
    void aFlippedPayloadByteFailsTheChecksum() throws IOException {
        byte[] b = good.clone();
        b[b.length - 100] ^= 0x10;
        String m = refused(b);
        assertTrue(m.contains("checksum mismatch") && m.contains("(the file is corrupted)"), m);
    }

    @Test
    void malformedHeaders() throws IOException {
        assertTrue(refused(withHeaderText("[1, 2]")).contains("malformed header: not a JSON object"));
        assertTrue(refused(withHeaderText("{\"model\": ")).contains("malformed header"));
        assertTrue(refused(withHeader(h -> h.remove("tensors"))).contains("malformed header: missing \"tensors\""));
        String m = refused(withHeader(h -> h.getAsJsonArray("tensors").get(0).getAsJsonObject().addProperty("kind", "int4")));
        assertTrue(m.contains("unknown tensor kind 'int4'"), m);
        m = refused(withHeader(h -> h.getAsJsonArray("tensors").get(0).getAsJsonObject().addProperty("bytes", 5)));
        assertTrue(m.contains("tensor conv1.weight says 5 bytes"), m);
    }

    @Test
    void aHeaderThatDoesNotFitItsModelIsRefused() throws IOException {
        String m = refused(withHeader(h -> h.getAsJsonObject("model").addProperty("arch", "alexnet")));
        assertTrue(m.contains("cannot build the model it describes: model: unknown architecture 'alexnet'"), m);
        // conv1 at 2 bits in the policy while its tensor is stored at 4: the layout differs
        m = refused(withHeader(h -> h.getAsJsonArray("policy").get(0).getAsJsonObject().addProperty("wbits", 2)));
        assertTrue(m.contains("does not match model vgg11 under its policy: tensor 0 is conv1.weight (packed 4-bit"), m);
        m = refused(withHeader(h -> h.getAsJsonArray("policy").get(0).getAsJsonObject().addProperty("name", "conv99")));
        assertTrue(m.contains("no quantizable layer 'conv99'"), m);
    }

    @Test
    void anUnusedCodeIsRefused() throws IOException {
        assertEquals(4, policy.get("conv1").weightBits());
        byte[] b = good.clone();
        // conv1's output channel 0 is zero (code 7 at 4 bits); 0xff makes its first two codes 15
        b[PackedModelWriter.HEADER_FIXED_BYTES + headerLength(b)] = (byte) 0xff;
        String m = refused(resealed(b));
        assertTrue(m.contains("tensor conv1.weight: codes[0] = 15 is outside 0..14 for 4-bit weights"), m);
    }
}
