"""PyTorch references for the GPU benchmarks, on the same sizes, timed with CUDA events.

Prints RESULT|name|median ms|rate|unit|note lines like the Java benchmarks
(bench/src/main/java/org/mixq/bench/gpu). Usage: torch_reference.py [n] [gemm_n]
"""
import sys

import torch

WARMUP, RUNS, CHANNELS = 2, 10, 4096


def timed(op):
    for _ in range(WARMUP):
        op()
    start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    times = []
    for _ in range(RUNS):
        start.record()
        op()
        stop.record()
        stop.synchronize()
        times.append(start.elapsed_time(stop))
    times.sort()
    return (times[RUNS // 2 - 1] + times[RUNS // 2]) / 2 if RUNS % 2 == 0 else times[RUNS // 2]


def row(name, ms, rate, unit, note):
    print(f"RESULT|{name}|{ms:.3f}|{rate:.2f}|{unit}|{note}", flush=True)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1 << 28
    gemm_n = int(sys.argv[2]) if len(sys.argv) > 2 else 4096
    torch.backends.cuda.matmul.allow_tf32 = False  # FP32 arithmetic, as on the Java side
    print(f"torch {torch.__version__}, CUDA {torch.version.cuda}, {torch.cuda.get_device_name()}", flush=True)
    w = torch.empty(CHANNELS, n // CHANNELS, device="cuda").uniform_(-1, 1)
    out = torch.empty_like(w)
    tensor_bytes = 4.0 * n
    ms = timed(lambda: out.copy_(w))
    row("torch copy d2d (reference)", ms, 2 * tensor_bytes / ms / 1e6, "GB/s", f"{n} floats")
    qmax = 7  # 4 bits, symmetric, as the Java benchmark
    zero_point = torch.zeros(CHANNELS, dtype=torch.int32, device="cuda")
    scale = w.abs().amax(dim=1) / qmax
    ms = timed(lambda: torch.fake_quantize_per_channel_affine(w, scale, zero_point, 0, -qmax, qmax))
    row("torch fq per-channel fwd 4b", ms, 2 * tensor_bytes / ms / 1e6, "GB/s", "scale given, no mask; 8 B/elem")
    ms = timed(lambda: torch.fake_quantize_per_channel_affine(w, w.abs().amax(dim=1) / qmax, zero_point, 0, -qmax, qmax))
    row("torch fq per-channel fwd+scale", ms, 3 * tensor_bytes / ms / 1e6, "GB/s", "amax + fq (reads w twice), no mask; 12 B/elem")
    del w, out
    a = torch.empty(gemm_n, gemm_n, device="cuda").uniform_(-1, 1)
    b = torch.empty(gemm_n, gemm_n, device="cuda").uniform_(-1, 1)
    ms = timed(lambda: torch.matmul(a, b))
    row("torch matmul (cuBLAS)", ms, 2.0 * gemm_n ** 3 / ms / 1e9, "TFLOP/s", f"{gemm_n}^3 fp32, TF32 off")


if __name__ == "__main__":
    main()
