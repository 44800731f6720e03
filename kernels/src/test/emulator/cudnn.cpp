// A CPU stand-in for libcudnn.so.9 with the calls of Cudnn.java and CudnnConvPlan.java, for the
// emulated runs of the gpu tests (build.sh). It checks what the real library checks of those
// calls (descriptor shapes against each other, the algorithm and its workspace), so that the
// Java side's use of cuDNN is tested without a GPU; its convolutions are plain loops.
//
// Its choices exercise every branch of the algorithm selection. The heuristics list, best first,
// a non-deterministic algorithm, one for tensor-core math (which refuses to run under the FMA
// math of the descriptor, with CUDNN_STATUS_NOT_SUPPORTED), one that is not supported, and then
// IMPLICIT_PRECOMP_GEMM with a workspace. A 1x1 filter gets only the first, so its passes fall
// back to im2col; a strided filter wider than 1x1 gets all four, but IMPLICIT_PRECOMP_GEMM
// refuses it too (CUDNN_STATUS_NOT_SUPPORTED_SHAPE), so that pass falls back once both refused.
//
// cuDNN 9 numbers its statuses by category: 2000 bad parameter, 3000 not supported, and so on
// (cudnn_graph.h); cuDNN 8 used 3 and 9 for the same two.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace {
constexpr int SUCCESS = 0;
constexpr int BAD_PARAM = 2000;
constexpr int NOT_SUPPORTED = 3000;
constexpr int NOT_SUPPORTED_SHAPE = 3002;
constexpr int DATA_FLOAT = 0;
constexpr int TENSOR_NCHW = 0;
constexpr int CROSS_CORRELATION = 1;
constexpr int NON_DETERMINISTIC = 0;
constexpr int DETERMINISTIC = 1;
constexpr int DEFAULT_MATH = 0;
constexpr int TENSOR_OP_MATH = 1;
constexpr int FMA_MATH = 3;
constexpr int ALGO_GEMM_PRECOMP = 1;  // the acceptable one, in all three passes
constexpr int ALGO_NOT_SUPPORTED = 2;
constexpr int ALGO_NON_DETERMINISTIC = 0;
constexpr int ALGO_TENSOR_OP = 5;
constexpr int LISTED = 4;

struct Handle {
    void* stream;
};
struct Tensor4d {
    int set, n, c, h, w;
};
struct Conv2d {
    int set, padH, padW, strideH, strideW, mathType;
};

struct AlgoPerf {  // the layout of cudnnConvolution{Fwd,BwdData,BwdFilter}AlgoPerf_t
    int algo;
    int status;
    float time;
    size_t memory;
    int determinism;
    int mathType;
    int reserved[3];
};

// The shapes agree: y is the convolution of x by w under conv (what every call checks first).
bool consistent(const Tensor4d* x, const Tensor4d* w, const Conv2d* conv, const Tensor4d* y) {
    if (!x || !w || !conv || !y || !x->set || !w->set || !conv->set || !y->set) return false;
    int p = (x->h + 2 * conv->padH - w->h) / conv->strideH + 1;
    int q = (x->w + 2 * conv->padW - w->w) / conv->strideW + 1;
    return x->c == w->c && y->n == x->n && y->c == w->n && y->h == p && y->w == q;
}

size_t workspaceBytes(const Tensor4d* w) { return static_cast<size_t>(w->c) * w->h * w->w * 4 + 100; }

int list(const Tensor4d* w, const Conv2d* conv, int requested, int* returned, AlgoPerf* perf) {
    if (requested < LISTED || !returned || !perf) return BAD_PARAM;
    bool pointwise = w->h == 1 && w->w == 1;
    AlgoPerf all[LISTED] = {
        {ALGO_NON_DETERMINISTIC, SUCCESS, 0.1f, 0, NON_DETERMINISTIC, conv->mathType, {}},
        {ALGO_TENSOR_OP, SUCCESS, 0.2f, 0, DETERMINISTIC, TENSOR_OP_MATH, {}},
        {ALGO_NOT_SUPPORTED, NOT_SUPPORTED, -1.f, 0, DETERMINISTIC, conv->mathType, {}},
        {ALGO_GEMM_PRECOMP, SUCCESS, 0.3f, workspaceBytes(w), DETERMINISTIC, conv->mathType, {}},
    };
    int count = pointwise ? 1 : LISTED;
    memcpy(perf, all, sizeof(AlgoPerf) * count);
    *returned = count;
    return SUCCESS;
}

