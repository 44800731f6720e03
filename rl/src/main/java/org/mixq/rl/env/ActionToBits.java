package org.mixq.rl.env;

/**
 * Maps a continuous action a in [0, 1] to a bit width, giving every bit width in
 * [minBits, maxBits] an interval of equal width (HAQ's {@code _action_wall}):
 * {@code bits = round(a * (maxBits - minBits + 1) + minBits - 0.5)}, clamped to the range.
 * Rounding is half to even ({@link Math#rint}), as Python's {@code round} in HAQ; an action that
 * falls exactly on an interval boundary therefore goes to the even neighbour.
 */
public final class ActionToBits {
    private final int minBits;
    private final int maxBits;

    public ActionToBits(int minBits, int maxBits) {
        if (minBits < 1) {
            throw new IllegalArgumentException("minBits must be at least 1, got " + minBits);
        }
        if (maxBits < minBits) {
            throw new IllegalArgumentException("maxBits must be at least minBits (" + minBits + "), got " + maxBits);
        }
        this.minBits = minBits;
        this.maxBits = maxBits;
    }

    public int minBits() {
        return minBits;
    }

    public int maxBits() {
        return maxBits;
    }

    /** The bit width for action {@code a}; {@code a} must lie in [0, 1]. */
    public int bits(double a) {
        if (!(a >= 0 && a <= 1)) {
            throw new IllegalArgumentException("action must lie in [0, 1], got " + a);
        }
        double x = a * (maxBits - minBits + 1) + minBits - 0.5;
        int bits = (int) Math.rint(x);
        return Math.max(minBits, Math.min(maxBits, bits));
    }
}
