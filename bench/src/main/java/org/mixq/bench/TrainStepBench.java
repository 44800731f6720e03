package org.mixq.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.mixq.core.Backend;
import org.mixq.core.Tensor;
import org.mixq.core.cpu.CpuBackend;
import org.mixq.core.cpu.CpuGemm;
import org.mixq.nn.models.Model;
import org.mixq.nn.models.ModelConfig;
import org.mixq.nn.models.Models;
import org.mixq.nn.train.Progress;
import org.mixq.nn.train.TrainConfig;
import org.mixq.nn.train.Trainer;
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
 * One training step of VGG-16 (CIFAR variant, BN) on the CPU backend: forward, softmax
 * cross-entropy, backward and the SGD-momentum update of every parameter, on random
 * CIFAR-shaped data. Its reference is PyTorch 2.7.1's eager step of the same model, timed the
 * same way by {@code TorchTrainStepBench} (module bench/torch) in the same run of
 * bench/run-cpu.sh. {@code mode=reproducible} runs the same step in the reproducible mode (mixq's
 * own GEMM, every sum in an order fixed by the problem), whose cost this measures against the
 * default in the same run.
 *
 * <pre>java -jar bench/target/benchmarks.jar TrainStepBench -p width=0.25 -p threads=2 -p mode=default,reproducible</pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx6g"})
public class TrainStepBench {

    @State(Scope.Benchmark)
    public static class Step {
        @Param({"0.25", "1.0"})
        public float width;
        @Param({"1", "2"})
        public int threads;
        @Param({"64"})
        public int batch;
        @Param({"default"})
        public String mode;

        Backend backend;
        Model model;
        Trainer trainer;
        Tensor images;
        Tensor labels;

        @Setup(Level.Trial)
        public void setUp() {
            backend = new CpuBackend(threads, switch (mode) {
                case "default" -> CpuGemm.Provider.AUTO;
                case "reproducible" -> CpuGemm.Provider.ORDERED;
                default -> throw new IllegalArgumentException("mode: expected default or reproducible, got " + mode);
            });
            model = Models.create(backend, new ModelConfig("vgg16", width, 3, 32, 32, 10, 1));
            trainer = new Trainer(model, TrainConfig.defaults(1)).withProgress(Progress.quiet());
            SplittableRandom rnd = new SplittableRandom(1);
            float[] x = new float[batch * 3 * 32 * 32];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rnd.nextGaussian();
            }
            float[] y = new float[batch];
            for (int i = 0; i < batch; i++) {
                y[i] = rnd.nextInt(10);
            }
            images = backend.alloc(batch, 3, 32, 32);
            labels = backend.alloc(batch);
            backend.copyIn(images, x);
            backend.copyIn(labels, y);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            trainer.close();
            model.close();
            backend.close();
        }
    }

    @Benchmark
    public float step(Step s) {
        return s.trainer.step(s.images, s.labels, 0.01f);
    }
}
