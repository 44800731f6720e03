package org.mixq.core.cpu;

/** Sums of float ranges taken in double, shared by the CPU ops that reduce. */
final class DoubleSums {
    private DoubleSums() {
    }

    /**
     * Sum of {@code v[offset .. offset+length)}. Four quarters are summed side by side: C2 does
     * not reorder floating-point additions, so one running sum is a chain of dependent additions,
     * and four independent chains run about four times faster. The order depends on the length
     * alone, so a result does not depend on how work was split between threads.
     */
    static double sum(float[] v, int offset, int length) {
        return sum(v, offset, length, false);
    }

    /** Sum of {@code |v[i]|} over the range, in the order of {@link #sum(float[], int, int)}. */
    static double sumAbs(float[] v, int offset, int length) {
        return sum(v, offset, length, true);
    }

    /** The loop of both sums; each caller passes a constant {@code abs}, which C2 folds. */
    private static double sum(float[] v, int offset, int length, boolean abs) {
        int quarter = length / 4;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (int i = offset; i < offset + quarter; i++) {
            s0 += abs ? Math.abs(v[i]) : v[i];
            s1 += abs ? Math.abs(v[i + quarter]) : v[i + quarter];
            s2 += abs ? Math.abs(v[i + 2 * quarter]) : v[i + 2 * quarter];
            s3 += abs ? Math.abs(v[i + 3 * quarter]) : v[i + 3 * quarter];
        }
        double sum = (s0 + s1) + (s2 + s3);
        for (int i = offset + 4 * quarter; i < offset + length; i++) {
            sum += abs ? Math.abs(v[i]) : v[i];
        }
        return sum;
    }

    /** Sum of channel {@code ch} of a {@code [n, c, inner]} layout, plane by plane. */
    static double channel(float[] x, int ch, int n, int c, int inner) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += sum(x, (i * c + ch) * inner, inner);
        }
        return sum;
    }
}
