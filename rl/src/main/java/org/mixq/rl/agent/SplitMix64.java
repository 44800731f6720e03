package org.mixq.rl.agent;

/**
 * Steele, Lea and Flood's SplitMix64 generator ("Fast splittable pseudorandom number
 * generators", OOPSLA 2014). Its whole state is one {@code long}, so a checkpoint can save it
 * and a resumed run continues the exact same stream, which {@link java.util.SplittableRandom}
 * does not allow. Transcendental functions use {@link StrictMath} so that a stream gives the
 * same numbers on every JVM and platform.
 */
public final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    /** A generator whose state is {@code seed}; the same seed gives the same stream. */
    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** The state to save; {@code new SplitMix64(state())} continues this stream exactly. */
    public long state() {
        return state;
    }

    /** Continues the stream saved by {@link #state()}. */
    public void restore(long savedState) {
        this.state = savedState;
    }

    public long nextLong() {
        long z = (state += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform on [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform on [lo, hi). */
    public double nextDouble(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    /** Uniform on {0, ..., bound-1}, without modulo bias (rejects the incomplete top range). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        while (true) {
            int u = (int) (nextLong() >>> 33);
            int r = u % bound;
            if (u - r + (bound - 1) >= 0) {
                return r;
            }
        }
    }

    /**
     * Standard normal by Marsaglia's polar method. The second variate of each pair is dropped
     * rather than cached, so the state stays a single {@code long}.
     */
    public double nextGaussian() {
        while (true) {
            double u = 2 * nextDouble() - 1;
            double v = 2 * nextDouble() - 1;
            double s = u * u + v * v;
            if (s > 0 && s < 1) {
                return u * StrictMath.sqrt(-2 * StrictMath.log(s) / s);
            }
        }
    }
}
