package org.mixq.nn.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixq.core.Backend;
import org.mixq.core.Tensor;
import org.mixq.core.cpu.CpuBackend;
import org.mixq.core.testing.ArrayAssertions;
import org.mixq.core.testing.RandomArrays;
import org.mixq.nn.Mode;
import org.mixq.nn.checkpoint.ModelCheckpoints;
import org.mixq.nn.models.Model;

/**
 * A loaded packed model computes the source model's logits bit for bit under the same policy
 * (one thread, so both forward passes sum in the same order).
 */
class PackedModelLogitsTest {
    private static Backend backend;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        backend = new CpuBackend(1);
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @Test
    void vggLogitsAreIdenticalAfterTheRoundTrip() throws IOException {
        for (int shift : new int[] {0, 4, 7}) {
            check(ExportFixtures::vgg11, shift);
        }
    }

    @Test
    void resnetLogitsAreIdenticalAfterTheRoundTrip() throws IOException {
        check(ExportFixtures::resnet20, 1);
    }

    private void check(BiFunction<Backend, Long, Model> factory, int shift) throws IOException {
        Path file = dir.resolve("logits-" + shift + ".mixq");
        float[] images = RandomArrays.gaussian(new SplittableRandom(shift), 3 * 3 * 32 * 32, 1f);
        float[] expected;
        try (Model source = factory.apply(backend, 30L + shift)) {
            source.applyPolicy(ExportFixtures.mixedPolicy(source, shift));
            expected = logits(source, images);
            PackedModelWriter.write(source, Map.of(), file);
        }
        ModelCheckpoints.Loaded loaded = PackedModelReader.load(backend, file);
        try (Model copy = loaded.model()) {
            ArrayAssertions.assertExact("logits, policy shift " + shift, expected, logits(copy, images));
        }
    }

    private static float[] logits(Model model, float[] images) {
        try (Tensor x = backend.alloc(3, 3, 32, 32)) {
            backend.copyIn(x, images);
            return model.forward(x, Mode.EVAL).toArray();
        }
    }
}
