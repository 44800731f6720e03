package org.mixq.cli;

import java.util.Locale;
import org.mixq.rl.search.EpisodeRow;
import org.mixq.rl.sensitivity.SensitivityAnalysis;
import org.mixq.rl.sensitivity.SensitivitySession;

/** One progress line on a terminal for the sensitivity baseline; silent when standard error is not a terminal. */
final class SensitivityProgress implements SensitivitySession.Listener {
    private final boolean terminal = System.console() != null;
    private int width;

    @Override
    public void measured(SensitivityAnalysis.Entry e, int done, int total) {
        show(String.format(Locale.ROOT, "sensitivity %d/%d  %s at %d bits: %.2f%%", done, total, e.layer(), e.weightBits(),
                100 * e.accuracy()));
    }

    @Override
    public void point(EpisodeRow row, int total) {
        show(String.format(Locale.ROOT, "front %d/%d  %.3f weighted bits, cost %.4g: %.2f%%", row.episode() + 1, total,
                row.weightedBits(), row.cost(), 100 * row.accuracy()));
    }

    private void show(String line) {
        if (!terminal) {
            return;
        }
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
