package org.mixq.rl.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mixq.core.Quantizer;
import org.mixq.nn.quant.BitPolicy;
import org.mixq.nn.quant.ModelSize;
import org.mixq.nn.quant.QuantLayerInfo;

/** Budgets in every unit converted to the cost model's, against hand-computed values. */
class BudgetTest {
    private static final List<QuantLayerInfo> LAYERS = CostModelsTest.LAYERS;

    @Test
    void targetBitsIsBitsTimesAllWeights() {
        assertEquals(3.0 * 1110, new Budget(3, 0, 0, 0).target(CostModel.WEIGHT_SIZE, LAYERS));
        assertEquals(2.5 * 1110, new Budget(2.5, 0, 0, 0).target(CostModel.WEIGHT_SIZE, LAYERS));
    }

    @Test
    void targetSizeMbReservesTheBytePaddingOfEachLayer() {
        // 0.001 MB = 1000 bytes = 8000 bits, less 7 bits for each of the 3 layers' last partial byte.
        assertEquals(8000 - 21, new Budget(0, 0.001, 0, 0).target(CostModel.WEIGHT_SIZE, LAYERS));
        assertEquals(8.0 * 700_000 - 7 * 3, Budget.sizeMbToBits(0.7, 3));
    }

    @Test
    void theFewestBytesForABitCostAreTheInverseOfTheMbTarget() {
        for (double bits : new double[] {0, 1, 7979, 7980, 7981, 123_456}) {
            long bytes = Budget.sizeBytesForBits(bits, 3);
            assertTrue(Budget.sizeMbToBits(bytes / 1e6, 3) >= bits, bits + " bits in " + bytes + " bytes");
            assertTrue(Budget.sizeMbToBits((bytes - 1) / 1e6, 3) < bits, "one byte fewer is too few for " + bits);
        }
    }

    /**
     * Every policy within the converted bit target has at most the MB of packed weights that
     * ModelSize counts. Layers of 3, 5 and 7 weights, 5 bytes: without the per-layer reserve the
     * target would be 40 bits, and {4, 2, 2} (36 bits) would take 2 + 2 + 2 = 6 bytes.
     */
    @Test
    void everyPolicyWithinTheConvertedTargetFitsTheMegabytes() {
        List<QuantLayerInfo> small = List.of(
                new QuantLayerInfo(0, "a", QuantLayerInfo.Kind.CONV, 1, 3, 1, 1, 1, 1, 3, 3, false),
                new QuantLayerInfo(1, "b", QuantLayerInfo.Kind.CONV, 1, 5, 1, 1, 1, 1, 5, 5, true),
                new QuantLayerInfo(2, "c", QuantLayerInfo.Kind.LINEAR, 1, 7, 1, 1, 1, 1, 7, 7, true));
        double bits = new Budget(0, 5e-6, 0, 0).target(CostModel.WEIGHT_SIZE, small);
        assertEquals(40 - 21, bits);
        int fitting = 0;
        for (int w0 = 1; w0 <= 8; w0++) {
            for (int w1 = 1; w1 <= 8; w1++) {
                for (int w2 = 1; w2 <= 8; w2++) {
                    int[] w = {w0, w1, w2};
                    if (CostModel.WEIGHT_SIZE.cost(small, w, new int[] {32, 32, 32}) <= bits) {
                        fitting++;
                        long bytes = ModelSize.of(small, BitPolicy.ofWeightBits(small, w), 0).weightBytes();
                        assertTrue(bytes <= 5, () -> java.util.Arrays.toString(w) + ": " + bytes + " bytes");
                    }
                }
            }
        }
        assertTrue(fitting > 0);
    }

    @Test
    void targetBitopsAndTargetCostPassThrough() {
        assertEquals(2.5e9, new Budget(0, 0, 2.5e9, 0).target(CostModel.BIT_OPS, LAYERS));
        assertEquals(12.5, new Budget(0, 0, 0, 12.5).target(CostModel.BIT_OPS, LAYERS));
        assertEquals(12.5, new Budget(0, 0, 0, 12.5).target(CostModel.WEIGHT_SIZE, LAYERS));
        assertEquals(0, Budget.NONE.target(CostModel.BIT_OPS, LAYERS));
    }

    @Test
    void budgetsOfAnotherModelAreRefusedByName() {
        String m = assertThrows(IllegalArgumentException.class,
                () -> new Budget(3, 0, 0, 0).target(CostModel.BIT_OPS, LAYERS)).getMessage();
        assertTrue(m.contains("--target-bits needs --cost-model size"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> new Budget(0, 1, 0, 0).target(CostModel.BIT_OPS, LAYERS)).getMessage();
        assertTrue(m.contains("--target-size-mb needs --cost-model size"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> new Budget(0, 0, 1e9, 0).target(CostModel.WEIGHT_SIZE, LAYERS)).getMessage();
        assertTrue(m.contains("--target-bitops needs --cost-model bitops"), m);
        m = assertThrows(IllegalArgumentException.class, () -> new Budget(3, 0, 0, 100)).getMessage();
        assertTrue(m.contains("give one cost budget, got --target-bits and --target-cost"), m);
        m = assertThrows(IllegalArgumentException.class, () -> new Budget(-1, 0, 0, 0)).getMessage();
        assertTrue(m.contains("--target-bits"), m);
    }

    @Test
    void defaultIsThreeBitsOnlyForSizeWithoutAnyBudget() {
        assertEquals(new Budget(Budget.DEFAULT_TARGET_BITS, 0, 0, 0), Budget.fromFlags(null, null, null, null, "size", false));
        assertFalse(Budget.fromFlags(null, null, null, null, "size", true).any(), "an accuracy budget alone is unconstrained");
        assertFalse(Budget.fromFlags(null, null, null, null, "bitops", false).any());
        assertFalse(Budget.fromFlags(0.0, null, null, null, "size", false).any(), "an explicit 0 means none");
        assertEquals(new Budget(0, 2.5, 0, 0), Budget.fromFlags(null, 2.5, null, null, "size", false));
        assertEquals(new Budget(0, 0, 0, 7), Budget.fromFlags(null, null, null, 7.0, "latency", true));
    }

    @Test
    void fullPrecisionLayersCostThirtyTwoBits() {
        int[] w = {Quantizer.FULL_PRECISION, 2, 8};
        int[] a = {32, 32, 32};
        assertEquals(32 * 100 + 2 * 1000 + 8 * 10, CostModel.WEIGHT_SIZE.cost(LAYERS, w, a));
    }
}
