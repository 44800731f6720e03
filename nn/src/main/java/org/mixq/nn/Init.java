package org.mixq.nn;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Weight initialization, seeded. Gaussian draws use Box-Muller written here, so the values do
 * not depend on the JDK's {@code nextGaussian} algorithm.
 */
public final class Init {
    private Init() {
    }

    /**
     * Kaiming (He et al. 2015) normal with fan-out and a ReLU gain, as torchvision initializes
     * ResNet and VGG convolutions: {@code std = sqrt(2 / fanOut)}, fanOut = out channels * kernel area.
     */
    public static float[] kaimingNormalFanOut(int count, int fanOut, SplittableRandom rnd) {
        return gaussian(count, (float) Math.sqrt(2.0 / fanOut), rnd);
    }

    /**
     * PyTorch's default for Linear weights and biases: {@code kaiming_uniform(a = sqrt 5)} on the
     * weight reduces to U(-1/sqrt(fanIn), 1/sqrt(fanIn)); the bias uses the same bound.
     */
    public static float[] linearDefault(int count, int fanIn, SplittableRandom rnd) {
        return uniform(count, (float) (1.0 / Math.sqrt(fanIn)), rnd);
    }

    /** U(-bound, bound). */
    public static float[] uniform(int count, float bound, SplittableRandom rnd) {
        float[] a = new float[count];
        for (int i = 0; i < count; i++) {
            a[i] = (float) ((2 * rnd.nextDouble() - 1) * bound);
        }
        return a;
    }

    /** N(0, std^2) by Box-Muller, two values per pair of uniforms. */
    public static float[] gaussian(int count, float std, SplittableRandom rnd) {
        float[] a = new float[count];
        for (int i = 0; i < count; i += 2) {
            double u = 1.0 - rnd.nextDouble();
            double v = rnd.nextDouble();
            double r = Math.sqrt(-2 * StrictMath.log(u));
            a[i] = (float) (std * r * StrictMath.cos(2 * Math.PI * v));
            if (i + 1 < count) {
                a[i + 1] = (float) (std * r * StrictMath.sin(2 * Math.PI * v));
            }
        }
        return a;
    }

    public static float[] filled(int count, float value) {
        float[] a = new float[count];
        Arrays.fill(a, value);
        return a;
    }
}
