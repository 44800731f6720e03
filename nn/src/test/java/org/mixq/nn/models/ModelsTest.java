package org.mixq.nn.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mixq.core.Backend;
import org.mixq.core.Tensor;
import org.mixq.core.testing.ArrayAssertions;
import org.mixq.core.testing.RandomArrays;
import org.mixq.nn.Mode;
import org.mixq.nn.NnFixtures;
import org.mixq.nn.Parameter;
import org.mixq.nn.quant.QuantLayerInfo;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelsTest {
    private Backend backend;

    @BeforeAll
    void open() {
        backend = NnFixtures.backend();
    }

    @AfterAll
    void close() {
        backend.close();
    }

    private static ModelConfig cifar(String arch, float width) {
        return new ModelConfig(arch, width, 3, 32, 32, 10, 1);
    }

    private static long trainedParameters(Model m) {
        return m.parameters().stream().filter(p -> !p.name().endsWith(".clip")).mapToLong(Parameter::size).sum();
    }

    @Test
    void registryListsEveryArchitecture() {
        assertEquals(List.of("vgg11", "vgg13", "vgg16", "vgg19", "resnet18", "resnet20", "resnet32", "resnet56"), Models.names());
    }

    @Test
    void unknownArchitectureNamesTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.create(backend, cifar("vgg17", 1f)));
        assertTrue(e.getMessage().contains("'vgg17'") && e.getMessage().contains("vgg16") && e.getMessage().contains("resnet56"),
                e.getMessage());
    }

    /** Parameter counts that published CIFAR implementations print. */
    @Test
    void fullWidthParameterCountsMatchTheKnownFigures() {
        // kuangliu/pytorch-cifar ResNet18: 11,173,962 (1x1 projection shortcuts with BN)
        try (Model m = Models.create(backend, cifar("resnet18", 1f))) {
            assertEquals(11_173_962L, trainedParameters(m));
        }
        // the same repository's VGG16 has 14,728,266 with conv biases; ours has none (BN follows): minus 4,224
        try (Model m = Models.create(backend, cifar("vgg16", 1f))) {
            assertEquals(14_728_266L - 4_224L, trainedParameters(m));
        }
        // ResNet-20 with zero-padding shortcuts has 269,722; the two 1x1 projections with BN add 2,752
        try (Model m = Models.create(backend, cifar("resnet20", 1f))) {
            assertEquals(269_722L + 2_752L, trainedParameters(m));
        }
    }

    @Test
    void vgg16DescribesItsQuantizableLayers() {
        try (Model m = Models.create(backend, cifar("vgg16", 0.25f))) {
            List<QuantLayerInfo> infos = m.quantLayerInfos();
            assertEquals(14, infos.size());
            QuantLayerInfo first = infos.get(0);
            assertEquals(new QuantLayerInfo(0, "conv1", QuantLayerInfo.Kind.CONV, 3, 16, 3, 1, 32, 32, 3 * 16 * 9,
                    3L * 16 * 9 * 32 * 32, false), first);
            QuantLayerInfo last = infos.get(13);
            assertEquals("fc", last.name());
            assertTrue(last.isLinear());
            assertEquals(128, last.cIn());
            assertEquals(10, last.cOut());
            assertTrue(last.activationQuantizable());
            assertEquals(2, infos.get(12).inHeight(), "conv13 sees 2x2 maps after four pools");
            for (int i = 0; i < infos.size(); i++) {
                assertEquals(i, infos.get(i).index());
                assertEquals(m.quantizableLayers().get(i).name(), infos.get(i).name());
                assertEquals(infos.get(i).params(), m.quantizableLayers().get(i).weight().size());
            }
        }
    }

    @Test
    void resnet20HasProjectionShortcutsWhereTheShapeChanges() {
        try (Model m = Models.create(backend, cifar("resnet20", 1f))) {
            List<QuantLayerInfo> infos = m.quantLayerInfos();
            assertEquals(1 + 18 + 2 + 1, infos.size());
            assertEquals("stem.conv", infos.get(0).name());
            QuantLayerInfo down = infos.stream().filter(i -> i.name().equals("stage2.block1.conv1")).findFirst().orElseThrow();
            assertEquals(2, down.stride());
            assertEquals(32, down.inHeight());
            QuantLayerInfo projection = infos.stream().filter(i -> i.name().equals("stage2.block1.shortcut.conv"))
                    .findFirst().orElseThrow();
            assertEquals(1, projection.kernel());
            assertEquals(16, projection.cIn());
            assertEquals(32, projection.cOut());
            assertEquals(infos.indexOf(projection), infos.indexOf(down) + 2, "the projection follows the block's two convs");
            assertFalse(infos.stream().anyMatch(i -> i.name().equals("stage1.block1.shortcut.conv")), "stage 1 keeps identities");
        }
    }

    @Test
    void everyArchitectureMapsImagesToLogits() {
        float[] x = RandomArrays.gaussian(new SplittableRandom(1), 2 * 3 * 32 * 32, 1f);
        for (String name : Models.names()) {
            try (Model m = Models.create(backend, cifar(name, 0.125f)); Tensor in = NnFixtures.tensor(backend, x, 2, 3, 32, 32)) {
                Tensor logits = m.forward(in, Mode.EVAL);
                assertArrayEquals(new int[] {2, 10}, logits.shape().dims(), name);
                for (float v : logits.toArray()) {
                    assertTrue(Float.isFinite(v), name + " logits are finite");
                }
            }
        }
    }

    @Test
    void vggFitsSmallImagesBySkippingPoolsOnOnePixelMaps() {
        try (Model m = Models.create(backend, new ModelConfig("vgg16", 0.25f, 1, 28, 28, 10, 3))) {
            assertEquals(128, m.quantLayerInfos().get(13).cIn(), "28 -> 14 -> 7 -> 3 -> 1, fifth pool skipped");
        }
        try (Model m = NnFixtures.tinyVgg(backend, 1)) {
            assertEquals(6 * 2 * 2, m.quantLayerInfos().get(2).cIn(), "8x8 input pooled twice leaves 2x2 maps");
        }
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        try (Model a = Models.create(backend, cifar("resnet20", 0.25f)); Model b = Models.create(backend, cifar("resnet20", 0.25f));
             Model c = Models.create(backend, new ModelConfig("resnet20", 0.25f, 3, 32, 32, 10, 2))) {
            for (int i = 0; i < a.parameters().size(); i++) {
                ArrayAssertions.assertExact(a.parameters().get(i).name(), a.parameters().get(i).value().toArray(),
                        b.parameters().get(i).value().toArray());
            }
            assertFalse(java.util.Arrays.equals(a.parameters().get(0).value().toArray(), c.parameters().get(0).value().toArray()));
        }
    }

    @Test
    void configRoundTripsThroughKeyValueStrings() {
        ModelConfig c = new ModelConfig("resnet32", 0.375f, 1, 28, 30, 100, -7_123_456_789L);
        assertEquals(c, ModelConfig.fromMap(c.toMap()));
    }
}
