package org.mixq.nn.export;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.mixq.core.Tensor;
import org.mixq.core.io.AtomicFiles;
import org.mixq.nn.checkpoint.ModelCheckpoints;
import org.mixq.nn.models.Model;
import org.mixq.nn.quant.LayerBits;
import org.mixq.nn.quant.ModelSize;

/**
 * Writes a model as a bit-packed file ({@code mixq export}): each quantized layer's weights at
 * its bit width, so that the payload is exactly the model size the search reports
 * ({@link ModelSize#totalBytes()}: packed weights, float32 scales and clips, float32 parameters)
 * and the file is the payload plus a header and a checksum. {@link PackedModelReader} reads it
 * back into a model whose fake-quantized forward pass is the source model's, bit for bit.
 *
 * <h2>Format, version 1</h2>
 * All integers and floats are little-endian.
 * <pre>
 * offset     size  field
 * 0          8     magic, the ASCII bytes "MIXQPACK"
 * 8          4     int32 format version, 1
 * 12         4     int32 header length J in bytes
 * 16         8     int64 payload length P in bytes
 * 24         J     header: UTF-8 JSON, below
 * 24+J       P     payload: the tensors of the header's "tensors" list, in that order, back to back
 * 24+J+P     4     uint32 CRC-32 (java.util.zip.CRC32) of bytes [0, 24+J+P)
 * </pre>
 * The header ({@link #HEADER_FIXED_BYTES} + J bytes) and the checksum ({@link #CHECKSUM_BYTES})
 * are all the file holds beyond the model size. The JSON header:
 * <pre>
 * {"model":    {"arch": "vgg11", "widthMultiplier": "0.0625", ...},  ModelConfig.toMap(), strings
 *  "policy":   [{"name": "conv1", "wbits": 8, "abits": 32}, ...],   every quantizable layer, network order
 *  "metadata": {"data.name": "cifar10", "data.mean": "...", ...},    dataset, split, normalization, training facts
 *  "tensors":  [{"name": "conv1.weight", "kind": "packed", "bits": 8, "shape": [4, 3, 3, 3], "bytes": 108},
 *               {"name": "conv1.weight.scale", "kind": "scale", "shape": [4], "bytes": 16},
 *               {"name": "bn1.gamma", "kind": "float32", "shape": [4], "bytes": 16}, ...]}
 * </pre>
 * Tensor kinds ({@link PackedLayout} gives the order):
 * <ul>
 *   <li>{@code packed}: {@code ceil(b*n/8)} bytes of unsigned b-bit codes, packed LSB first
 *       ({@link PackedBits}). A weight {@code q * s} (symmetric per output channel,
 *       {@link org.mixq.core.Quantizer}) has the code {@code q + 2^(b-1) - 1}; at b = 1 the code
 *       is 1 for {@code +s} and 0 for {@code -s}. Channel = dim 0 of the shape.</li>
 *   <li>{@code scale}: the float32 scales {@code s}, one per output channel, of the packed
 *       tensor just before it.</li>
 *   <li>{@code clip}: one float32 clip threshold of a layer whose input activations are
 *       quantized ({@code abits} &lt; 32 in the policy).</li>
 *   <li>{@code float32}: float32 values in row-major order (full-precision weights, biases,
 *       batch-norm parameters and running statistics).</li>
 * </ul>
 */
public final class PackedModelWriter {
    public static final byte[] MAGIC = "MIXQPACK".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;
    /** Magic, version, header length and payload length. */
    public static final int HEADER_FIXED_BYTES = 24;
    public static final int CHECKSUM_BYTES = 4;

    private PackedModelWriter() {
    }

    /**
     * What was written: the file is {@code headerBytes + payloadBytes + CHECKSUM_BYTES} long, and
     * {@code payloadBytes} is {@code size.totalBytes()}.
     */
    public record Written(long fileBytes, long headerBytes, long payloadBytes, ModelSize size) {
    }

