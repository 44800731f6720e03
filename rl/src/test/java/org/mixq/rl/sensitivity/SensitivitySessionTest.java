package org.mixq.rl.sensitivity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixq.nn.quant.BitPolicy;
import org.mixq.rl.config.DataSource;
import org.mixq.rl.config.Setting;
import org.mixq.rl.config.SettingException;
import org.mixq.rl.env.Budget;
import org.mixq.rl.env.BudgetConfig;
import org.mixq.rl.env.CostModelKind;
import org.mixq.rl.env.EnvironmentConfig;
import org.mixq.rl.env.EpisodeProtocol;
import org.mixq.rl.env.LatencyTable;
import org.mixq.rl.policy.Policies;
import org.mixq.rl.policy.Provenance;
import org.mixq.rl.run.EpisodeRow;
import org.mixq.rl.run.RunFolder;
import org.mixq.rl.search.SearchRun;

/** The sensitivity baseline's run folder: what it measures, what it reuses, what it picks. */
class SensitivitySessionTest {
    /** 4 searched layers x 3 widths + full precision. */
    private static final int TABLE = 4 * 3 + 1;
    /** Start point + 4 layers x 2 steps down. */
    private static final int FRONT = 1 + 4 * 2;

    @TempDir
    Path dir;

    private static SensitivityConfig config(String bits, String costModel, String latencyTable, double targetBits, Double drop) {
        int[] candidates = Arrays.stream(bits.split(",")).mapToInt(Integer::parseInt).toArray();
        return new SensitivityConfig(new DataSource("/fp.ckpt", null, null), 234, candidates, false, 8,
                new EpisodeProtocol(0, 0.01, 1e-4, 128, 0, 4),
                new BudgetConfig(CostModelKind.parse(costModel), latencyTable, new Budget(targetBits, 0, 0, 0), drop));
    }

    private static SensitivityConfig config(double targetBits, Double drop) {
        return config("2,4,8", "size", null, targetBits, drop);
    }

    private static final SensitivitySession.Listener QUIET = new SensitivitySession.Listener() {
        @Override
        public void measured(SensitivityAnalysis.Entry entry, int done, int total) {
        }

        @Override
        public void point(EpisodeRow row, int total) {
        }
    };

    private SensitivitySession.Result run(SensitivityConfig c, FormulaEvaluator ev, Path out) throws IOException {
        return SensitivitySession.run(c, ev, "toy", 1.0, new RunFolder(out), QUIET, () -> false, new Provenance("test", 234L, "2025-01-01T00:00:00Z", null));
    }

    @Test
    void measuresTheTableThenTheFrontAndWritesEveryFile() throws IOException {
        FormulaEvaluator ev = new FormulaEvaluator();
        SensitivitySession.Result r = run(config(4, null), ev, dir);
        assertTrue(r.complete());
        assertEquals(TABLE, r.tableEvaluations());
        assertEquals(FRONT, r.frontEvaluations());
        assertEquals(TABLE + FRONT, ev.evaluations());
        assertEquals(TABLE + FRONT, r.newEvaluations());
        assertEquals(TABLE, SensitivityAnalysis.read(new RunFolder(dir).sensitivityTable()).size());
        List<EpisodeRow> front = readFront(dir);
        assertEquals(r.front(), front);
        for (int k = 1; k < front.size(); k++) {
            assertTrue(front.get(k).cost() < front.get(k - 1).cost(), "the front's cost falls at every point");
        }
        BitPolicy chosen = Policies.read(new RunFolder(dir).sensitivityPolicy(), FormulaEvaluator.LAYERS);
        assertEquals(BitPolicy.ofWeightBits(FormulaEvaluator.LAYERS, r.chosen().weightBits()), chosen);
        JsonObject json = JsonParser.parseString(Files.readString(new RunFolder(dir).sensitivityPolicy())).getAsJsonObject();
        assertEquals("sensitivity", json.get("method").getAsString());
        assertEquals(FRONT, json.get("frontEvaluations").getAsInt());
    }

