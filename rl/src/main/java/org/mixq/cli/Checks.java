package org.mixq.cli;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.mixq.core.Quantizer;
import org.mixq.data.Datasets;
import org.mixq.rl.run.ResultsFile;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The checks every command runs on its options before it does any work (loads data, trains,
 * prints progress, writes a file). Each failure is one {@link UserError} line that names the
 * option, says what it expects and what it got.
 */
final class Checks {
    private Checks() {
    }

    /** Whether {@code option} was typed on the command line (not just its default). */
    static boolean given(CommandSpec spec, String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    static void atLeast(String option, long value, long min) {
        if (value < min) {
            throw new UserError(option + ": expected an integer >= " + min + ", got " + value);
        }
    }

    static void positive(String option, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new UserError(option + ": expected a number > 0, got " + number(value));
        }
    }

    static void nonNegative(String option, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new UserError(option + ": expected a number >= 0, got " + number(value));
        }
    }

    /** {@code lo <= value <= hi}. */
    static void within(String option, double value, double lo, double hi) {
        if (!(value >= lo && value <= hi)) {
            throw new UserError(option + ": expected a number in [" + number(lo) + ", " + number(hi) + "], got "
                    + number(value));
        }
    }

    /** {@code lo < value <= hi}. */
    static void aboveUpTo(String option, double value, double lo, double hi) {
        if (!(value > lo && value <= hi)) {
            throw new UserError(option + ": expected a number in (" + number(lo) + ", " + number(hi) + "], got "
                    + number(value));
        }
    }

    /** {@code lo <= value < hi}. */
    static void fromBelow(String option, double value, double lo, double hi) {
        if (!(value >= lo && value < hi)) {
            throw new UserError(option + ": expected a number in [" + number(lo) + ", " + number(hi) + "), got "
                    + number(value));
        }
    }

    /** Weight bits of a quantized layer, 1..8, and 32 (full precision) where {@code fullPrecision} allows it. */
    static void weightBits(String option, int bits, boolean fullPrecision) {
        boolean quantized = bits >= Quantizer.MIN_WEIGHT_BITS && bits <= Quantizer.MAX_BITS;
        if (!quantized && !(fullPrecision && bits == Quantizer.FULL_PRECISION)) {
            throw new UserError(option + ": expected weight bits " + Quantizer.MIN_WEIGHT_BITS + ".." + Quantizer.MAX_BITS
                    + (fullPrecision ? " or " + Quantizer.FULL_PRECISION + " (full precision)" : "") + ", got " + bits);
        }
    }

    /** Activation bits, 2..8 (a 1-bit unsigned activation would be all zeros). */
    static void activationBits(String option, int bits) {
        if (bits < Quantizer.MIN_ACTIVATION_BITS || bits > Quantizer.MAX_BITS) {
            throw new UserError(option + ": expected activation bits " + Quantizer.MIN_ACTIVATION_BITS + ".." + Quantizer.MAX_BITS
                    + ", got " + bits);
        }
    }

    /** {@code value}, in any case, is one of {@code allowed} (lower case). */
    static void oneOf(String option, String value, String... allowed) {
        if (!List.of(allowed).contains(value.toLowerCase(Locale.ROOT))) {
            throw new UserError(option + ": expected " + String.join(", ", allowed) + ", got '" + value + "'");
        }
    }

    /** A non-empty name that fits in one CSV cell line. */
    static void name(String option, String value) {
        if (value.isBlank() || value.contains("\n") || value.contains("\r")) {
            throw new UserError(option + ": expected a name on one line, got '" + value + "'");
        }
    }

    /** An input file: it exists and is not a folder. */
    static void existingFile(String option, Path file) {
        if (file == null) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw new UserError(file + ": is a folder, expected a file (" + option + ")");
        }
        if (!Files.isRegularFile(file)) {
            throw new UserError(file + ": no such file (" + option + ")");
        }
    }

    static void existingFolder(String option, Path dir) {
        if (dir != null && !Files.isDirectory(dir)) {
            String what = Files.exists(dir) ? " is a file" : " does not exist";
            throw new UserError(option + ": " + dir + what + ", expected a folder");
        }
    }

    /** An output folder: absent (it is created) or a folder. */
    static void notAFile(String option, Path dir) {
        if (dir != null && Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserError(option + ": " + dir + " is a file, expected a folder");
        }
    }

    /** An output file: absent or a file, and none of the command's inputs. */
    static void outputFile(String option, Path file, Path... inputs) {
        if (Files.isDirectory(file)) {
            throw new UserError(option + ": " + file + " is a folder, expected a file to write");
        }
        for (Path in : inputs) {
            if (in != null && same(file, in)) {
                throw new UserError(option + ": " + file + " is an input of the command; write to another file");
            }
        }
    }

    /** Whether two paths name the same file (the same path, or one file reached by two). */
    static boolean same(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code --dataset}: one of the names the loaders know (null: the checkpoint's own). */
    static void dataset(String option, String name) {
        if (name != null && !Datasets.NAMES.contains(name.toLowerCase(Locale.ROOT))) {
            throw new UserError(option + ": expected one of " + String.join(", ", Datasets.NAMES) + ", got '" + name + "'");
        }
    }

    /** {@code --dataset} and {@code --data-dir} of the commands that start from a checkpoint. */
    static void data(DataOptions d) {
        dataset("--dataset", d.dataset);
        existingFolder("--data-dir", d.dataDir);
    }

    /**
     * {@code --results}: an existing run folder (a mistyped one would get a stray results.csv)
     * whose results.csv, if any, can be read; {@code --method} names the row and needs it.
     */
    static void results(CommandSpec spec, Path results, String method) {
        unused(spec, "--method", results == null, "without --results");
        if (results == null) {
            return;
        }
        existingFolder("--results", results);
        name("--method", method);
        try {
            ResultsFile.read(results);
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError("--results: " + e.getMessage(), e);
        }
    }

    /** A refused combination: {@code option} was given where {@code why} says it has no effect. */
    static void unused(CommandSpec spec, String option, boolean unused, String why) {
        if (unused && given(spec, option)) {
            throw new UserError(option + ": has no effect " + why);
        }
    }

    /** A number as typed: 2 rather than 2.0, 2500000000 rather than 2.5E9. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
