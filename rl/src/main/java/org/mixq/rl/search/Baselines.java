package org.mixq.rl.search;

import java.util.ArrayList;
import java.util.List;
import org.mixq.rl.agent.SplitMix64;
import org.mixq.rl.env.QuantEnv;
import org.mixq.rl.run.EpisodeRow;

/**
 * The baselines every result stands beside (DESIGN.md): uniform b-bit quantization with the
 * ends fixed, and random search with the same number of evaluations and the same budget,
 * both evaluated with the search's own protocol (same fine-tune, same validation images).
 */
public final class Baselines {
    private Baselines() {
    }

    /** Uniform {@code bits} on the searched layers; evaluated on fine-tune stream 0. */
    public static EpisodeRow uniform(QuantEnv env, int bits) {
        int[][] p = env.uniform(bits, bits);
        return SearchRun.row(env, 0, env.evaluate(p[0], p[1], 0, false), 0);
    }

    /** {@code n} random policies through the budget wall; policy i uses episode i's fine-tune stream. */
    public static List<EpisodeRow> random(QuantEnv env, int n, long seed, SearchRun.Listener listener) {
        SplitMix64 rng = new SplitMix64(seed ^ 0x52414E44L);
        List<EpisodeRow> rows = new ArrayList<>();
        EpisodeRow best = null;
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            int[][] p = env.random(rng::nextDouble);
            EpisodeRow r = SearchRun.row(env, i, env.evaluate(p[0], p[1], i, true), (System.nanoTime() - start) / 1e9);
            rows.add(r);
            if (best == null || r.reward() > best.reward()) {
                best = r;
            }
            listener.episode(r, best, n, true);
        }
        return rows;
    }
}
