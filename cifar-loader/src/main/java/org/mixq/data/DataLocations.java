package org.mixq.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Finds the folder that holds a dataset's files. */
final class DataLocations {
    private DataLocations() {
    }

    /** The default places for a dataset folder, in the order they are tried. */
    static List<Path> defaults(String folder) {
        List<Path> dirs = new ArrayList<>();
        dirs.add(Path.of("data", folder).toAbsolutePath());
        dirs.add(Path.of(System.getProperty("user.home"), ".mixq", "data", folder));
        if (!folder.startsWith("cifar")) {
            dirs.add(Path.of("/usr/share/datasets", folder));
        }
        return dirs;
    }

    /**
     * The folder holding {@code probe} (without or with a ".gz" suffix): {@code dir} itself or
     * {@code dir/folder} when a dir is given, else the first default place that has it.
     * {@code hint} ends the error message when it is found nowhere (how to get the files).
     */
    static Path find(String folder, Path dir, String probe, String hint) {
        List<Path> candidates = dir == null ? defaults(folder) : List.of(dir, dir.resolve(folder));
        for (Path c : candidates) {
            if (Files.isRegularFile(c.resolve(probe)) || Files.isRegularFile(c.resolve(probe + ".gz"))) {
                return c;
            }
        }
        String looked = candidates.stream().map(Path::toString).collect(Collectors.joining(", "));
        if (dir != null && !Files.isDirectory(dir)) {
            throw new DataFormatException("data folder not found: " + dir + " (expected the " + folder + " files in it)");
        }
        throw new DataFormatException("missing file: " + probe + " of " + folder + " is in none of " + looked + " (" + hint + ")");
    }
}
