package org.mixq.rl.env;

import java.util.ArrayList;
import java.util.List;
import org.mixq.core.Quantizer;
import org.mixq.nn.quant.QuantLayerInfo;
import org.mixq.rl.agent.ActionToBits;
import org.mixq.rl.agent.DdpgAgent;

/**
 * One episode of the layer-wise search: the agent picks bit widths layer by layer in network
 * order, the policy is evaluated on the {@link QuantTask}, and the reward is computed.
 *
 * <p>Steps: one per searched layer for its weights, and with activation search a second one
 * for its input activations (HAQ's linear environment). The first and last layers are fixed
 * at {@code endBits} unless ends are searched.
 *
 * <p>Schedules: {@code joint} (HAQ) chooses every width, enforces the budget (HAQ reward),
 * fine-tunes once and gives every step the episode's reward. {@code sequential} (thesis)
 * quantizes layer after layer with a short fine-tune and a validation after each; step t
 * earns {@link RewardKind#stepReward}: with the thesis reward
 * {@code lambdaAcc * (acc_t - acc_{t-1}) - lambdaBits * (n_l / N) * b_l / b_max} in points, so
 * the episode's return telescopes to the thesis reward; with HAQ's
 * {@code 0.1 * (acc_t - acc_{t-1})}, telescoping to HAQ's {@code 0.1 * (acc - acc_fp)}. Either
 * way a budget bounds each step's width so that the remaining layers at the minimum can still
 * meet it: a layer already quantized and fine-tuned cannot be lowered afterwards, as HAQ's wall
 * lowers the joint policy, without redoing the fine-tunes of every later step.
 */
public final class QuantEnv {
    /** Options of the environment. */
    public record Options(RewardKind reward, double lambdaAcc, double lambdaBits, CostModel costModel, double targetCost,
                          boolean sequential, Prior prior, double priorStrength, int minBits, int maxBits,
                          boolean searchEnds, int endBits, boolean quantizeActivations) {
    }

    /** What one episode did. */
    public record Outcome(int[] weightBits, int[] activationBits, double accuracy, double reward, double cost,
                          float[][] states, double[] actions, double[] rewards) {
    }

    private final QuantTask task;
    private final Options o;
    private final List<QuantLayerInfo> layers;
    private final StateEmbedding embedding;
    private final ActionToBits weightMap;
    private final ActionToBits activationMap;
    private final boolean[] searched;
    private final int[] stepLayer;
    private final boolean[] stepIsWeight;
    private final double totalParams;

    public QuantEnv(QuantTask task, Options options) {
        this.task = task;
        this.o = options;
        this.layers = task.layers();
        this.embedding = new StateEmbedding(layers, options.prior());
        this.weightMap = new ActionToBits(options.minBits(), options.maxBits());
        this.activationMap = new ActionToBits(Math.max(Quantizer.MIN_ACTIVATION_BITS, options.minBits()), options.maxBits());
        int n = layers.size();
        this.searched = new boolean[n];
        List<Integer> sl = new ArrayList<>();
        List<Boolean> sw = new ArrayList<>();
        double total = 0;
        for (int i = 0; i < n; i++) {
            searched[i] = options.searchEnds() || n <= 2 || (i > 0 && i < n - 1);
            total += layers.get(i).params();
            if (searched[i]) {
                sl.add(i);
                sw.add(true);
                if (options.quantizeActivations() && layers.get(i).activationQuantizable()) {
                    sl.add(i);
                    sw.add(false);
                }
            }
        }
        this.totalParams = total;
        this.stepLayer = sl.stream().mapToInt(Integer::intValue).toArray();
        this.stepIsWeight = new boolean[sw.size()];
        for (int t = 0; t < stepIsWeight.length; t++) {
            stepIsWeight[t] = sw.get(t);
        }
    }

    public int steps() {
        return stepLayer.length;
    }

    /** State length: the embedding, plus a weight/activation flag when activations are searched. */
    public int stateDimension() {
        return embedding.dimension() + (o.quantizeActivations() ? 1 : 0);
    }

