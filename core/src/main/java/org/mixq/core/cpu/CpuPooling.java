package org.mixq.core.cpu;

import java.util.Arrays;

/**
 * Max pooling (no padding) and global average pooling over the {@code h x w} planes of an
 * NCHW tensor, read as {@code planes = n * c} independent planes. Work is split between
 * threads by plane, so overlapping max-pool windows, which add into the same input
 * positions, always stay on one thread.
 */
final class CpuPooling {
    /** Below this many input elements per thread the pool's hand-off costs more than it saves. */
    private static final int MIN_ELEMENTS_PER_THREAD = 1 << 15;

    private final CpuThreads threads;

    CpuPooling(CpuThreads threads) {
        this.threads = threads;
    }

    void maxForward(float[] y, float[] x, int planes, int h, int w, int window, int stride) {
        int outH = (h - window) / stride + 1;
        int outW = (w - window) / stride + 1;
        if (window == 2 && stride == 2) {
            threads.forRange(planes, planesPerThread(h * w), (from, to) -> max2x2(y, x, from, to, h, w));
            return;
        }
        threads.forRange(planes, planesPerThread(h * w), (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int in = plane * h * w;
                int out = plane * outH * outW;
                for (int p = 0; p < outH; p++) {
                    for (int q = 0; q < outW; q++) {
                        int corner = in + p * stride * w + q * stride;
                        float max = x[corner];
                        for (int r = 0; r < window; r++) {
                            for (int s = 0; s < window; s++) {
                                max = Math.max(max, x[corner + r * w + s]);
                            }
                        }
                        y[out + p * outW + q] = max;
                    }
                }
            }
        });
    }

    /**
     * The VGG case, 2x2 windows at stride 2, unrolled: about eight times faster than the
     * general loop, whose variable window keeps the JIT from unrolling it. Math.max is
     * commutative and associative on floats (NaN wins, +0 beats -0), so pairing the four
     * values differently gives the same bits as the general loop.
     */
    private static void max2x2(float[] y, float[] x, int from, int to, int h, int w) {
        int outH = h / 2;
        int outW = w / 2;
        for (int plane = from; plane < to; plane++) {
            int in = plane * h * w;
            int out = plane * outH * outW;
            for (int p = 0; p < outH; p++) {
                int row = in + 2 * p * w;
                int o = out + p * outW;
                for (int q = 0; q < outW; q++) {
                    int c = row + 2 * q;
                    y[o + q] = Math.max(Math.max(x[c], x[c + 1]), Math.max(x[c + w], x[c + w + 1]));
                }
            }
        }
    }

    /**
     * Routes each {@code dy} to the first row-major position of its window whose input equals
     * the forward output, as cuDNN does; ties therefore never split or duplicate a gradient.
     * Every {@code dx} element is written: zeros first, then the routed gradients are added,
     * which sums the contributions of overlapping windows ({@code stride < window}).
     */
    void maxBackward(float[] dx, float[] dy, float[] x, float[] y, int planes, int h, int w, int window, int stride) {
        int outH = (h - window) / stride + 1;
        int outW = (w - window) / stride + 1;
        if (window == 2 && stride == 2) {
            threads.forRange(planes, planesPerThread(h * w), (from, to) -> maxBackward2x2(dx, dy, x, y, from, to, h, w));
            return;
        }
        threads.forRange(planes, planesPerThread(h * w), (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int in = plane * h * w;
                int out = plane * outH * outW;
                Arrays.fill(dx, in, in + h * w, 0f);
                for (int p = 0; p < outH; p++) {
                    for (int q = 0; q < outW; q++) {
                        int o = out + p * outW + q;
                        int at = firstEqual(x, in + p * stride * w + q * stride, w, window, y[o]);
                        if (at >= 0) {
                            dx[at] += dy[o];
                        }
                    }
                }
            }
        });
    }

    /**
     * {@link #maxBackward} for 2x2 windows at stride 2, which do not overlap: each covered dx
     * is written once, the gradient where the window's first equal element is and zero
     * elsewhere. The four tests are combined without short-circuits, so that the JIT can
     * select instead of branch: which of four values is the maximum follows no pattern, and a
     * mispredicted branch per window made the general loop slow. Only an odd last row or
     * column, which no window covers, needs zeroing beforehand.
     */
    private static void maxBackward2x2(float[] dx, float[] dy, float[] x, float[] y, int from, int to, int h, int w) {
        int outH = h / 2;
        int outW = w / 2;
        for (int plane = from; plane < to; plane++) {
            int in = plane * h * w;
            int out = plane * outH * outW;
            if (h % 2 != 0 || w % 2 != 0) {
                Arrays.fill(dx, in, in + h * w, 0f);
            }
            for (int p = 0; p < outH; p++) {
                int row = in + 2 * p * w;
                int o = out + p * outW;
                for (int q = 0; q < outW; q++) {
                    int c = row + 2 * q;
                    float max = y[o + q];
                    float g = dy[o + q];
                    boolean first = x[c] == max;
                    boolean second = !first & x[c + 1] == max;
                    boolean third = !first & !second & x[c + w] == max;
                    boolean fourth = !first & !second & !third & x[c + w + 1] == max;
                    dx[c] = first ? g : 0f;
                    dx[c + 1] = second ? g : 0f;
                    dx[c + w] = third ? g : 0f;
                    dx[c + w + 1] = fourth ? g : 0f;
                }
            }
        }
    }

    /**
     * Index of the first element of the window at {@code corner} equal to {@code max}, or -1
     * when none is (y was not computed from this x, or is NaN): then the gradient is dropped.
     */
    private static int firstEqual(float[] x, int corner, int w, int window, float max) {
        for (int r = 0; r < window; r++) {
            for (int s = 0; s < window; s++) {
                int i = corner + r * w + s;
                if (x[i] == max) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** {@code y[plane] = mean of x over the plane}, summed in double. */
    void avgForward(float[] y, float[] x, int planes, int hw) {
        threads.forRange(planes, planesPerThread(hw), (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int base = plane * hw;
                double sum = 0;
                for (int j = 0; j < hw; j++) {
                    sum += x[base + j];
                }
                y[plane] = (float) (sum / hw);
            }
        });
    }

    /** {@code dx[plane, j] = dy[plane] / hw}: every position had weight 1/hw in the mean. */
    void avgBackward(float[] dx, float[] dy, int planes, int hw) {
        threads.forRange(planes, planesPerThread(hw), (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int base = plane * hw;
                float g = dy[plane] / hw;
                for (int j = 0; j < hw; j++) {
                    dx[base + j] = g;
                }
            }
        });
    }

    private static int planesPerThread(int elementsPerPlane) {
        return Math.max(1, MIN_ELEMENTS_PER_THREAD / Math.max(1, elementsPerPlane));
    }
}