    @Test
    void costBudgetPicksTheMostAccuratePointWithinIt() throws IOException {
        SensitivitySession.Result r = run(config(4, null), new FormulaEvaluator(), dir);
        double target = 4.0 * FormulaEvaluator.LAYERS.stream().mapToLong(l -> l.params()).sum();
        assertEquals(target, r.targetCost());
        EpisodeRow best = null;
        for (EpisodeRow p : r.front()) {
            if (p.cost() <= target && (best == null || p.accuracy() > best.accuracy())) {
                best = p;
            }
        }
        assertEquals(best, r.chosen());
        assertTrue(r.selection().meets(r.chosen()));
    }

    @Test
    void accuracyBudgetPicksTheCheapestPointWithinTheDrop() throws IOException {
        // The start point (every layer at 8 bits) is 2.25 / 64 = 3.5 points below full precision.
        SensitivitySession.Result r = run(config(0, 6.0), new FormulaEvaluator(), dir);
        EpisodeRow cheapest = null;
        for (EpisodeRow p : r.front()) {
            if (100 * (FormulaEvaluator.FP - p.accuracy()) <= 6.0 && (cheapest == null || p.cost() < cheapest.cost())) {
                cheapest = p;
            }
        }
        assertNotNull(cheapest);
        assertEquals(cheapest, r.chosen());
        assertTrue(cheapest.episode() > 0 && cheapest.episode() < FRONT - 1, "the budget falls inside the front");
    }

    @Test
    void withoutABudgetTheFrontIsTheResult() throws IOException {
        SensitivitySession.Result r = run(config(0, null), new FormulaEvaluator(), dir);
        assertTrue(r.complete());
        assertNull(r.chosen());
        assertFalse(Files.exists(new RunFolder(dir).sensitivityPolicy()));
    }

    @Test
    void aRerunMeasuresNothingAndAnotherBudgetReusesEverything() throws IOException {
        run(config(4, null), new FormulaEvaluator(), dir);
        List<EpisodeRow> first = readFront(dir);
        FormulaEvaluator again = new FormulaEvaluator();
        SensitivitySession.Result r = run(config(4, null), again, dir);
        assertEquals(0, again.evaluations());
        assertEquals(0, r.newEvaluations());
        assertEquals(first, r.front());
        FormulaEvaluator budget = new FormulaEvaluator();
        r = run(config(0, 0.5), budget, dir);
        assertEquals(0, budget.evaluations(), "another budget only re-picks");
        assertNotNull(r.chosen());
    }

    @Test
    void anotherCostModelReusesTheTableAndTheFrontsCommonStart() throws IOException {
        run(config(4, null), new FormulaEvaluator(), dir);
        FormulaEvaluator ev = new FormulaEvaluator();
        SensitivitySession.Result r = run(config("2,4,8", "bitops", null, 0, null), ev, dir);
        assertTrue(r.complete());
        assertTrue(ev.evaluations() < FRONT, "the table and at least the start point come from the files: " + ev.evaluations());
        assertEquals("bitops", r.costModel().name());
        for (int k = 1; k < r.front().size(); k++) {
            assertTrue(r.front().get(k).cost() < r.front().get(k - 1).cost());
        }
    }

    @Test
    void anInterruptedRunResumesToTheSameFilesWithTheSameEvaluationCount() throws IOException {
        Path straight = dir.resolve("straight");
        run(config(4, null), new FormulaEvaluator(), straight);
        Path stopped = dir.resolve("stopped");
        int total = 0;
        for (int limit : new int[] {5, 15, 100}) {
            FormulaEvaluator ev = new FormulaEvaluator();
            int[] calls = {0};
            SensitivitySession.Result r = SensitivitySession.run(config(4, null), ev, "toy", 1.0, new RunFolder(stopped), QUIET,
                    () -> calls[0]++ >= limit, null);
            total += ev.evaluations();
            assertEquals(limit == 100, r.complete());
        }
        assertEquals(TABLE + FRONT, total, "no evaluation is made twice");
        assertEquals(Files.readString(new RunFolder(straight).sensitivityTable()), Files.readString(new RunFolder(stopped).sensitivityTable()));
        assertEquals(deterministic(readFront(straight)), deterministic(readFront(stopped)));
    }