// Whether the algorithm runs: the tensor-core one only where TF32 is on; IMPLICIT_PRECOMP_GEMM
// with its whole workspace (filled, so that a workspace shorter than it says ends at the
// emulator's guard page) and unless the filter is strided and wider than 1x1.
int admit(const Tensor4d* w, const Conv2d* conv, int algo, void* workspace, size_t bytes) {
    if (algo == ALGO_TENSOR_OP) return conv->mathType == TENSOR_OP_MATH ? SUCCESS : NOT_SUPPORTED;
    if (algo != ALGO_GEMM_PRECOMP || bytes < workspaceBytes(w) || workspace == nullptr) return BAD_PARAM;
    memset(workspace, 0xab, workspaceBytes(w));
    bool strided = conv->strideH != 1 || conv->strideW != 1;
    return strided && !(w->h == 1 && w->w == 1) ? NOT_SUPPORTED_SHAPE : SUCCESS;
}

// out = alpha * v + beta * out; beta = 0 never reads out (it may hold garbage), as in cuDNN.
void blend(float* out, float v, float alpha, float beta) { *out = beta == 0.f ? alpha * v : alpha * v + beta * *out; }

// Calls f(xIndex, wIndex, yIndex) for every tap of the convolution that lands inside x.
template <typename F>
void eachTap(const Tensor4d* x, const Tensor4d* w, const Conv2d* cv, const Tensor4d* y, F f) {
    for (int n = 0; n < y->n; n++)
        for (int k = 0; k < y->c; k++)
            for (int p = 0; p < y->h; p++)
                for (int q = 0; q < y->w; q++)
                    for (int c = 0; c < x->c; c++)
                        for (int r = 0; r < w->h; r++)
                            for (int s = 0; s < w->w; s++) {
                                int h = p * cv->strideH - cv->padH + r;
                                int v = q * cv->strideW - cv->padW + s;
                                if (h < 0 || h >= x->h || v < 0 || v >= x->w) continue;
                                f(((static_cast<size_t>(n) * x->c + c) * x->h + h) * x->w + v,
                                  ((static_cast<size_t>(k) * w->c + c) * w->h + r) * w->w + s,
                                  ((static_cast<size_t>(n) * y->c + k) * y->h + p) * y->w + q);
                            }
}

size_t count(const Tensor4d* t) { return static_cast<size_t>(t->n) * t->c * t->h * t->w; }

// One pass of the convolution of x by w into y: checks the call, then sums every tap into the
// pass's output (out, described by outDesc) with add(sum, xIndex, wIndex, yIndex) and blends it in.
template <typename Add>
int convolve(Handle* h, const Tensor4d* x, const Tensor4d* w, const Conv2d* conv, const Tensor4d* y, int algo,
             void* ws, size_t wsBytes, float alpha, float beta, const Tensor4d* outDesc, float* out, Add add) {
    if (!h->stream || !consistent(x, w, conv, y)) return BAD_PARAM;
    int status = admit(w, conv, algo, ws, wsBytes);
    if (status != SUCCESS) return status;
    float* sum = new float[count(outDesc)]();
    eachTap(x, w, conv, y, [&](size_t xi, size_t wi, size_t yi) { add(sum, xi, wi, yi); });
    for (size_t i = 0; i < count(outDesc); i++) blend(&out[i], sum[i], alpha, beta);
    delete[] sum;
    return SUCCESS;
}
}  // namespace

