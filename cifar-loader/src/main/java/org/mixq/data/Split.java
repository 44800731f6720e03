package org.mixq.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A deterministic, disjoint split of a TRAINING set into a part to train on and a held-out
 * validation part (the search's reward data); the test set is never split. A seeded
 * permutation of the indices gives the validation images first, then the training images, so
 * the validation part depends only on the seed and its size, and a smaller training subset
 * (HAQ fine-tunes on a few thousand images) is a prefix of a larger one with the same seed.
 */
public record Split(Dataset train, Dataset validation) {
    /** Validation images held out by {@link #standard}: 5,000 (CIFAR 45,000/5,000, MNIST 55,000/5,000). */
    public static final int DEFAULT_VALIDATION = 5000;

    /**
     * The default split: {@value #DEFAULT_VALIDATION} validation images (a tenth of the set
     * when it is smaller than 50,000), the rest for training.
     */
    public static Split standard(Dataset full, long seed) {
        int validation = Math.min(DEFAULT_VALIDATION, full.size() / 10);
        return of(full, full.size() - validation, validation, seed);
    }

    /** A split with the given sizes; {@code trainSize + validationSize} may be below the set's size. */
    public static Split of(Dataset full, int trainSize, int validationSize, long seed) {
        if (trainSize < 0 || validationSize < 0 || (long) trainSize + validationSize > full.size()) {
            throw new IllegalArgumentException("split sizes: train " + trainSize + " + validation " + validationSize
                    + " must be non-negative and fit in " + full.size() + " images of " + full.name());
        }
        int[] perm = permutation(full.size(), seed);
        int[] val = Arrays.copyOfRange(perm, 0, validationSize);
        int[] train = Arrays.copyOfRange(perm, validationSize, validationSize + trainSize);
        // Sorted so evaluation order follows the file, whatever the seed.
        Arrays.sort(val);
        Arrays.sort(train);
        String tag = "seed " + seed + ")";
        return new Split(full.subset(full.name() + " (train " + trainSize + ", " + tag, train),
                full.subset(full.name() + " (validation " + validationSize + ", " + tag, val));
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates) from the seed. */
    static int[] permutation(int n, long seed) {
        int[] perm = new int[n];
        Arrays.setAll(perm, i -> i);
        shuffle(perm, new SplittableRandom(seed));
        return perm;
    }

    static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
