package org.mixq.bench.torch;

import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
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
 * PyTorch's eager training step of VGG-16 (CIFAR, BN) on the CPU, the reference of mixq's
 * {@code TrainStepBench}: same model, batch, random CIFAR-shaped data, SGD with momentum and
 * weight decay, and the same JMH settings, so both are timed alike in one run on one machine.
 *
 * <pre>java -jar bench/torch/target/torch-benchmarks.jar TorchTrainStepBench -p width=0.25 -p threads=2</pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class TorchTrainStepBench {

    @State(Scope.Benchmark)
    public static class Step {
        @Param({"0.25", "1.0"})
        public double width;
        @Param({"1", "2"})
        public int threads;
        @Param({"64"})
        public int batch;

        TorchVgg16 model;
        Tensor images;
        Tensor labels;

        @Setup(Level.Trial)
        public void setUp() {
            torch.set_num_threads(threads);
            model = new TorchVgg16(width, 3, 10, 1);
            images = torch.randn(batch, 3, 32, 32);
            labels = torch.randint(10, new long[] {batch});
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            model.close();
        }
    }

    /** Temporaries of the step (activations, gradients' handles) are released when the scope closes. */
    @Benchmark
    public float step(Step s) {
        try (PointerScope scope = new PointerScope()) {
            return s.model.step(s.images, s.labels);
        }
    }
}
