package org.mixq.rl.env;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.mixq.core.Quantizer;
import org.mixq.nn.quant.QuantLayerInfo;

/**
 * The layer-wise search's environment: an {@link Episode} walks the layers in network order,
 * taking one action (a bit width) per step from whoever drives it (the search loop asks its
 * agent), then the policy is evaluated on the {@link QuantTask} and the reward is computed.
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
    /** What one episode did. */
    public record Outcome(int[] weightBits, int[] activationBits, double accuracy, double reward, double cost,
                          float[][] states, double[] actions, double[] rewards) {
    }

    private final QuantTask task;
    private final EnvironmentConfig o;
    private final CostModel costModel;
    private final double targetCost;
    private final List<QuantLayerInfo> layers;
    private final StateEmbedding embedding;
    private final ActionToBits weightMap;
    private final ActionToBits activationMap;
    private final boolean[] searched;
    private final int[] stepLayer;
    private final boolean[] stepIsWeight;
    private final double totalParams;

    /** The environment of {@code config} on {@code task}, with the cost budget {@code targetCost} (0 for none) in {@code costModel}'s unit. */
    public QuantEnv(QuantTask task, EnvironmentConfig config, CostModel costModel, double targetCost) {
        this.task = task;
        this.o = config;
        this.costModel = costModel;
        this.targetCost = targetCost;
        this.layers = task.layers();
        this.embedding = new StateEmbedding(layers, config.prior());
        this.weightMap = new ActionToBits(config.minBits(), config.maxBits());
        this.activationMap = new ActionToBits(Math.max(Quantizer.MIN_ACTIVATION_BITS, config.minBits()), config.maxBits());
        int n = layers.size();
        this.searched = EnvironmentConfig.searchedLayers(n, config.searchEnds());
        List<Integer> sl = new ArrayList<>();
        List<Boolean> sw = new ArrayList<>();
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += layers.get(i).params();
            if (searched[i]) {
                sl.add(i);
                sw.add(true);
                if (config.quantizeActivations() && layers.get(i).activationQuantizable()) {
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

    public EnvironmentConfig config() {
        return o;
    }

    public CostModel costModel() {
        return costModel;
    }

    /** The cost budget in the cost model's unit, 0 for none. */
    public double targetCost() {
        return targetCost;
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

    /** Starts episode {@code episode}; the sequential schedule restores the model and quantizes the ends now. */
    public Episode start(int episode) {
        return new Episode(episode);
    }

    /**
     * An episode under way. Its driver asks {@link #state} and {@link #actionShift} of each step,
     * answers with {@link #act}, and once {@link #done} calls {@link #finish}.
     */
    public final class Episode {
        private final int episode;
        private final int[] w;
        private final int[] a;
        private final float[][] states = new float[steps()][];
        private final double[] actions = new double[steps()];
        private final double[] rewards = new double[steps()];
        private int t;
        private double previous = 1;
        // sequential schedule only: the widths applied so far, and the accuracy after the last step
        private int[] applied;
        private int[] appliedA;
        private double previousAcc;
        private double acc;

        private Episode(int episode) {
            this.episode = episode;
            int[][] bits = initialBits();
            this.w = bits[0];
            this.a = bits[1];
            if (o.schedule() == Schedule.SEQUENTIAL) {
                applied = new int[layers.size()];
                appliedA = a.clone();
                for (int i = 0; i < applied.length; i++) {
                    applied[i] = searched[i] ? Quantizer.FULL_PRECISION : w[i];
                }
                previousAcc = task.fullPrecisionAccuracy();
                acc = previousAcc;
                task.reset();
                task.apply(applied, appliedA);
            }
        }

        public boolean done() {
            return t == steps();
        }

        /** The state of the step under way. */
        public float[] state() {
            if (states[t] == null) {
                states[t] = QuantEnv.this.state(t, previous, remainingBudget(w, a, t));
            }
            return states[t];
        }

        /** The action prior's shift of the exploration centre for the step under way (0 without it). */
        public double actionShift() {
            return shift(stepLayer[t]);
        }

        /** Takes {@code action} in [0, 1] for the step under way; the sequential schedule fine-tunes and validates now. */
        public void act(double action) {
            state();
            actions[t] = action;
            assign(w, a, t, action);
            previous = action;
            if (o.schedule() == Schedule.SEQUENTIAL) {
                stepSequential();
            }
            t++;
        }

        private void stepSequential() {
            int l = stepLayer[t];
            if (targetCost > 0) {
                capToBudget(w, a, t);
            }
            applied[l] = w[l];
            appliedA[l] = a[l];
            task.apply(applied, appliedA);
            int perStep = Math.max(1, task.protocol().finetuneBatches() / Math.max(1, steps()));
            task.finetune(perStep, episode * steps() + t);
            acc = task.validate();
            rewards[t] = o.reward().stepReward(acc, previousAcc, layers.get(l).params(), totalParams,
                    stepIsWeight[t] ? w[l] : 0, o.maxBits(), o.lambdaAcc(), o.lambdaBits());
            previousAcc = acc;
        }

        /** Evaluates the policy (joint schedule: budget wall, fine-tune, validation) and rewards it. */
        public Outcome finish() {
            if (!done()) {
                throw new IllegalStateException("episode " + episode + " finished after " + t + " of " + steps() + " steps");
            }
            if (o.schedule() == Schedule.SEQUENTIAL) {
                double total = 0;
                for (double r : rewards) {
                    total += r;
                }
                return new Outcome(w, a, acc, total, costModel.cost(layers, w, a), states, actions, rewards);
            }
            Outcome joint = evaluate(w, a, episode, true);
            Arrays.fill(rewards, joint.reward());
            return new Outcome(joint.weightBits(), joint.activationBits(), joint.accuracy(), joint.reward(), joint.cost(),
                    states, actions, rewards);
        }
    }

    /**
     * Evaluates a given policy with the episode protocol (fine-tune stream {@code stream}), for
     * baselines: the budget wall applies when {@code enforceBudget} and the HAQ reward has a target.
     */
    public Outcome evaluate(int[] weightBits, int[] activationBits, int stream, boolean enforceBudget) {
        int[] w = weightBits.clone();
        int[] a = activationBits.clone();
        double cost = costModel.cost(layers, w, a);
        if (enforceBudget && o.reward() == RewardKind.HAQ && targetCost > 0) {
            cost = BudgetWall.enforce(costModel, layers, w, a, searched, o.minBits(), targetCost);
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
    public int[][] random(DoubleSupplier uniform01) {
        int[][] init = initialBits();
        for (int t = 0; t < steps(); t++) {
            assign(init[0], init[1], t, uniform01.getAsDouble());
        }
        return init;
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
        while (costWithRestAtMinimum(w, a, t) > targetCost) {
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
        return costModel.cost(layers, wm, am);
    }

    /** The part of the budget left before step t, relative to the target (0 without a target). */
    private double remainingBudget(int[] w, int[] a, int t) {
        if (targetCost <= 0) {
            return 0;
        }
        double left = (targetCost - costWithRestAtMinimum(w, a, t - 1)) / targetCost;
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
