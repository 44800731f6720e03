package org.mixq.core;

import java.util.Arrays;

/** An immutable tensor shape; dimensions are NCHW for images, [rows, cols] for matrices. */
public final class Shape {
    private final int[] dims;
    private final long size;

    private Shape(int[] dims) {
        long n = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new IllegalArgumentException("shape: dimension " + i + " is negative: " + Arrays.toString(dims));
            }
            n *= dims[i];
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape: " + Arrays.toString(dims) + " has more than 2^31-1 elements");
        }
        this.dims = dims;
        this.size = n;
    }

    public static Shape of(int... dims) {
        if (dims == null) {
            throw new IllegalArgumentException("shape: dims is null");
        }
        return new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int i) {
        return dims[i];
    }

    public int[] dims() {
        return dims.clone();
    }

    /** Number of elements. */
    public int size() {
        return (int) size;
    }

    /** Product of the dimensions after {@code axis}: the stride of {@code axis} in a dense layout. */
    public int inner(int axis) {
        int n = 1;
        for (int i = axis + 1; i < dims.length; i++) {
            n *= dims[i];
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape && Arrays.equals(dims, ((Shape) o).dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