    /**
     * Writes {@code model} under its current bit policy to {@code file}, atomically. The
     * {@code metadata} (for example a checkpoint's: dataset, split, normalization) goes into the
     * header, except keys under {@code model.} and {@code policy.}, which the model itself supplies.
     *
     * @throws IllegalArgumentException when a quantized layer has non-finite weights, or the
     *                                  model does not fit one file (2 GiB)
     */
    public static Written write(Model model, Map<String, String> metadata, Path file) throws IOException {
        List<PackedLayout.Entry> entries = PackedLayout.of(model);
        ModelSize size = model.size();
        long payloadBytes = PackedLayout.payloadBytes(entries);
        if (payloadBytes != size.totalBytes()) {
            // the layout and ModelSize are two accounts of the same tensors; they must agree
            throw new IllegalStateException("export: the payload has " + payloadBytes + " bytes but the model size is "
                    + size.totalBytes());
        }
        model.backend().synchronize();
        byte[] payload = payload(model, entries, payloadBytes);
        byte[] header = header(model, metadata, entries).getBytes(StandardCharsets.UTF_8);
        long total = HEADER_FIXED_BYTES + (long) header.length + payload.length + CHECKSUM_BYTES;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("export: " + total + " bytes do not fit one packed file (2 GiB at most)");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).putInt(VERSION).putInt(header.length).putLong(payload.length).put(header).put(payload);
        CRC32 crc = new CRC32();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        AtomicFiles.writeBytes(file, out.array());
        return new Written(total, HEADER_FIXED_BYTES + header.length, payload.length, size);
    }

    private static byte[] payload(Model model, List<PackedLayout.Entry> entries, long payloadBytes) {
        if (payloadBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("export: a payload of " + payloadBytes + " bytes does not fit one packed file");
        }
        Map<String, Tensor> state = model.state();
        ByteBuffer out = ByteBuffer.allocate((int) payloadBytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] scales = null;
        for (PackedLayout.Entry e : entries) {
            switch (e.kind()) {
                case PACKED -> {
                    Tensor w = state.get(e.name());
                    try (Tensor wq = model.backend().alloc(w.shape());
                         Tensor mask = model.backend().alloc(w.shape());
                         Tensor scale = model.backend().alloc(w.dim(0))) {
                        model.backend().fakeQuantWeightsForward(wq, mask, scale, w, e.bits());
                        scales = finiteScales(e.name(), scale.toArray());
                        out.put(PackedBits.pack(PackedCodes.encode(wq.toArray(), scales, e.bits()), e.bits()));
                    }
                }
                case SCALE -> putFloats(out, scales);
                case CLIP, FLOAT32 -> putFloats(out, state.get(e.name()).toArray());
            }
        }
        return out.array();
    }

    private static float[] finiteScales(String weight, float[] scales) {
        for (int c = 0; c < scales.length; c++) {
            if (!Float.isFinite(scales[c])) {
                throw new IllegalArgumentException("export: " + weight + " has non-finite weights in output channel " + c
                        + " (scale " + scales[c] + ")");
            }
        }
        return scales;
    }

    private static void putFloats(ByteBuffer out, float[] values) {
        for (float v : values) {
            out.putFloat(v);
        }
    }

    private static String header(Model model, Map<String, String> metadata, List<PackedLayout.Entry> entries) {
        JsonObject root = new JsonObject();
        JsonObject config = new JsonObject();
        model.config().toMap().forEach(config::addProperty);
        root.add("model", config);
        JsonArray policy = new JsonArray();
        for (LayerBits lb : model.policy().layers()) {
            JsonObject l = new JsonObject();
            l.addProperty("name", lb.name());
            l.addProperty("wbits", lb.weightBits());
            l.addProperty("abits", lb.activationBits());
            policy.add(l);
        }
        root.add("policy", policy);
        JsonObject meta = new JsonObject();
        metadata.forEach((k, v) -> {
            if (!k.startsWith(ModelCheckpoints.MODEL_PREFIX) && !k.startsWith(ModelCheckpoints.POLICY_PREFIX)) {
                meta.addProperty(k, v);
            }
        });
        root.add("metadata", meta);
        JsonArray tensors = new JsonArray();
        for (PackedLayout.Entry e : entries) {
            JsonObject t = new JsonObject();
            t.addProperty("name", e.name());
            t.addProperty("kind", e.kind().label());
            if (e.kind() == PackedLayout.Kind.PACKED) {
                t.addProperty("bits", e.bits());
            }
            JsonArray shape = new JsonArray();
            for (int d : e.shape().dims()) {
                shape.add(d);
            }
            t.add("shape", shape);
            t.addProperty("bytes", e.bytes());
            tensors.add(t);
        }
        root.add("tensors", tensors);
        return root.toString();
    }
}
