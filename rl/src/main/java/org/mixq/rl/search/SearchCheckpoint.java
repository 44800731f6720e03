package org.mixq.rl.search;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.mixq.core.io.AtomicFiles;
import org.mixq.rl.agent.DdpgAgent;

/**
 * The resumable state of a search, {@code search.ckpt}, written atomically after every episode.
 * Everything else a resumed run needs is derived: the model is restored from its
 * full-precision checkpoint before every episode, each episode's data follows from its number,
 * and the finished episodes are the first {@code episodes} rows of {@code episodes.csv}.
 *
 * <p>Format (big-endian): magic {@code "MXQS"}, int version (1), int episodes finished, int
 * length and the bytes of the agent ({@link DdpgAgent#writeTo}: networks, Adam moments,
 * targets, replay buffer, random streams, baseline, episode counter), then the CRC32 of
 * everything before it as a long.
 */
public record SearchCheckpoint(int episodes, DdpgAgent agent) {
    private static final int MAGIC = 0x4D58_5153;
    private static final int VERSION = 1;

    public void write(Path file) throws IOException {
        ByteArrayOutputStream agentBytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(agentBytes)) {
            agent.writeTo(out);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(body)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(episodes);
            out.writeInt(agentBytes.size());
            agentBytes.writeTo(out);
        }
        CRC32 crc = new CRC32();
        crc.update(body.toByteArray());
        byte[] all = ByteBuffer.allocate(body.size() + 8).put(body.toByteArray()).putLong(crc.getValue()).array();
        AtomicFiles.writeBytes(file, all);
    }

    /** Reads a checkpoint; a missing, torn or foreign file is an IOException naming it. */
    public static SearchCheckpoint read(Path file) throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such search checkpoint");
        }
        if (all.length < 24) {
            throw new IOException(file + ": truncated search checkpoint (" + all.length + " bytes)");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = ByteBuffer.wrap(all, all.length - 8, 8).getLong();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, 0, all.length - 8))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + ": not a mixq search checkpoint (bad magic)");
            }
            if (stored != crc.getValue()) {
                throw new IOException(file + ": checksum mismatch, the search checkpoint is corrupt");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + ": search checkpoint version " + version + ", this mixq reads " + VERSION);
            }
            int episodes = in.readInt();
            int length = in.readInt();
            byte[] agentBytes = in.readNBytes(length);
            try (DataInputStream agentIn = new DataInputStream(new ByteArrayInputStream(agentBytes))) {
                return new SearchCheckpoint(episodes, DdpgAgent.readFrom(agentIn));
            }
        }
    }
}
