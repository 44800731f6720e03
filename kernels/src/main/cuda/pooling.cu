// Max pooling (no padding) and global average pooling over the h x w planes of an NCHW tensor,
// read as planes = n * c independent planes: the loops of org.mixq.core.cpu.CpuPooling.
//
// The max-pool backward is a gather, one thread per input element: it visits the windows that
// cover its element in row-major output order and adds dy of each window whose first maximum
// (the first row-major position equal to the forward output, as cuDNN routes it) is this
// element. The CPU scatters in the same output order into a zeroed dx, so the additions happen
// in the same order and give the same bits, with no atomics and no separate zeroing pass.

__device__ __forceinline__ float java_max(float a, float b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0.f && b == 0.f) return (__float_as_int(a) < 0) ? b : a;
    return a > b ? a : b;
}

extern "C" __global__ void max_pool_forward(float* y, const float* x, int planes, int h, int w, int window,
                                            int stride, int outH, int outW)
{
    const long long total = (long long)planes * outH * outW;
    for (long long o = blockIdx.x * (long long)blockDim.x + threadIdx.x; o < total;
         o += (long long)gridDim.x * blockDim.x) {
        const int q = (int)(o % outW);
        const int p = (int)((o / outW) % outH);
        const long long plane = o / ((long long)outW * outH);
        const float* corner = x + plane * h * w + (long long)p * stride * w + (long long)q * stride;
        float m = corner[0];
        for (int r = 0; r < window; r++) {
            for (int s = 0; s < window; s++) {
                m = java_max(m, corner[r * w + s]);
            }
        }
        y[o] = m;
    }
}

extern "C" __global__ void max_pool_backward(float* dx, const float* dy, const float* x, const float* y, int planes,
                                             int h, int w, int window, int stride, int outH, int outW)
{
    const long long total = (long long)planes * h * w;
    for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < total;
         e += (long long)gridDim.x * blockDim.x) {
        const int col = (int)(e % w);
        const int row = (int)((e / w) % h);
        const long long plane = e / ((long long)w * h);
        const float* xp = x + plane * h * w;
        const long long outBase = plane * outH * outW;
        // windows p with p * stride <= row < p * stride + window, likewise q for col
        const int pFirst = row < window ? 0 : (row - window) / stride + 1;
        const int pLast = row / stride < outH ? row / stride : outH - 1;
        const int qFirst = col < window ? 0 : (col - window) / stride + 1;
        const int qLast = col / stride < outW ? col / stride : outW - 1;
        float g = 0.f;
        for (int p = pFirst; p <= pLast; p++) {
            for (int q = qFirst; q <= qLast; q++) {
                const long long o = outBase + (long long)p * outW + q;
                const float m = y[o];
                // first row-major position of the window holding the maximum; -1 when none does
                int at = -1;
                for (int r = 0; r < window && at < 0; r++) {
                    for (int s = 0; s < window; s++) {
                        const int i = (p * stride + r) * w + q * stride + s;
                        if (xp[i] == m) {
                            at = i;
                            break;
                        }
                    }
                }
                if (at == row * w + col) {
                    g += dy[o];
                }
            }
        }
        dx[e] = g;
    }
}

// y[plane] = mean of the plane, summed in double in index order (one thread per plane, as the CPU).
extern "C" __global__ void global_avg_pool_forward(float* y, const float* x, int planes, int hw)
{
    for (int plane = blockIdx.x * blockDim.x + threadIdx.x; plane < planes; plane += gridDim.x * blockDim.x) {
        const float* xp = x + (long long)plane * hw;
        double sum = 0.0;
        for (int j = 0; j < hw; j++) {
            sum += (double)xp[j];
        }
        y[plane] = (float)(sum / hw);
    }
}

// dx[plane, j] = dy[plane] / hw: every position had weight 1/hw in the mean.
extern "C" __global__ void global_avg_pool_backward(float* dx, const float* dy, int planes, int hw)
{
    const long long total = (long long)planes * hw;
    for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < total;
         e += (long long)gridDim.x * blockDim.x) {
        dx[e] = dy[e / hw] / (float)hw;
    }
}
