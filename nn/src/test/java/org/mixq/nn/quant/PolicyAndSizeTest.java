package org.mixq.nn.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mixq.core.Backend;
import org.mixq.nn.NnFixtures;
import org.mixq.nn.models.Model;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyAndSizeTest {
    private Backend backend;

    @BeforeAll
    void open() {
        backend = NnFixtures.backend();
    }

    @AfterAll
    void close() {
        backend.close();
    }

    /** tiny VGG: conv1 3->4 (108 weights), conv2 4->6 (216), fc 24->4 (96). */
    private static BitPolicy mixed() {
        return new BitPolicy(List.of(new LayerBits("conv1", 8, 32), new LayerBits("conv2", 2, 4), new LayerBits("fc", 32, 32)));
    }

    @Test
    void weightedBitsAndSizeByHand() {
        try (Model m = NnFixtures.tinyVgg(backend, 1)) {
            m.applyPolicy(mixed());
            assertEquals(mixed(), m.policy());
            assertEquals((8 * 108 + 2 * 216 + 32 * 96) / 420.0, m.weightedBits(), 1e-12);
            ModelSize size = m.size();
            assertEquals(108 + 54 + 4 * 96, size.weightBytes(), "weights packed at 8, 2 and 32 bits");
            assertEquals(4 * (4 + 6) + 4, size.scaleBytes(), "per-channel scales of conv1, conv2 and conv2's input clip");
            assertEquals(4 * (4 * 4 + 6 * 4 + 4), size.fullPrecisionBytes(), "BN gamma, beta, mean, var and the fc bias");
            assertEquals(size.weightBytes() + size.scaleBytes() + size.fullPrecisionBytes(), size.totalBytes());
            assertEquals(32.0, ModelSize.weightedBits(m.quantLayerInfos(), BitPolicy.fullPrecision(m.quantLayerInfos())), 0);
            assertEquals(4.0, ModelSize.weightedBits(m.quantLayerInfos(), new int[] {4, 4, 4}), 0);
        }
    }

    @Test
    void unknownLayerNamesTheModelsLayersAndChangesNothing() {
        try (Model m = NnFixtures.tinyVgg(backend, 1)) {
            BitPolicy before = m.policy();
            BitPolicy bad = new BitPolicy(List.of(new LayerBits("conv1", 4, 32), new LayerBits("conv9", 4, 32)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.applyPolicy(bad));
            assertTrue(e.getMessage().contains("'conv9'") && e.getMessage().contains("[conv1, conv2, fc]"), e.getMessage());
            assertEquals(before, m.policy());
            BitPolicy firstLayerActivations = new BitPolicy(List.of(new LayerBits("conv2", 4, 32), new LayerBits("conv1", 4, 4)));
            assertThrows(IllegalArgumentException.class, () -> m.applyPolicy(firstLayerActivations));
            assertEquals(before, m.policy());
        }
    }

    @Test
    void uniformPolicyKeepsTheFirstLayersInputAtFullPrecision() {
        try (Model m = NnFixtures.tinyVgg(backend, 1)) {
            m.applyPolicy(BitPolicy.uniform(m.quantLayerInfos(), 3, 4));
            assertEquals(new LayerBits("conv1", 3, 32), m.policy().layers().get(0));
            assertEquals(new LayerBits("fc", 3, 4), m.policy().layers().get(2));
        }
    }
}
