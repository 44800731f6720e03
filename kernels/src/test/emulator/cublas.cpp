// A CPU stand-in for libcublas.so.12 with the calls of Cublas.java, for the emulated runs of the
// gpu tests (build.sh). It checks the arguments as cuBLAS documents (column-major operands,
// leading dimensions at least the rows of each stored matrix), so that the row-major to
// column-major swap in Cublas.java is tested without a GPU; its product is a plain loop.
#include <cstddef>

namespace {
constexpr int SUCCESS = 0;
constexpr int INVALID_VALUE = 7;
constexpr int NOT_INITIALIZED = 1;
constexpr int OP_N = 0;
constexpr int OP_T = 1;
constexpr int DEFAULT_MATH = 0;
constexpr int TF32_TENSOR_OP_MATH = 3;

struct Handle {
    void* stream;
    int mathMode;
};

int max1(int v) { return v > 1 ? v : 1; }
}  // namespace

extern "C" {
int cublasCreate_v2(Handle** h) {
    *h = new Handle{nullptr, DEFAULT_MATH};
    return SUCCESS;
}
int cublasDestroy_v2(Handle* h) {
    delete h;
    return SUCCESS;
}
int cublasSetStream_v2(Handle* h, void* stream) {
    h->stream = stream;
    return SUCCESS;
}
int cublasSetMathMode(Handle* h, int mode) {
    if (mode != DEFAULT_MATH && mode != TF32_TENSOR_OP_MATH) return INVALID_VALUE;
    h->mathMode = mode;
    return SUCCESS;
}
int cublasGetVersion_v2(Handle*, int* version) {
    *version = 120900;
    return SUCCESS;
}
const char* cublasGetStatusName(int status) { return status == SUCCESS ? "CUBLAS_STATUS_SUCCESS" : "CUBLAS_STATUS_INVALID_VALUE"; }
const char* cublasGetStatusString(int status) { return status == SUCCESS ? "success" : "an invalid value was used as an argument"; }

// C_i = alpha op(A_i) op(B_i) + beta C_i, column-major, for each of the batch; beta = 0 never
// reads C (it may hold garbage), as in cuBLAS.
int cublasSgemmStridedBatched(Handle* h, int transa, int transb, int m, int n, int k, const float* alpha,
                              const float* A, int lda, long long strideA, const float* B, int ldb, long long strideB,
                              const float* beta, float* C, int ldc, long long strideC, int batch) {
    if (h == nullptr || h->stream == nullptr) return NOT_INITIALIZED;
    bool ta = transa == OP_T, tb = transb == OP_T;
    if ((transa != OP_N && !ta) || (transb != OP_N && !tb) || m < 0 || n < 0 || k < 0 || batch < 0
        || lda < max1(ta ? k : m) || ldb < max1(tb ? n : k) || ldc < max1(m))
        return INVALID_VALUE;
    for (int b = 0; b < batch; b++) {
        const float* a = A + b * strideA;
        const float* bb = B + b * strideB;
        float* c = C + b * strideC;
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                float sum = 0.f;
                for (int l = 0; l < k; l++) {
                    float av = ta ? a[l + static_cast<size_t>(i) * lda] : a[i + static_cast<size_t>(l) * lda];
                    float bv = tb ? bb[j + static_cast<size_t>(l) * ldb] : bb[l + static_cast<size_t>(j) * ldb];
                    sum += av * bv;
                }
                float* out = &c[i + static_cast<size_t>(j) * ldc];
                *out = *beta == 0.f ? *alpha * sum : *alpha * sum + *beta * *out;
            }
        }
    }
    return SUCCESS;
}
}
