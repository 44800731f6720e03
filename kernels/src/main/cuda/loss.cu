// Softmax cross-entropy and accuracy over logits[n, classes]: the loops of
// org.mixq.core.cpu.CpuLoss. One thread per row walks its classes in index order, as the CPU
// does, so the double sums add in the same order. Compiled with -fmad=false.
//
// Labels are not checked on the host: that would copy them back, a wait for the device, in
// every call. A label that is not a class index in [0, classes) (which the CPU backend refuses)
// makes its row's loss and gradient NaN and never counts as correct, so the mean loss, which
// the training step reads back anyway, is NaN and the step stops there; nothing is read out of
// bounds. A valid label takes exactly the path it took before.

__device__ __forceinline__ float java_max(float a, float b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0.f && b == 0.f) return (__float_as_int(a) < 0) ? b : a;
    return a > b ? a : b;
}

// The class index that label v names, or -1 where it names none (NaN fails the range test).
__device__ __forceinline__ int class_index(float v, int classes) {
    if (!(v >= 0.f && v < (float)classes)) return -1;
    const int label = (int)v;
    return (float)label == v ? label : -1;
}

__device__ __forceinline__ float quiet_nan() { return __int_as_float(0x7fc00000); }

// probs = softmax(row) with the row maximum subtracted first (exp never overflows);
// rowLoss[i] = log(sum) - (z_label - max), the log-sum-exp form of -log p_label, in double.
extern "C" __global__ void softmax_xent_forward(float* probs, double* rowLoss, const float* logits,
                                                const float* labels, int n, int classes)
{
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        const float* z = logits + (long long)i * classes;
        float* p = probs + (long long)i * classes;
        float max = z[0];
        for (int j = 1; j < classes; j++) {
            max = java_max(max, z[j]);
        }
        double sum = 0.0;
        for (int j = 0; j < classes; j++) {
            sum += exp((double)z[j] - (double)max);
        }
        for (int j = 0; j < classes; j++) {
            p[j] = (float)(exp((double)z[j] - (double)max) / sum);
        }
        const int label = class_index(labels[i], classes);
        rowLoss[i] = label < 0 ? (double)quiet_nan() : log(sum) - ((double)z[label] - (double)max);
    }
}

// loss[0] = mean of the row losses, added in row order by one thread.
extern "C" __global__ void softmax_xent_mean(float* loss, const double* rowLoss, int n)
{
    if (blockIdx.x == 0 && threadIdx.x == 0) {
        double total = 0.0;
        for (int i = 0; i < n; i++) {
            total += rowLoss[i];
        }
        loss[0] = (float)(total / n);
    }
}

// dLogits = (probs - onehot(labels)) / n: the gradient of the mean loss.
extern "C" __global__ void softmax_xent_backward(float* dLogits, const float* probs, const float* labels, int n,
                                                 int classes)
{
    const long long total = (long long)n * classes;
    for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < total;
         e += (long long)gridDim.x * blockDim.x) {
        const int i = (int)(e / classes);
        const int j = (int)(e - (long long)i * classes);
        const int label = class_index(labels[i], classes);
        const float onehot = j == label ? 1.f : 0.f;
        dLogits[e] = label < 0 ? quiet_nan() : (probs[e] - onehot) / (float)n;
    }
}

// count[0] += rows whose first (lowest-index) maximum equals the label. An integer sum, so the
// order of the atomic additions does not matter.
extern "C" __global__ void count_correct(int* count, const float* logits, const float* labels, int n, int classes)
{
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        const float* z = logits + (long long)i * classes;
        int best = 0;
        for (int j = 1; j < classes; j++) {
            if (z[j] > z[best]) {
                best = j;
            }
        }
        if (best == class_index(labels[i], classes)) {
            atomicAdd(count, 1);
        }
    }
}
