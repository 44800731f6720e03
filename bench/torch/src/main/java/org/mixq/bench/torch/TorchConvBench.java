package org.mixq.bench.torch;

import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * PyTorch's 3x3 convolution forward (stride 1, padding 1, with bias; oneDNN on CPU) on the
 * VGG-16 CIFAR layers at batch 64, the reference of mixq's {@code ConvBench.forward}: same
 * shapes, same secondary result {@code gflop} (GFLOP/s at 2 flops per multiply-add), same JMH
 * settings.
 *
 * <pre>java -jar bench/torch/target/torch-benchmarks.jar TorchConvBench -p layer=64-64-32 -p threads=2</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class TorchConvBench {
    private static final long[] ONE = {1, 1};

    @State(Scope.Benchmark)
    public static class Layer {
        /** Input channels, output channels, plane size. */
        @Param({"3-64-32", "64-64-32", "64-128-16", "128-128-16", "128-256-8", "256-256-8", "256-512-4", "512-512-4",
                "512-512-2"})
        public String layer;
        @Param({"1", "2"})
        public int threads;
        @Param({"64"})
        public int batch;

        Tensor x;
        Tensor w;
        TensorOptional bias;
        double gflop;

        @Setup(Level.Trial)
        public void open() {
            String[] parts = layer.split("-");
            int c = Integer.parseInt(parts[0]);
            int k = Integer.parseInt(parts[1]);
            int hw = Integer.parseInt(parts[2]);
            torch.set_num_threads(threads);
            torch.manual_seed(2);
            x = torch.randn(batch, c, hw, hw);
            w = torch.randn(k, c, 3, 3);
            bias = new TensorOptional(torch.randn(k));
            gflop = 2.0 * batch * k * hw * hw * c * 9 * 1e-9;
        }
    }

    /** GFLOP done, reported per second next to the primary ops/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflop;
    }

    @Benchmark
    public void forward(Layer l, Flops f) {
        try (PointerScope scope = new PointerScope()) {
            torch.conv2d(l.x, l.w, l.bias, ONE, ONE, ONE, 1);
        }
        f.gflop += l.gflop;
    }
}
