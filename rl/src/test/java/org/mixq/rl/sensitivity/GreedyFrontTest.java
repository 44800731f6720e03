package org.mixq.rl.sensitivity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixq.nn.quant.QuantLayerInfo;
import org.mixq.rl.env.CostModel;
import org.mixq.rl.env.EnvironmentConfig;
import org.mixq.rl.env.LatencyTable;

class GreedyFrontTest {
    private static final List<QuantLayerInfo> LAYERS = FormulaEvaluator.LAYERS;

    /** The table the formula gives, measured without files. */
    private static SensitivityTable measured(int... bits) {
        FormulaEvaluator ev = new FormulaEvaluator();
        SensitivityTable t = new SensitivityTable(LAYERS, EnvironmentConfig.searchedLayers(LAYERS.size(), false), bits, 8);
        t.setFpAccuracy(ev.fullPrecisionAccuracy());
        for (int l = 1; l < LAYERS.size() - 1; l++) {
            for (int b : t.candidates()) {
                t.set(l, b, ev.accuracy(t.singleLayerPolicy(l, b), t.activationPolicy()));
            }
        }
        return t;
    }

    @Test
    void frontIsMonotoneInCostUnderSizeAndBitOps() {
        SensitivityTable t = measured(2, 3, 4, 5, 6, 7, 8);
        for (CostModel cost : List.of(CostModel.WEIGHT_SIZE, CostModel.BIT_OPS)) {
            List<int[]> front = GreedyFront.policies(t, cost);
            assertEquals(1 + 4 * 6, front.size(), "one start point plus one per lowering step");
            int[] a = t.activationPolicy();
            for (int k = 1; k < front.size(); k++) {
                assertTrue(cost.cost(LAYERS, front.get(k), a) < cost.cost(LAYERS, front.get(k - 1), a), cost.name() + " point " + k);
                int changed = 0;
                for (int l = 0; l < LAYERS.size(); l++) {
                    int d = front.get(k - 1)[l] - front.get(k)[l];
                    assertTrue(d == 0 || d == 1, "one candidate step at a time");
                    changed += d;
                }
                assertEquals(1, changed);
            }
            assertArrayEquals(new int[] {8, 8, 8, 8, 8, 8}, front.get(0));
            assertArrayEquals(new int[] {8, 2, 2, 2, 2, 8}, front.get(front.size() - 1), "ends stay at their fixed width");
        }
    }

    @Test
    void lowersTheCheapestAccuracyPerBitSavedFirst() {
        SensitivityTable t = measured(4, 8);
        List<int[]> front = GreedyFront.policies(t, CostModel.WEIGHT_SIZE);
        // Loss of 8 -> 4 bits is s_l (1/16 - 1/64) = 3 s_l / 64, saving 4 n_l bits; ratio 3 s_l / (256 n_l):
        // conv5 (0.05 / 18432) < conv4 (0.2 / 9216) < conv3 (0.3 / 4608) < conv2 (0.8 / 1152).
        assertArrayEquals(new int[] {8, 8, 8, 8, 4, 8}, front.get(1));
        assertArrayEquals(new int[] {8, 8, 8, 4, 4, 8}, front.get(2));
        assertArrayEquals(new int[] {8, 8, 4, 4, 4, 8}, front.get(3));
        assertArrayEquals(new int[] {8, 4, 4, 4, 4, 8}, front.get(4));
    }

    @Test
    void stepsThatSaveNoLatencyComeLast(@TempDir Path dir) throws IOException {
        StringBuilder rows = new StringBuilder(LatencyTable.HEADER).append('\n');
        rows.append("conv1,8,32,1\nfc,8,32,1\n");
        for (String l : List.of("conv2", "conv3", "conv4", "conv5")) {
            // conv2 is as fast at 4 bits as at 8 (no kernel for it): lowering it saves nothing.
            double at4 = l.equals("conv2") ? 5 : 2;
            rows.append(l).append(",4,32,").append(at4).append('\n').append(l).append(",8,32,5\n");
        }
        Path file = dir.resolve("lat.csv");
        Files.writeString(file, rows.toString());
        List<int[]> front = GreedyFront.policies(measured(4, 8), LatencyTable.read(file));
        assertArrayEquals(new int[] {8, 4, 4, 4, 4, 8}, front.get(front.size() - 1));
        assertArrayEquals(new int[] {8, 8, 4, 4, 4, 8}, front.get(front.size() - 2), "conv2, saving nothing, is lowered last");
    }

    @Test
    void refusesAnIncompleteTable() {
        SensitivityTable t = new SensitivityTable(LAYERS, EnvironmentConfig.searchedLayers(LAYERS.size(), false), new int[] {4, 8}, 8);
        assertThrows(IllegalStateException.class, () -> GreedyFront.policies(t, CostModel.WEIGHT_SIZE));
    }
}
