package org.mixq.rl.sensitivity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixq.cli.Mixq;
import org.mixq.core.Backend;
import org.mixq.core.cpu.CpuBackend;
import org.mixq.core.testing.SystemProperties;
import org.mixq.nn.checkpoint.ModelCheckpoints;
import org.mixq.nn.models.Model;
import org.mixq.nn.models.ModelConfig;
import org.mixq.nn.models.Models;
import org.mixq.nn.train.DataSetup;
import org.mixq.rl.config.DataSource;
import org.mixq.rl.env.Budget;
import org.mixq.rl.env.BudgetConfig;
import org.mixq.rl.env.CostModel;
import org.mixq.rl.env.CostModelKind;
import org.mixq.rl.env.EnvironmentConfig;
import org.mixq.rl.env.EpisodeProtocol;
import org.mixq.rl.env.Prior;
import org.mixq.rl.env.QuantEnv;
import org.mixq.rl.env.QuantTask;
import org.mixq.rl.env.RewardKind;
import org.mixq.rl.env.Schedule;
import org.mixq.rl.policy.Policies;
import org.mixq.rl.run.EpisodeRow;
import org.mixq.rl.run.RunFolder;

/** The baseline on a tiny VGG-11 and the synthetic set: evaluations counted by QuantTask, the cache, the command. */
class SensitivityOnModelTest {
    /** Forced for the in-process searches below; put back after the class. */
    private static SystemProperties properties;
    private static final long SEED = 5;
    /** VGG-11 has 9 quantizable layers; 7 are searched (ends fixed), at 2 widths, plus full precision. */
    private static final int TABLE = 7 * 2 + 1;
    private static final int FRONT = 1 + 7;

    @TempDir
    static Path dir;
    static Backend backend;
    static Model model;
    static DataSetup data;
    static Path checkpoint;

    @BeforeAll
    static void setUp() throws IOException {
        properties = SystemProperties.set("mixq.backend", "cpu", "mixq.threads", "2");
        backend = new CpuBackend(2);
        model = Models.create(backend, new ModelConfig("vgg11", 0.0625f, 3, 32, 32, 10, SEED));
        data = DataSetup.create("synthetic", null, 2000, 300, SEED);
        checkpoint = dir.resolve("fp.ckpt");
        ModelCheckpoints.save(model, checkpoint, data.metadata());
    }

    @AfterAll
    static void tearDown() {
        properties.close();
        model.close();
        backend.close();
    }

    private static QuantTask task() {
        return new QuantTask(model, data, new EpisodeProtocol(0, 0.01, 1e-4, 64, 100, 1), SEED);
    }

    private static SensitivityConfig config() {
        return new SensitivityConfig(new DataSource(checkpoint.toString(), null, null), SEED, new int[] {2, 8}, false, 8,
                new EpisodeProtocol(0, 0.01, 1e-4, 64, 100, 1),
                new BudgetConfig(CostModelKind.SIZE, null, new Budget(3, 0, 0, 0), null));
    }

    @Test
    void searchesTheLayersQuantEnvSearches() {
        try (QuantTask task = task()) {
            for (boolean ends : new boolean[] {false, true}) {
                QuantEnv env = new QuantEnv(task, new EnvironmentConfig(RewardKind.HAQ, 0.1, 0.25, Schedule.JOINT, Prior.NONE, 0.2,
                        2, 8, ends, 8, false), CostModel.WEIGHT_SIZE, 0);
                assertArrayEquals(env.searched(), EnvironmentConfig.searchedLayers(task.layers().size(), ends));
            }
        }
    }

    @Test
    void theCacheIsReusedOnResume() throws IOException {
        Path out = dir.resolve("session");
        try (QuantTask task = task()) {
            SensitivitySession.Result r = SensitivitySession.run(config(), PolicyEvaluator.of(task), "vgg11", 0.0625, new RunFolder(out),
                    new Quiet(), () -> false, null);
            assertTrue(r.complete());
            assertEquals(TABLE + FRONT, task.evaluations());
        }
        try (QuantTask again = task()) {
            SensitivitySession.Result r = SensitivitySession.run(config(), PolicyEvaluator.of(again), "vgg11", 0.0625, new RunFolder(out),
                    new Quiet(), () -> false, null);
            assertEquals(0, again.evaluations(), "every measurement comes from the run folder");
            assertEquals(FRONT, r.front().size());
        }
    }

    @Test
    void theCommandWritesTheFrontAndAPolicyEveryCommandReads() throws IOException {
        Path out = dir.resolve("cli");
        String[] args = {"sensitivity", "--checkpoint", checkpoint.toString(), "--out", out.toString(), "--bits", "2,8",
            "--eval-images", "100", "--batch-size", "64", "--calibration-batches", "1", "--max-acc-drop", "100"};
        assertEquals(0, Mixq.run(args));
        assertEquals(TABLE + 1, Files.readAllLines(new RunFolder(out).sensitivityTable()).size());
        assertEquals(FRONT + 1, Files.readAllLines(new RunFolder(out).sensitivityFront()).size());
        assertEquals(model.quantLayerInfos().size(),
                Policies.read(new RunFolder(out).sensitivityPolicy(), model.quantLayerInfos()).layers().size());
        assertEquals(0, Mixq.run(args), "a rerun on the folder succeeds");
    }

    private static final class Quiet implements SensitivitySession.Listener {
        @Override
        public void measured(SensitivityAnalysis.Entry entry, int done, int total) {
        }

        @Override
        public void point(EpisodeRow row, int total) {
        }
    }
}
