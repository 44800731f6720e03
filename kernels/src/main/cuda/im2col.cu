// im2col / col2im for the convolution fallback (used where cuDNN cannot load): a convolution
// becomes a GEMM between the filter [k, c*r*s] and a column matrix whose row (ci, ri, si) and
// column (pi, qi) hold x[ci, pi*strideH - padH + ri, qi*strideW - padW + si] (0 in the padding).
//
// The column matrix of `images` images is addressed as
//   col[img * imageStride + row * rowStride + pi * q + qi],   row = (ci * r + ri) * s + si,
// so one kernel serves both layouts the launcher needs:
//   [images][c*r*s][p*q]  (imageStride = c*r*s*p*q, rowStride = p*q): one GEMM per image (forward, backward data);
//   [c*r*s][images*p*q]   (imageStride = p*q, rowStride = images*p*q): one GEMM over the batch (filter gradient).
// Consecutive threads take consecutive qi, so the writes are coalesced. Integer index math only.

extern "C" __global__ void im2col(float* col, const float* x, int images, int c, int h, int w, int r, int s,
                                  int p, int q, int strideH, int strideW, int padH, int padW,
                                  long long imageStride, long long rowStride)
{
    const long long rows = (long long)c * r * s;
    const long long total = (long long)images * rows * p * q;
    for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < total;
         e += (long long)gridDim.x * blockDim.x) {
        const int qi = (int)(e % q);
        const int pi = (int)((e / q) % p);
        const long long row = (e / ((long long)p * q)) % rows;
        const int img = (int)(e / ((long long)p * q * rows));
        const int si = (int)(row % s);
        const int ri = (int)((row / s) % r);
        const int ci = (int)(row / ((long long)r * s));
        const int yy = pi * strideH - padH + ri;
        const int xx = qi * strideW - padW + si;
        float v = 0.f;
        if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
            v = x[(((long long)img * c + ci) * h + yy) * w + xx];
        }
        col[img * imageStride + row * rowStride + (long long)pi * q + qi] = v;
    }
}

// The adjoint of im2col, as a gather: each dx element adds the column entries that were copied
// from it, in (ri, si) order, and overwrites dx. Deterministic, no atomics.
extern "C" __global__ void col2im(float* dx, const float* col, int images, int c, int h, int w, int r, int s,
                                  int p, int q, int strideH, int strideW, int padH, int padW,
                                  long long imageStride, long long rowStride)
{
    const long long total = (long long)images * c * h * w;
    for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < total;
         e += (long long)gridDim.x * blockDim.x) {
        const int xx = (int)(e % w);
        const int yy = (int)((e / w) % h);
        const int ci = (int)((e / ((long long)w * h)) % c);
        const int img = (int)(e / ((long long)w * h * c));
        float sum = 0.f;
        for (int ri = 0; ri < r; ri++) {
            const int py = yy + padH - ri;
            if (py < 0 || py % strideH != 0 || py / strideH >= p) {
                continue;
            }
            const int pi = py / strideH;
            for (int si = 0; si < s; si++) {
                const int qx = xx + padW - si;
                if (qx < 0 || qx % strideW != 0 || qx / strideW >= q) {
                    continue;
                }
                const int qi = qx / strideW;
                const long long row = ((long long)ci * r + ri) * s + si;
                sum += col[img * imageStride + row * rowStride + (long long)pi * q + qi];
            }
        }
        dx[e] = sum;
    }
}

// Reorders dy[images][k][pq] into out[k][images * pq], the row layout of the filter-gradient GEMM.
extern "C" __global__ void images_to_rows(float* out, const float* in, int images, int k, int pq)
{
    const long long total = (long long)images * k * pq;
    for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < total;
         e += (long long)gridDim.x * blockDim.x) {
        const int j = (int)(e % pq);
        const int kk = (int)((e / pq) % k);
        const int img = (int)(e / ((long long)pq * k));
        out[(long long)kk * images * pq + (long long)img * pq + j] = in[e];
    }
}
