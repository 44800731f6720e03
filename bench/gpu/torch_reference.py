"""PyTorch references for the GPU benchmarks, on the same sizes, timed with CUDA events.

Prints RESULT|name|median ms|rate|unit|note lines like the Java benchmarks
(bench/src/main/java/org/mixq/bench/gpu). Usage: torch_reference.py [n] [gemm_n] [batch] [width]
"""
import math
import struct
import sys

import torch

WARMUP, RUNS, CHANNELS = 2, 10, 4096
VGG16 = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]


def timed(op, warmup=WARMUP, runs=RUNS):
    for _ in range(warmup):
        op()
    start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    times = []
    for _ in range(runs):
        start.record()
        op()
        stop.record()
        stop.synchronize()
        times.append(start.elapsed_time(stop))
    times.sort()
    return (times[runs // 2 - 1] + times[runs // 2]) / 2 if runs % 2 == 0 else times[runs // 2]


def scaled(base, width):
    """ModelConfig.channels: base * width (the float width widened to double), Math.round, at least 1."""
    width32 = struct.unpack("f", struct.pack("f", width))[0]
    return max(1, math.floor(base * width32 + 0.5))


def vgg16(width):
    """The CIFAR VGG-16 of mixq's nn module: 3x3 convs without bias, BN, ReLU, 2x2 max pools, one Linear head."""
    layers, channels = [], 3
    for v in VGG16:
        if v == "M":
            layers.append(torch.nn.MaxPool2d(2, 2))
        else:
            out = scaled(v, width)
            layers += [torch.nn.Conv2d(channels, out, 3, padding=1, bias=False), torch.nn.BatchNorm2d(out), torch.nn.ReLU()]
            channels = out
    return torch.nn.Sequential(*layers, torch.nn.Flatten(), torch.nn.Linear(channels, 10)).cuda()


# (cudnn.benchmark, cudnn.deterministic, row suffix): PyTorch's default; its autotuner; and
# deterministic algorithms only, which is what mixq's cuDNN path allows itself.
STEP_SETTINGS = ((False, False, ""), (True, False, " (cudnn.benchmark)"), (False, True, " (cudnn.deterministic)"))


def train_step_rows(batch, width):
    """Eager training steps (forward, loss, backward, SGD with momentum and weight decay, loss read back)."""
    x = torch.randn(batch, 3, 32, 32, device="cuda")
    y = torch.randint(0, 10, (batch,), device="cuda")
    for benchmark, deterministic, suffix in STEP_SETTINGS:
        torch.backends.cudnn.benchmark = benchmark
        torch.backends.cudnn.deterministic = deterministic
        model = vgg16(width)
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
        loss_fn = torch.nn.CrossEntropyLoss()

        def step():
            opt.zero_grad(set_to_none=False)
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            return loss.item()

        ms = timed(step, 5, 20)
        row("torch vgg16 train step" + suffix, ms, batch / ms * 1e3, "img/s", f"batch {batch}, width {width}, fp32, TF32 off")
    torch.backends.cudnn.benchmark = False
    torch.backends.cudnn.deterministic = False


def row(name, ms, rate, unit, note):
    print(f"RESULT|{name}|{ms:.3f}|{rate:.2f}|{unit}|{note}", flush=True)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1 << 28
    gemm_n = int(sys.argv[2]) if len(sys.argv) > 2 else 4096
    batch = int(sys.argv[3]) if len(sys.argv) > 3 else 128
    width = float(sys.argv[4]) if len(sys.argv) > 4 else 1.0
    torch.backends.cuda.matmul.allow_tf32 = False  # FP32 arithmetic, as on the Java side
    torch.backends.cudnn.allow_tf32 = False
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
    del a, b
    train_step_rows(batch, width)


if __name__ == "__main__":
    main()
