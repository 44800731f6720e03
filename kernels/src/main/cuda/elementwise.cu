// Elementwise ops, bias and the SGD update: the loops of org.mixq.core.cpu.CpuElementwise.
//
// Compiled with -fmad=false: the CPU computes `momentum * v + g` as a rounded product followed
// by a rounded sum, and so must we for the optimizer to agree bit for bit.
// Buffers start on 256-byte boundaries, so an array can be read as float4 up to n / 4 with a
// scalar tail. Outputs may alias inputs (y = a + b in place, dx over dy): each thread reads an
// element before it writes the same element, so no pointer is declared __restrict__.
// Grid-stride loops: the launcher sizes the grid to fill the device, whatever n is.

#define EW_THREADS 256

extern "C" __global__ void add(float* y, const float* a, const float* b, int n)
{
    const int n4 = n / 4;
    const int step = gridDim.x * blockDim.x;
    float4* y4 = reinterpret_cast<float4*>(y);
    const float4* a4 = reinterpret_cast<const float4*>(a);
    const float4* b4 = reinterpret_cast<const float4*>(b);
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n4; i += step) {
        float4 u = a4[i];
        float4 v = b4[i];
        y4[i] = make_float4(u.x + v.x, u.y + v.y, u.z + v.z, u.w + v.w);
    }
    for (int i = 4 * n4 + blockIdx.x * blockDim.x + threadIdx.x; i < n; i += step) {
        y[i] = a[i] + b[i];
    }
}

// y[i, ch, j] += bias[ch] over an [n, c, inner] layout. When inner is a multiple of 4 the four
// elements of a float4 share one channel.
extern "C" __global__ void bias_add(float* y, const float* bias, int c, int inner, int total)
{
    const int step = gridDim.x * blockDim.x;
    if ((inner & 3) == 0) {
        float4* y4 = reinterpret_cast<float4*>(y);
        const int inner4 = inner / 4;
        for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < total / 4; i += step) {
            float b = bias[(i / inner4) % c];
            float4 v = y4[i];
            v.x += b;
            v.y += b;
            v.z += b;
            v.w += b;
            y4[i] = v;
        }
    } else {
        for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < total; i += step) {
            y[i] += bias[(i / inner) % c];
        }
    }
}

// Per-channel sum of dy over [n, c, inner], in double like the CPU: grid (chunks, c); block
// (chunk, ch) sums its contiguous slice of the channel's n * inner values by a fixed tree and
// writes partial[ch * chunks + chunk]. The chunk count depends only on the sizes.
extern "C" __global__ void __launch_bounds__(EW_THREADS)
bias_backward_partial(double* partial, const float* dy, int n, int c, int inner)
{
    __shared__ double shared[EW_THREADS];
    const int ch = blockIdx.y;
    const int chunks = gridDim.x;
    const long long count = (long long)n * inner;
    const long long begin = count * blockIdx.x / chunks;
    const long long end = count * (blockIdx.x + 1) / chunks;
    double sum = 0.0;
    for (long long t = begin + threadIdx.x; t < end; t += EW_THREADS) {
        long long i = t / inner;
        long long j = t - i * inner;
        sum += (double)dy[(i * c + ch) * inner + j];
    }
    shared[threadIdx.x] = sum;
    __syncthreads();
    for (int stride = EW_THREADS / 2; stride > 0; stride >>= 1) {
        if (threadIdx.x < stride) {
            shared[threadIdx.x] += shared[threadIdx.x + stride];
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) {
        partial[(long long)ch * chunks + blockIdx.x] = shared[0];
    }
}

// dBias[ch] += the channel's partials, added in chunk order; one thread per channel.
extern "C" __global__ void bias_backward_finalize(float* dBias, const double* partial, int c, int chunks)
{
    const int ch = blockIdx.x * blockDim.x + threadIdx.x;
    if (ch < c) {
        double sum = 0.0;
        for (int k = 0; k < chunks; k++) {
            sum += partial[(long long)ch * chunks + k];
        }
        dBias[ch] += (float)sum;
    }
}

// y = Math.max(x, 0f): a NaN stays NaN (it would hide as 0 otherwise) and -0 becomes +0.
__device__ __forceinline__ float relu(float v) {
    return v > 0.f ? v : (v != v ? v : 0.f);
}

extern "C" __global__ void relu_forward(float* y, const float* x, int n)
{
    const int n4 = n / 4;
    const int step = gridDim.x * blockDim.x;
    float4* y4 = reinterpret_cast<float4*>(y);
    const float4* x4 = reinterpret_cast<const float4*>(x);
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n4; i += step) {
        float4 v = x4[i];
        y4[i] = make_float4(relu(v.x), relu(v.y), relu(v.z), relu(v.w));
    }
    for (int i = 4 * n4 + blockIdx.x * blockDim.x + threadIdx.x; i < n; i += step) {
        y[i] = relu(x[i]);
    }
}

// dx = dy where the forward output y > 0, else 0.
extern "C" __global__ void relu_backward(float* dx, const float* dy, const float* y, int n)
{
    const int n4 = n / 4;
    const int step = gridDim.x * blockDim.x;
    float4* dx4 = reinterpret_cast<float4*>(dx);
    const float4* dy4 = reinterpret_cast<const float4*>(dy);
    const float4* y4 = reinterpret_cast<const float4*>(y);
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n4; i += step) {
        float4 g = dy4[i];
        float4 v = y4[i];
        dx4[i] = make_float4(v.x > 0.f ? g.x : 0.f, v.y > 0.f ? g.y : 0.f, v.z > 0.f ? g.z : 0.f, v.w > 0.f ? g.w : 0.f);
    }
    for (int i = 4 * n4 + blockIdx.x * blockDim.x + threadIdx.x; i < n; i += step) {
        dx[i] = y[i] > 0.f ? dy[i] : 0.f;
    }
}

// PyTorch's SGD (dampening 0, no Nesterov): g = grad + wd * param; v = momentum * v + g;
// param -= lr * v. Each product and sum rounded separately, in the CPU's order.
__device__ __forceinline__ void sgd_step(float* param, float* velocity, float grad, float lr, float momentum,
                                         float weightDecay) {
    float g = grad + weightDecay * *param;
    float v = momentum * *velocity + g;
    *velocity = v;
    *param -= lr * v;
}

extern "C" __global__ void sgd(float* param, float* velocity, const float* grad, int n, float lr, float momentum,
                               float weightDecay)
{
    const int n4 = n / 4;
    const int step = gridDim.x * blockDim.x;
    float4* p4 = reinterpret_cast<float4*>(param);
    float4* v4 = reinterpret_cast<float4*>(velocity);
    const float4* g4 = reinterpret_cast<const float4*>(grad);
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n4; i += step) {
        float4 p = p4[i];
        float4 v = v4[i];
        float4 g = g4[i];
        sgd_step(&p.x, &v.x, g.x, lr, momentum, weightDecay);
        sgd_step(&p.y, &v.y, g.y, lr, momentum, weightDecay);
        sgd_step(&p.z, &v.z, g.z, lr, momentum, weightDecay);
        sgd_step(&p.w, &v.w, g.w, lr, momentum, weightDecay);
        p4[i] = p;
        v4[i] = v;
    }
    for (int i = 4 * n4 + blockIdx.x * blockDim.x + threadIdx.x; i < n; i += step) {
        sgd_step(param + i, velocity + i, grad[i], lr, momentum, weightDecay);
    }
}
