package org.mixq.nn.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PackedBitsTest {
    private static final int[] COUNTS = {0, 1, 2, 7, 8, 9, 13, 64, 1001};

    /** The format's definition, one bit at a time: bit k of code j is stream bit j*b + k, in byte t/8 at bit t%8. */
    private static byte[] naivePack(int[] codes, int bits) {
        byte[] out = new byte[(codes.length * bits + 7) / 8];
        for (int j = 0; j < codes.length; j++) {
            for (int k = 0; k < bits; k++) {
                int t = j * bits + k;
                if ((codes[j] >> k & 1) == 1) {
                    out[t / 8] |= (byte) (1 << (t % 8));
                }
            }
        }
        return out;
    }

    private static int[] randomCodes(SplittableRandom rnd, int n, int bits) {
        int[] codes = new int[n];
        for (int i = 0; i < n; i++) {
            codes[i] = rnd.nextInt(1 << bits);
        }
        return codes;
    }

    @Test
    void packsAsTheBitByBitDefinitionAtEveryWidth() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int bits = 1; bits <= 8; bits++) {
            for (int n : COUNTS) {
                int[] codes = randomCodes(rnd, n, bits);
                byte[] packed = PackedBits.pack(codes, bits);
                assertArrayEquals(naivePack(codes, bits), packed, bits + " bits, " + n + " codes");
                assertEquals(PackedBits.packedBytes(n, bits), packed.length);
            }
        }
    }

    @Test
    void unpacksWhatItPacksFromAnyOffset() {
        SplittableRandom rnd = new SplittableRandom(12);
        for (int bits = 1; bits <= 8; bits++) {
            for (int n : COUNTS) {
                int[] codes = randomCodes(rnd, n, bits);
                byte[] packed = PackedBits.pack(codes, bits);
                byte[] shifted = new byte[packed.length + 5];
                Arrays.fill(shifted, (byte) 0xA5);
                System.arraycopy(packed, 0, shifted, 3, packed.length);
                assertArrayEquals(codes, PackedBits.unpack(shifted, 3, n, bits), bits + " bits, " + n + " codes");
            }
        }
    }

    @Test
    void allOnesAndTheLargestCodeFillExactlyTheirBits() {
        for (int bits = 1; bits <= 8; bits++) {
            int[] codes = new int[11];
            Arrays.fill(codes, (1 << bits) - 1);
            byte[] packed = PackedBits.pack(codes, bits);
            int usedInLast = (11 * bits) % 8;
            int last = packed[packed.length - 1] & 0xff;
            // the unused high bits of the last byte are zero
            assertEquals(usedInLast == 0 ? 0xff : (1 << usedInLast) - 1, last, bits + " bits");
        }
    }

    @Test
    void codesThatDoNotFitAndBadWidthsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PackedBits.pack(new int[] {0, 16}, 4));
        assertTrue(e.getMessage().contains("codes[1] = 16"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PackedBits.pack(new int[] {-1}, 4));
        assertThrows(IllegalArgumentException.class, () -> PackedBits.pack(new int[] {0}, 9));
        assertThrows(IllegalArgumentException.class, () -> PackedBits.pack(new int[] {0}, 0));
        assertThrows(IllegalArgumentException.class, () -> PackedBits.unpack(new byte[2], 0, 5, 4));
    }
}
