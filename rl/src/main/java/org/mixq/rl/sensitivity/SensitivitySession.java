package org.mixq.rl.sensitivity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.mixq.core.io.AtomicFiles;
import org.mixq.nn.quant.ModelSize;
import org.mixq.nn.quant.QuantLayerInfo;
import org.mixq.rl.env.BitChoices;
import org.mixq.rl.env.CostModel;
import org.mixq.rl.env.CostModels;
import org.mixq.rl.env.EnvironmentConfig;
import org.mixq.rl.policy.PolicyDocument;
import org.mixq.rl.policy.Provenance;
import org.mixq.rl.run.EpisodeRow;
import org.mixq.rl.run.RunFolder;
import org.mixq.rl.run.Selection;

/**
 * The sensitivity-plus-greedy baseline (AIMET AMP style) over a run folder:
 * {@code sensitivity-config.json}, {@code sensitivity.csv} (phase one, {@link SensitivityAnalysis}),
 * {@code sensitivity-front.csv} (phase two: one {@link EpisodeRow} per point of the
 * {@link GreedyFront}, evaluated on the validation split, so a report can plot the front beside
 * the search's episodes) and {@code sensitivity-policy.json} (the point meeting the budgets,
 * written by {@link PolicyDocument} as the search writes best-policy.json).
 *
 * <p>Rerunning on the same folder measures nothing twice: the table is read back, and each
 * point of the front already in the file whose policy is the walk's next one is kept (with its
 * cost recomputed under the current cost model); the walk goes on from the first that differs.
 */
public final class SensitivitySession {
    /** Progress: each table measurement and each evaluated point of the front. */
    public interface Listener extends SensitivityAnalysis.Listener {
        void point(EpisodeRow row, int total);
    }

    /**
     * What a run produced.
     *
     * @param front            the front's points so far (all of them when {@code complete})
     * @param chosen           the point meeting the budgets (or the fallback), null without a budget or when incomplete
     * @param tableEvaluations evaluations phase one needs: searched layers x candidates + 1 (full precision)
     * @param frontEvaluations evaluations of the front: one per point; compare with a search's episode count
     * @param newEvaluations   evaluations this run actually made (0 when everything came from the cache)
     */
    public record Result(SensitivityTable table, List<EpisodeRow> front, EpisodeRow chosen, Selection selection,
                         CostModel costModel, double targetCost, int tableEvaluations, int frontEvaluations,
                         int newEvaluations, boolean complete) {
    }

    private SensitivitySession() {
    }

    /**
     * Runs or resumes the analysis of {@code c} in {@code dir}; {@code stop} is checked before
     * every evaluation. {@code arch} and {@code widthMultiplier} name the model in the policy file.
     */
    public static Result run(SensitivityConfig c, PolicyEvaluator ev, String arch, double widthMultiplier, RunFolder dir,
                             Listener listener, BooleanSupplier stop, Provenance provenance) throws IOException {
        dir.start(dir.sensitivityConfig(), c, SensitivityConfig.RESUMABLE_CHANGES, "a sensitivity analysis", "reuse it");
        List<QuantLayerInfo> layers = ev.layers();
        CostModel cost = c.budget().createCostModel();
        double target = c.budget().targetCost(cost, layers);
        boolean[] searched = EnvironmentConfig.searchedLayers(layers.size(), c.searchEnds());
        SensitivityTable table = new SensitivityTable(layers, searched, c.bits(), c.endBits());
        CostModels.requireCovered(cost, layers, BitChoices.forCandidates(layers, searched, table.candidates(), c.endBits()));
        int start = ev.evaluations();
        SensitivityAnalysis.measure(ev, table, dir.sensitivityTable(), stop, listener);
        int tableEvaluations = table.size() + 1;
        if (!table.complete()) {
            return new Result(table, List.of(), null, null, cost, target, tableEvaluations, 0, ev.evaluations() - start, false);
        }
        Selection selection = selection(c, table.fpAccuracy(), target);
        List<int[]> policies = GreedyFront.policies(table, cost);
        List<EpisodeRow> front = reuse(dir.sensitivityFront(), policies, table, ev, cost);
        for (int k = front.size(); k < policies.size(); k++) {
            if (stop.getAsBoolean()) {
                return new Result(table, front, null, selection, cost, target, tableEvaluations, policies.size(),
                        ev.evaluations() - start, false);
            }
            long t0 = System.nanoTime();
            double acc = ev.accuracy(policies.get(k), table.activationPolicy());
            EpisodeRow row = row(k, policies.get(k), acc, (System.nanoTime() - t0) / 1e9, table, ev, cost);
            AtomicFiles.appendLine(dir.sensitivityFront(), row.toCsv());
            front.add(row);
            listener.point(row, policies.size());
        }
        EpisodeRow chosen = selection == null ? null : selection.choose(front);
        if (chosen != null) {
            writePolicy(dir.sensitivityPolicy(), chosen, selection, table, cost, arch, widthMultiplier, tableEvaluations,
                    policies.size(), provenance);
        }
        return new Result(table, front, chosen, selection, cost, target, tableEvaluations, policies.size(),
                ev.evaluations() - start, true);
    }

