package org.mixq.rl.search;

import java.util.Set;
import org.mixq.rl.agent.DdpgConfig;
import org.mixq.rl.config.DataSource;
import org.mixq.rl.config.Setting;
import org.mixq.rl.env.BudgetConfig;
import org.mixq.rl.env.EnvironmentConfig;
import org.mixq.rl.env.EpisodeProtocol;

/**
 * Every setting of a search, saved as {@code config.json} in its run folder. {@link #defaults}
 * are HAQ's (DESIGN.md, "The search"); the thesis's choices are settings of the
 * {@code environment}. A resumed run must have the same configuration except
 * {@link #RESUMABLE_CHANGES}: how many episodes to reach, and the accuracy budget, which only
 * picks the best episode (rerunning with another drop re-picks without searching again).
 *
 * @param data        the full-precision checkpoint and its dataset
 * @param seed        seed of the agent and of the fine-tuning batches
 * @param episodes    episodes to reach
 * @param budget      the cost and accuracy budgets
 * @param protocol    how each episode fine-tunes and measures its policy
 * @param environment what is searched and how it is rewarded
 * @param agent       the DDPG agent's hyper-parameters
 */
public record SearchConfig(DataSource data, long seed, int episodes, BudgetConfig budget, EpisodeProtocol protocol,
                           EnvironmentConfig environment, DdpgConfig agent) {

    /** Settings that may differ when a run is resumed. */
    public static final Set<Setting> RESUMABLE_CHANGES = Set.of(Setting.EPISODES, Setting.MAX_ACC_DROP);

    /** HAQ's seed. */
    public static final long DEFAULT_SEED = 234;

    /** HAQ's episode count. */
    public static final int DEFAULT_EPISODES = 600;

    /** HAQ's search of {@code data}. */
    public static SearchConfig defaults(DataSource data) {
        return new SearchConfig(data, DEFAULT_SEED, DEFAULT_EPISODES, BudgetConfig.defaults(), EpisodeProtocol.defaults(),
                EnvironmentConfig.haq(), DdpgConfig.haq());
    }
}
