// Fake quantization: the formulas of org.mixq.core.Quantizer, element for element.
//
// Weights, per output channel c (channel = dim 0, `inner` elements each):
//   b >= 2: s = max|w_c| / qmax, qmax = 2^(b-1) - 1; q = rint(w / s); wq = clamp(q, -qmax, qmax) * s;
//           mask = |q| <= qmax (from the rounded value before clamping).
//   b = 1:  s = mean|w_c|; wq = w >= 0 ? s : -s; mask = 1.
//   A zero channel has s = 0 and is divided by 1, so it stays zero.
// Activations, per tensor: s = clip / (2^b - 1); y = rint(clamp(x, 0, clip) / s) * s (PACT backward).
//   The clip is not checked on the host: reading it would wait for the device twice per layer and
//   step. A clip that is not a positive finite number (which the CPU backend refuses) becomes NaN
//   (checked_clip), so y, dx and the clip gradient are NaN, the loss that the training step reads
//   back anyway is NaN and the step stops there. A valid clip takes exactly the path it took before.
//
// Bit parity with the CPU: w / s is a true IEEE division (nvcc's default -prec-div=true, never
// -use_fast_math), rintf rounds half to even like Math.rint, and the build compiles this file
// with -fmad=false so no multiply is fused into an add. java_min/java_max copy Math.min/max:
// NaN propagates and -0 < +0, where fminf/fmaxf would drop the NaN.
// Layout and launch: in the weight forward a block first reduces a channel's max|w| (and sum|w|
// in double for b = 1) and then quantizes it, so scale, wq and mask come from a single launch;
// either one block per channel, or one resident block per multiprocessor that takes channel
// after channel (FakeQuantKernels picks by channel size and L2 size). Sums are reduced by a
// fixed tree, hence deterministic; the two kernels' trees differ only in width.

#define FQ_THREADS 256
#define FQ_RESIDENT_THREADS 1024

__device__ __forceinline__ float java_max(float a, float b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0.f && b == 0.f) return (__float_as_int(a) < 0) ? b : a;
    return a > b ? a : b;
}

__device__ __forceinline__ float java_min(float a, float b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0.f && b == 0.f) return (__float_as_int(a) < 0) ? a : b;
    return a < b ? a : b;
}

__device__ __forceinline__ void quantize_weight(float v, float s, float divisor, int bits, float qmax,
                                                float* wq, float* mask) {
    if (bits == 1) {
        *wq = v >= 0.f ? s : -s;
        *mask = 1.f;
        return;
    }
    float q = rintf(v / divisor);
    *mask = fabsf(q) <= qmax ? 1.f : 0.f;
    *wq = java_max(-qmax, java_min(qmax, q)) * s;
}

// The second read of a channel, and the outputs, of the resident kernel carry the streaming cache
// hints (ld.global.cs, st.global.cs: evict first), so that what stays in L2 is the channels still
// waiting for their second read; the per-channel-block kernel keeps the default policy.
template <bool STREAMING, typename T>
__device__ __forceinline__ T load_last(const T* p) {
    if (STREAMING) {
        return __ldcs(p);
    }
    return *p;
}

template <bool STREAMING, typename T>
__device__ __forceinline__ void store_out(T* p, T v) {
    if (STREAMING) {
        __stcs(p, v);
    } else {
        *p = v;
    }
}

