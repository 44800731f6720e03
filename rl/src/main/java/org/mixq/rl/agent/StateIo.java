package org.mixq.rl.agent;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Length-prefixed primitive arrays for agent checkpoints; a length mismatch on reading is an error. */
final class StateIo {
    private StateIo() {
    }

    static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        out.writeInt(a.length);
        for (float x : a) {
            out.writeFloat(x);
        }
    }

    /** Reads into {@code dest}, which must have the stored length. */
    static void readFloats(DataInputStream in, float[] dest, String what) throws IOException {
        checkLength(in.readInt(), dest.length, what);
        for (int i = 0; i < dest.length; i++) {
            dest[i] = in.readFloat();
        }
    }

    static void writeDoubles(DataOutputStream out, double[] a) throws IOException {
        out.writeInt(a.length);
        for (double x : a) {
            out.writeDouble(x);
        }
    }

    static void readDoubles(DataInputStream in, double[] dest, String what) throws IOException {
        checkLength(in.readInt(), dest.length, what);
        for (int i = 0; i < dest.length; i++) {
            dest[i] = in.readDouble();
        }
    }

    static void writeBooleans(DataOutputStream out, boolean[] a) throws IOException {
        out.writeInt(a.length);
        for (boolean x : a) {
            out.writeBoolean(x);
        }
    }

    static void readBooleans(DataInputStream in, boolean[] dest, String what) throws IOException {
        checkLength(in.readInt(), dest.length, what);
        for (int i = 0; i < dest.length; i++) {
            dest[i] = in.readBoolean();
        }
    }

    /** Fails unless a stored value equals the one this agent was built with. */
    static void expect(String what, long stored, long expected) throws IOException {
        if (stored != expected) {
            throw new IOException("agent checkpoint: " + what + " is " + stored + ", expected " + expected);
        }
    }

    private static void checkLength(int stored, int expected, String what) throws IOException {
        expect(what + " length", stored, expected);
    }
}