    /**
     * The lowest-cost point within the accuracy budget (and the cost target, if any); with only a
     * cost target, the most accurate point within it; with neither, null: the front is the result.
     */
    static Selection selection(SensitivityConfig c, double fpAccuracy, double target) {
        if (c.budget().maxAccDrop() != null) {
            return Selection.accuracyBudget(fpAccuracy, c.budget().maxAccDrop(), target);
        }
        return target > 0 ? Selection.costBudget(target) : null;
    }

    private static EpisodeRow row(int k, int[] w, double acc, double seconds, SensitivityTable t, PolicyEvaluator ev,
                                  CostModel cost) {
        int[] a = t.activationPolicy();
        double reward = 0.1 * 100 * (acc - t.fpAccuracy());
        return new EpisodeRow(k, reward, acc, ModelSize.weightedBits(t.layers(), w), ev.sizeBytes(w, a),
                cost.cost(t.layers(), w, a), w, a, seconds);
    }

    /** The front of a run folder, for reports (the table: {@link SensitivityAnalysis#read}); empty when there is none. */
    public static List<EpisodeRow> readFront(RunFolder dir) throws IOException {
        Path file = dir.sensitivityFront();
        List<EpisodeRow> rows = new ArrayList<>();
        if (!Files.exists(file)) {
            return rows;
        }
        List<String> lines = Files.readAllLines(file);
        for (int i = 1; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                rows.add(EpisodeRow.parse(lines.get(i)));
            }
        }
        return rows;
    }

    /** The points of an earlier run that are this walk's first points; the file is rewritten to hold just them. */
    private static List<EpisodeRow> reuse(Path file, List<int[]> policies, SensitivityTable t, PolicyEvaluator ev,
                                          CostModel cost) throws IOException {
        List<EpisodeRow> kept = new ArrayList<>();
        if (Files.exists(file)) {
            String text = Files.readString(file);
            List<String> lines = text.lines().toList();
            int complete = text.endsWith("\n") ? lines.size() : lines.size() - 1;
            for (int i = 1; i < complete && kept.size() < policies.size(); i++) {
                EpisodeRow r;
                try {
                    r = EpisodeRow.parse(lines.get(i));
                } catch (IllegalArgumentException e) {
                    break;
                }
                int k = kept.size();
                if (!Arrays.equals(r.weightBits(), policies.get(k)) || !Arrays.equals(r.activationBits(), t.activationPolicy())) {
                    break;
                }
                kept.add(row(k, policies.get(k), r.accuracy(), r.seconds(), t, ev, cost));
            }
        }
        StringBuilder sb = new StringBuilder(EpisodeRow.HEADER).append('\n');
        kept.forEach(r -> sb.append(r.toCsv()).append('\n'));
        AtomicFiles.writeString(file, sb.toString());
        return kept;
    }

    private static void writePolicy(Path file, EpisodeRow p, Selection selection, SensitivityTable t, CostModel cost,
                                    String arch, double widthMultiplier, int tableEvaluations, int frontEvaluations,
                                    Provenance provenance) throws IOException {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("point", p.episode());
        figures.put("selection", selection.describe());
        figures.put("meetsBudget", selection.meets(p));
        figures.put("sensitivityEvaluations", tableEvaluations);
        figures.put("frontEvaluations", frontEvaluations);
        new PolicyDocument(arch, widthMultiplier, "sensitivity", t.layers(), p.weightBits(), p.activationBits(), p.accuracy(),
                t.fpAccuracy(), p.weightedBits(), p.sizeBytes(), cost.name(), p.cost(),
                CostModels.all(t.layers(), p.weightBits(), p.activationBits(), cost), figures, provenance).write(file);
    }
}
