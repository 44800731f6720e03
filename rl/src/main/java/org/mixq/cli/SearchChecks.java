package org.mixq.cli;

import java.util.List;
import org.mixq.core.Quantizer;
import org.mixq.nn.quant.QuantLayerInfo;
import org.mixq.rl.env.BitChoices;
import org.mixq.rl.env.EnvironmentConfig;
import org.mixq.rl.search.SearchConfig;
import picocli.CommandLine.Model.CommandSpec;

/** The checks of {@code mixq search}'s options, run before the checkpoint or any data is read. */
final class SearchChecks {
    private SearchChecks() {
    }

    static void options(SearchCommand s, CommandSpec spec) {
        Checks.existingFile("--checkpoint", s.checkpoint);
        Checks.data(s.dataOptions);
        Checks.notAFile("--out", s.out);
        Checks.atLeast("--episodes", s.episodes, 1);
        rewardAndSchedule(s, spec);
        Checks.atLeast("--finetune-batches", s.protocol.finetuneBatches, 0);
        if (s.protocol.finetuneBatches == 0 && s.schedule.equalsIgnoreCase("sequential")) {
            throw new UserError("--finetune-batches 0 cannot be combined with --schedule sequential, which fine-tunes at least"
                    + " one batch after every layer");
        }
        s.protocol.check(spec, s.quantizeActivations, "without --quantize-activations (weights need no calibration)");
        widths(s, spec);
        agent(s, spec);
        BudgetChecks.options(s.budget, spec);
    }

    private static void rewardAndSchedule(SearchCommand s, CommandSpec spec) {
        Checks.oneOf("--reward", s.reward, "haq", "thesis");
        Checks.oneOf("--schedule", s.schedule, "joint", "sequential");
        boolean haq = s.reward.equalsIgnoreCase("haq");
        String haqReward = "with --reward haq, whose reward is 0.1 x the accuracy delta alone";
        Checks.unused(spec, "--lambda-acc", haq, haqReward);
        Checks.unused(spec, "--lambda-bits", haq, haqReward);
        Checks.positive("--lambda-acc", s.lambdaAcc);
        Checks.nonNegative("--lambda-bits", s.lambdaBits);
        Checks.oneOf("--prior", s.prior, "none", "state", "action", "both");
        boolean action = s.prior.equalsIgnoreCase("action") || s.prior.equalsIgnoreCase("both");
        Checks.unused(spec, "--prior-strength", !action, "without --prior action or both");
        Checks.aboveUpTo("--prior-strength", s.priorStrength, 0, 1);
    }

    private static void widths(SearchCommand s, CommandSpec spec) {
        Checks.weightBits("--min-bits", s.minBits, false);
        Checks.weightBits("--max-bits", s.maxBits, false);
        if (s.minBits > s.maxBits) {
            throw new UserError("--min-bits " + s.minBits + " is above --max-bits " + s.maxBits
                    + "; expected --min-bits <= --max-bits");
        }
        if (s.quantizeActivations && s.maxBits < Quantizer.MIN_ACTIVATION_BITS) {
            throw new UserError("--max-bits " + s.maxBits + " leaves no activation width with --quantize-activations; expected"
                    + " --max-bits >= " + Quantizer.MIN_ACTIVATION_BITS);
        }
        Checks.unused(spec, "--end-bits", s.searchEnds, "with --search-ends (the first and last layers are searched)");
        Checks.weightBits("--end-bits", s.endBits, true);
    }

    private static void agent(SearchCommand s, CommandSpec spec) {
        Checks.atLeast("--warmup", s.warmup, 0);
        Checks.positive("--sigma0", s.sigma0);
        Checks.aboveUpTo("--sigma-decay", s.sigmaDecay, 0, 1);
        Checks.aboveUpTo("--tau", s.tau, 0, 1);
        Checks.positive("--lr-actor", s.lrActor);
        Checks.positive("--lr-critic", s.lrCritic);
        Checks.atLeast("--agent-batch", s.agentBatch, 1);
        Checks.atLeast("--hidden1", s.hidden1, 1);
        Checks.atLeast("--hidden2", s.hidden2, 1);
        Checks.atLeast("--replay-per-layer", s.replayPerLayer, 1);
        Checks.within("--baseline-alpha", s.baselineAlpha, 0, 1);
        Checks.within("--discount", s.discount, 0, 1);
        Checks.atLeast("--updates-per-step", s.updatesPerStep, 1);
    }

    /**
     * What needs the model's layers: the latency table's rows and whether the budget can be met
     * by the widths the search may choose. Run as soon as the checkpoint is read, before data.
     */
    static void reachable(SearchConfig config, List<QuantLayerInfo> layers) {
        EnvironmentConfig c = config.environment();
        boolean[] searched = EnvironmentConfig.searchedLayers(layers.size(), c.searchEnds());
        BitChoices choices = BitChoices.forSearch(layers, searched, c.minBits(), c.maxBits(), c.endBits(),
                c.quantizeActivations());
        String widths = "--min-bits " + c.minBits() + " .. --max-bits " + c.maxBits();
        String space = c.searchEnds() ? "every layer in " + widths
                : "the first and last layers at --end-bits " + c.endBits() + " and the others in " + widths;
        if (c.quantizeActivations()) {
            space += ", activations in " + Math.max(Quantizer.MIN_ACTIVATION_BITS, c.minBits()) + ".." + c.maxBits();
        }
        BudgetChecks.reachable(config.budget(), layers, choices, space);
    }
}
