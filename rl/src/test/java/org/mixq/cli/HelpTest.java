package org.mixq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HelpTest {

    /** --help wins over missing required options, on every subcommand, nested ones included. */
    @ParameterizedTest
    @ValueSource(strings = {"info", "data", "train", "eval", "search", "baseline", "finetune", "export", "report",
            "compare", "sensitivity", "policy", "policy show", "policy convert", "demo"})
    void everyCommandPrintsItsUsage(String command) {
        String[] words = (command + " --help").split(" ");
        MixqRun run = MixqRun.of(words);
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("Usage: mixq " + command), run.out());
        assertTrue(run.out().contains("--help"), run.out());
    }
}
