// Batch normalization over channel ch of a tensor laid out as [n, c, inner] (inner = h * w for
// NCHW, 1 for [n, c]): the formulas of org.mixq.core.cpu.CpuNorm, with its double-precision sums.
//
// Channel sums run in two steps so that a channel is spread over many blocks (a VGG layer has
// 64 channels of 131k values: one block per channel would leave most of the device idle):
//   *_partial kernels: grid (chunks, c); block (chunk, ch) sums a contiguous slice of the
//     channel's m = n * inner values in double by a fixed tree, writing partial[ch * chunks + chunk];
//   *_finalize kernels: one thread per channel adds its partials in chunk order.
// The chunk count depends only on the sizes, so results are the same on every run and device.
// Mean and variance take two passes (mean, then squared deviations), never E[x^2] - E[x]^2.
// Compiled with -fmad=false so that y = (x - mean) * scale + beta rounds like the CPU.

#define BN_THREADS 256

__device__ __forceinline__ long long channel_index(long long t, int c, int inner, int ch) {
    long long i = t / inner;
    long long j = t - i * inner;
    return (i * c + ch) * inner + j;
}

__device__ __forceinline__ double block_sum(double v, double* shared) {
    shared[threadIdx.x] = v;
    __syncthreads();
    for (int stride = BN_THREADS / 2; stride > 0; stride >>= 1) {
        if (threadIdx.x < stride) {
            shared[threadIdx.x] += shared[threadIdx.x + stride];
        }
        __syncthreads();
    }
    double result = shared[0];
    __syncthreads();
    return result;
}

// Pass 1: sum of x. With mean != null, pass 2: sum of (x - mean[ch])^2.
extern "C" __global__ void __launch_bounds__(BN_THREADS)
bn_stats_partial(double* partial, const float* x, const double* mean, int n, int c, int inner)
{
    __shared__ double shared[BN_THREADS];
    const int ch = blockIdx.y;
    const int chunks = gridDim.x;
    const long long count = (long long)n * inner;
    const long long begin = count * blockIdx.x / chunks;
    const long long end = count * (blockIdx.x + 1) / chunks;
    const double mu = mean == 0 ? 0.0 : mean[ch];
    double sum = 0.0;
    for (long long t = begin + threadIdx.x; t < end; t += BN_THREADS) {
        double v = (double)x[channel_index(t, c, inner, ch)];
        if (mean == 0) {
            sum += v;
        } else {
            double d = v - mu;
            sum += d * d;
        }
    }
    double total = block_sum(sum, shared);
    if (threadIdx.x == 0) {
        partial[(long long)ch * chunks + blockIdx.x] = total;
    }
}

// mean[ch] = sum / m, kept in double for the second pass.
extern "C" __global__ void bn_mean_finalize(double* mean, const double* partial, int c, int chunks, long long count)
{
    const int ch = blockIdx.x * blockDim.x + threadIdx.x;
    if (ch < c) {
        double sum = 0.0;
        for (int k = 0; k < chunks; k++) {
            sum += partial[(long long)ch * chunks + k];
        }
        mean[ch] = sum / count;
    }
}

// Saves mean and 1/sqrt(biased var + eps) for backward; updates the running statistics with
// PyTorch's momentum (the weight of the new batch value) and the unbiased variance.
extern "C" __global__ void bn_var_finalize(float* saveMean, float* saveInvStd, float* runningMean, float* runningVar,
                                           const double* mean, const double* partial, int c, int chunks,
                                           long long count, float momentum, float eps)
{
    const int ch = blockIdx.x * blockDim.x + threadIdx.x;
    if (ch < c) {
        double squares = 0.0;
        for (int k = 0; k < chunks; k++) {
            squares += partial[(long long)ch * chunks + k];
        }
        double biasedVar = squares / count;
        double unbiasedVar = squares / (count - 1);
        double mu = mean[ch];
        saveMean[ch] = (float)mu;
        saveInvStd[ch] = (float)(1.0 / sqrt(biasedVar + (double)eps));
        runningMean[ch] = (float)((1.0 - (double)momentum) * (double)runningMean[ch] + (double)momentum * mu);
        runningVar[ch] = (float)((1.0 - (double)momentum) * (double)runningVar[ch] + (double)momentum * unbiasedVar);
    }
}

