// Tiled shared-memory SGEMM, row-major like the Backend contract: the fallback where cuBLAS
// cannot load (JCublas2 12.6 needs libcublas.so.12).
//
//   C[b] = alpha * op(A[b]) * op(B[b]) + beta * C[b],  op(A) m x k, op(B) k x n, C m x n,
//   b = blockIdx.z, each operand advanced by its batch stride (0 shares one matrix).
// With beta == 0, C is never read (NaN in C does not propagate), as in BLAS.
//
// A block computes a 128 x 128 tile of C with 256 threads; each thread owns an 8 x 8 sub-tile,
// split as rows {4ty..4ty+3, 64+4ty..64+4ty+3} and columns {4tx..4tx+3, 64+4tx..64+4tx+3}, so that
// the shared-memory reads of a warp are consecutive float4s (no bank conflicts). The k loop
// stages 8-deep slices of op(A) and op(B) in shared memory, stored k-major, and fetches the next
// slices into registers meanwhile; rows are padded by 4 floats so that the transposing stores
// of row-major A (and of B^T) hit 32 different banks.
// Edges (m, n, k not multiples of the tile) load zeros and store under a bounds check.
// This file keeps fused multiply-adds (it is compiled without -fmad=false): GEMM results are
// compared with a tolerance that grows with k, never bit for bit.

#define TILE_M 128
#define TILE_N 128
#define TILE_K 8
#define GEMM_THREADS 256
#define PAD 4

// Element e (0..1023) of a thread's share of a k-slice: its (k, row) in the op(A) slice and its
// (k, column) in the op(B) slice. Consecutive threads follow the contiguous dimension in memory:
// k for A and B^T, the row of A^T, the column of B.
__device__ __forceinline__ void slice_index_a(int transA, int e, int* kk, int* i) {
    *kk = transA ? e / TILE_M : e % TILE_K;
    *i = transA ? e % TILE_M : e / TILE_K;
}

__device__ __forceinline__ void slice_index_b(int transB, int e, int* kk, int* j) {
    *kk = transB ? e % TILE_K : e / TILE_N;
    *j = transB ? e / TILE_K : e % TILE_N;
}

// Reads this thread's 4 values of the op(A) slice and 4 of the op(B) slice starting at k0;
// zeros outside the matrices.
__device__ __forceinline__ void load_slices(float* nextA, float* nextB, int transA, int transB, int m, int n, int k,
                                            const float* A, int lda, const float* B, int ldb, int rowBase,
                                            int colBase, int k0, int tid)
{
    for (int l = 0; l < 4; l++) {
        int kk, i, j;
        slice_index_a(transA, tid + l * GEMM_THREADS, &kk, &i);
        const int gi = rowBase + i;
        const int gka = k0 + kk;
        nextA[l] = (gi < m && gka < k) ? (transA ? A[(long long)gka * lda + gi] : A[(long long)gi * lda + gka]) : 0.f;
        slice_index_b(transB, tid + l * GEMM_THREADS, &kk, &j);
        const int gj = colBase + j;
        const int gkb = k0 + kk;
        nextB[l] = (gj < n && gkb < k) ? (transB ? B[(long long)gj * ldb + gkb] : B[(long long)gkb * ldb + gj]) : 0.f;
    }
}

// Stores the fetched values k-major into the shared slices.
__device__ __forceinline__ void store_slices(float (*As)[TILE_M + PAD], float (*Bs)[TILE_N + PAD],
                                             const float* nextA, const float* nextB, int transA, int transB, int tid)
{
    for (int l = 0; l < 4; l++) {
        int kk, i, j;
        slice_index_a(transA, tid + l * GEMM_THREADS, &kk, &i);
        As[kk][i] = nextA[l];
        slice_index_b(transB, tid + l * GEMM_THREADS, &kk, &j);
        Bs[kk][j] = nextB[l];
    }
}

extern "C" __global__ void __launch_bounds__(GEMM_THREADS)
sgemm_tiled(int transA, int transB, int m, int n, int k, float alpha,
            const float* A, int lda, long long strideA,
            const float* B, int ldb, long long strideB,
            float beta, float* C, int ldc, long long strideC)
{
    __shared__ __align__(16) float As[TILE_K][TILE_M + PAD];
    __shared__ __align__(16) float Bs[TILE_K][TILE_N + PAD];

    A += blockIdx.z * strideA;
    B += blockIdx.z * strideB;
    C += blockIdx.z * strideC;

    const int tid = threadIdx.x;
    const int tx = tid % 16;
    const int ty = tid / 16;
    const int rowBase = blockIdx.y * TILE_M;
    const int colBase = blockIdx.x * TILE_N;

    float acc[8][8];
    for (int i = 0; i < 8; i++) {
        for (int j = 0; j < 8; j++) {
            acc[i][j] = 0.f;
        }
    }

    // The next k-slice is fetched into registers while the current one is multiplied out of
    // shared memory, so global-memory latency overlaps the arithmetic.
    float nextA[4];
    float nextB[4];
    load_slices(nextA, nextB, transA, transB, m, n, k, A, lda, B, ldb, rowBase, colBase, 0, tid);
    for (int k0 = 0; k0 < k; k0 += TILE_K) {
        store_slices(As, Bs, nextA, nextB, transA, transB, tid);
        __syncthreads();
        if (k0 + TILE_K < k) {
            load_slices(nextA, nextB, transA, transB, m, n, k, A, lda, B, ldb, rowBase, colBase, k0 + TILE_K, tid);
        }
        for (int kk = 0; kk < TILE_K; kk++) {
            const float4 a0 = *reinterpret_cast<const float4*>(&As[kk][4 * ty]);
            const float4 a1 = *reinterpret_cast<const float4*>(&As[kk][64 + 4 * ty]);
            const float4 b0 = *reinterpret_cast<const float4*>(&Bs[kk][4 * tx]);
            const float4 b1 = *reinterpret_cast<const float4*>(&Bs[kk][64 + 4 * tx]);
            const float a[8] = {a0.x, a0.y, a0.z, a0.w, a1.x, a1.y, a1.z, a1.w};
            const float b[8] = {b0.x, b0.y, b0.z, b0.w, b1.x, b1.y, b1.z, b1.w};
            for (int i = 0; i < 8; i++) {
                for (int j = 0; j < 8; j++) {
                    acc[i][j] += a[i] * b[j];
                }
            }
        }
        __syncthreads();
    }

    for (int i = 0; i < 8; i++) {
        const int gi = rowBase + (i < 4 ? 4 * ty + i : 64 + 4 * ty + (i - 4));
        if (gi >= m) {
            continue;
        }
        for (int j = 0; j < 8; j++) {
            const int gj = colBase + (j < 4 ? 4 * tx + j : 64 + 4 * tx + (j - 4));
            if (gj < n) {
                float* c = C + (long long)gi * ldc + gj;
                *c = beta == 0.f ? alpha * acc[i][j] : alpha * acc[i][j] + beta * *c;
            }
        }
    }
}
