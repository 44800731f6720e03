package org.mixq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mixq.rl.search.SearchConfig;
import picocli.CommandLine;

/** The budget flags of mixq search as they land in config.json. */
class SearchBudgetFlagsTest {
    private static SearchConfig config(String... extra) {
        SearchCommand cmd = new SearchCommand();
        List<String> args = new ArrayList<>(List.of("--checkpoint", "fp.ckpt", "--out", "run"));
        args.addAll(List.of(extra));
        new CommandLine(cmd).parseArgs(args.toArray(String[]::new));
        return cmd.config();
    }

    @Test
    void defaultBudgetIsThreeBitsOfTheSizeModel() {
        SearchConfig c = config();
        assertEquals("size", c.costModel());
        assertEquals(3, c.targetBits());
        assertNull(c.maxAccDrop());
        assertEquals(600, c.episodes());
    }

    @Test
    void anAccuracyBudgetAloneRunsUnconstrained() {
        SearchConfig c = config("--max-acc-drop", "0.5");
        assertEquals(0, c.targetBits());
        assertEquals(0.5, c.maxAccDrop());
        assertEquals(2.5, config("--max-acc-drop", "0.5", "--target-bits", "2.5").targetBits());
    }

    @Test
    void eachBudgetFlagLandsInItsField() {
        SearchConfig mb = config("--target-size-mb", "1.5");
        assertEquals(0, mb.targetBits());
        assertEquals(1.5, mb.targetSizeMb());
        SearchConfig bitops = config("--cost-model", "bitops", "--target-bitops", "2e9");
        assertEquals(2e9, bitops.targetBitops());
        assertEquals(0, bitops.targetBits());
        SearchConfig lat = config("--cost-model", "latency", "--latency-table", "lat.csv", "--target-cost", "3.5");
        assertEquals(3.5, lat.targetCost());
        assertTrue(lat.latencyTable().endsWith("lat.csv"), lat.latencyTable());
    }

    @Test
    void maxEpisodesIsTheEpisodeCount() {
        assertEquals(40, config("--max-episodes", "40").episodes());
        assertEquals(40, config("--episodes", "40").episodes());
    }

    @Test
    void anOldConfigWithoutTheNewFieldsStillResumes() {
        SearchConfig now = config();
        JsonObject old = JsonParser.parseString(now.toJson()).getAsJsonObject();
        old.remove("latencyTable");
        old.remove("targetSizeMb");
        old.remove("targetBitops");
        old.remove("maxAccDrop");
        assertNull(now.firstDifference(SearchConfig.fromJson(old.toString())));
    }

    @Test
    void aChangedAccuracyBudgetMayResumeButADroppedOptionMayNot() {
        assertNull(config("--max-acc-drop", "0.9", "--target-bits", "3").firstDifference(config("--max-acc-drop", "0.5",
                "--target-bits", "3")));
        String diff = config().firstDifference(config("--dataset", "cifar10"));
        assertTrue(diff != null && diff.startsWith("--dataset: "), diff);
        diff = config("--max-acc-drop", "0.5").firstDifference(config());
        assertTrue(diff != null && diff.startsWith("--target-bits: "), diff);
    }
}
