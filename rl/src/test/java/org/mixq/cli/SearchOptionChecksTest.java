package org.mixq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mixq.cli.Refusals.args;
import static org.mixq.cli.Refusals.assertRefused;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mixq.nn.quant.QuantLayerInfo;
import org.mixq.rl.config.ConfigJson;
import org.mixq.rl.env.LatencyTable;
import org.mixq.rl.run.RunFolder;
import org.mixq.rl.search.SearchRun;
import picocli.CommandLine;

/** mixq search refuses every out-of-range option and senseless combination before it reads data. */
class SearchOptionChecksTest {
    @TempDir
    static Path dir;
    static Path checkpoint;
    static Path table;
    static Path out;

    @BeforeAll
    static void files() throws IOException {
        checkpoint = Refusals.checkpoint(dir);
        // w ms per layer at 2..8-bit weights and full-precision inputs; no 1-bit rows
        StringBuilder s = new StringBuilder(LatencyTable.HEADER).append('\n');
        for (QuantLayerInfo l : Refusals.layers()) {
            for (int w = 2; w <= 8; w++) {
                s.append(l.name()).append(',').append(w).append(",32,").append(w).append('\n');
            }
        }
        table = Files.writeString(dir.resolve("latency.csv"), s);
        Files.writeString(dir.resolve("a-file"), "not a folder");
        out = dir.resolve("run");
    }

    private static List<String> base() {
        return List.of("search", "--checkpoint", checkpoint.toString(), "--out", out.toString());
    }

    static Stream<Arguments> badOptions() {
        return Stream.of(
                bad("--max-bits: expected weight bits 1..8, got 33", "--max-bits", "33"),
                bad("--min-bits: expected weight bits 1..8, got 0", "--min-bits", "0"),
                bad("--min-bits 6 is above --max-bits 4", "--min-bits", "6", "--max-bits", "4"),
                bad("--max-bits 1 leaves no activation width", "--quantize-activations", "--min-bits", "1", "--max-bits", "1"),
                bad("--end-bits: expected weight bits 1..8 or 32 (full precision), got 9", "--end-bits", "9"),
                bad("--end-bits: has no effect with --search-ends", "--search-ends", "--end-bits", "4"),
                bad("--episodes: expected an integer >= 1, got 0", "--episodes", "0"),
                bad("--reward: expected haq, thesis, got 'ppo'", "--reward", "ppo"),
                bad("--schedule: expected joint, sequential", "--schedule", "random"),
                bad("--prior: expected none, state, action, both", "--prior", "all"),
                bad("--lambda-bits: has no effect with --reward haq", "--lambda-bits", "0.5"),
                bad("--lambda-acc: has no effect with --reward haq", "--reward", "haq", "--lambda-acc", "1"),
                bad("--lambda-acc: expected a number > 0, got 0", "--reward", "thesis", "--lambda-acc", "0"),
                bad("--lambda-bits: expected a number >= 0, got -1", "--reward", "thesis", "--lambda-bits", "-1"),
                bad("--prior-strength: has no effect without --prior action or both", "--prior", "state", "--prior-strength", "0.5"),
                bad("--prior-strength: expected a number in (0, 1], got 1.5", "--prior", "action", "--prior-strength", "1.5"),
                bad("--finetune-batches: expected an integer >= 0, got -1", "--finetune-batches", "-1"),
                bad("--finetune-batches 0 cannot be combined with --schedule sequential", "--finetune-batches", "0",
                        "--schedule", "sequential"),
                bad("--finetune-lr: has no effect with --finetune-batches 0", "--finetune-batches", "0", "--finetune-lr", "0.1"),
                bad("--finetune-lr: expected a number > 0, got NaN", "--finetune-lr", "NaN"),
                bad("--weight-decay: expected a number >= 0, got -0.1", "--weight-decay", "-0.1"),
                bad("--batch-size: expected an integer >= 1, got 0", "--batch-size", "0"),
                bad("Invalid value for option '--batch-size'", "--batch-size", "many"),
                bad("--eval-images: expected an integer >= 0, got -1", "--eval-images", "-1"),
                bad("--calibration-batches: has no effect without --quantize-activations", "--calibration-batches", "2"),
                bad("--calibration-batches: expected an integer >= 1, got 0", "--quantize-activations", "--calibration-batches", "0"),
                bad("--warmup: expected an integer >= 0, got -1", "--warmup", "-1"),
                bad("--sigma0: expected a number > 0, got 0", "--sigma0", "0"),
                bad("--sigma-decay: expected a number in (0, 1], got 1.5", "--sigma-decay", "1.5"),
                bad("--tau: expected a number in (0, 1], got 0", "--tau", "0"),
                bad("--lr-actor: expected a number > 0, got -0.001", "--lr-actor", "-1e-3"),
                bad("--lr-critic: expected a number > 0, got Infinity", "--lr-critic", "Infinity"),
                bad("--agent-batch: expected an integer >= 1, got 0", "--agent-batch", "0"),
                bad("--hidden1: expected an integer >= 1, got 0", "--hidden1", "0"),
                bad("--hidden2: expected an integer >= 1, got -3", "--hidden2", "-3"),
                bad("--replay-per-layer: expected an integer >= 1, got 0", "--replay-per-layer", "0"),
                bad("--baseline-alpha: expected a number in [0, 1], got 2", "--baseline-alpha", "2"),
                bad("--discount: expected a number in [0, 1], got -0.1", "--discount", "-0.1"),
                bad("--updates-per-step: expected an integer >= 1, got 0", "--updates-per-step", "0"),
                bad("--time-limit: the limit must be longer than 0", "--time-limit", "0s"),
                bad("--cost-model: expected size, bitops, latency, got 'energy'", "--cost-model", "energy"),
                bad("--cost-model latency: needs --latency-table FILE", "--cost-model", "latency"),
                bad("--latency-table: has no effect without --cost-model latency", "--latency-table", "latency.csv"),
                bad("missing.csv: no such file (--latency-table)", "--cost-model", "latency", "--latency-table", "missing.csv"),
                bad("--target-bits: expected a number in (0, 32], got -1", "--target-bits", "-1"),
                bad("--target-bits: expected a number in (0, 32], got 40", "--target-bits", "40"),
                bad("--target-size-mb: expected a number > 0, got 0", "--target-size-mb", "0"),
                bad("--target-bitops: expected a number > 0, got -5", "--cost-model", "bitops", "--target-bitops", "-5"),
                bad("--target-size-mb: give one cost budget, got --target-bits and --target-size-mb", "--target-bits", "3",
                        "--target-size-mb", "1"),
                bad("--target-bits: a budget of --cost-model size; give --target-cost for --cost-model bitops",
                        "--cost-model", "bitops", "--target-bits", "3"),
                bad("--target-bitops: a budget of --cost-model bitops", "--target-bitops", "1e9"),
                bad("--max-acc-drop: expected a number in [0, 100], got 101", "--max-acc-drop", "101"),
                bad("--dataset: expected one of cifar10, cifar100, fashion-mnist, mnist, synthetic, got 'imagenet'",
                        "--dataset", "imagenet"),
                bad("--data-dir: ", "--data-dir", "no-such-folder"),
                bad("--out: ", "--out", "a-file"),
                bad("missing.ckpt: no such file (--checkpoint)", "--checkpoint", "missing.ckpt"),
                bad("is a folder, expected a file (--checkpoint)", "--checkpoint", "."));
    }

