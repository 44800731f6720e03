package org.mixq.core;

/**
 * Every size of one convolution: input {@code x[n,c,h,w]}, filter {@code w[k,c,r,s]}, output
 * {@code y[n,k,p,q]}, with stride and zero padding (cuDNN's letters).
 */
public record ConvGeometry(int n, int c, int h, int w, int k, int r, int s, int p, int q,
                           int strideH, int strideW, int padH, int padW) {

    public static ConvGeometry of(Shape x, Shape filter, ConvSpec spec) {
        int p = spec.outH(x.dim(2), filter.dim(2));
        int q = spec.outW(x.dim(3), filter.dim(3));
        return new ConvGeometry(x.dim(0), x.dim(1), x.dim(2), x.dim(3), filter.dim(0), filter.dim(2),
                filter.dim(3), p, q, spec.strideH(), spec.strideW(), spec.padH(), spec.padW());
    }

    /** Multiply-accumulates of the forward pass. */
    public long macs() {
        return (long) n * k * p * q * c * r * s;
    }
}