// One channel of the weight forward, by a block of THREADS threads: max|w| (and sum|w| for b = 1)
// by a fixed tree, then the scale, then wq and mask. The shared arrays hold THREADS entries.
template <int THREADS, bool STREAMING>
__device__ __forceinline__ void quantize_channel(float* wq, float* mask, float* scale, const float* w, int inner,
                                                 int bits, int channel, float* sharedMax, double* sharedSum,
                                                 float* sharedScale)
{
    const int tid = threadIdx.x;
    const size_t base = (size_t)channel * inner;
    const float* wc = w + base;
    // A channel starts on a 16-byte boundary when inner is a multiple of 4 (buffers are 256-byte aligned).
    const bool vec = (inner & 3) == 0;

    float maxAbs = 0.f;
    double sumAbs = 0.0;
    if (vec) {
        const float4* w4 = reinterpret_cast<const float4*>(wc);
        for (int i = tid; i < inner / 4; i += THREADS) {
            float4 v = w4[i];
            maxAbs = java_max(java_max(maxAbs, fabsf(v.x)), java_max(fabsf(v.y), java_max(fabsf(v.z), fabsf(v.w))));
            if (bits == 1) {
                sumAbs += (double)fabsf(v.x) + (double)fabsf(v.y) + (double)fabsf(v.z) + (double)fabsf(v.w);
            }
        }
    } else {
        for (int i = tid; i < inner; i += THREADS) {
            float a = fabsf(wc[i]);
            maxAbs = java_max(maxAbs, a);
            if (bits == 1) {
                sumAbs += (double)a;
            }
        }
    }
    sharedMax[tid] = maxAbs;
    sharedSum[tid] = sumAbs;
    __syncthreads();
    for (int stride = THREADS / 2; stride > 0; stride >>= 1) {
        if (tid < stride) {
            sharedMax[tid] = java_max(sharedMax[tid], sharedMax[tid + stride]);
            sharedSum[tid] += sharedSum[tid + stride];
        }
        __syncthreads();
    }
    const int qmaxInt = bits == 1 ? 1 : (1 << (bits - 1)) - 1;
    if (tid == 0) {
        float s;
        if (bits == 1) {
            s = inner > 0 ? (float)(sharedSum[0] / inner) : 0.f;
        } else {
            s = sharedMax[0] / (float)qmaxInt;
        }
        scale[channel] = s;
        *sharedScale = s;
    }
    __syncthreads();

    const float s = *sharedScale;
    const float divisor = s == 0.f ? 1.f : s;
    const float qmax = (float)qmaxInt;
    if (vec) {
        const float4* w4 = reinterpret_cast<const float4*>(wc);
        float4* wq4 = reinterpret_cast<float4*>(wq + base);
        float4* mask4 = reinterpret_cast<float4*>(mask + base);
        for (int i = tid; i < inner / 4; i += THREADS) {
            float4 v = load_last<STREAMING>(w4 + i);
            float4 q, m;
            quantize_weight(v.x, s, divisor, bits, qmax, &q.x, &m.x);
            quantize_weight(v.y, s, divisor, bits, qmax, &q.y, &m.y);
            quantize_weight(v.z, s, divisor, bits, qmax, &q.z, &m.z);
            quantize_weight(v.w, s, divisor, bits, qmax, &q.w, &m.w);
            store_out<STREAMING>(wq4 + i, q);
            store_out<STREAMING>(mask4 + i, m);
        }
    } else {
        for (int i = tid; i < inner; i += THREADS) {
            float q, m;
            quantize_weight(load_last<STREAMING>(wc + i), s, divisor, bits, qmax, &q, &m);
            store_out<STREAMING>(wq + base + i, q);
            store_out<STREAMING>(mask + base + i, m);
        }
    }
}

// One block per channel (grid = channels).
extern "C" __global__ void __launch_bounds__(FQ_THREADS)
fake_quant_weights_forward(float* wq, float* mask, float* scale, const float* w, int inner, int bits)
{
    __shared__ float sharedMax[FQ_THREADS];
    __shared__ double sharedSum[FQ_THREADS];
    __shared__ float sharedScale;
    quantize_channel<FQ_THREADS, false>(wq, mask, scale, w, inner, bits, blockIdx.x, sharedMax, sharedSum,
                                        &sharedScale);
}

// One resident block per multiprocessor (grid = at most the multiprocessors), each quantizing
// channel after channel: only as many channels as multiprocessors are between their two reads at
// any time, so where those fit in L2 the second read is served from there, not from memory
// (12 bytes moved per element instead of 16). With one block per channel, eight blocks share a
// multiprocessor and a channel of a few hundred KB is evicted before its second read.
extern "C" __global__ void __launch_bounds__(FQ_RESIDENT_THREADS)
fake_quant_weights_forward_resident(float* wq, float* mask, float* scale, const float* w, int channels, int inner,
                                    int bits)
{
    __shared__ float sharedMax[FQ_RESIDENT_THREADS];
    __shared__ double sharedSum[FQ_RESIDENT_THREADS];
    __shared__ float sharedScale;
    for (int c = blockIdx.x; c < channels; c += gridDim.x) {
        quantize_channel<FQ_RESIDENT_THREADS, true>(wq, mask, scale, w, inner, bits, c, sharedMax, sharedSum,
                                                    &sharedScale);
        __syncthreads();  // the next channel reuses the shared arrays
    }
}