    /** Relative paths in {@code extra} are files in the test folder. */
    private static Arguments bad(String fragment, String... extra) {
        return Arguments.of(fragment, extra);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOptions")
    void isRefusedBeforeAnyWork(String fragment, String[] extra) {
        String[] resolved = Stream.of(extra).map(a -> a.equals(".") || a.endsWith(".csv") || a.endsWith(".ckpt")
                || a.equals("a-file") || a.equals("no-such-folder") ? dir.resolve(a).toString() : a).toArray(String[]::new);
        assertRefused(dir, fragment, args("search", new String[][] {{"--checkpoint", checkpoint.toString()},
            {"--out", out.toString()}}, resolved));
    }

    @Test
    void aTargetTheMinimumWidthsCannotReachIsRefusedWithTheLeastReachable() {
        // searched layers at least 4 bits, the ends at 8: no policy averages 3 bits
        MixqRun r = assertRefused(dir, "--target-bits 3 cannot be met: the cheapest policy with the first and last layers at"
                + " --end-bits 8 and the others in --min-bits 4 .. --max-bits 8 comes to ", args(base(), "--min-bits", "4",
                "--target-bits", "3"));
        assertTrue(r.err().contains("weighted-average bits; give at least that"), r.err());
        assertRefused(dir, "--target-size-mb 0.000001 cannot be met", args(base(), "--target-size-mb", "0.000001"));
        assertRefused(dir, "--target-bitops 1000 cannot be met", args(base(), "--cost-model", "bitops", "--target-bitops", "1000"));
        int layers = Refusals.layers().size();
        // 8 ms per end layer and 2 per searched layer
        assertRefused(dir, "--target-cost 10 cannot be met: the cheapest policy with the first and last layers at --end-bits 8"
                + " and the others in --min-bits 2 .. --max-bits 8 comes to " + (16 + 2 * (layers - 2)) + " ms",
                args(base(), "--cost-model", "latency", "--latency-table", table.toString(), "--target-cost", "10"));
        assertRefused(dir, "no entry for layer", args(base(), "--cost-model", "latency", "--latency-table", table.toString(),
                "--max-bits", "8", "--search-ends", "--min-bits", "1"));
    }

    @Test
    void theLeastReachableValueItPrintsIsAccepted() throws IOException {
        MixqRun refused = assertRefused(dir, "cannot be met", args(base(), "--min-bits", "4", "--target-bits", "3"));
        Matcher m = Pattern.compile("comes to ([0-9.]+) weighted-average bits").matcher(refused.err());
        assertTrue(m.find(), refused.err());
        Path run = dir.resolve("least");
        MixqRun r = MixqRun.of("search", "--checkpoint", checkpoint.toString(), "--out", run.toString(), "--min-bits", "4",
                "--target-bits", m.group(1), "--episodes", "1", "--warmup", "0", "--finetune-batches", "1", "--batch-size", "16",
                "--eval-images", "32", "--hidden1", "8", "--hidden2", "8", "--agent-batch", "4");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, SearchRun.readAll(new RunFolder(run)).size());
    }

    @Test
    void aRunFolderWithOtherOptionsIsRefusedBeforeTheData() throws IOException {
        Path started = Files.createDirectories(dir.resolve("started"));
        SearchCommand first = new SearchCommand();
        new CommandLine(first).parseArgs("--checkpoint", checkpoint.toString(), "--out", started.toString(), "--seed", "1");
        Files.writeString(new RunFolder(started).searchConfig(), ConfigJson.write(first.config()));
        assertRefused(dir, "holds a search with other options; --seed: the run folder was started with 1, now 2",
                "search", "--checkpoint", checkpoint.toString(), "--out", started.toString(), "--seed", "2");
    }
}
