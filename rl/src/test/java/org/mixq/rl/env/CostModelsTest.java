package org.mixq.rl.env;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixq.nn.quant.QuantLayerInfo;
import org.mixq.rl.config.Setting;
import org.mixq.rl.config.SettingException;

/** The three cost models on a three-layer model whose costs are worked out by hand. */
class CostModelsTest {
    /** conv1: 100 weights, 1000 MACs; conv2: 1000 weights, 20000 MACs; fc: 10 weights, 10 MACs. */
    static final List<QuantLayerInfo> LAYERS = List.of(
            new QuantLayerInfo(0, "conv1", QuantLayerInfo.Kind.CONV, 1, 4, 5, 1, 10, 10, 100, 1000, false),
            new QuantLayerInfo(1, "conv2", QuantLayerInfo.Kind.CONV, 4, 10, 5, 1, 10, 10, 1000, 20000, true),
            new QuantLayerInfo(2, "fc", QuantLayerInfo.Kind.LINEAR, 10, 1, 1, 1, 1, 1, 10, 10, true));

    @TempDir
    Path dir;

    @Test
    void sizeAndBitOpsByHand() {
        int[] w = {8, 4, 8};
        int[] a = {32, 32, 32};
        assertEquals(8 * 100 + 4 * 1000 + 8 * 10, CostModel.WEIGHT_SIZE.cost(LAYERS, w, a));
        assertEquals(1000.0 * 8 * 32 + 20000.0 * 4 * 32 + 10.0 * 8 * 32, CostModel.BIT_OPS.cost(LAYERS, w, a));
        assertEquals(20000.0 * 4 * 6, CostModel.BIT_OPS.layerCost(LAYERS.get(1), 4, 6));
    }

    @Test
    void theMinimumCostIsEveryLayerAtItsCheapestChoice() throws IOException {
        // ends fixed at 8 bits, conv2 searched in 2..6 with inputs in 3..6
        BitChoices choices = new BitChoices(new int[][] {{8}, {2, 3, 4, 5, 6}, {8}},
                new int[][] {{32}, {3, 4, 5, 6}, {32}});
        assertEquals(8 * 100 + 2 * 1000 + 8 * 10, CostModels.minimumCost(CostModel.WEIGHT_SIZE, LAYERS, choices));
        assertEquals(1000.0 * 8 * 32 + 20000.0 * 2 * 3 + 10.0 * 8 * 32, CostModels.minimumCost(CostModel.BIT_OPS, LAYERS, choices));
        assertEquals(0.5 + (0.25 + 0.01 * 2 + 0.001 * 3) + 0.125,
                CostModels.minimumCost(LatencyTable.read(fullTable()), LAYERS, choices), 1e-12);
    }

