package org.mixq.cli;

import java.io.Console;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mixq.data.CifarFormat;
import org.mixq.data.DataFormatException;
import org.mixq.data.fetch.ArchiveInstaller;
import org.mixq.data.fetch.ArchiveSpec;
import org.mixq.data.fetch.DownloadException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Downloads the binary version of CIFAR-10 or CIFAR-100, checks its MD5 and unpacks it where the
 * loaders look for it. Without network it says where to put the archive by hand; an archive
 * already in the folder is checked and unpacked without downloading.
 */
@Command(name = "data", description = {"Download and unpack CIFAR-10 or CIFAR-100 (binary version).",
    "Without network: put cifar-10-binary.tar.gz (or cifar-100-binary.tar.gz) in the folder and rerun."})
final class DataCommand implements Callable<Integer> {
    /** What the downloader can open. */
    private static final List<String> URL_SCHEMES = List.of("https", "http", "ftp", "file");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATASET", description = "cifar10 or cifar100")
    String dataset;

    @Option(names = "--dir", paramLabel = "DIR", description = "Folder to unpack into (default: ~/.mixq/data, where the loaders look).")
    Path dir;

    @Option(names = "--url", paramLabel = "URL", description = "Download from this address (a mirror) instead of www.cs.toronto.edu.")
    URI url;

    @Override
    public Integer call() {
        CifarFormat format = format(dataset);
        Checks.notAFile("--dir", dir);
        if (url != null && (url.getScheme() == null || !URL_SCHEMES.contains(url.getScheme().toLowerCase(Locale.ROOT)))) {
            throw new UserError("--url: expected an address starting with " + String.join(", ", URL_SCHEMES.stream()
                    .map(s -> s + "://").toList()) + ", got '" + url + "'");
        }
        ArchiveSpec archive = ArchiveSpec.cifar(format);
        if (url != null) {
            archive = archive.withUrl(url);
        }
        Path target = dir != null ? dir : Path.of(System.getProperty("user.home"), ".mixq", "data");
        PrintWriter out = spec.commandLine().getOut();
        ArchiveInstaller.Result result;
        try {
            result = ArchiveInstaller.install(archive, target, terminal() ? new TerminalProgress(archive.fileName()) : ArchiveInstaller.Progress.NONE);
        } catch (DataFormatException | DownloadException e) {
            throw new UserError(e.getMessage(), e);
        }
        String what = result.outcome() == ArchiveInstaller.Outcome.ALREADY_PRESENT ? "already in" : "unpacked to";
        out.println(format.title() + " " + what + " " + result.folder());
        out.flush();
        return 0;
    }

    private static CifarFormat format(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "cifar10":
                return CifarFormat.CIFAR10;
            case "cifar100":
                return CifarFormat.CIFAR100;
            default:
                throw new UserError("dataset: '" + name + "' is not cifar10 or cifar100 (fashion-mnist comes from the Debian package "
                        + "dataset-fashion-mnist; synthetic needs no download)");
        }
    }

    /**
     * Whether standard output is a terminal. From JDK 22 on, System.console() is not null when
     * output is redirected, and Console.isTerminal() tells; on older runtimes a console means one.
     */
    private static boolean terminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** Percent and megabytes on one line of standard error, redrawn at most once per percent. */
    private static final class TerminalProgress implements ArchiveInstaller.Progress {
        private final String name;
        private long shown = -1;

        TerminalProgress(String name) {
            this.name = name;
        }

        @Override
        public void update(long done, long total) {
            long step = total > 0 ? done * 100 / total : done >> 20;
            if (step == shown) {
                return;
            }
            shown = step;
            String text = total > 0
                    ? String.format("%s %3d%% (%.1f of %.1f MB)", name, step, done / 1e6, total / 1e6)
                    : String.format("%s %.1f MB", name, done / 1e6);
            System.err.print("\r" + text);
            if (total > 0 && done >= total) {
                System.err.println();
            }
            System.err.flush();
        }
    }
}
