package org.mixq.core.testing;

import java.util.SplittableRandom;

/** Random float arrays for test inputs, from an injected generator. */
public final class RandomArrays {
    private RandomArrays() {
    }

    public static float[] uniform(SplittableRandom rnd, int n, float lo, float hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = lo + (hi - lo) * (float) rnd.nextDouble();
        }
        return a;
    }

    public static float[] gaussian(SplittableRandom rnd, int n, float std) {
        float[] a = new float[n];
        for (int i = 0; i < n; i += 2) {
            double u = 1.0 - rnd.nextDouble();
            double v = rnd.nextDouble();
            double r = Math.sqrt(-2 * Math.log(u));
            a[i] = (float) (std * r * Math.cos(2 * Math.PI * v));
            if (i + 1 < n) {
                a[i + 1] = (float) (std * r * Math.sin(2 * Math.PI * v));
            }
        }
        return a;
    }
}
