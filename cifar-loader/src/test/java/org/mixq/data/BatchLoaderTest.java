package org.mixq.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class BatchLoaderTest {
    /** Normalization that leaves p / 255, so a batch value times 255 is the pixel again. */
    private static final Normalization UNIT = Normalization.of(new float[] {0f}, new float[] {1f});

    private final Dataset data = DataFiles.indexed(10, 3);

    @Test
    void everyImageOnceEachEpochWithAPartialLastBatch() {
        BatchLoader.Options opts = BatchLoader.Options.training(4, 123).withAugmentation(Augmentation.NONE);
        try (BatchLoader loader = new BatchLoader(data, UNIT, opts)) {
            assertEquals(3, loader.batchesPerEpoch());
            for (int epoch = 0; epoch < 3; epoch++) {
                List<Integer> ids = new ArrayList<>();
                List<Integer> counts = new ArrayList<>();
                for (Iterator<Batch> it = loader.iterator(); it.hasNext();) {
                    Batch b = it.next();
                    counts.add(b.count());
                    for (int k = 0; k < b.count(); k++) {
                        int id = id(b, k);
                        assertEquals(data.label(id), b.labels()[k], "label travels with its image");
                        ids.add(id);
                    }
                }
                assertEquals(List.of(4, 4, 2), counts);
                assertEquals(10, ids.size());
                assertEquals(10, ids.stream().distinct().count(), "epoch " + epoch + " repeats an image: " + ids);
            }
        }
    }

    @Test
    void dropLastDiscardsThePartialBatch() {
        BatchLoader.Options opts = BatchLoader.Options.training(4, 1).withDropLast(true);
        try (BatchLoader loader = new BatchLoader(data, UNIT, opts)) {
            assertEquals(2, loader.batchesPerEpoch());
            List<Integer> counts = new ArrayList<>();
            loader.iterator().forEachRemaining(b -> counts.add(b.count()));
            assertEquals(List.of(4, 4), counts);
        }
    }

    @Test
    void evaluationIsInOrderWithoutAugmentation() {
        try (BatchLoader loader = BatchLoader.evaluation(data, UNIT, 3)) {
            List<Integer> ids = new ArrayList<>();
            loader.iterator().forEachRemaining(b -> {
                for (int k = 0; k < b.count(); k++) {
                    ids.add(id(b, k));
                }
            });
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), ids);
        }
    }

    @Test
    void orderIsSeededPerEpochAndReplayable() {
        BatchLoader.Options opts = BatchLoader.Options.training(10, 5).withAugmentation(Augmentation.NONE);
        try (BatchLoader a = new BatchLoader(DataFiles.indexed(10, 3), UNIT, opts);
                BatchLoader b = new BatchLoader(DataFiles.indexed(10, 3), UNIT, opts)) {
            List<Integer> e0 = ids(a.iterator().next());
            List<Integer> e1 = ids(a.iterator().next());
            assertNotEquals(e0, e1, "each epoch has its own order");
            assertEquals(e1, ids(b.epoch(1).next()), "epoch 1 replays alone");
            assertEquals(e0, ids(b.epoch(0).next()));
        }
    }

    @Test
    void augmentedEpochsAreReproducible() {
        Dataset images = BatchAssemblerTest.randomImages(50, 2);
        Normalization n = Normalization.of(images);
        try (BatchLoader a = BatchLoader.training(images, n, 16, 77); BatchLoader b = BatchLoader.training(images, n, 16, 77);
                BatchLoader c = BatchLoader.training(images, n, 16, 78)) {
            Iterator<Batch> ia = a.iterator();
            Iterator<Batch> ib = b.iterator();
            Iterator<Batch> ic = c.iterator();
            boolean differs = false;
            while (ia.hasNext()) {
                Batch x = ia.next();
                Batch y = ib.next();
                assertArrayEquals(x.images(), y.images());
                assertArrayEquals(x.labels(), y.labels());
                assertEquals(3 * 8 * 8, x.imageSize());
                differs |= !java.util.Arrays.equals(x.images(), ic.next().images());
            }
            assertTrue(differs, "another seed gives other batches");
        }
    }

    @Test
    void closingMidEpochStopsTheProducer() throws InterruptedException {
        BatchLoader.Options opts = BatchLoader.Options.training(1, 1).withPrefetch(1);
        BatchLoader loader = new BatchLoader(DataFiles.indexed(100, 3), UNIT, opts);
        BatchLoader.Epoch epoch = loader.epoch(0);
        epoch.next();
        loader.close();
        assertFalse(epoch.hasNext());
        assertThrows(NoSuchElementException.class, epoch::next);
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            assertFalse(t.getName().equals("mixq-batches-indexed") && t.isAlive(), "producer thread still running");
        }
    }

    @Test
    void startingAnEpochStopsTheOneBefore() {
        try (BatchLoader loader = new BatchLoader(data, UNIT, BatchLoader.Options.training(2, 1).withPrefetch(1))) {
            BatchLoader.Epoch first = loader.epoch(0);
            BatchLoader.Epoch second = loader.epoch(1);
            assertFalse(first.hasNext());
            assertEquals(5, second.batches());
        }
    }

    @Test
    void normalizationMustMatchTheChannels() {
        Dataset rgb = BatchAssemblerTest.randomImages(4, 1);
        assertThrows(IllegalArgumentException.class, () -> BatchLoader.evaluation(rgb, UNIT, 2));
    }

    /** The index spelled by the pixels of image k of a batch of {@link DataFiles#indexed} images. */
    private static int id(Batch b, int k) {
        int base = k * b.imageSize();
        int id = 0;
        for (int j = 0; j < 3; j++) {
            id = id << 8 | Math.round(b.images()[base + j] * 255);
        }
        return id;
    }

    private static List<Integer> ids(Batch b) {
        List<Integer> ids = new ArrayList<>();
        for (int k = 0; k < b.count(); k++) {
            ids.add(id(b, k));
        }
        return ids;
    }
}
