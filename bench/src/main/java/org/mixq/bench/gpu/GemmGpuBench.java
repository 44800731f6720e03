package org.mixq.bench.gpu;

import org.mixq.core.Tensor;
import org.mixq.kernels.CudaBackend;
import org.mixq.kernels.CudaBackendProvider;
import org.mixq.kernels.CudaOptions;
import org.mixq.kernels.CudaTimer;

/**
 * FP32 GEMM C = A B of n x n matrices (2 n^3 flops): the hand-written tiled kernel, and cuBLAS
 * where JCublas2 loads (its TF32-free default math: the same arithmetic), timed with CUDA events.
 * The reference without cuBLAS is PyTorch's matmul (bench/gpu/torch_reference.py).
 *
 * <p>Usage: {@code GemmGpuBench [n]} (default 4096).
 */
public final class GemmGpuBench {
    private GemmGpuBench() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 4096;
        float[] a = FakeQuantGpuBench.random(n * n, 1);
        float[] b = FakeQuantGpuBench.random(n * n, 2);
        double flops = 2.0 * n * n * (double) n;
        CudaOptions defaults = CudaOptions.fromSystemProperties();
        run("gemm hand-written", defaults.withGemm(CudaOptions.Library.KERNEL), a, b, n, flops);
        run("gemm", defaults, a, b, n, flops);
    }

    private static void run(String name, CudaOptions options, float[] a, float[] b, int n, double flops) {
        try (CudaBackend gpu = CudaBackendProvider.create(options);
             CudaTimer timer = gpu.timer();
             Tensor ta = gpu.alloc(n, n);
             Tensor tb = gpu.alloc(n, n);
             Tensor tc = gpu.alloc(n, n)) {
            String provider = gpu.gemmProvider();
            if (name.equals("gemm") && provider.equals("hand-written")) {
                System.out.println("no cuBLAS row: " + gpu.describe());
                return;
            }
            gpu.copyIn(ta, a);
            gpu.copyIn(tb, b);
            GpuReport.compute(name.equals("gemm") ? "gemm " + provider : name,
                    FakeQuantGpuBench.time(timer, () -> gpu.gemm(tc, ta, tb, false, false, 1f, 0f)), flops,
                    n + "^3 fp32");
        }
    }
}
