package org.mixq.cli;

import java.util.Locale;
import org.mixq.nn.train.Progress;
import org.mixq.rl.run.EpisodeRow;
import org.mixq.rl.search.SearchRun;

/**
 * The search's one-line progress on a terminal: episode, reward, bits, accuracy, best so far,
 * rate and time left. Silent when standard error is not a terminal, so logs stay clean.
 */
final class SearchProgress implements SearchRun.Listener {
    private final Progress line = Progress.terminal();
    private final double fpAccuracy;
    private final long start = System.nanoTime();
    private int doneThisRun;

    SearchProgress(double fpAccuracy) {
        this.fpAccuracy = fpAccuracy;
    }

    @Override
    public void episode(EpisodeRow row, EpisodeRow best, int total, boolean resumedThisRun) {
        doneThisRun++;
        double perEpisode = (System.nanoTime() - start) / 1e9 / doneThisRun;
        int left = total - row.episode() - 1;
        line.show(String.format(Locale.ROOT,
                "episode %d/%d  reward %+.4f  acc %.2f%% (fp %.2f%%)  bits %.2f  best %+.4f @%d (%.2f bits, %.2f%%)  %.1f s/ep  eta %s",
                row.episode() + 1, total, row.reward(), 100 * row.accuracy(), 100 * fpAccuracy, row.weightedBits(), best.reward(),
                best.episode(), best.weightedBits(), 100 * best.accuracy(), perEpisode, Progress.clock(perEpisode * left)));
    }

    void done() {
        line.done();
    }
}
