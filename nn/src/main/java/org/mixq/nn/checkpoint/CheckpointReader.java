package org.mixq.nn.checkpoint;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import org.mixq.core.Shape;

/**
 * Reads the format described in {@link CheckpointWriter}, checking in order: the magic, the
 * version, the length (truncated or trailing bytes), the CRC-32, then the structure of the
 * body. Every failure is a {@link CheckpointException} naming the file and the problem.
 */
public final class CheckpointReader {
    private CheckpointReader() {
    }

    public static Checkpoint read(Path file) throws CheckpointException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file, "no such file");
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read: " + e.getMessage(), e);
        }
        checkFrame(file, bytes);
        ByteBuffer in = ByteBuffer.wrap(bytes, CheckpointWriter.HEADER_BYTES,
                bytes.length - CheckpointWriter.HEADER_BYTES - CheckpointWriter.CHECKSUM_BYTES).order(ByteOrder.BIG_ENDIAN);
        String at = "metadata count";
        try {
            int entries = count(file, in.getInt(), "metadata entries");
            Map<String, String> metadata = new LinkedHashMap<>();
            for (int i = 0; i < entries; i++) {
                at = "metadata entry " + i;
                String key = string(file, in);
                metadata.put(key, string(file, in));
            }
            at = "tensor count";
            int count = count(file, in.getInt(), "tensors");
            Map<String, StoredTensor> tensors = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                at = "tensor " + i;
                String name = string(file, in);
                at = "tensor '" + name + "'";
                int rank = in.getInt();
                if (rank < 0 || rank > 8) {
                    throw new CheckpointException(file, "malformed: tensor '" + name + "' has rank " + rank);
                }
                int[] dims = new int[rank];
                long size = 1;
                for (int d = 0; d < rank; d++) {
                    dims[d] = in.getInt();
                    size *= dims[d];
                    if (dims[d] < 0 || size > in.remaining() / 4) {
                        throw new CheckpointException(file, "malformed: tensor '" + name + "' shape " + Arrays.toString(dims)
                                + " does not fit in the file");
                    }
                }
                float[] data = new float[(int) size];
                in.asFloatBuffer().get(data);
                in.position(in.position() + 4 * data.length);
                tensors.put(name, new StoredTensor(Shape.of(dims), data));
            }
            if (in.hasRemaining()) {
                throw new CheckpointException(file, "malformed: " + in.remaining() + " bytes after the last tensor");
            }
            return new Checkpoint(metadata, tensors);
        } catch (BufferUnderflowException e) {
            throw new CheckpointException(file, "malformed: the body ends inside " + at);
        }
    }

    private static void checkFrame(Path file, byte[] bytes) throws CheckpointException {
        int magicLength = CheckpointWriter.MAGIC.length;
        if (bytes.length >= magicLength
                && !Arrays.equals(Arrays.copyOf(bytes, magicLength), CheckpointWriter.MAGIC)) {
            throw new CheckpointException(file, "not a mixq checkpoint (bad magic: expected \"MIXQCKPT\", found "
                    + printable(Arrays.copyOf(bytes, magicLength)) + ")");
        }
        int frame = CheckpointWriter.HEADER_BYTES + CheckpointWriter.CHECKSUM_BYTES;
        if (bytes.length < frame) {
            throw new CheckpointException(file, "truncated: " + bytes.length + " bytes, shorter than the " + frame
                    + "-byte header and checksum");
        }
        ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        int version = header.getInt(magicLength);
        if (version != CheckpointWriter.VERSION) {
            throw new CheckpointException(file, "unsupported checkpoint version " + version + ", this build reads version "
                    + CheckpointWriter.VERSION);
        }
        long bodyLength = header.getLong(12);
        long expected = frame + bodyLength;
        if (bodyLength < 0 || bytes.length < expected) {
            throw new CheckpointException(file, "truncated: " + bytes.length + " bytes, the header says " + expected);
        }
        if (bytes.length > expected) {
            throw new CheckpointException(file, bytes.length + " bytes, the header says " + expected + " (trailing data)");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - CheckpointWriter.CHECKSUM_BYTES);
        long stored = header.getLong(bytes.length - CheckpointWriter.CHECKSUM_BYTES);
        if (stored != crc.getValue()) {
            throw new CheckpointException(file, String.format("checksum mismatch: stored %08x, computed %08x (the file is corrupted)",
                    stored, crc.getValue()));
        }
    }

    private static int count(Path file, int n, String what) throws CheckpointException {
        if (n < 0) {
            throw new CheckpointException(file, "malformed: negative number of " + what + ": " + n);
        }
        return n;
    }

    private static String string(Path file, ByteBuffer in) throws CheckpointException {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new CheckpointException(file, "malformed: a string of " + n + " bytes with " + in.remaining() + " left");
        }
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String printable(byte[] b) {
        StringBuilder s = new StringBuilder("\"");
        for (byte x : b) {
            s.append(x >= 32 && x < 127 ? String.valueOf((char) x) : String.format("\\x%02x", x & 0xff));
        }
        return s.append('"').toString();
    }
}
