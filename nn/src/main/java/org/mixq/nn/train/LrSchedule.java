package org.mixq.nn.train;

/**
 * Learning rate per epoch, set at the start of each epoch.
 * <ul>
 *   <li>{@code COSINE}: {@code base * (1 + cos(pi * epoch / epochs)) / 2} (Loshchilov and Hutter's
 *       SGDR without restarts, as PyTorch's CosineAnnealingLR stepped once per epoch);</li>
 *   <li>{@code STEP}: {@code base * gamma^(epoch / stepEpochs)};</li>
 *   <li>{@code CONSTANT}: {@code base}.</li>
 * </ul>
 */
public record LrSchedule(Kind kind, int stepEpochs, float gamma) {
    public enum Kind { COSINE, STEP, CONSTANT }

    public LrSchedule {
        if (kind == Kind.STEP && (stepEpochs < 1 || !(gamma > 0))) {
            throw new IllegalArgumentException("lr schedule: step needs stepEpochs >= 1 and gamma > 0, got " + stepEpochs + ", " + gamma);
        }
    }

    public static LrSchedule cosine() {
        return new LrSchedule(Kind.COSINE, 0, 1f);
    }

    public static LrSchedule step(int stepEpochs, float gamma) {
        return new LrSchedule(Kind.STEP, stepEpochs, gamma);
    }

    public static LrSchedule constant() {
        return new LrSchedule(Kind.CONSTANT, 0, 1f);
    }

    /** The rate of epoch {@code epoch} (from 0) of {@code epochs}. */
    public float rate(float base, int epoch, int epochs) {
        switch (kind) {
            case COSINE:
                return (float) (base * 0.5 * (1 + StrictMath.cos(Math.PI * epoch / epochs)));
            case STEP:
                return (float) (base * StrictMath.pow(gamma, epoch / stepEpochs));
            default:
                return base;
        }
    }
}
