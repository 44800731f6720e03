package org.mixq.rl.agent;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Writes a {@link DdpgConfig} into an agent checkpoint and reads it back, field by field in
 * record order. Format 1 also held the search's episode count and the seed, which no restored
 * agent needs (its random streams are saved), and is still read.
 */
final class DdpgConfigIo {
    private DdpgConfigIo() {
    }

    static void write(DataOutputStream out, DdpgConfig c) throws IOException {
        out.writeInt(c.hidden1());
        out.writeInt(c.hidden2());
        out.writeDouble(c.lrActor());
        out.writeDouble(c.lrCritic());
        out.writeDouble(c.tau());
        out.writeInt(c.batchSize());
        out.writeInt(c.replayPerLayer());
        out.writeInt(c.warmupEpisodes());
        out.writeDouble(c.sigma0());
        out.writeDouble(c.sigmaDecay());
        out.writeDouble(c.baselineAlpha());
        out.writeDouble(c.discount());
        out.writeInt(c.updatesPerStep());
    }

    static DdpgConfig read(DataInputStream in, int format) throws IOException {
        int hidden1 = in.readInt();
        int hidden2 = in.readInt();
        double lrActor = in.readDouble();
        double lrCritic = in.readDouble();
        double tau = in.readDouble();
        int batchSize = in.readInt();
        int replayPerLayer = in.readInt();
        int warmupEpisodes = in.readInt();
        double sigma0 = in.readDouble();
        double sigmaDecay = in.readDouble();
        double baselineAlpha = in.readDouble();
        double discount = in.readDouble();
        if (format == 1) {
            in.readInt();
        }
        int updatesPerStep = in.readInt();
        if (format == 1) {
            in.readLong();
        }
        try {
            return new DdpgConfig(hidden1, hidden2, lrActor, lrCritic, tau, batchSize, replayPerLayer, warmupEpisodes,
                    sigma0, sigmaDecay, baselineAlpha, discount, updatesPerStep);
        } catch (IllegalArgumentException e) {
            throw new IOException("agent checkpoint: " + e.getMessage(), e);
        }
    }
}