extern "C" {
size_t cudnnGetVersion() { return 91000; }

const char* cudnnGetErrorString(int status) {
    switch (status) {
        case SUCCESS: return "CUDNN_STATUS_SUCCESS";
        case BAD_PARAM: return "CUDNN_STATUS_BAD_PARAM";
        case NOT_SUPPORTED: return "CUDNN_STATUS_NOT_SUPPORTED";
        case NOT_SUPPORTED_SHAPE: return "CUDNN_STATUS_NOT_SUPPORTED_SHAPE";
        default: return "CUDNN_STATUS_UNKNOWN";
    }
}

int cudnnCreate(Handle** h) {
    *h = new Handle{nullptr};
    return SUCCESS;
}
int cudnnDestroy(Handle* h) {
    delete h;
    return SUCCESS;
}
int cudnnSetStream(Handle* h, void* stream) {
    h->stream = stream;
    return SUCCESS;
}

int cudnnCreateTensorDescriptor(Tensor4d** t) {
    *t = new Tensor4d{};
    return SUCCESS;
}
int cudnnDestroyTensorDescriptor(Tensor4d* t) {
    delete t;
    return SUCCESS;
}
int cudnnSetTensor4dDescriptor(Tensor4d* t, int format, int type, int n, int c, int h, int w) {
    if (format != TENSOR_NCHW || type != DATA_FLOAT || n <= 0 || c <= 0 || h <= 0 || w <= 0) return BAD_PARAM;
    *t = Tensor4d{1, n, c, h, w};
    return SUCCESS;
}

int cudnnCreateFilterDescriptor(Tensor4d** f) { return cudnnCreateTensorDescriptor(f); }
int cudnnDestroyFilterDescriptor(Tensor4d* f) { return cudnnDestroyTensorDescriptor(f); }
int cudnnSetFilter4dDescriptor(Tensor4d* f, int type, int format, int k, int c, int r, int s) {
    return cudnnSetTensor4dDescriptor(f, format, type, k, c, r, s);
}

int cudnnCreateConvolutionDescriptor(Conv2d** c) {
    *c = new Conv2d{};
    return SUCCESS;
}
int cudnnDestroyConvolutionDescriptor(Conv2d* c) {
    delete c;
    return SUCCESS;
}
int cudnnSetConvolution2dDescriptor(Conv2d* c, int padH, int padW, int u, int v, int dilationH, int dilationW,
                                    int mode, int computeType) {
    if (padH < 0 || padW < 0 || u <= 0 || v <= 0 || dilationH != 1 || dilationW != 1 || mode != CROSS_CORRELATION
        || computeType != DATA_FLOAT)
        return BAD_PARAM;
    *c = Conv2d{1, padH, padW, u, v, DEFAULT_MATH};
    return SUCCESS;
}
int cudnnSetConvolutionMathType(Conv2d* c, int mathType) {
    if (mathType != DEFAULT_MATH && mathType != TENSOR_OP_MATH && mathType != FMA_MATH) return BAD_PARAM;
    c->mathType = mathType;
    return SUCCESS;
}

int cudnnGetConvolutionForwardAlgorithmMaxCount(Handle*, int* n) {
    *n = LISTED;
    return SUCCESS;
}
int cudnnGetConvolutionBackwardDataAlgorithmMaxCount(Handle*, int* n) { return cudnnGetConvolutionForwardAlgorithmMaxCount(nullptr, n); }
int cudnnGetConvolutionBackwardFilterAlgorithmMaxCount(Handle*, int* n) { return cudnnGetConvolutionForwardAlgorithmMaxCount(nullptr, n); }

int cudnnGetConvolutionForwardAlgorithm_v7(Handle*, Tensor4d* x, Tensor4d* w, Conv2d* conv, Tensor4d* y, int requested,
                                           int* returned, AlgoPerf* perf) {
    return consistent(x, w, conv, y) ? list(w, conv, requested, returned, perf) : BAD_PARAM;
}
int cudnnGetConvolutionBackwardDataAlgorithm_v7(Handle*, Tensor4d* w, Tensor4d* dy, Conv2d* conv, Tensor4d* dx,
                                                int requested, int* returned, AlgoPerf* perf) {
    return consistent(dx, w, conv, dy) ? list(w, conv, requested, returned, perf) : BAD_PARAM;
}
int cudnnGetConvolutionBackwardFilterAlgorithm_v7(Handle*, Tensor4d* x, Tensor4d* dy, Conv2d* conv, Tensor4d* dw,
                                                  int requested, int* returned, AlgoPerf* perf) {
    return consistent(x, dw, conv, dy) ? list(dw, conv, requested, returned, perf) : BAD_PARAM;
}

int cudnnConvolutionForward(Handle* h, const float* alpha, Tensor4d* xd, const float* x, Tensor4d* wd, const float* w,
                            Conv2d* conv, int algo, void* ws, size_t wsBytes, const float* beta, Tensor4d* yd, float* y) {
    return convolve(h, xd, wd, conv, yd, algo, ws, wsBytes, *alpha, *beta, yd, y,
                    [&](float* sum, size_t xi, size_t wi, size_t yi) { sum[yi] += x[xi] * w[wi]; });
}

int cudnnConvolutionBackwardData(Handle* h, const float* alpha, Tensor4d* wd, const float* w, Tensor4d* dyd,
                                 const float* dy, Conv2d* conv, int algo, void* ws, size_t wsBytes, const float* beta,
                                 Tensor4d* dxd, float* dx) {
    return convolve(h, dxd, wd, conv, dyd, algo, ws, wsBytes, *alpha, *beta, dxd, dx,
                    [&](float* sum, size_t xi, size_t wi, size_t yi) { sum[xi] += dy[yi] * w[wi]; });
}

int cudnnConvolutionBackwardFilter(Handle* h, const float* alpha, Tensor4d* xd, const float* x, Tensor4d* dyd,
                                   const float* dy, Conv2d* conv, int algo, void* ws, size_t wsBytes, const float* beta,
                                   Tensor4d* dwd, float* dw) {
    return convolve(h, xd, dwd, conv, dyd, algo, ws, wsBytes, *alpha, *beta, dwd, dw,
                    [&](float* sum, size_t xi, size_t wi, size_t yi) { sum[wi] += dy[yi] * x[xi]; });
}
}
