package org.mixq.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.mixq.core.Backend;
import org.mixq.data.Batch;
import org.mixq.nn.CountingBackend;
import org.mixq.nn.NnFixtures;
import org.mixq.nn.checkpoint.ModelCheckpoints;
import org.mixq.nn.models.Model;
import org.mixq.nn.quant.BitPolicy;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainerTest {
    /**
     * Losses of the first 10 steps of {@link #tinyRun()}, recorded from this implementation on
     * the CPU backend with one thread. A change here means the numerics of some op changed.
     */
    private static final float[] GOLDEN_LOSSES = {
        1.4252586f, 1.1604861f, 0.932761f, 0.70274025f, 0.43598816f, 0.2587227f, 0.16187952f, 0.083006926f, 0.037502624f,
        0.017867835f,
    };
    /**
     * The golden losses may move by reordered float32 sums (another SGEMM provider, another
     * blocking) compounded over 10 steps: 1e-4 relative leaves room for that, not for a bug.
     */
    private static final float GOLDEN_RTOL = 1e-4f;

    private Backend backend;

    @BeforeAll
    void open() {
        backend = NnFixtures.backend();
    }

    @AfterAll
    void close() {
        backend.close();
    }

    private static TrainConfig config(int epochs) {
        return TrainConfig.defaults(epochs).withLearningRate(0.1f);
    }

    private float[] tinyRun() {
        Batch batch = NnFixtures.batch(21, 8, 3, 8, 8, 4);
        float[] losses = new float[10];
        try (Model m = NnFixtures.tinyVgg(backend, 20); Trainer t = new Trainer(m, config(1)).withProgress(Progress.quiet())) {
            for (int i = 0; i < losses.length; i++) {
                losses[i] = t.step(batch, 0.1f);
            }
        }
        return losses;
    }

    @Test
    void goldenLossesOfATinySeededRun() {
        float[] first = tinyRun();
        assertArrayEquals(first, tinyRun(), "a seeded run repeats bit for bit");
        assertTrue(first[9] < first[0], "the loss falls on a fixed batch: " + Arrays.toString(first));
        org.mixq.core.testing.ArrayAssertions.assertClose("golden losses " + Arrays.toString(first), GOLDEN_LOSSES, first, 0f, GOLDEN_RTOL);
    }

    @Test
    void oneStepLowersTheLossOnAFixedBatch() {
        Batch batch = NnFixtures.batch(3, 8, 3, 8, 8, 4);
        try (Model m = NnFixtures.tinyResNet(backend, 4); Trainer t = new Trainer(m, config(1)).withProgress(Progress.quiet())) {
            float before = t.step(batch, 0.05f);
            float after = t.step(batch, 0f);
            assertTrue(after < before, "loss " + before + " -> " + after);
        }
    }

    @Test
    void quantizationAwareStepsLowerTheLossAndKeepUpdatingBatchNorm() {
        Batch batch = NnFixtures.batch(5, 8, 3, 8, 8, 4);
        try (Model m = NnFixtures.tinyVgg(backend, 6); Trainer t = new Trainer(m, config(1)).withProgress(Progress.quiet())) {
            m.applyPolicy(BitPolicy.uniform(m.quantLayerInfos(), 2, 4));
            float[] runningMean = m.state().get("bn2.runningMean").toArray();
            float first = t.step(batch, 0.05f);
            for (int i = 0; i < 4; i++) {
                t.step(batch, 0.05f);
            }
            float last = t.step(batch, 0f);
            assertTrue(last < first, "2-bit training lowers the loss: " + first + " -> " + last);
            assertFalse(Arrays.equals(runningMean, m.state().get("bn2.runningMean").toArray()), "BN statistics move");
        }
    }

    @Test
    void fitReportsPerEpochMetricsAndCheckpoints(@TempDir Path dir) throws IOException {
        List<Batch> train = List.of(NnFixtures.batch(1, 8, 3, 8, 8, 4), NnFixtures.batch(2, 6, 3, 8, 8, 4));
        List<Batch> val = List.of(NnFixtures.batch(3, 5, 3, 8, 8, 4));
        Path ckpt = dir.resolve("model.ckpt");
        List<EpochMetrics> seen = new ArrayList<>();
        try (Model m = NnFixtures.tinyVgg(backend, 7);
             Trainer t = new Trainer(m, config(2)).withProgress(Progress.quiet()).checkpointEachEpoch(ckpt, Map.of("run", "t"))) {
            List<EpochMetrics> metrics = t.fit(train, val, seen::add);
            assertEquals(metrics, seen);
            assertEquals(2, metrics.size());
            EpochMetrics e1 = metrics.get(0);
            assertEquals(1, e1.epoch());
            assertEquals(14, e1.images());
            assertEquals(0.1f, e1.learningRate());
            assertEquals(0.05f, metrics.get(1).learningRate(), 1e-7, "cosine halfway");
            assertTrue(e1.trainLoss() > 0 && Double.isFinite(e1.trainLoss()));
            assertTrue(e1.trainAccuracy() >= 0 && e1.trainAccuracy() <= 1);
            assertEquals(0, Math.round(e1.valAccuracy() * 5) - e1.valAccuracy() * 5, 1e-9, "accuracy is k/5");
            assertTrue(e1.imagesPerSecond() > 0);
            Map<String, String> meta = ModelCheckpoints.restore(m, ckpt);
            assertEquals("2", meta.get("epoch"));
            assertEquals("t", meta.get("run"));
        }
    }

    @Test
    void stepsPerEpochLimitsAnEpoch() throws IOException {
        List<Batch> train = List.of(NnFixtures.batch(1, 4, 3, 8, 8, 4), NnFixtures.batch(2, 4, 3, 8, 8, 4),
                NnFixtures.batch(3, 4, 3, 8, 8, 4));
        try (Model m = NnFixtures.tinyVgg(backend, 7);
             Trainer t = new Trainer(m, config(1).withStepsPerEpoch(2)).withProgress(Progress.quiet())) {
            assertEquals(8, t.fit(train, null, null).get(0).images());
        }
    }

    @Test
    void nanLossStopsWithTheStepAndTheLastCheckpoint(@TempDir Path dir) {
        Batch good = NnFixtures.batch(1, 4, 3, 8, 8, 4);
        Batch poisoned = NnFixtures.batch(2, 4, 3, 8, 8, 4);
        poisoned.images()[5] = Float.NaN;
        // epoch 1 sees the good batch, epoch 2 the good one and then the poisoned one
        Iterable<Batch> source = new Iterable<>() {
            private int epochs;

            @Override
            public Iterator<Batch> iterator() {
                return ++epochs == 1 ? List.of(good).iterator() : List.of(good, poisoned).iterator();
            }
        };
        Path ckpt = dir.resolve("last.ckpt");
        try (Model m = NnFixtures.tinyVgg(backend, 8);
             Trainer t = new Trainer(m, config(3)).withProgress(Progress.quiet()).checkpointEachEpoch(ckpt, Map.of())) {
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> t.fit(source, null, null));
            assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("epoch 2, step 2 (step 3 overall)")
                    && e.getMessage().contains(ckpt + " (epoch 1)"), e.getMessage());
            assertTrue(Files.exists(ckpt));
        }
        try (Model m = NnFixtures.tinyVgg(backend, 8); Trainer t = new Trainer(m, config(1)).withProgress(Progress.quiet())) {
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> t.step(poisoned, 0.1f));
            assertTrue(e.getMessage().contains("no checkpoint was written yet"), e.getMessage());
        }
    }

    @Test
    void stepsAllocateNothingOnceShapesAreStable() {
        Batch batch = NnFixtures.batch(3, 8, 3, 8, 8, 4);
        CountingBackend counting = new CountingBackend(NnFixtures.backend());
        try (Backend counted = counting.backend(); Model m = NnFixtures.tinyResNet(counted, 4);
             Trainer t = new Trainer(m, config(1)).withProgress(Progress.quiet())) {
            m.applyPolicy(BitPolicy.uniform(m.quantLayerInfos(), 4, 4));
            t.step(batch, 0.05f);
            long afterFirst = counting.allocations();
            for (int i = 0; i < 3; i++) {
                t.step(batch, 0.05f);
            }
            assertEquals(afterFirst, counting.allocations(), "tensors allocated by steps 2..4");
        }
    }

    @Test
    void evaluatorCountsTopOneOverBatches() {
        List<Batch> val = List.of(NnFixtures.batch(1, 7, 3, 8, 8, 4), NnFixtures.batch(2, 3, 3, 8, 8, 4));
        try (Model m = NnFixtures.tinyVgg(backend, 9)) {
            Evaluator.Accuracy a = Evaluator.evaluate(m, val);
            assertEquals(10, a.total());
            assertTrue(a.correct() >= 0 && a.correct() <= 10);
            assertEquals(a, Evaluator.evaluate(m, val), "evaluation does not change the model");
        }
    }
}