// Straight-through estimator: dw += dwq * mask. mask is 0 or 1, so the product is exact.
extern "C" __global__ void fake_quant_weights_backward(float* dw, const float* dwq,
                                                       const float* mask, int n)
{
    const int n4 = n / 4;
    const int step = gridDim.x * blockDim.x;
    float4* dw4 = reinterpret_cast<float4*>(dw);
    const float4* dwq4 = reinterpret_cast<const float4*>(dwq);
    const float4* mask4 = reinterpret_cast<const float4*>(mask);
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n4; i += step) {
        float4 d = dw4[i];
        float4 g = dwq4[i];
        float4 m = mask4[i];
        d.x += g.x * m.x;
        d.y += g.y * m.y;
        d.z += g.z * m.z;
        d.w += g.w * m.w;
        dw4[i] = d;
    }
    for (int i = 4 * n4 + blockIdx.x * blockDim.x + threadIdx.x; i < n; i += step) {
        dw[i] += dwq[i] * mask[i];
    }
}

__device__ __forceinline__ float checked_clip(float c) {
    return (c > 0.f && c <= 3.40282347e38f) ? c : __int_as_float(0x7fc00000);
}

// 1 or 0 as pass says, or the clip itself where it is NaN, so that the products carry the NaN.
__device__ __forceinline__ float gate(bool pass, float c) {
    return c != c ? c : (pass ? 1.f : 0.f);
}

__device__ __forceinline__ float quantize_activation(float v, float clip, float s) {
    float c = java_max(0.f, java_min(clip, v));
    return rintf(c / s) * s;
}

extern "C" __global__ void fake_quant_activations_forward(float* y, const float* x,
                                                          const float* clip, int n, int bits)
{
    const float c = checked_clip(clip[0]);
    const float s = c / (float)((1 << bits) - 1);
    const int n4 = n / 4;
    const int step = gridDim.x * blockDim.x;
    float4* y4 = reinterpret_cast<float4*>(y);
    const float4* x4 = reinterpret_cast<const float4*>(x);
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n4; i += step) {
        float4 v = x4[i];
        v.x = quantize_activation(v.x, c, s);
        v.y = quantize_activation(v.y, c, s);
        v.z = quantize_activation(v.z, c, s);
        v.w = quantize_activation(v.w, c, s);
        y4[i] = v;
    }
    for (int i = 4 * n4 + blockIdx.x * blockDim.x + threadIdx.x; i < n; i += step) {
        y[i] = quantize_activation(x[i], c, s);
    }
}

// PACT backward (Choi et al. 2018): dx = dy * (0 < x < clip); the clip gradient is the sum of
// dy * (x >= clip). Each block writes its partial sum (double) to partial[blockIdx.x];
// the grid size depends only on n, so the sum is the same on every run and every device.
extern "C" __global__ void __launch_bounds__(FQ_THREADS)
fake_quant_activations_backward(float* dx, double* partial, const float* dy,
                                const float* x, const float* clip, int n)
{
    __shared__ double sharedSum[FQ_THREADS];
    const float c = checked_clip(clip[0]);
    const int tid = threadIdx.x;
    double sum = 0.0;
    for (int i = blockIdx.x * FQ_THREADS + tid; i < n; i += gridDim.x * FQ_THREADS) {
        float v = x[i];
        float g = dy[i];
        // products, as the contract writes them: -dy * 0 is -0 and an infinite dy gives NaN
        dx[i] = g * gate(v > 0.f && v < c, c);
        sum += (double)(g * gate(v >= c, c));
    }
    sharedSum[tid] = sum;
    __syncthreads();
    for (int stride = FQ_THREADS / 2; stride > 0; stride >>= 1) {
        if (tid < stride) {
            sharedSum[tid] += sharedSum[tid + stride];
        }
        __syncthreads();
    }
    if (tid == 0) {
        partial[blockIdx.x] = sharedSum[0];
    }
}

// dClip[0] += the block partials, added in block order by one thread.
extern "C" __global__ void fake_quant_clip_grad_finalize(float* dClip, const double* partial, int blocks)
{
    if (blockIdx.x == 0 && threadIdx.x == 0) {
        double sum = 0.0;
        for (int b = 0; b < blocks; b++) {
            sum += partial[b];
        }
        dClip[0] += (float)sum;
    }
}
