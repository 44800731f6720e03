package org.mixq.core.cpu;

/**
 * Batch normalization over channel {@code ch} of a tensor laid out as {@code [n, c, inner]}
 * ({@code inner = h*w} for NCHW, 1 for {@code [n, c]}). Each channel is independent, so the
 * channels are split between threads and every per-channel sum is taken in double: a float
 * sum over a whole batch (50k values for a CIFAR layer) would lose the low bits of the mean
 * and, worse, of the variance.
 */
final class CpuNorm {
    /** Below this many elements per thread the pool's hand-off costs more than it saves. */
    private static final int MIN_ELEMENTS_PER_THREAD = 1 << 15;

    private final CpuThreads threads;

    CpuNorm(CpuThreads threads) {
        this.threads = threads;
    }

    void forwardTraining(float[] y, float[] saveMean, float[] saveInvStd, float[] runningMean, float[] runningVar,
                         float[] x, float[] gamma, float[] beta, int n, int c, int inner, float momentum, float eps) {
        int count = n * inner;
        threads.forRange(c, channelsPerThread(count), (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double mean = DoubleSums.channel(x, ch, n, c, inner) / count;
                // Two passes (mean, then squared deviations) instead of E[x^2] - E[x]^2, which
                // cancels catastrophically when |mean| is large against the spread.
                double squares = deviationProducts(x, mean, x, mean, ch, n, c, inner);
                double biasedVar = squares / count;
                double unbiasedVar = squares / (count - 1);
                float meanF = (float) mean;
                float invStd = (float) (1.0 / Math.sqrt(biasedVar + eps));
                saveMean[ch] = meanF;
                saveInvStd[ch] = invStd;
                // PyTorch's momentum: the weight of the new batch statistic, not of the old value.
                runningMean[ch] = (float) ((1.0 - momentum) * runningMean[ch] + momentum * mean);
                runningVar[ch] = (float) ((1.0 - momentum) * runningVar[ch] + momentum * unbiasedVar);
                normalize(y, x, ch, n, c, inner, meanF, invStd, gamma[ch], beta[ch]);
            }
        });
    }

    void forwardInference(float[] y, float[] x, float[] gamma, float[] beta, float[] runningMean, float[] runningVar,
                          int n, int c, int inner, float eps) {
        threads.forRange(c, channelsPerThread(n * inner), (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                float invStd = (float) (1.0 / Math.sqrt((double) runningVar[ch] + eps));
                normalize(y, x, ch, n, c, inner, runningMean[ch], invStd, gamma[ch], beta[ch]);
            }
        });
    }

    /** {@code y = (x - mean) * invStd * gamma + beta} over one channel. */
    private static void normalize(float[] y, float[] x, int ch, int n, int c, int inner,
                                  float mean, float invStd, float gamma, float beta) {
        float scale = invStd * gamma;
        for (int i = 0; i < n; i++) {
            int base = (i * c + ch) * inner;
            for (int j = 0; j < inner; j++) {
                y[base + j] = (x[base + j] - mean) * scale + beta;
            }
        }
    }

    /**
     * The closed form of the batch-norm input gradient (Ioffe and Szegedy 2015, section 3),
     * with means taken over the n * inner values of a channel and xhat = (x - mean) * invStd:
     * {@code dx = gamma * invStd * (dy - mean(dy) - xhat * mean(dy * xhat))}.
     * The two sums are also the parameter gradients: {@code dBeta += sum(dy)},
     * {@code dGamma += sum(dy * xhat)}.
     */
    void backward(float[] dx, float[] dGamma, float[] dBeta, float[] dy, float[] x, float[] gamma, float[] saveMean,
                  float[] saveInvStd, int n, int c, int inner) {
        int count = n * inner;
        threads.forRange(c, channelsPerThread(count), (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double mean = saveMean[ch];
                double invStd = saveInvStd[ch];
                double sumDy = DoubleSums.channel(dy, ch, n, c, inner);
                double sumDyXhat = deviationProducts(dy, 0, x, mean, ch, n, c, inner) * invStd;
                dBeta[ch] += (float) sumDy;
                dGamma[ch] += (float) sumDyXhat;
                float scale = (float) (gamma[ch] * invStd);
                float meanDy = (float) (sumDy / count);
                float meanDyXhat = (float) (sumDyXhat / count);
                float meanF = saveMean[ch];
                float invStdF = saveInvStd[ch];
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * inner;
                    for (int j = 0; j < inner; j++) {
                        float xhat = (x[base + j] - meanF) * invStdF;
                        dx[base + j] = scale * (dy[base + j] - meanDy - xhat * meanDyXhat);
                    }
                }
            }
        });
    }

    /**
     * Sum of {@code (a - aMean) * (b - bMean)} over channel {@code ch}: the squared deviations
     * with {@code a = b = x}, the backward pass's {@code sum(dy * (x - mean))} with a zero aMean.
     * Four partial sums over the elements j = 0, 1, 2, 3 (mod 4) of each plane, for the reason
     * {@link DoubleSums#sum} gives; the order is fixed by the shape alone.
     */
    private static double deviationProducts(float[] a, double aMean, float[] b, double bMean,
                                            int ch, int n, int c, int inner) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (int i = 0; i < n; i++) {
            int base = (i * c + ch) * inner;
            int j = base;
            for (; j + 3 < base + inner; j += 4) {
                s0 += (a[j] - aMean) * (b[j] - bMean);
                s1 += (a[j + 1] - aMean) * (b[j + 1] - bMean);
                s2 += (a[j + 2] - aMean) * (b[j + 2] - bMean);
                s3 += (a[j + 3] - aMean) * (b[j + 3] - bMean);
            }
            for (; j < base + inner; j++) {
                s0 += (a[j] - aMean) * (b[j] - bMean);
            }
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static int channelsPerThread(int elementsPerChannel) {
        return Math.max(1, MIN_ELEMENTS_PER_THREAD / Math.max(1, elementsPerChannel));
    }
}
