package org.mixq.rl.agent;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The DDPG agent of HAQ (Wang et al., CVPR 2019; {@code lib/rl/ddpg.py} and the training loop
 * of {@code rl_quantize.py}), on small float32 MLPs that run on the CPU.
 * <p>
 * Use: for every step (layer) of an episode call {@link #act}; at the end of the episode hand
 * the whole trajectory to {@link #finishEpisode}. Following HAQ, the agent then stores the
 * transitions one by one and, after warm-up, makes {@code updatesPerStep} updates after each
 * one. An update:
 * <ol>
 * <li>draws a minibatch and moves the reward baseline toward its mean reward,
 *     {@code b += alpha (mean r - b)} (the first update sets b to the mean), and subtracts b
 *     from the minibatch rewards (HAQ subtracts it at sampling time, not when storing);</li>
 * <li>fits the critic by MSE to {@code y = r - b + gamma (1 - done) Q'(s', mu'(s'))};</li>
 * <li>moves the actor up {@code Q(s, mu(s))} through the freshly updated critic;</li>
 * <li>soft-updates both target networks with rate tau.</li>
 * </ol>
 * Every random number comes from seeded {@link SplitMix64} streams, and {@link #writeTo} saves
 * everything that influences the future, so a restored agent continues bit for bit.
 */
public final class DdpgAgent {
    private static final int MAGIC = 0x4D58_5141;
    /** Format 2 dropped the episode count and seed from the saved configuration; format 1 is still read. */
    private static final int FORMAT_VERSION = 2;

    private final DdpgConfig config;
    private final int stateDim;
    private final int layers;
    private final Actor actor;
    private final Actor actorTarget;
    private final Critic critic;
    private final Critic criticTarget;
    private final Adam actorOptimizer;
    private final Adam criticOptimizer;
    private final ReplayBuffer replay;
    private final SplitMix64 exploreRng;
    private final SplitMix64 replayRng;
    private final Minibatch batch;
    private final UpdateBuffers buffers;
    private int episode;
    private boolean hasBaseline;
    private double baseline;
    private double criticLoss = Double.NaN;
    private double actorLoss = Double.NaN;

    /**
     * A fresh agent.
     *
     * @param seed     seed of every random stream of the agent (HAQ 234)
     * @param stateDim features per state
     * @param layers   quantizable layers of the network searched; sizes the replay buffer
     */
    public DdpgAgent(DdpgConfig config, long seed, int stateDim, int layers) {
        if (stateDim < 1) {
            throw new IllegalArgumentException("stateDim must be positive, got " + stateDim);
        }
        this.config = config;
        this.stateDim = stateDim;
        this.layers = layers;
        this.replay = new ReplayBuffer(config.replayCapacity(layers), stateDim);
        int maxBatch = config.batchSize();
        this.actor = new Actor(stateDim, config.hidden1(), config.hidden2(), maxBatch);
        this.actorTarget = new Actor(stateDim, config.hidden1(), config.hidden2(), maxBatch);
        this.critic = new Critic(stateDim, config.hidden1(), config.hidden2(), maxBatch);
        this.criticTarget = new Critic(stateDim, config.hidden1(), config.hidden2(), maxBatch);
        SplitMix64 seeds = new SplitMix64(seed);
        SplitMix64 initRng = new SplitMix64(seeds.nextLong());
        this.exploreRng = new SplitMix64(seeds.nextLong());
        this.replayRng = new SplitMix64(seeds.nextLong());
        actor.initFanIn(initRng);
        critic.initFanIn(initRng);
        actorTarget.copyFrom(actor);
        criticTarget.copyFrom(critic);
        this.actorOptimizer = new Adam(actor.parameters(), actor.gradients(), config.lrActor());
        this.criticOptimizer = new Adam(critic.parameters(), critic.gradients(), config.lrCritic());
        this.batch = new Minibatch(maxBatch, stateDim);
        this.buffers = new UpdateBuffers(maxBatch);
    }

    public DdpgConfig config() {
        return config;
    }

    public int stateDim() {
        return stateDim;
    }

    public int layers() {
        return layers;
    }

    /** Episodes finished so far; also the index (from 0) of the episode under way. */
    public int episode() {
        return episode;
    }

    /** True while the episode under way takes uniform random actions. */
    public boolean isWarmup() {
        return config.isWarmup(episode);
    }

    /** Exploration sigma of the episode under way. */
    public double sigma() {
        return config.sigma(episode);
    }

    /** The reward baseline after the last update, NaN before the first. */
    public double baseline() {
        return hasBaseline ? baseline : Double.NaN;
    }

    /** Critic MSE of the last update, NaN before the first. */
    public double criticLoss() {
        return criticLoss;
    }

    /** Actor loss {@code -mean Q(s, mu(s))} of the last update, NaN before the first. */
    public double actorLoss() {
        return actorLoss;
    }

    /**
     * The exploring action for {@code state} in the episode under way: uniform on [0, 1] during
     * warm-up, then drawn from the normal around the actor's output truncated to [0, 1], with
     * sigma {@link #sigma()}.
     */
    public double act(float[] state) {
        return act(state, 0);
    }

    /**
     * As {@link #act(float[])}, with the centre of the exploration moved down by {@code shift}
     * (clamped to [0, 1]): the thesis's parameter-count prior biases layers that hold many
     * parameters toward fewer bits. Warm-up actions stay uniform.
     */
    public double act(float[] state, double shift) {
        checkState(state, "state");
        if (isWarmup()) {
            return exploreRng.nextDouble();
        }
        double centre = Math.max(0, Math.min(1, policy(state) - shift));
        return TruncatedNormal.sample(exploreRng, centre, sigma(), 0, 1);
    }

    /** The actor's own action mu(state), with no exploration; draws no random number. */
    public double policy(float[] state) {
        checkState(state, "state");
        float[] a = new float[1];
        actor.forward(a, state, 1);
        return a[0];
    }

    /**
     * Ends the episode under way. Step t went from {@code states[t]} with {@code actions[t]} to
     * {@code states[t + 1]} and earned {@code rewards[t]} (HAQ gives every step the final reward
     * of the episode); the last step ends the episode, so its successor state is never used.
     * Each transition is stored and, after warm-up, followed by {@code updatesPerStep} updates.
     */
    public void finishEpisode(float[][] states, double[] actions, double[] rewards) {
        int steps = states.length;
        if (steps == 0 || actions.length != steps || rewards.length != steps) {
            throw new IllegalArgumentException("states, actions and rewards must have the same positive length, got "
                    + steps + ", " + actions.length + " and " + rewards.length);
        }
        for (int t = 0; t < steps; t++) {
            checkState(states[t], "states[" + t + "]");
            if (!(actions[t] >= 0 && actions[t] <= 1)) {
                throw new IllegalArgumentException("actions[" + t + "] must lie in [0, 1], got " + actions[t]);
            }
            if (!Double.isFinite(rewards[t])) {
                throw new IllegalArgumentException("rewards[" + t + "] must be finite, got " + rewards[t]);
            }
        }
        boolean learn = !isWarmup();
        for (int t = 0; t < steps; t++) {
            boolean last = t == steps - 1;
            replay.add(states[t], (float) actions[t], rewards[t], states[last ? t : t + 1], last);
            if (learn) {
                for (int u = 0; u < config.updatesPerStep(); u++) {
                    update();
                }
            }
        }
        episode++;
    }

    private void update() {
        int n = config.batchSize();
        replay.sample(batch, n, replayRng);
        double meanReward = 0;
        for (int b = 0; b < n; b++) {
            meanReward += batch.rewards[b];
        }
        meanReward /= n;
        if (hasBaseline) {
            baseline += config.baselineAlpha() * (meanReward - baseline);
        } else {
            baseline = meanReward;
            hasBaseline = true;
        }

        UpdateBuffers u = buffers;
        actorTarget.forward(u.nextActions, batch.nextStates, n);
        criticTarget.forward(u.nextQ, batch.nextStates, u.nextActions, n);
        for (int b = 0; b < n; b++) {
            u.target[b] = (float) (batch.rewards[b] - baseline + config.discount() * batch.notDone[b] * u.nextQ[b]);
        }

        critic.forward(u.q, batch.states, batch.actions, n);
        double squares = 0;
        for (int b = 0; b < n; b++) {
            float diff = u.q[b] - u.target[b];
            squares += (double) diff * diff;
            u.dQ[b] = 2f * diff / n;
        }
        criticLoss = squares / n;
        critic.backward(u.dQ, n);
        criticOptimizer.step();

        actor.forward(u.mu, batch.states, n);
        critic.forward(u.q, batch.states, u.mu, n);
        double sumQ = 0;
        for (int b = 0; b < n; b++) {
            sumQ += u.q[b];
            u.dQ[b] = -1f / n;
        }
        actorLoss = -sumQ / n;
        critic.actionGradient(u.dMu, u.dQ, n);
        actor.backward(u.dMu, n);
        actorOptimizer.step();

        actorTarget.softUpdateFrom(actor, config.tau());
        criticTarget.softUpdateFrom(critic, config.tau());
    }

    private void checkState(float[] state, String what) {
        if (state == null || state.length != stateDim) {
            throw new IllegalArgumentException(what + " must have " + stateDim + " features, got "
                    + (state == null ? "null" : state.length));
        }
    }

    /** Saves everything that shapes the agent's future: a restored agent continues bit for bit. */
    public void writeTo(DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(FORMAT_VERSION);
        DdpgConfigIo.write(out, config);
        out.writeInt(stateDim);
        out.writeInt(layers);
        out.writeInt(episode);
        out.writeBoolean(hasBaseline);
        out.writeDouble(baseline);
        out.writeDouble(criticLoss);
        out.writeDouble(actorLoss);
        out.writeLong(exploreRng.state());
        out.writeLong(replayRng.state());
        actor.writeTo(out);
        actorTarget.writeTo(out);
        critic.writeTo(out);
        criticTarget.writeTo(out);
        actorOptimizer.writeTo(out);
        criticOptimizer.writeTo(out);
        replay.writeTo(out);
    }

    /** An agent in exactly the state {@link #writeTo} saved. */
    public static DdpgAgent readFrom(DataInputStream in) throws IOException {
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException("not an agent checkpoint: starts with 0x" + Integer.toHexString(magic));
        }
        int version = in.readInt();
        if (version != FORMAT_VERSION && version != 1) {
            throw new IOException("agent checkpoint format " + version + " is not supported (expected " + FORMAT_VERSION + ")");
        }
        DdpgConfig config = DdpgConfigIo.read(in, version);
        int stateDim = in.readInt();
        int layers = in.readInt();
        DdpgAgent agent;
        try {
            agent = new DdpgAgent(config, 0, stateDim, layers);
        } catch (IllegalArgumentException e) {
            throw new IOException("agent checkpoint: " + e.getMessage(), e);
        }
        agent.episode = in.readInt();
        agent.hasBaseline = in.readBoolean();
        agent.baseline = in.readDouble();
        agent.criticLoss = in.readDouble();
        agent.actorLoss = in.readDouble();
        agent.exploreRng.restore(in.readLong());
        agent.replayRng.restore(in.readLong());
        agent.actor.readFrom(in, "actor");
        agent.actorTarget.readFrom(in, "target actor");
        agent.critic.readFrom(in, "critic");
        agent.criticTarget.readFrom(in, "target critic");
        agent.actorOptimizer.readFrom(in, "actor optimizer");
        agent.criticOptimizer.readFrom(in, "critic optimizer");
        agent.replay.readFrom(in);
        return agent;
    }

    /** Work arrays of one update, sized for the largest minibatch. */
    private static final class UpdateBuffers {
        final float[] nextActions;
        final float[] nextQ;
        final float[] target;
        final float[] q;
        final float[] dQ;
        final float[] mu;
        final float[] dMu;

        UpdateBuffers(int maxBatch) {
            nextActions = new float[maxBatch];
            nextQ = new float[maxBatch];
            target = new float[maxBatch];
            q = new float[maxBatch];
            dQ = new float[maxBatch];
            mu = new float[maxBatch];
            dMu = new float[maxBatch];
        }
    }
}
