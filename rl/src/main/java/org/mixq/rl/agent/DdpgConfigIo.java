package org.mixq.rl.agent;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Writes a {@link DdpgConfig} into an agent checkpoint and reads it back, field by field in record order. */
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
        out.writeInt(c.episodes());
        out.writeInt(c.updatesPerStep());
        out.writeLong(c.seed());
    }

    static DdpgConfig read(DataInputStream in) throws IOException {
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
        int episodes = in.readInt();
        int updatesPerStep = in.readInt();
        long seed = in.readLong();
        try {
            return new DdpgConfig(hidden1, hidden2, lrActor, lrCritic, tau, batchSize, replayPerLayer, warmupEpisodes,
                    sigma0, sigmaDecay, baselineAlpha, discount, episodes, updatesPerStep, seed);
        } catch (IllegalArgumentException e) {
            throw new IOException("agent checkpoint: " + e.getMessage(), e);
        }
    }
}
