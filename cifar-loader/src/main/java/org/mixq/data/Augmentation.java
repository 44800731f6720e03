package org.mixq.data;

/**
 * Training-time augmentation: a random crop of the image padded by {@code padding} zero pixels
 * on every side, then a horizontal flip with probability 1/2 when {@code flip} is set (the
 * standard CIFAR recipe of He et al. 2016). The padding is black (pixel value 0) before
 * normalization, as torchvision's {@code RandomCrop(32, padding=4)} before {@code Normalize}.
 */
public record Augmentation(int padding, boolean flip) {
    /** No augmentation: evaluation, or training without it. */
    public static final Augmentation NONE = new Augmentation(0, false);
    /** 4-pixel padding with random crop, and horizontal flips. */
    public static final Augmentation STANDARD = new Augmentation(4, true);

    public Augmentation {
        if (padding < 0) {
            throw new IllegalArgumentException("padding: " + padding + " must be >= 0");
        }
    }

    public boolean isNone() {
        return padding == 0 && !flip;
    }
}
