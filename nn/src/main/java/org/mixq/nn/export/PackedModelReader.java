package org.mixq.nn.export;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.mixq.core.Backend;
import org.mixq.core.Quantizer;
import org.mixq.core.Shape;
import org.mixq.core.Tensor;
import org.mixq.nn.checkpoint.CheckpointException;
import org.mixq.nn.checkpoint.ModelCheckpoints;
import org.mixq.nn.models.Model;
import org.mixq.nn.models.ModelConfig;
import org.mixq.nn.models.Models;
import org.mixq.nn.quant.BitPolicy;
import org.mixq.nn.quant.LayerBits;

/**
 * Reads the format described in {@link PackedModelWriter}, checking in order: the magic, the
 * version, the lengths (truncated or trailing bytes), the CRC-32, the JSON header, then the
 * tensor list against the model the header describes. Every failure is a
 * {@link CheckpointException}: one line naming the file and the problem.
 *
 * <p>The model is rebuilt from its configuration, set to the file's bit policy, and given the
 * decoded weights {@code q * s}: fake quantization maps them to themselves with the same scales
 * ({@link PackedCodes}), so the model computes the logits the source model computed under the
 * same policy. Clip thresholds of layers with full-precision inputs are not
 * stored and keep their initial value.
 */
public final class PackedModelReader {
    private PackedModelReader() {
    }

    /** Whether {@code file} starts with the packed-model magic; false when it cannot be read. */
    public static boolean isPacked(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(PackedModelWriter.MAGIC.length), PackedModelWriter.MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Builds the model the file describes, on {@code backend}, with its policy and weights. The
     * metadata has the shape of a checkpoint's: {@code model.*} keys (configuration),
     * {@code policy.<layer>} = {@code "<wbits>/<abits>"}, and the header's metadata (dataset,
     * split, normalization, training facts).
     */
    public static ModelCheckpoints.Loaded load(Backend backend, Path file) throws CheckpointException {
        byte[] bytes = readFrame(file);
        int headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
        Header header = parseHeader(file, new String(bytes, PackedModelWriter.HEADER_FIXED_BYTES, headerLength,
                StandardCharsets.UTF_8));
        int payloadOffset = PackedModelWriter.HEADER_FIXED_BYTES + headerLength;
        long payloadLength = bytes.length - payloadOffset - PackedModelWriter.CHECKSUM_BYTES;
        if (PackedLayout.payloadBytes(header.tensors()) != payloadLength) {
            throw new CheckpointException(file, "malformed: the header's tensors take " + PackedLayout.payloadBytes(header.tensors())
                    + " bytes, the payload has " + payloadLength);
        }
        Model model;
        try {
            model = Models.create(backend, ModelConfig.fromMap(header.model()));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, "cannot build the model it describes: " + e.getMessage());
        }
        try {
            model.applyPolicy(header.policy());
            checkLayout(file, model, header.tensors());
            fill(file, model, header.tensors(), bytes, payloadOffset);
        } catch (IllegalArgumentException e) {
            model.close();
            throw new CheckpointException(file, e.getMessage());
        } catch (CheckpointException | RuntimeException e) {
            model.close();
            throw e;
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        header.model().forEach((k, v) -> metadata.put(ModelCheckpoints.MODEL_PREFIX + k, v));
        for (LayerBits lb : model.policy().layers()) {
            metadata.put(ModelCheckpoints.POLICY_PREFIX + lb.name(), lb.weightBits() + "/" + lb.activationBits());
        }
        metadata.putAll(header.metadata());
        return new ModelCheckpoints.Loaded(model, metadata);
    }

    /** The JSON header's content. */
    private record Header(Map<String, String> model, BitPolicy policy, Map<String, String> metadata,
                          List<PackedLayout.Entry> tensors) {
    }