    public boolean[] searched() {
        return searched.clone();
    }

    public List<QuantLayerInfo> layers() {
        return layers;
    }

    /** Widths before the agent acts: ends at {@code endBits}, activations in full precision. */
    public int[][] initialBits() {
        int n = layers.size();
        int[] w = new int[n];
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            w[i] = searched[i] ? o.maxBits() : o.endBits();
            a[i] = Quantizer.FULL_PRECISION;
        }
        return new int[][] {w, a};
    }

    /** Runs episode {@code episode} with the agent's exploring actions. */
    public Outcome run(DdpgAgent agent, int episode) {
        return o.sequential() ? runSequential(agent, episode) : runJoint(agent, episode);
    }

    private Outcome runJoint(DdpgAgent agent, int episode) {
        int[][] bits = initialBits();
        int[] w = bits[0];
        int[] a = bits[1];
        int steps = steps();
        float[][] states = new float[steps][];
        double[] actions = new double[steps];
        double previous = 1;
        for (int t = 0; t < steps; t++) {
            int l = stepLayer[t];
            states[t] = state(t, previous, remainingBudget(w, a, t));
            actions[t] = agent.act(states[t], shift(l));
            assign(w, a, t, actions[t]);
            previous = actions[t];
        }
        double cost = o.costModel().cost(layers, w, a);
        if (o.reward() == RewardKind.HAQ && o.targetCost() > 0) {
            cost = BudgetWall.enforce(o.costModel(), layers, w, a, searched, o.minBits(), o.targetCost());
        }
        double acc = task.evaluate(w, a, episode);
        double reward = o.reward().reward(acc, task.fullPrecisionAccuracy(), task.weightedBits(w), o.maxBits(),
                o.lambdaAcc(), o.lambdaBits());
        double[] rewards = new double[steps];
        java.util.Arrays.fill(rewards, reward);
        return new Outcome(w, a, acc, reward, cost, states, actions, rewards);
    }

    /**
     * Evaluates a given policy with the episode protocol (fine-tune stream {@code stream}), for
     * baselines: the budget wall applies when {@code enforceBudget} and the HAQ reward has a target.
     */
    public Outcome evaluate(int[] weightBits, int[] activationBits, int stream, boolean enforceBudget) {
        int[] w = weightBits.clone();
        int[] a = activationBits.clone();
        double cost = o.costModel().cost(layers, w, a);
        if (enforceBudget && o.reward() == RewardKind.HAQ && o.targetCost() > 0) {
            cost = BudgetWall.enforce(o.costModel(), layers, w, a, searched, o.minBits(), o.targetCost());
        }
        double acc = task.evaluate(w, a, stream);
        double reward = o.reward().reward(acc, task.fullPrecisionAccuracy(), task.weightedBits(w), o.maxBits(),
                o.lambdaAcc(), o.lambdaBits());
        return new Outcome(w, a, acc, reward, cost, new float[0][], new double[0], new double[0]);
    }

    /** Searched layers at {@code bits} (activations at {@code activationBits} where searched), ends fixed. */
    public int[][] uniform(int bits, int activationBits) {
        int[][] init = initialBits();
        for (int i = 0; i < layers.size(); i++) {
            if (searched[i]) {
                init[0][i] = bits;
                if (o.quantizeActivations() && layers.get(i).activationQuantizable()) {
                    init[1][i] = activationBits;
                }
            }
        }
        return init;
    }

    /** A uniformly random policy over the searched steps (HAQ's warm-up actions), ends fixed. */
    public int[][] random(java.util.function.DoubleSupplier uniform01) {
        int[][] init = initialBits();
        for (int t = 0; t < steps(); t++) {
            assign(init[0], init[1], t, uniform01.getAsDouble());
        }
        return init;
    }

    private Outcome runSequential(DdpgAgent agent, int episode) {
        int[][] bits = initialBits();
        int[] w = bits[0];
        int[] a = bits[1];
        int n = layers.size();
        int[] applied = new int[n];
        int[] appliedA = a.clone();
        for (int i = 0; i < n; i++) {
            applied[i] = searched[i] ? Quantizer.FULL_PRECISION : w[i];
        }
        double fp = task.fullPrecisionAccuracy();
        task.reset();
        task.apply(applied, appliedA);
        int steps = steps();
        int perStep = Math.max(1, task.settings().finetuneBatches() / Math.max(1, steps));
        float[][] states = new float[steps][];
        double[] actions = new double[steps];
        double[] rewards = new double[steps];
        double previousAcc = fp;
        double previous = 1;
        double acc = fp;
        for (int t = 0; t < steps; t++) {
            int l = stepLayer[t];
            states[t] = state(t, previous, remainingBudget(w, a, t));
            actions[t] = agent.act(states[t], shift(l));
            assign(w, a, t, actions[t]);
            if (o.targetCost() > 0) {
                capToBudget(w, a, t);
            }
            previous = actions[t];
            applied[l] = w[l];
            appliedA[l] = a[l];
            task.apply(applied, appliedA);
            task.finetune(perStep, episode * steps + t);
            acc = task.validate();
            rewards[t] = o.reward().stepReward(acc, previousAcc, layers.get(l).params(), totalParams, stepIsWeight[t] ? w[l] : 0,
                    o.maxBits(), o.lambdaAcc(), o.lambdaBits());
            previousAcc = acc;
        }
        double total = 0;
        for (double r : rewards) {
            total += r;
        }
        return new Outcome(w, a, acc, total, o.costModel().cost(layers, w, a), states, actions, rewards);
    }

    private void assign(int[] w, int[] a, int t, double action) {
        int l = stepLayer[t];
        if (stepIsWeight[t]) {
            w[l] = weightMap.bits(action);
        } else {
            a[l] = activationMap.bits(action);
        }
    }

    /** Lowers step t's width until the later steps at their minimum can still meet the budget. */
    private void capToBudget(int[] w, int[] a, int t) {
        int l = stepLayer[t];
        while (costWithRestAtMinimum(w, a, t) > o.targetCost()) {
            if (stepIsWeight[t] && w[l] > o.minBits()) {
                w[l]--;
            } else if (!stepIsWeight[t] && a[l] > activationMap.minBits()) {
                a[l]--;
            } else {
                return;
            }
        }
    }

    private double costWithRestAtMinimum(int[] w, int[] a, int t) {
        int[] wm = w.clone();
        int[] am = a.clone();
        for (int s = t + 1; s < stepLayer.length; s++) {
            if (stepIsWeight[s]) {
                wm[stepLayer[s]] = o.minBits();
            } else {
                am[stepLayer[s]] = activationMap.minBits();
            }
        }
        return o.costModel().cost(layers, wm, am);
    }

    /** The part of the budget left before step t, relative to the target (0 without a target). */
    private double remainingBudget(int[] w, int[] a, int t) {
        if (o.targetCost() <= 0) {
            return 0;
        }
        double left = (o.targetCost() - costWithRestAtMinimum(w, a, t - 1)) / o.targetCost();
        return Math.max(-1, Math.min(1, left));
    }

    public double weightedBits(int[] weightBits) {
        return task.weightedBits(weightBits);
    }

    public long sizeBytes(int[] weightBits, int[] activationBits) {
        return task.size(weightBits, activationBits).totalBytes();
    }

    public QuantTask task() {
        return task;
    }

    private float[] state(int t, double previousAction, double budget) {
        double[] s = embedding.state(stepLayer[t], previousAction, budget);
        float[] f = new float[stateDimension()];
        for (int i = 0; i < s.length; i++) {
            f[i] = (float) s[i];
        }
        if (o.quantizeActivations()) {
            f[f.length - 1] = stepIsWeight[t] ? 1 : 0;
        }
        return f;
    }

    private double shift(int layer) {
        return o.prior().inAction() ? o.priorStrength() * (embedding.parameterPrior(layer) - 0.5) : 0;
    }
}
