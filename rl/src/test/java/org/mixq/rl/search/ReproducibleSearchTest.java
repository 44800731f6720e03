package org.mixq.rl.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixq.cli.Mixq;
import org.mixq.core.Backend;
import org.mixq.core.cpu.CpuBackend;
import org.mixq.core.testing.ChildJvm;
import org.mixq.nn.Parameter;
import org.mixq.nn.checkpoint.ModelCheckpoints;
import org.mixq.nn.models.Model;
import org.mixq.rl.run.EpisodeRow;
import org.mixq.rl.run.RunFolder;

/**
 * The reproducible mode's promise end to end: the same train and search commands give the same
 * weights, to the bit, and the same {@code episodes.csv} (wall time aside) in JVMs that differ
 * in all a machine can change here: one thread against three, 8-lane vectors against 16,
 * OpenBLAS's AVX2 kernels against its AVX-512 ones (unused in this mode, so they must not
 * matter). The weights are the sensitive part: a short search's accuracies on a few hundred
 * images rarely move with the last bits, a trained model's weights always do.
 */
class ReproducibleSearchTest {
    private static final int EPISODES = 5;

    @TempDir
    static Path dir;

    @Test
    void theSameSeedGivesTheSameModelAndEpisodesOnAnotherThreadCountAndVectorWidth()
            throws IOException, InterruptedException {
        Path narrow = trainAndSearch("narrow", "1", "Haswell", "-XX:MaxVectorSize=32");
        Path wide = trainAndSearch("wide", "3", "SkylakeX", "-XX:MaxVectorSize=64");
        try (Backend backend = new CpuBackend(1);
             Model a = ModelCheckpoints.load(backend, narrow.resolve("fp/model.ckpt")).model();
             Model b = ModelCheckpoints.load(backend, wide.resolve("fp/model.ckpt")).model()) {
            assertEquals(a.parameters().size(), b.parameters().size());
            for (int i = 0; i < a.parameters().size(); i++) {
                Parameter p = a.parameters().get(i);
                assertArrayEquals(p.value().toArray(), b.parameters().get(i).value().toArray(), p.name());
            }
        }
        List<String> first = episodes(narrow.resolve("search"));
        assertEquals(EPISODES, first.size());
        assertEquals(first, episodes(wide.resolve("search")));
    }

    private static Path trainAndSearch(String name, String threads, String coreType, String vectorSize)
            throws IOException, InterruptedException {
        Path out = dir.resolve(name);
        run(threads, coreType, vectorSize, List.of("train", "--model", "vgg11", "--width", "0.0625", "--dataset",
                "synthetic", "--train-images", "2000", "--validation", "500", "--epochs", "1", "--steps-per-epoch", "25",
                "--batch-size", "32", "--seed", "3", "--out", out.resolve("fp").toString()));
        run(threads, coreType, vectorSize, SearchFixture.searchArgs(out.resolve("fp/model.ckpt"), out.resolve("search"),
                EPISODES));
        return out;
    }

    private static void run(String threads, String coreType, String vectorSize, List<String> args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                vectorSize, Mixq.class.getName()));
        cmd.addAll(args);
        ChildJvm.Result r = ChildJvm.run(cmd, Map.of("MIXQ_REPRODUCIBLE", "1", "MIXQ_THREADS", threads,
                "OPENBLAS_CORETYPE", coreType, "MIXQ_BACKEND", "cpu"));
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("cpu"), r.out());
    }

    private static List<String> episodes(Path run) throws IOException {
        List<String> rows = new ArrayList<>();
        for (EpisodeRow r : SearchRun.readAll(new RunFolder(run))) {
            rows.add(r.deterministicPart());
        }
        return rows;
    }
}