    @Test
    void namesPickTheModels() throws IOException {
        assertSame(CostModel.WEIGHT_SIZE, CostModels.create(CostModelKind.SIZE, null));
        assertSame(CostModel.BIT_OPS, CostModels.create(CostModelKind.BITOPS, null));
        Path t = table("conv1,8,32,1.5");
        assertEquals("latency", CostModels.create(CostModelKind.LATENCY, t).name());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CostModelKind.parse("flops")).getMessage()
                .contains("size, bitops or latency"));
        assertEquals(List.of(Setting.LATENCY_TABLE), assertThrows(SettingException.class,
                () -> CostModels.create(CostModelKind.LATENCY, null)).references());
        SettingException e = assertThrows(SettingException.class, () -> CostModels.create(CostModelKind.SIZE, t));
        assertEquals(Setting.LATENCY_TABLE, e.setting());
        assertEquals(List.of(Setting.COST_MODEL, Setting.COST_MODEL), e.references());
    }

    @Test
    void latencyTableLooksUpEveryLayerAndPair() throws IOException {
        LatencyTable t = LatencyTable.read(fullTable());
        int[] w = {8, 3, 8};
        int[] a = {32, 4, 32};
        assertEquals(0.5 + (0.25 + 0.01 * 3 + 0.001 * 4) + 0.125, t.cost(LAYERS, w, a), 1e-12);
        assertEquals("ms", t.unit());
        Map<String, Double> all = CostModels.all(LAYERS, w, a, t);
        assertEquals(List.of("size", "bitops", "latency"), List.copyOf(all.keySet()));
        assertEquals(t.cost(LAYERS, w, a), all.get("latency"));
    }

    /** A table with every row the search may visit is accepted, and prices each of them from its row. */
    @Test
    void coveredTableAcceptsTheSearchSpace() throws IOException {
        LatencyTable t = LatencyTable.read(fullTable());
        boolean[] searched = {false, true, false};
        BitChoices search = BitChoices.forSearch(LAYERS, searched, 2, 8, 8, true);
        BitChoices candidates = BitChoices.forCandidates(LAYERS, searched, new int[] {2, 4, 8}, 8);
        t.requireCovered(LAYERS, search);
        t.requireCovered(LAYERS, candidates);
        assertArrayEquals(new int[] {2, 3, 4, 5, 6, 7, 8}, search.weightBits(1));
        assertArrayEquals(new int[] {2, 4, 8}, candidates.weightBits(1));
        for (BitChoices choices : List.of(search, candidates)) {
            for (int w : choices.weightBits(1)) {
                for (int a : choices.activationBits(1)) {
                    assertEquals(0.5 + (0.25 + 0.01 * w + 0.001 * a) + 0.125, t.cost(LAYERS, new int[] {8, w, 8},
                            new int[] {32, a, 32}), 1e-12, "w " + w + " a " + a);
                }
            }
        }
    }

    @Test
    void missingEntryIsNamedBeforeTheSearch() throws IOException {
        Path file = fullTable();
        List<String> lines = Files.readAllLines(file);
        lines.removeIf(l -> l.startsWith("conv2,5,3,"));
        Files.write(file, lines);
        LatencyTable t = LatencyTable.read(file);
        boolean[] searched = {false, true, false};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.requireCovered(LAYERS, BitChoices.forSearch(LAYERS, searched, 2, 8, 8, true)));
        assertTrue(e.getMessage().contains("no entry for layer conv2 at w_bits 5, a_bits 3"), e.getMessage());
        t.requireCovered(LAYERS, BitChoices.forSearch(LAYERS, searched, 2, 8, 8, false));
        assertThrows(IllegalArgumentException.class, () -> t.layerCost(LAYERS.get(1), 5, 3));
    }

    @Test
    void layerNamesMustBeTheModels() throws IOException {
        LatencyTable extra = LatencyTable.read(table("conv1,8,32,1", "conv9,8,32,1"));
        boolean[] searched = {false, true, false};
        BitChoices choices = BitChoices.forCandidates(LAYERS, searched, new int[] {8}, 8);
        String m = assertThrows(IllegalArgumentException.class, () -> extra.requireCovered(LAYERS, choices)).getMessage();
        assertTrue(m.contains("'conv9' is not a quantizable layer") && m.contains("conv1, conv2, fc"), m);
        LatencyTable lacking = LatencyTable.read(table("conv1,8,32,1", "fc,8,32,1"));
        m = assertThrows(IllegalArgumentException.class, () -> lacking.requireCovered(LAYERS, choices)).getMessage();
        assertTrue(m.contains("layer 1 'conv2' has no rows"), m);
    }

    @Test
    void badTablesFailWithOneLineNamingTheLine() throws IOException {
        assertBad("conv1,8,32\n", "line 1: expected the header");
        assertBad(LatencyTable.HEADER + "\nconv1,8,32\n", "line 2: expected 4 columns");
        assertBad(LatencyTable.HEADER + "\nconv1,9,32,1\n", "line 2: w_bits must be 1..8 or 32, got '9'");
        assertBad(LatencyTable.HEADER + "\nconv1,8,x,1\n", "line 2: a_bits must be");
        assertBad(LatencyTable.HEADER + "\nconv1,8,32,fast\n", "line 2: latency 'fast' is not a number");
        assertBad(LatencyTable.HEADER + "\nconv1,8,32,-1\n", "line 2: latency must be a finite number >= 0");
        assertBad(LatencyTable.HEADER + "\nconv1,8,32,1\nconv1,8,32,2\n", "line 3: layer conv1 at w_bits 8, a_bits 32 appears twice");
        IOException missing = assertThrows(IOException.class, () -> LatencyTable.read(dir.resolve("none.csv")));
        assertTrue(missing.getMessage().endsWith("none.csv: no such latency table"), missing.getMessage());
    }

    @Test
    void budgetWallLowersBitOpsAndLatencyFromTheLastLayer() throws IOException {
        List<QuantLayerInfo> four = List.of(LAYERS.get(0), LAYERS.get(1),
                new QuantLayerInfo(2, "conv3", QuantLayerInfo.Kind.CONV, 10, 10, 1, 1, 10, 10, 100, 10000, true), LAYERS.get(2));
        boolean[] searched = {false, true, true, false};
        int[] a = {32, 8, 8, 32};
        int[] w = {8, 8, 8, 8};
        // BitOps at 8 bits: 1000*8*32 + 20000*8*8 + 10000*8*8 + 10*8*32 = 256000 + 1280000 + 640000 + 2560 = 2178560.
        // Target 2000000: lower conv3 (last searched) by one bit (-80000 -> 2098560), then conv2 (-160000 -> 1938560).
        double cost = BudgetWall.enforce(CostModel.BIT_OPS, four, w, a, searched, 2, 2_000_000);
        assertArrayEquals(new int[] {8, 7, 7, 8}, w);
        assertEquals(1938560, cost);

        StringBuilder rows = new StringBuilder();
        for (int b = 2; b <= 8; b++) {
            rows.append("conv2,").append(b).append(",8,").append(b).append('\n');
            rows.append("conv3,").append(b).append(",8,").append(10 * b).append('\n');
        }
        Path file = dir.resolve("lat4.csv");
        Files.writeString(file, LatencyTable.HEADER + "\nconv1,8,32,1\nfc,8,32,1\n" + rows);
        LatencyTable t = LatencyTable.read(file);
        int[] wl = {8, 8, 8, 8};
        // 1 + 8 + 80 + 1 = 90; target 70: conv3 8->7 (80), conv2 8->7 (79), conv3 7->6 (69) meets it.
        double lat = BudgetWall.enforce(t, four, wl, a, searched, 2, 70);
        assertArrayEquals(new int[] {8, 7, 6, 8}, wl);
        assertEquals(69, lat, 1e-12);
    }

    private void assertBad(String text, String expected) throws IOException {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, text);
        IOException e = assertThrows(IOException.class, () -> LatencyTable.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    private Path table(String... rows) throws IOException {
        Path file = dir.resolve("t" + rows.length + ".csv");
        Files.writeString(file, LatencyTable.HEADER + "\n" + String.join("\n", rows) + "\n");
        return file;
    }

    /**
     * conv1 and fc: only 8-bit weights with full-precision inputs (fixed ends), 0.5 and 0.125;
     * conv2: every w in 1..8 and a in 2..8 or 32, latency 0.25 + 0.01 w + 0.001 a.
     */
    private Path fullTable() throws IOException {
        StringBuilder s = new StringBuilder(LatencyTable.HEADER).append("\nconv1,8,32,0.5\nfc,8,32,0.125\n");
        for (int w = 1; w <= 8; w++) {
            for (int a : new int[] {2, 3, 4, 5, 6, 7, 8, 32}) {
                s.append("conv2,").append(w).append(',').append(a).append(',').append(0.25 + 0.01 * w + 0.001 * a).append('\n');
            }
        }
        Path file = dir.resolve("full.csv");
        Files.writeString(file, s.toString());
        return file;
    }
}
