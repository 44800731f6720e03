package org.mixq.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mixq.rl.report.RunReport;
import org.mixq.rl.run.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes report.html of a search run folder (with its baselines and final results). */
@Command(name = "report", description = "Write report.html (self-contained, SVG charts) of a search run folder.")
final class ReportCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "Run folder of mixq search.")
    Path run;
    @Option(names = "--title", description = "Heading of the report (default: the folder's name).")
    String title;

    @Override
    public Integer call() throws IOException {
        if (title != null && title.isBlank()) {
            throw new UserError("--title: expected a heading, got an empty one");
        }
        Path config = new RunFolder(run).searchConfig();
        if (!Files.isRegularFile(config)) {
            throw new UserError("--run: " + run + " is not a search run folder (no " + config.getFileName() + ")");
        }
        Path html = RunReport.write(run, title != null ? title : "mixq search: " + run.getFileName());
        System.out.println("report   " + html);
        return 0;
    }
}
