package org.mixq.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Delivers a dataset as batches, one epoch at a time, assembled by a background producer
 * thread into a bounded queue, so the next batches are ready while the model trains on this
 * one. Every image appears exactly once per epoch; the last batch holds the remainder
 * ({@code count < batchSize}) unless {@link Options#dropLast} discards it.
 *
 * <p>Epoch e of a loader with seed s is fully determined by (s, e): the order is a
 * permutation seeded from them and each batch's augmentation has its own seed, so epochs can
 * be replayed (resuming a run) with {@link #epoch(int)}. Iterating the loader
 * ({@link #iterator()}) runs epochs 0, 1, 2, ... in turn. Only one epoch runs at a time:
 * starting one stops the previous. Batches are fresh arrays that the caller owns. A loader
 * and its epochs are used (iterated and closed) from one thread, the one that trains.
 */
public final class BatchLoader implements Iterable<Batch>, AutoCloseable {
    /** Options of a loader: see {@link #training} and {@link #evaluation} for the defaults. */
    public record Options(int batchSize, boolean shuffle, Augmentation augmentation, boolean dropLast, long seed, int prefetch) {
        public Options {
            if (batchSize <= 0) {
                throw new IllegalArgumentException("batchSize: " + batchSize + " must be positive");
            }
            if (prefetch <= 0) {
                throw new IllegalArgumentException("prefetch: " + prefetch + " must be positive");
            }
        }

        /** Shuffled each epoch, {@link Augmentation#STANDARD}, last partial batch kept, 4 batches prefetched. */
        public static Options training(int batchSize, long seed) {
            return new Options(batchSize, true, Augmentation.STANDARD, false, seed, 4);
        }

        /** In dataset order, no augmentation, last partial batch kept. */
        public static Options evaluation(int batchSize) {
            return new Options(batchSize, false, Augmentation.NONE, false, 0L, 4);
        }

        public Options withDropLast(boolean drop) {
            return new Options(batchSize, shuffle, augmentation, drop, seed, prefetch);
        }

        public Options withAugmentation(Augmentation aug) {
            return new Options(batchSize, shuffle, aug, dropLast, seed, prefetch);
        }

        public Options withPrefetch(int batches) {
            return new Options(batchSize, shuffle, augmentation, dropLast, seed, batches);
        }
    }

    /** Stream tags, so the order and the augmentation of an epoch draw from unrelated seeds. */
    private static final long ORDER_STREAM = 1;
    private static final long AUGMENT_STREAM = 2;

    private final Dataset data;
    private final Options options;
    private final BatchAssembler assembler;
    private int nextEpoch;
    private Epoch running;

    public BatchLoader(Dataset data, Normalization norm, Options options) {
        this.data = data;
        this.options = options;
        this.assembler = new BatchAssembler(data, norm, options.augmentation());
    }

    /** A training loader: shuffled per epoch from {@code seed}, augmented, last partial batch kept. */
    public static BatchLoader training(Dataset data, Normalization norm, int batchSize, long seed) {
        return new BatchLoader(data, norm, Options.training(batchSize, seed));
    }

    /** An evaluation loader: dataset order, no augmentation, last partial batch kept. */
    public static BatchLoader evaluation(Dataset data, Normalization norm, int batchSize) {
        return new BatchLoader(data, norm, Options.evaluation(batchSize));
    }

    public Dataset dataset() {
        return data;
    }

    public Options options() {
        return options;
    }

    /** Batches per epoch, the last partial one included unless dropped. */
    public int batchesPerEpoch() {
        int full = data.size() / options.batchSize();
        return options.dropLast() || data.size() % options.batchSize() == 0 ? full : full + 1;
    }

    /** Starts the next epoch (0, 1, 2, ...). */
    @Override
    public Iterator<Batch> iterator() {
        return epoch(nextEpoch);
    }

    /** Starts epoch {@code e} (its order and augmentation depend only on the seed and e); the next {@link #iterator()} runs e + 1. */
    public synchronized Epoch epoch(int e) {
        if (e < 0) {
            throw new IllegalArgumentException("epoch: " + e + " must be >= 0");
        }
        if (running != null) {
            running.close();
        }
        nextEpoch = e + 1;
        running = new Epoch(e);
        return running;
    }

    /** Stops the running epoch's producer thread, if any. */
    @Override
    public synchronized void close() {
        if (running != null) {
            running.close();
            running = null;
        }
    }

    /** The index order of epoch e: a seeded permutation, or 0..n-1 without shuffling. */
    int[] order(int e) {
        if (!options.shuffle()) {
            int[] a = new int[data.size()];
            Arrays.setAll(a, i -> i);
            return a;
        }
        return Split.permutation(data.size(), Seeds.mix(Seeds.mix(options.seed(), ORDER_STREAM), e));
    }

    /** One epoch's batches. Closing it (or the loader) stops its producer thread. */
    public final class Epoch implements Iterator<Batch>, AutoCloseable {
        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(options.prefetch());
        private final Thread producer;
        private final int batches = batchesPerEpoch();
        private int taken;

        private Epoch(int e) {
            int[] order = order(e);
            long augmentSeed = Seeds.mix(Seeds.mix(options.seed(), AUGMENT_STREAM), e);
            producer = new Thread(() -> produce(order, augmentSeed), "mixq-batches-" + data.name());
            producer.setDaemon(true);
            producer.start();
        }

        private void produce(int[] order, long augmentSeed) {
            int b = options.batchSize();
            try {
                for (int k = 0; k < batches; k++) {
                    int from = k * b;
                    int count = Math.min(b, order.length - from);
                    queue.put(assembler.assemble(order, from, count, new SplittableRandom(Seeds.mix(augmentSeed, k))));
                }
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error failure) {
                queue.clear();
                queue.offer(failure);
            }
        }

        @Override
        public boolean hasNext() {
            return taken < batches;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("epoch has " + batches + " batches");
            }
            Object item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a batch", e);
            }
            if (item instanceof Throwable) {
                taken = batches;
                throw new IllegalStateException("batch producer failed: " + item, (Throwable) item);
            }
            taken++;
            return (Batch) item;
        }

        /** Batches in this epoch. */
        public int batches() {
            return batches;
        }

        @Override
        public void close() {
            producer.interrupt();
            try {
                producer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            taken = batches;
        }
    }
}
