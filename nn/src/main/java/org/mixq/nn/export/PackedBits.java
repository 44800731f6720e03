package org.mixq.nn.export;

/**
 * Packs unsigned b-bit codes (b in 1..8) into bytes, LSB first: code {@code j} occupies bits
 * {@code [j*b, (j+1)*b)} of the stream, its lowest bit first, and stream bit {@code t} is bit
 * {@code t % 8} (0 = least significant) of byte {@code t / 8}. A code may straddle two bytes.
 * The unused high bits of the last byte are zero. {@code n} codes take {@code ceil(b*n/8)} bytes,
 * the size {@link org.mixq.nn.quant.ModelSize} counts.
 */
public final class PackedBits {
    public static final int MAX_BITS = 8;

    private PackedBits() {
    }

    /** Bytes that {@code count} codes of {@code bits} bits take. */
    public static long packedBytes(long count, int bits) {
        return (bits * count + 7) / 8;
    }

    /** The codes packed into a new array of {@link #packedBytes} bytes; every code must lie in [0, 2^bits). */
    public static byte[] pack(int[] codes, int bits) {
        checkBits(bits);
        byte[] out = new byte[Math.toIntExact(packedBytes(codes.length, bits))];
        int limit = 1 << bits;
        // a 64-bit window: at most 7 pending bits plus one code of at most 8 bits
        long window = 0;
        int pending = 0;
        int o = 0;
        for (int j = 0; j < codes.length; j++) {
            int code = codes[j];
            if (code < 0 || code >= limit) {
                throw new IllegalArgumentException("codes[" + j + "] = " + code + " does not fit in " + bits + " bits");
            }
            window |= (long) code << pending;
            pending += bits;
            while (pending >= 8) {
                out[o++] = (byte) window;
                window >>>= 8;
                pending -= 8;
            }
        }
        if (pending > 0) {
            out[o] = (byte) window;
        }
        return out;
    }

    /** Reads {@code count} codes of {@code bits} bits from {@code src} starting at byte {@code offset}. */
    public static int[] unpack(byte[] src, int offset, int count, int bits) {
        checkBits(bits);
        long needed = packedBytes(count, bits);
        if (offset < 0 || count < 0 || offset + needed > src.length) {
            throw new IllegalArgumentException("unpack: " + count + " codes of " + bits + " bits need " + needed
                    + " bytes from offset " + offset + ", the source has " + src.length);
        }
        int[] codes = new int[count];
        int mask = (1 << bits) - 1;
        long window = 0;
        int available = 0;
        int i = offset;
        for (int j = 0; j < count; j++) {
            while (available < bits) {
                window |= (long) (src[i++] & 0xff) << available;
                available += 8;
            }
            codes[j] = (int) (window & mask);
            window >>>= bits;
            available -= bits;
        }
        return codes;
    }

    private static void checkBits(int bits) {
        if (bits < 1 || bits > MAX_BITS) {
            throw new IllegalArgumentException("bits must be in 1.." + MAX_BITS + ", got " + bits);
        }
    }
}