    /** The whole file, after the magic, version, length and checksum checks. */
    private static byte[] readFrame(Path file) throws CheckpointException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file, "no such file");
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read: " + e.getMessage(), e);
        }
        byte[] magic = PackedModelWriter.MAGIC;
        byte[] found = Arrays.copyOf(bytes, Math.min(bytes.length, magic.length));
        if (!Arrays.equals(found, Arrays.copyOf(magic, found.length))) {
            throw new CheckpointException(file, "not a mixq packed model (bad magic: expected \"MIXQPACK\", found "
                    + printable(found) + ")");
        }
        int frame = PackedModelWriter.HEADER_FIXED_BYTES + PackedModelWriter.CHECKSUM_BYTES;
        if (bytes.length < frame) {
            throw new CheckpointException(file, "truncated: " + bytes.length + " bytes, shorter than the "
                    + PackedModelWriter.HEADER_FIXED_BYTES + "-byte header and the " + PackedModelWriter.CHECKSUM_BYTES
                    + "-byte checksum");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int version = in.getInt(8);
        if (version != PackedModelWriter.VERSION) {
            throw new CheckpointException(file, "unsupported packed model version " + version + ", this build reads version "
                    + PackedModelWriter.VERSION);
        }
        int headerLength = in.getInt(12);
        long payloadLength = in.getLong(16);
        if (headerLength < 0 || payloadLength < 0) {
            throw new CheckpointException(file, "malformed: negative lengths (header " + headerLength + ", payload "
                    + payloadLength + ")");
        }
        long expected = frame + (long) headerLength + payloadLength;
        if (bytes.length < expected) {
            throw new CheckpointException(file, "truncated: " + bytes.length + " bytes, the header says " + expected);
        }
        if (bytes.length > expected) {
            throw new CheckpointException(file, bytes.length + " bytes, the header says " + expected + " (trailing data)");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - PackedModelWriter.CHECKSUM_BYTES);
        long stored = Integer.toUnsignedLong(in.getInt(bytes.length - PackedModelWriter.CHECKSUM_BYTES));
        if (stored != crc.getValue()) {
            throw new CheckpointException(file, String.format("checksum mismatch: stored %08x, computed %08x (the file is corrupted)",
                    stored, crc.getValue()));
        }
        return bytes;
    }

    private static Header parseHeader(Path file, String json) throws CheckpointException {
        try {
            JsonElement rootElement = JsonParser.parseString(json);
            if (!rootElement.isJsonObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            JsonObject root = rootElement.getAsJsonObject();
            return new Header(strings(root, "model"), policy(root), strings(root, "metadata"), tensors(root));
        } catch (JsonParseException | IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            throw new CheckpointException(file, "malformed header: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> strings(JsonObject root, String key) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : member(root, key).getAsJsonObject().entrySet()) {
            if (!e.getValue().isJsonPrimitive()) {
                throw new IllegalArgumentException("\"" + key + "\"." + e.getKey() + " is not a string");
            }
            m.put(e.getKey(), e.getValue().getAsString());
        }
        return m;
    }

    private static BitPolicy policy(JsonObject root) {
        List<LayerBits> layers = new ArrayList<>();
        for (JsonElement e : member(root, "policy").getAsJsonArray()) {
            JsonObject o = e.getAsJsonObject();
            layers.add(new LayerBits(member(o, "name").getAsString(), member(o, "wbits").getAsInt(),
                    member(o, "abits").getAsInt()));
        }
        return new BitPolicy(layers);
    }

    private static List<PackedLayout.Entry> tensors(JsonObject root) {
        List<PackedLayout.Entry> entries = new ArrayList<>();
        for (JsonElement e : member(root, "tensors").getAsJsonArray()) {
            JsonObject o = e.getAsJsonObject();
            String name = member(o, "name").getAsString();
            PackedLayout.Kind kind = PackedLayout.Kind.ofLabel(member(o, "kind").getAsString());
            int bits = kind == PackedLayout.Kind.PACKED ? member(o, "bits").getAsInt() : Quantizer.FULL_PRECISION;
            JsonArray dims = member(o, "shape").getAsJsonArray();
            int[] shape = new int[dims.size()];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = dims.get(d).getAsInt();
            }
            PackedLayout.Entry entry = new PackedLayout.Entry(name, kind, bits, Shape.of(shape));
            if (member(o, "bytes").getAsLong() != entry.bytes()) {
                throw new IllegalArgumentException("tensor " + name + " says " + o.get("bytes") + " bytes, its shape and bits take "
                        + entry.bytes());
            }
            entries.add(entry);
        }
        return entries;
    }

    private static JsonElement member(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException("missing \"" + key + "\"");
        }
        return e;
    }

    /** The file's tensors must be those the rebuilt model under the file's policy has. */
    private static void checkLayout(Path file, Model model, List<PackedLayout.Entry> found) throws CheckpointException {
        List<PackedLayout.Entry> expected = PackedLayout.of(model);
        for (int i = 0; i < Math.max(expected.size(), found.size()); i++) {
            PackedLayout.Entry want = i < expected.size() ? expected.get(i) : null;
            PackedLayout.Entry got = i < found.size() ? found.get(i) : null;
            if (want == null || !want.equals(got)) {
                throw new CheckpointException(file, "does not match model " + model.config().arch() + " under its policy: tensor "
                        + i + " is " + describe(got) + " in the file, the model expects " + describe(want));
            }
        }
    }

    private static String describe(PackedLayout.Entry e) {
        if (e == null) {
            return "nothing";
        }
        return e.name() + " (" + e.kind().label() + (e.kind() == PackedLayout.Kind.PACKED ? " " + e.bits() + "-bit " : " ")
                + e.shape() + ")";
    }

    private static void fill(Path file, Model model, List<PackedLayout.Entry> entries, byte[] bytes, int payloadOffset)
            throws CheckpointException {
        Map<String, Tensor> state = model.state();
        long offset = payloadOffset;
        for (int i = 0; i < entries.size(); i++) {
            PackedLayout.Entry e = entries.get(i);
            switch (e.kind()) {
                case PACKED -> {
                    // the layout puts the scale entry right after its packed weights
                    PackedLayout.Entry scaleEntry = entries.get(i + 1);
                    float[] scales = floats(bytes, offset + e.bytes(), scaleEntry.shape().size());
                    checkScales(file, scaleEntry.name(), scales);
                    int[] codes = PackedBits.unpack(bytes, (int) offset, e.shape().size(), e.bits());
                    try {
                        model.backend().copyIn(state.get(e.name()), PackedCodes.decode(codes, scales, e.bits()));
                    } catch (IllegalArgumentException ex) {
                        throw new CheckpointException(file, "tensor " + e.name() + ": " + ex.getMessage());
                    }
                }
                case SCALE -> {
                    // read with its packed weights
                }
                case CLIP -> {
                    float[] clip = floats(bytes, offset, 1);
                    if (!(clip[0] > 0f) || !Float.isFinite(clip[0])) {
                        throw new CheckpointException(file, "tensor " + e.name() + ": the clip threshold must be positive and finite, got "
                                + clip[0]);
                    }
                    model.backend().copyIn(state.get(e.name()), clip);
                }
                case FLOAT32 -> model.backend().copyIn(state.get(e.name()), floats(bytes, offset, e.shape().size()));
            }
            offset += e.bytes();
        }
    }

    private static void checkScales(Path file, String name, float[] scales) throws CheckpointException {
        for (int c = 0; c < scales.length; c++) {
            if (!(scales[c] >= 0f) || !Float.isFinite(scales[c])) {
                throw new CheckpointException(file, "tensor " + name + ": channel " + c + " has scale " + scales[c]
                        + ", expected a finite value >= 0");
            }
        }
    }

    private static float[] floats(byte[] bytes, long offset, int count) {
        float[] v = new float[count];
        ByteBuffer.wrap(bytes, (int) offset, 4 * count).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

    private static String printable(byte[] b) {
        StringBuilder s = new StringBuilder("\"");
        for (byte x : b) {
            s.append(x >= 32 && x < 127 ? String.valueOf((char) x) : String.format("\\x%02x", x & 0xff));
        }
        return s.append('"').toString();
    }
}
