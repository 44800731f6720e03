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
import org.mixq.rl.config.SettingException;

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
        String m = named(assertThrows(SettingException.class, () -> new Budget(3, 0, 0, 0).target(CostModel.BIT_OPS, LAYERS)));
        assertTrue(m.contains("<TARGET_BITS>: needs <COST_MODEL> size"), m);
        m = named(assertThrows(SettingException.class, () -> new Budget(0, 1, 0, 0).target(CostModel.BIT_OPS, LAYERS)));
        assertTrue(m.contains("<TARGET_SIZE_MB>: needs <COST_MODEL> size"), m);
        m = named(assertThrows(SettingException.class, () -> new Budget(0, 0, 1e9, 0).target(CostModel.WEIGHT_SIZE, LAYERS)));
        assertTrue(m.contains("<TARGET_BITOPS>: needs <COST_MODEL> bitops"), m);
        m = named(assertThrows(SettingException.class, () -> new Budget(3, 0, 0, 100)));
        assertTrue(m.contains("give one cost budget, got <TARGET_BITS> and <TARGET_COST>"), m);
        m = named(assertThrows(SettingException.class, () -> new Budget(-1, 0, 0, 0)));
        assertTrue(m.startsWith("<TARGET_BITS>: expected a finite number >= 0"), m);
    }

    @Test
    void defaultIsThreeBitsOnlyForSizeWithoutAnyBudget() {
        assertEquals(new Budget(Budget.DEFAULT_TARGET_BITS, 0, 0, 0), Budget.given(null, null, null, null, CostModelKind.SIZE, false));
        assertFalse(Budget.given(null, null, null, null, CostModelKind.SIZE, true).any(), "an accuracy budget alone is unconstrained");
        assertFalse(Budget.given(null, null, null, null, CostModelKind.BITOPS, false).any());
        assertFalse(Budget.given(0.0, null, null, null, CostModelKind.SIZE, false).any(), "an explicit 0 means none");
        assertEquals(new Budget(0, 2.5, 0, 0), Budget.given(null, 2.5, null, null, CostModelKind.SIZE, false));
        assertEquals(new Budget(0, 0, 0, 7), Budget.given(null, null, null, 7.0, CostModelKind.LATENCY, true));
    }

    @Test
    void fullPrecisionLayersCostThirtyTwoBits() {
        int[] w = {Quantizer.FULL_PRECISION, 2, 8};
        int[] a = {32, 32, 32};
        assertEquals(32 * 100 + 2 * 1000 + 8 * 10, CostModel.WEIGHT_SIZE.cost(LAYERS, w, a));
    }

    /** The refusal with each setting named by its constant, as a front end would name it by its flag. */
    private static String named(SettingException e) {
        return e.render(s -> "<" + s.name() + ">");
    }
}
