package org.mixq.cli;

import java.util.Locale;
import org.mixq.nn.train.Progress;
import org.mixq.rl.run.EpisodeRow;
import org.mixq.rl.sensitivity.SensitivityAnalysis;
import org.mixq.rl.sensitivity.SensitivitySession;

/** One progress line on a terminal for the sensitivity baseline; silent when standard error is not a terminal. */
final class SensitivityProgress implements SensitivitySession.Listener {
    private final Progress line = Progress.terminal();

    @Override
    public void measured(SensitivityAnalysis.Entry e, int done, int total) {
        line.show(String.format(Locale.ROOT, "sensitivity %d/%d  %s at %d bits: %.2f%%", done, total, e.layer(), e.weightBits(),
                100 * e.accuracy()));
    }

    @Override
    public void point(EpisodeRow row, int total) {
        line.show(String.format(Locale.ROOT, "front %d/%d  %.3f weighted bits, cost %.4g: %.2f%%", row.episode() + 1, total,
                row.weightedBits(), row.cost(), 100 * row.accuracy()));
    }


    void done() {
        line.done();
    }
}
