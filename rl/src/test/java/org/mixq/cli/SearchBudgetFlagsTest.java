package org.mixq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mixq.rl.config.ConfigJson;
import org.mixq.rl.config.DataSource;
import org.mixq.rl.config.Setting;
import org.mixq.rl.env.Budget;
import org.mixq.rl.env.BudgetConfig;
import org.mixq.rl.env.CostModelKind;
import org.mixq.rl.search.SearchConfig;
import picocli.CommandLine.Model.CommandSpec;
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

    private static Setting firstDifference(SearchConfig now, SearchConfig saved) {
        ConfigJson.Difference d = ConfigJson.firstDifference(now, saved, SearchConfig.RESUMABLE_CHANGES);
        return d == null ? null : d.setting();
    }

    @Test
    void defaultBudgetIsThreeBitsOfTheSizeModel() {
        SearchConfig c = config();
        assertEquals(CostModelKind.SIZE, c.budget().costModel());
        assertEquals(3, c.budget().target().targetBits());
        assertNull(c.budget().maxAccDrop());
        assertEquals(600, c.episodes());
    }

    @Test
    void theCommandLineDefaultsAreTheEngines() {
        SearchConfig c = config();
        assertEquals(ConfigJson.write(SearchConfig.defaults(c.data())), ConfigJson.write(c));
    }

    @Test
    void anAccuracyBudgetAloneRunsUnconstrained() {
        SearchConfig c = config("--max-acc-drop", "0.5");
        assertEquals(0, c.budget().target().targetBits());
        assertEquals(0.5, c.budget().maxAccDrop());
        assertEquals(2.5, config("--max-acc-drop", "0.5", "--target-bits", "2.5").budget().target().targetBits());
    }

    @Test
    void eachBudgetFlagLandsInItsField() {
        Budget mb = config("--target-size-mb", "1.5").budget().target();
        assertEquals(0, mb.targetBits());
        assertEquals(1.5, mb.targetSizeMb());
        Budget bitops = config("--cost-model", "bitops", "--target-bitops", "2e9").budget().target();
        assertEquals(2e9, bitops.targetBitops());
        assertEquals(0, bitops.targetBits());
        BudgetConfig lat = config("--cost-model", "latency", "--latency-table", "lat.csv", "--target-cost", "3.5").budget();
        assertEquals(3.5, lat.target().targetCost());
        assertTrue(lat.latencyTable().endsWith("lat.csv"), lat.latencyTable());
    }

    @Test
    void maxEpisodesIsTheEpisodeCount() {
        assertEquals(40, config("--max-episodes", "40").episodes());
        assertEquals(40, config("--episodes", "40").episodes());
    }

    @Test
    void aFlatConfigurationOfVersion01IsReadIntoItsRecords() {
        String flat = """
                {"checkpoint": "/runs/fp/model.ckpt", "seed": 234, "episodes": 30, "reward": "thesis", "lambdaAcc": 0.1,
                 "lambdaBits": 0.25, "costModel": "size", "targetBits": 3.5, "targetCost": 0.0, "schedule": "sequential",
                 "finetuneBatches": 2, "finetuneLr": 0.01, "weightDecay": 1.0E-4, "batchSize": 64, "evalImages": 300,
                 "calibrationBatches": 4, "prior": "both", "priorStrength": 0.2, "minBits": 2, "maxBits": 8,
                 "searchEnds": false, "endBits": 8, "quantizeActivations": true, "warmup": 10, "sigma0": 0.5,
                 "sigmaDecay": 0.99, "tau": 0.01, "lrActor": 1.0E-4, "lrCritic": 0.001, "agentBatch": 64, "hidden1": 300,
                 "hidden2": 300, "replayPerLayer": 128, "baselineAlpha": 0.5, "discount": 1.0, "updatesPerStep": 1}""";
        SearchConfig old = ConfigJson.read(flat, SearchConfig.class, Setting.CHECKPOINT);
        SearchConfig now = config("--episodes", "30", "--reward", "thesis", "--target-bits", "3.5", "--schedule",
                "sequential", "--finetune-batches", "2", "--batch-size", "64", "--eval-images", "300", "--prior", "both",
                "--quantize-activations", "--warmup", "10");
        assertEquals(ConfigJson.write(new SearchConfig(new DataSource("/runs/fp/model.ckpt", null, null), now.seed(),
                now.episodes(), now.budget(), now.protocol(), now.environment(), now.agent())), ConfigJson.write(old));
    }

    @Test
    void aChangedAccuracyBudgetMayResumeButAChangedSettingMayNot() {
        assertNull(firstDifference(config("--max-acc-drop", "0.9", "--target-bits", "3"), config("--max-acc-drop", "0.5",
                "--target-bits", "3")));
        assertEquals(Setting.DATASET, firstDifference(config(), config("--dataset", "cifar10")));
        assertEquals(Setting.TARGET_BITS, firstDifference(config("--max-acc-drop", "0.5"), config()));
        assertEquals(Setting.AGENT_BATCH, firstDifference(config("--agent-batch", "32"), config()));
    }

    @Test
    void everySettingOfASearchHasAnOptionOfMixqSearch() {
        CommandSpec spec = new CommandLine(new SearchCommand()).getCommandSpec();
        for (String path : ConfigJson.leaves(config()).keySet()) {
            String flag = Flags.of(Setting.atPath(path));
            assertNotNull(spec.findOption(flag), path + " -> " + flag);
        }
    }
}
