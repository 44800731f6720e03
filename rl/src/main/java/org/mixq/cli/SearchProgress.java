package org.mixq.cli;

import java.util.Locale;
import org.mixq.nn.train.Progress;
import org.mixq.rl.search.EpisodeRow;
import org.mixq.rl.search.SearchRun;

/**
 * The search's one-line progress on a terminal: episode, reward, bits, accuracy, best so far,
 * rate and time left. Silent when standard error is not a terminal, so logs stay clean.
 */
final class SearchProgress implements SearchRun.Listener {
    private final boolean terminal = System.console() != null;
    private final double fpAccuracy;
    private final long start = System.nanoTime();
    private int doneThisRun;
    private int width;

    SearchProgress(double fpAccuracy) {
        this.fpAccuracy = fpAccuracy;
    }

    @Override
    public void episode(EpisodeRow row, EpisodeRow best, int total, boolean resumedThisRun) {
        doneThisRun++;
        if (!terminal) {
            return;
        }
        double perEpisode = (System.nanoTime() - start) / 1e9 / doneThisRun;
        int left = total - row.episode() - 1;
        String line = String.format(Locale.ROOT,
                "episode %d/%d  reward %+.4f  acc %.2f%% (fp %.2f%%)  bits %.2f  best %+.4f @%d (%.2f bits, %.2f%%)  %.1f s/ep  eta %s",
                row.episode() + 1, total, row.reward(), 100 * row.accuracy(), 100 * fpAccuracy, row.weightedBits(), best.reward(),
                best.episode(), best.weightedBits(), 100 * best.accuracy(), perEpisode, Progress.clock(perEpisode * left));
        StringBuilder sb = new StringBuilder("\r").append(line);
        for (int i = line.length(); i < width; i++) {
            sb.append(' ');
        }
        width = line.length();
        System.err.print(sb);
        System.err.flush();
    }

    void done() {
        if (terminal && width > 0) {
            System.err.print("\r" + " ".repeat(width) + "\r");
            System.err.flush();
        }
    }

}
