package org.mixq.nn.checkpoint;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import org.mixq.core.Tensor;
import org.mixq.core.io.AtomicFiles;

/**
 * Writes checkpoints atomically (temporary file in the same directory, forced to disk, renamed
 * over the target: {@link AtomicFiles}), so a crash leaves the previous checkpoint intact.
 *
 * <h2>Format, version 1</h2>
 * All integers and floats are big-endian (Java's {@link java.io.DataOutput}). A string is an
 * int32 byte count followed by that many UTF-8 bytes.
 * <pre>
 * offset   size  field
 * 0        8     magic, the ASCII bytes "MIXQCKPT"
 * 8        4     int32 format version, 1
 * 12       8     int64 body length L in bytes
 * 20       L     body:
 *                  int32 M, then M metadata entries: key string, value string
 *                  int32 T, then T tensors: name string, int32 rank R, R x int32 dims,
 *                  then prod(dims) x float32 elements in row-major order
 * 20+L     8     int64 CRC-32 (java.util.zip.CRC32) of bytes [0, 20+L), in the low 32 bits
 * </pre>
 * The metadata of a model checkpoint ({@link ModelCheckpoints}) holds the model configuration
 * under {@code model.*} keys, the bit policy under {@code policy.<layer>} = {@code "<wbits>/<abits>"},
 * and free-form training facts (epoch, accuracy). Tensor names are the model's parameter and
 * buffer names ({@code conv1.weight}, {@code bn1.runningMean}). The length in the header lets a
 * reader tell a truncated file from a corrupted one.
 */
public final class CheckpointWriter {
    public static final byte[] MAGIC = "MIXQCKPT".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;
    /** Magic, version and body length. */
    public static final int HEADER_BYTES = 20;
    public static final int CHECKSUM_BYTES = 8;

    private CheckpointWriter() {
    }

    /** Writes {@code metadata} and {@code tensors} (copied from their backend) to {@code file}, atomically. */
    public static void write(Path file, Map<String, String> metadata, Map<String, Tensor> tensors) throws IOException {
        long body = 4;
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            body += stringBytes(e.getKey()) + stringBytes(e.getValue());
        }
        body += 4;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            body += stringBytes(e.getKey()) + 4 + 4L * e.getValue().rank() + 4L * e.getValue().size();
        }
        long bodyLength = body;
        AtomicFiles.write(file, raw -> writeTo(raw, bodyLength, metadata, tensors));
    }

    private static void writeTo(OutputStream raw, long bodyLength, Map<String, String> metadata,
                                Map<String, Tensor> tensors) throws IOException {
        CRC32 crc = new CRC32();
        CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 16), crc);
        DataOutputStream out = new DataOutputStream(checked);
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(bodyLength);
        out.writeInt(metadata.size());
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            writeString(out, e.getKey());
            writeString(out, e.getValue());
        }
        out.writeInt(tensors.size());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            writeString(out, e.getKey());
            out.writeInt(t.rank());
            for (int d : t.shape().dims()) {
                out.writeInt(d);
            }
            writeFloats(out, t.toArray());
        }
        out.flush();
        long sum = crc.getValue();
        out.writeLong(sum);
        out.flush();
    }

    private static void writeFloats(DataOutputStream out, float[] data) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.BIG_ENDIAN);
        int i = 0;
        while (i < data.length) {
            chunk.clear();
            int n = Math.min(data.length - i, chunk.capacity() / 4);
            chunk.asFloatBuffer().put(data, i, n);
            out.write(chunk.array(), 0, 4 * n);
            i += n;
        }
    }

    private static long stringBytes(String s) {
        return 4L + s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }
}
