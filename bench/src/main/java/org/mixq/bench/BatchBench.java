package org.mixq.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.mixq.data.Augmentation;
import org.mixq.data.BatchAssembler;
import org.mixq.data.BatchLoader;
import org.mixq.data.Dataset;
import org.mixq.data.Datasets;
import org.mixq.data.Normalization;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Images per second that the data pipeline delivers as CIFAR-shaped (3x32x32) batches of 128
 * on one thread; the goal is at least 20,000 images/s, far above what a training step
 * consumes. Every figure comes with its references in the same run:
 * <ul>
 *   <li>{@code augmented}: random crop with 4-pixel padding, flip, normalization (training);</li>
 *   <li>{@code normalized}: normalization only (evaluation);</li>
 *   <li>{@code copyBytes}: a plain copy of the same 128 x 3072 pixel bytes, the memory floor;</li>
 *   <li>{@code loaderEpoch}: a whole augmented epoch through {@link BatchLoader}, its producer
 *       thread and queue, fresh arrays per batch: what a training loop sees.</li>
 * </ul>
 * Run: {@code java -jar bench/target/benchmarks.jar BatchBench} (smoke: add {@code -f 1 -wi 1 -i 1 -w 1s -r 1s}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
public class BatchBench {
    private static final int BATCH = 128;
    private static final int IMAGES = 5000;

    private Dataset data;
    private BatchAssembler augmenting;
    private BatchAssembler normalizing;
    private Normalization norm;
    private int[] order;
    private float[] images;
    private int[] labels;
    private byte[] bytes;
    private SplittableRandom rng;
    private int from;
    private int epoch;

    @Setup
    public void setup() {
        data = Datasets.synthetic(1, IMAGES, 10).train();
        norm = Normalization.of(data);
        augmenting = new BatchAssembler(data, norm, Augmentation.STANDARD);
        normalizing = new BatchAssembler(data, norm, Augmentation.NONE);
        order = new int[IMAGES];
        Arrays.setAll(order, i -> (int) ((i * 7919L) % IMAGES));
        images = new float[BATCH * data.imageSize()];
        labels = new int[BATCH];
        bytes = new byte[BATCH * data.imageSize()];
        rng = new SplittableRandom(1);
    }

    /** The next batch's start: batches walk through a fixed scattered order, as a shuffled epoch does. */
    private int nextFrom() {
        from += BATCH;
        if (from + BATCH > IMAGES) {
            from = 0;
        }
        return from;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float[] augmented() {
        augmenting.fill(images, labels, order, nextFrom(), BATCH, rng);
        return images;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float[] normalized() {
        normalizing.fill(images, labels, order, nextFrom(), BATCH, rng);
        return images;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public byte[] copyBytes() {
        int start = nextFrom();
        for (int k = 0; k < BATCH; k++) {
            data.copyImage(order[start + k], bytes, k * data.imageSize());
        }
        return bytes;
    }

    @Benchmark
    @OperationsPerInvocation(IMAGES)
    public void loaderEpoch(Blackhole bh) {
        try (BatchLoader loader = BatchLoader.training(data, norm, BATCH, 1)) {
            loader.epoch(epoch++).forEachRemaining(bh::consume);
        }
    }
}
