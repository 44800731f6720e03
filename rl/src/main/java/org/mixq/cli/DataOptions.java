package org.mixq.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the dataset comes from, for the commands that start from a checkpoint. */
final class DataOptions {
    @Option(names = "--dataset", description = "Dataset (default: the one the checkpoint was trained on).")
    String dataset;
    @Option(names = "--data-dir", description = "Folder holding the dataset files (default: the usual places).")
    Path dataDir;
}
