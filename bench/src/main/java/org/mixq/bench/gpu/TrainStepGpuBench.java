package org.mixq.bench.gpu;

import java.util.List;
import org.mixq.core.Quantizer;
import org.mixq.core.Tensor;
import org.mixq.data.Batch;
import org.mixq.kernels.CudaBackend;
import org.mixq.kernels.CudaBackendProvider;
import org.mixq.kernels.CudaOptions;
import org.mixq.kernels.CudaTimer;
import org.mixq.nn.models.Model;
import org.mixq.nn.models.ModelConfig;
import org.mixq.nn.models.Models;
import org.mixq.nn.quant.BitPolicy;
import org.mixq.nn.train.ActivationCalibration;
import org.mixq.nn.train.Progress;
import org.mixq.nn.train.TrainConfig;
import org.mixq.nn.train.Trainer;

/**
 * One training step of VGG-16 (CIFAR variant with BN, width 1.0, 10 classes) on the CUDA
 * backend: forward, softmax cross-entropy, backward, SGD with momentum 0.9 and weight decay
 * 5e-4, on random CIFAR-shaped data. Its reference is torch_reference.py's eager step of the
 * same network in the same run (which also reads the loss back, as {@link Trainer#step} does).
 * The first steps choose the cuDNN algorithms and fill the allocator's cache, so they are warm-up.
 *
 * <p>Usage: {@code TrainStepGpuBench [batch] [width] [bits] [steps]} (default 128, 1.0, 32 and
 * 20; a small width and batch run the same code on the CUDA emulator of
 * kernels/src/test/emulator in seconds). With {@code bits} below 32 every layer's weights and
 * inputs are fake-quantized to that width, the clips calibrated on the step's batch, as in the
 * search's fine-tuning step. {@code steps} is the number of timed steps: two runs that differ only
 * in it give the emulator's per-step counts (MIXQ_EMULATOR_STATS=1) by difference.
 */
public final class TrainStepGpuBench {
    private static final int WARMUP = 5;

    private TrainStepGpuBench() {
    }

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 128;
        float width = args.length > 1 ? Float.parseFloat(args[1]) : 1f;
        int bits = args.length > 2 ? Integer.parseInt(args[2]) : Quantizer.FULL_PRECISION;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        float[] x = FakeQuantGpuBench.random(batch * 3 * 32 * 32, 3);
        float[] y = new float[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = i % 10;
        }
        try (CudaBackend gpu = CudaBackendProvider.create(CudaOptions.fromSystemProperties());
             CudaTimer timer = gpu.timer();
             Model model = Models.create(gpu, new ModelConfig("vgg16", width, 3, 32, 32, 10, 1));
             Trainer trainer = new Trainer(model, TrainConfig.defaults(1)).withProgress(Progress.quiet());
             Tensor images = gpu.alloc(batch, 3, 32, 32);
             Tensor labels = gpu.alloc(batch)) {
            gpu.copyIn(images, x);
            gpu.copyIn(labels, y);
            if (bits != Quantizer.FULL_PRECISION) {
                model.applyPolicy(BitPolicy.uniform(model.quantLayerInfos(), bits, bits));
                int[] classes = new int[batch];
                for (int i = 0; i < batch; i++) {
                    classes[i] = (int) y[i];
                }
                ActivationCalibration.calibrate(model, List.of(new Batch(x, classes, batch, 3, 32, 32)), 1);
            }
            for (int i = 0; i < WARMUP; i++) {
                trainer.step(images, labels, 0.01f);
            }
            long allocationsBefore = gpu.driverAllocations();
            float[] ms = new float[runs];
            for (int i = 0; i < runs; i++) {
                timer.start();
                trainer.step(images, labels, 0.01f);
                ms[i] = timer.stopMillis();
            }
            // The caching allocator's promise: after the first steps, no cuMemAlloc at all.
            System.out.println("cuMemAlloc during the " + runs + " timed steps: " + (gpu.driverAllocations() - allocationsBefore));
            String precision = bits == Quantizer.FULL_PRECISION ? "fp32" : bits + "-bit weights and activations";
            GpuReport.throughput("vgg16 train step", ms, batch, "img/s", "batch " + batch + ", width " + width + ", "
                    + precision + ", " + gpu.describe().lines().findFirst().orElse(""));
        }
    }
}
