package org.mixq.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.mixq.core.Backend;
import org.mixq.core.ConvGeometry;
import org.mixq.core.ConvSpec;
import org.mixq.core.Tensor;
import org.mixq.core.cpu.CpuBackend;
import org.mixq.core.cpu.CpuGemm;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU backend's 3x3 convolution (stride 1, padding 1) on the layers of VGG-16 for CIFAR
 * (32x32 inputs), batch 64. The secondary result {@code gflop} is GFLOP/s at 2 flops per
 * multiply-add, the convention of PyTorch's profiler. Its reference is PyTorch 2.7.1's (oneDNN)
 * forward pass on the same shapes, {@code TorchConvBench} in module bench/torch, and the
 * machine's FMA peak, {@code PeakFlopsBench}, both in the same run of bench/run-cpu.sh.
 *
 * <pre>java -jar bench/target/benchmarks.jar ConvBench.forward -p layer=64-64-32 -p threads=2</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ConvBench {

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
        @Param({"AUTO"})
        public String provider;

        Backend backend;
        ConvSpec spec = ConvSpec.of(1, 1);
        Tensor x;
        Tensor w;
        Tensor bias;
        Tensor y;
        Tensor dx;
        Tensor dw;
        Tensor dBias;
        double gflop;

        @Setup(Level.Trial)
        public void open() {
            String[] parts = layer.split("-");
            int c = Integer.parseInt(parts[0]);
            int k = Integer.parseInt(parts[1]);
            int hw = Integer.parseInt(parts[2]);
            backend = new CpuBackend(threads, CpuGemm.Provider.valueOf(provider));
            System.out.println("\n" + backend.describe());
            SplittableRandom rnd = new SplittableRandom(2);
            x = tensor(rnd, batch, c, hw, hw);
            w = tensor(rnd, k, c, 3, 3);
            bias = tensor(rnd, k);
            y = backend.alloc(batch, k, hw, hw);
            dx = backend.alloc(batch, c, hw, hw);
            dw = backend.alloc(k, c, 3, 3);
            dBias = backend.alloc(k);
            gflop = 2.0 * ConvGeometry.of(x.shape(), w.shape(), spec).macs() * 1e-9;
        }

        private Tensor tensor(SplittableRandom rnd, int... dims) {
            Tensor t = backend.alloc(dims);
            backend.copyIn(t, GemmBench.random(rnd, t.size()));
            return t;
        }

        @TearDown(Level.Trial)
        public void close() {
            backend.close();
        }
    }

    @Benchmark
    public void forward(Layer l, Gflops f) {
        l.backend.conv2dForward(l.y, l.x, l.w, l.bias, l.spec);
        f.gflop += l.gflop;
    }

    /** Input gradient; its output is the forward's input, so it reads y's place as dy. */
    @Benchmark
    public void backwardData(Layer l, Gflops f) {
        l.backend.conv2dBackwardData(l.dx, l.y, l.w, l.spec);
        f.gflop += l.gflop;
    }

    @Benchmark
    public void backwardFilter(Layer l, Gflops f) {
        l.backend.conv2dBackwardFilter(l.dw, l.dBias, l.y, l.x, l.spec);
        f.gflop += l.gflop;
    }
}