    @Test
    void aTornLastLineIsMeasuredAgain() throws IOException {
        run(config(4, null), new FormulaEvaluator(), dir);
        Path csv = new RunFolder(dir).sensitivityTable();
        String text = Files.readString(csv);
        String withoutLast = text.substring(0, text.lastIndexOf('\n', text.length() - 2) + 1);
        Files.writeString(csv, withoutLast + "4,conv5,2,3");
        FormulaEvaluator ev = new FormulaEvaluator();
        run(config(4, null), ev, dir);
        assertEquals(1, ev.evaluations());
        assertEquals(text, Files.readString(csv));
    }

    @Test
    void measurementOptionsMayNotChangeInAFolder() throws IOException {
        run(config(4, null), new FormulaEvaluator(), dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(config("2,3,4,8", "size", null, 4, null), new FormulaEvaluator(), dir));
        assertTrue(e.getMessage().contains("bits: the run folder was started with [2,4,8], now [2,3,4,8]"), e.getMessage());
        assertEquals(Setting.CANDIDATE_BITS, ((SettingException) e).references().get(0));
    }

    @Test
    void aLatencyTableGapIsNamedBeforeAnyEvaluation() throws IOException {
        Path table = dir.resolve("lat.csv");
        StringBuilder s = new StringBuilder(LatencyTable.HEADER).append("\nconv1,8,32,1\nfc,8,32,1\n");
        for (String l : List.of("conv2", "conv3", "conv4", "conv5")) {
            for (int b : new int[] {2, 4, 8}) {
                if (!(l.equals("conv4") && b == 4)) {
                    s.append(l).append(',').append(b).append(",32,").append(b).append('\n');
                }
            }
        }
        Files.writeString(table, s.toString());
        FormulaEvaluator ev = new FormulaEvaluator();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(config("2,4,8", "latency", table.toString(), 0, null), ev, dir.resolve("lat")));
        assertTrue(e.getMessage().contains("no entry for layer conv4 at w_bits 4, a_bits 32"), e.getMessage());
        assertEquals(0, ev.evaluations());
    }

    @Test
    void searchesTheSameLayersAsTheSearch() {
        assertEquals(List.of(false, true, true, false), asList(EnvironmentConfig.searchedLayers(4, false)));
        assertEquals(List.of(true, true, true, true), asList(EnvironmentConfig.searchedLayers(4, true)));
        assertEquals(List.of(true, true), asList(EnvironmentConfig.searchedLayers(2, false)));
    }

    private static List<Boolean> asList(boolean[] b) {
        List<Boolean> l = new ArrayList<>();
        for (boolean x : b) {
            l.add(x);
        }
        return l;
    }

    private static List<EpisodeRow> readFront(Path run) throws IOException {
        assertEquals(EpisodeRow.HEADER, Files.readAllLines(new RunFolder(run).sensitivityFront()).get(0));
        return SensitivitySession.readFront(new RunFolder(run));
    }

    private static List<String> deterministic(List<EpisodeRow> rows) {
        return rows.stream().map(EpisodeRow::deterministicPart).toList();
    }

    /** The front file is in the search's episodes.csv format, so the same reader takes it. */
    @Test
    void theFrontFileReadsAsEpisodes() throws IOException {
        run(config(4, null), new FormulaEvaluator(), dir);
        Path copy = dir.resolve("as-search");
        Files.createDirectories(copy);
        Files.copy(new RunFolder(dir).sensitivityFront(), new RunFolder(copy).episodes());
        assertEquals(readFront(dir), SearchRun.readAll(new RunFolder(copy)));
    }
}
