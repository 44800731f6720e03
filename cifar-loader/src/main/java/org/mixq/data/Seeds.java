package org.mixq.data;

/** Derives independent seeds from a base seed and a counter (epoch, batch, image index). */
final class Seeds {
    private Seeds() {
    }

    /**
     * A seed for stream {@code index} of {@code base}: the SplitMix64 finalizer (Steele, Lea and
     * Flood, OOPSLA 2014) of a golden-ratio step, so neighbouring indices give unrelated seeds.
     */
    static long mix(long base, long index) {
        long z = base + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
