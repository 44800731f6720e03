package org.mixq.core.testing;

/** Named comparison tolerances, each with the reason it is what it is. */
public final class Tolerances {
    private Tolerances() {
    }

    /** Same formula, same float32 operations in the same order: results must be identical. */
    public static final float EXACT = 0f;

    /**
     * Elementwise float32 math that may fuse or reorder one or two operations (FMA, a
     * reciprocal): a few ulps relative.
     */
    public static final float ELEMENTWISE_RTOL = 1e-6f;

    /**
     * Per-element relative error of a float32 dot product of length K against a double
     * reference grows like K * eps; multiply by the reduction length (see {@link #reduction}).
     */
    public static final float FLOAT_EPS = 0x1p-23f;

    /**
     * Central finite differences in float32 with step 1e-2 on smooth functions: truncation
     * error O(h^2) and rounding error O(eps/h) both near 1e-4 relative; 1e-2 relative plus
     * 1e-3 absolute leaves room for both (tinygrad's gradcheck uses 1e-3/1e-3 in float64).
     */
    public static final float FD_RTOL = 1e-2f;
    public static final float FD_ATOL = 1e-3f;

    /** Absolute tolerance for a sum of {@code k} products of values of magnitude about 1. */
    public static float reduction(int k) {
        return 4f * FLOAT_EPS * (float) Math.sqrt(k) * Math.max(1f, (float) Math.sqrt(k));
    }
}