// Inference: invStd[ch] = 1/sqrt(runningVar + eps), computed in double like the CPU.
extern "C" __global__ void bn_inference_inv_std(float* invStd, const float* runningVar, int c, float eps)
{
    const int ch = blockIdx.x * blockDim.x + threadIdx.x;
    if (ch < c) {
        invStd[ch] = (float)(1.0 / sqrt((double)runningVar[ch] + (double)eps));
    }
}

// y = (x - mean) * (invStd * gamma) + beta, for training (batch statistics) and inference.
extern "C" __global__ void bn_normalize(float* y, const float* x, const float* mean, const float* invStd,
                                        const float* gamma, const float* beta, int c, int inner, long long total)
{
    for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < total;
         e += (long long)gridDim.x * blockDim.x) {
        const int ch = (int)((e / inner) % c);
        const float scale = invStd[ch] * gamma[ch];
        y[e] = (x[e] - mean[ch]) * scale + beta[ch];
    }
}

// Backward pass 1: partial[ch * chunks + chunk] = sum(dy) and
// partial[(c + ch) * chunks + chunk] = sum(dy * xhat), xhat = (x - mean) * invStd, in double.
extern "C" __global__ void __launch_bounds__(BN_THREADS)
bn_backward_partial(double* partial, const float* dy, const float* x, const float* saveMean,
                    const float* saveInvStd, int n, int c, int inner)
{
    __shared__ double shared[BN_THREADS];
    const int ch = blockIdx.y;
    const int chunks = gridDim.x;
    const long long count = (long long)n * inner;
    const long long begin = count * blockIdx.x / chunks;
    const long long end = count * (blockIdx.x + 1) / chunks;
    const double mu = saveMean[ch];
    const double invStd = saveInvStd[ch];
    double sumDy = 0.0;
    double sumDyXhat = 0.0;
    for (long long t = begin + threadIdx.x; t < end; t += BN_THREADS) {
        long long e = channel_index(t, c, inner, ch);
        double g = (double)dy[e];
        sumDy += g;
        sumDyXhat += g * ((double)x[e] - mu) * invStd;
    }
    double totalDy = block_sum(sumDy, shared);
    double totalDyXhat = block_sum(sumDyXhat, shared);
    if (threadIdx.x == 0) {
        partial[(long long)ch * chunks + blockIdx.x] = totalDy;
        partial[((long long)c + ch) * chunks + blockIdx.x] = totalDyXhat;
    }
}

// Accumulates dBeta += sum(dy), dGamma += sum(dy * xhat) and writes the three per-channel
// coefficients of dx: coef[ch] = gamma * invStd, coef[c + ch] = mean(dy),
// coef[2c + ch] = mean(dy * xhat).
extern "C" __global__ void bn_backward_finalize(float* dGamma, float* dBeta, float* coef, const double* partial,
                                                const float* gamma, const float* saveInvStd, int c, int chunks,
                                                long long count)
{
    const int ch = blockIdx.x * blockDim.x + threadIdx.x;
    if (ch < c) {
        double sumDy = 0.0;
        double sumDyXhat = 0.0;
        for (int k = 0; k < chunks; k++) {
            sumDy += partial[(long long)ch * chunks + k];
            sumDyXhat += partial[((long long)c + ch) * chunks + k];
        }
        dBeta[ch] += (float)sumDy;
        dGamma[ch] += (float)sumDyXhat;
        coef[ch] = (float)((double)gamma[ch] * (double)saveInvStd[ch]);
        coef[c + ch] = (float)(sumDy / count);
        coef[2 * c + ch] = (float)(sumDyXhat / count);
    }
}

// dx = gamma * invStd * (dy - mean(dy) - xhat * mean(dy * xhat)) (Ioffe and Szegedy 2015, sec. 3).
extern "C" __global__ void bn_backward_dx(float* dx, const float* dy, const float* x, const float* saveMean,
                                          const float* saveInvStd, const float* coef, int c, int inner,
                                          long long total)
{
    for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < total;
         e += (long long)gridDim.x * blockDim.x) {
        const int ch = (int)((e / inner) % c);
        const float xhat = (x[e] - saveMean[ch]) * saveInvStd[ch];
        dx[e] = coef[ch] * (dy[e] - coef[c + ch] - xhat * coef[2 * c + ch]);
    }
}
