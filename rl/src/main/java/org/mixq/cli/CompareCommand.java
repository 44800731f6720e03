package org.mixq.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mixq.core.Quantizer;
import org.mixq.rl.config.Setting;
import org.mixq.rl.report.RunSummary;
import org.mixq.rl.run.EpisodeRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Search runs side by side: the options in which they differ, then per run the highest-reward
 * policy and the most accurate policy within the bit budget, found in the same number of
 * episodes, and the time it took.
 */
@Command(name = "compare", description = "Put search run folders side by side (reward modes, priors, seeds) at the same episode count.")
final class CompareCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "RUN", description = "Search run folders.")
    List<Path> runs;

    @Option(names = "--episodes", defaultValue = "0",
            description = "Compare the first N episodes of each run; 0: the shortest run's length (default ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--bits", description = "Weighted-bits limit of the 'within budget' columns (default: each run's --target-bits).")
    Double bits;

    @Override
    public Integer call() throws IOException {
        Checks.atLeast("--episodes", episodes, 0);
        if (bits != null) {
            Checks.aboveUpTo("--bits", bits, 0, Quantizer.FULL_PRECISION);
        }
        double limit = bits != null ? bits : Double.NaN;
        List<RunSummary> all = new ArrayList<>();
        for (Path run : runs) {
            try {
                all.add(RunSummary.of(run, limit));
            } catch (IOException e) {
                throw new UserError("RUN: " + e.getMessage());
            }
        }
        for (RunSummary r : all) {
            if (r.rows().size() < episodes) {
                throw new UserError("--episodes " + episodes + ": " + r.dir() + " has only " + r.rows().size()
                        + " episodes, so the runs would not be compared at the same count; give at most " + r.rows().size());
            }
        }
        int n = episodes > 0 ? episodes : all.stream().mapToInt(r -> r.rows().size()).min().orElse(0);
        List<RunSummary> cut = all.stream().map(r -> r.firstEpisodes(n)).toList();
        print(cut, n);
        return 0;
    }

    private static void print(List<RunSummary> runs, int n) {
        List<Setting> settings = RunSummary.differingSettings(runs);
        List<String> differing = settings.stream().map(Flags::heading).toList();
        System.out.println("compare  first " + n + " episodes of " + runs.size() + " run(s); options that differ: "
                + (differing.isEmpty() ? "none" : String.join(", ", differing)));
        List<String> blank = differing.stream().map(k -> "").toList();
        System.out.printf(Locale.ROOT, "%s %8s | %-20s | %-36s | %s%n", lead("run", differing), "episodes", "highest reward",
                "most accurate within the budget", "time");
        System.out.printf(Locale.ROOT, "%s %8s | %-20s | %-36s |%n", lead("", blank), "", "val acc, bits (ep)",
                "val acc, bits <= limit, size (ep)");
        for (RunSummary r : runs) {
            String name = r.dir().getFileName().toString();
            EpisodeRow best = r.bestReward();
            EpisodeRow within = r.bestWithin();
            String bestText = best == null ? "-" : String.format(Locale.ROOT, "%6.2f%% %5.2f (%d)", 100 * best.accuracy(),
                    best.weightedBits(), best.episode());
            String withinText = within == null ? String.format(Locale.ROOT, "none at <= %.2f bits", r.bitsLimit())
                    : String.format(Locale.ROOT, "%6.2f%% %5.2f <= %.2f, %s (%d)", 100 * within.accuracy(),
                    within.weightedBits(), r.bitsLimit(), TrainCommand.bytes(within.sizeBytes()), within.episode());
            System.out.printf(Locale.ROOT, "%s %8d | %-20s | %-36s | %s%n", lead(name, settings.stream().map(r::value).toList()),
                    r.rows().size(), bestText, withinText, duration(r.seconds()));
        }
    }

    /** The run's name, then one column per differing option. */
    private static String lead(String name, List<String> cells) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-20s", name));
        cells.forEach(c -> sb.append(String.format(Locale.ROOT, " %-10s", c)));
        return sb.toString();
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
