package org.mixq.core;

/**
 * Stride and zero padding of a 2-D convolution (cross-correlation, as cuDNN and PyTorch compute it).
 * Output size: {@code p = (h + 2*padH - r) / strideH + 1}, likewise for q.
 */
public record ConvSpec(int strideH, int strideW, int padH, int padW) {
    public ConvSpec {
        if (strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException("conv: stride must be >= 1, got " + strideH + "x" + strideW);
        }
        if (padH < 0 || padW < 0) {
            throw new IllegalArgumentException("conv: padding must be >= 0, got " + padH + "x" + padW);
        }
    }

    public static ConvSpec of(int stride, int pad) {
        return new ConvSpec(stride, stride, pad, pad);
    }

    public int outH(int h, int r) {
        return (h + 2 * padH - r) / strideH + 1;
    }

    public int outW(int w, int s) {
        return (w + 2 * padW - s) / strideW + 1;
    }
}
