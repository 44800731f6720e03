package org.mixq.core.cpu;

/**
 * Elementwise ops, bias and the SGD update for the CPU backend. The inner loops are plain
 * counted loops over arrays so that C2 turns them into SIMD code; large arrays are split
 * between threads by contiguous ranges, each element written by exactly one thread.
 */
final class CpuElementwise {
    /** Below this many elements per thread the pool's hand-off costs more than it saves. */
    private static final int MIN_ELEMENTS_PER_THREAD = 1 << 15;

    private final CpuThreads threads;

    CpuElementwise(CpuThreads threads) {
        this.threads = threads;
    }

    void add(float[] y, float[] a, float[] b, int size) {
        threads.forRange(size, MIN_ELEMENTS_PER_THREAD, (from, to) -> {
            for (int i = from; i < to; i++) {
                y[i] = a[i] + b[i];
            }
        });
    }

    /** {@code y[i, ch, j] += bias[ch]} over a {@code [n, c, inner]} layout; split by (i, ch) planes. */
    void biasAdd(float[] y, float[] bias, int n, int c, int inner) {
        threads.forRange(n * c, planesPerThread(inner), (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                float b = bias[plane % c];
                int base = plane * inner;
                for (int j = 0; j < inner; j++) {
                    y[base + j] += b;
                }
            }
        });
    }

    /** {@code dBias[ch] += sum over i, j of dy[i, ch, j]}, summed in double; split by channel. */
    void biasBackward(float[] dBias, float[] dy, int n, int c, int inner) {
        threads.forRange(c, planesPerThread(n * inner), (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                dBias[ch] += (float) DoubleSums.channel(dy, ch, n, c, inner);
            }
        });
    }

    /** {@code y = max(x, 0)}; Math.max keeps a NaN visible instead of hiding it as 0. */
    void reluForward(float[] y, float[] x, int size) {
        threads.forRange(size, MIN_ELEMENTS_PER_THREAD, (from, to) -> {
            for (int i = from; i < to; i++) {
                y[i] = Math.max(x[i], 0f);
            }
        });
    }

    /**
     * {@code dx = y > 0 ? dy : +0}, from the forward output so that the forward may run in
     * place (y aliasing x); reading dy[i] before writing dx[i] lets dx alias dy.
     *
     * <p>Written without a branch: after a ReLU about half the values are zero in no order,
     * and a branch mispredicted on half the elements made this loop 6x slower. {@code y > 0}
     * holds exactly when the bits of y, read as an int, lie in {@code [1, 0x7f800000]} (the
     * positive floats up to infinity; NaN and the zeros and negatives fall outside), which
     * is one unsigned range test on {@code bits - 1}, turned into an all-ones or all-zeros mask.
     */
    void reluBackward(float[] dx, float[] dy, float[] y, int size) {
        threads.forRange(size, MIN_ELEMENTS_PER_THREAD, (from, to) -> {
            for (int i = from; i < to; i++) {
                int t = Float.floatToRawIntBits(y[i]) - 1;
                int positive = ((t - 0x7f800000) >> 31) & ~(t >> 31);
                dx[i] = Float.intBitsToFloat(Float.floatToRawIntBits(dy[i]) & positive);
            }
        });
    }

    /**
     * PyTorch's torch.optim.SGD with dampening 0 and no Nesterov:
     * {@code g = grad + wd * param; v = momentum * v + g; param -= lr * v}. With a zero initial
     * velocity the first step gives v = g, as PyTorch's buffer initialisation does.
     */
    void sgd(float[] param, float[] velocity, float[] grad, int size, float lr, float momentum, float weightDecay) {
        threads.forRange(size, MIN_ELEMENTS_PER_THREAD, (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = grad[i] + weightDecay * param[i];
                float v = momentum * velocity[i] + g;
                velocity[i] = v;
                param[i] -= lr * v;
            }
        });
    }

    private static int planesPerThread(int elementsPerPlane) {
        return Math.max(1, MIN_ELEMENTS_PER_THREAD / Math.max(1, elementsPerPlane));
    }
}
