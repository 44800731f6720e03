package org.mixq.rl.env;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import org.mixq.nn.quant.QuantLayerInfo;
import org.mixq.rl.config.Setting;
import org.mixq.rl.config.SettingException;

/**
 * The cost budget of a search, as the user gives it; at most one of the four is set (0 means
 * not given). {@link #target} converts it into the cost model's unit.
 *
 * @param targetBits   weighted-average weight bits over all quantizable layers (size model):
 *                     {@code targetBits * sum(n_l)} bits
 * @param targetSizeMb packed weights in MB, 1 MB = 10^6 bytes (size model); see {@link #sizeMbToBits}
 * @param targetBitops BitOps per image, MACs x w bits x a bits summed over layers (bitops model)
 * @param targetCost   any model, in its own unit (bits, BitOps, or the latency table's unit)
 */
public record Budget(double targetBits, double targetSizeMb, double targetBitops, double targetCost) {
    /** HAQ-style default when no budget of any kind is given to the size model. */
    public static final double DEFAULT_TARGET_BITS = 3;

    public static final Budget NONE = new Budget(0, 0, 0, 0);

    public Budget {
        check(Setting.TARGET_BITS, targetBits);
        check(Setting.TARGET_SIZE_MB, targetSizeMb);
        check(Setting.TARGET_BITOPS, targetBitops);
        check(Setting.TARGET_COST, targetCost);
        List<Setting> given = new ArrayList<>();
        if (targetBits > 0) {
            given.add(Setting.TARGET_BITS);
        }
        if (targetSizeMb > 0) {
            given.add(Setting.TARGET_SIZE_MB);
        }
        if (targetBitops > 0) {
            given.add(Setting.TARGET_BITOPS);
        }
        if (targetCost > 0) {
            given.add(Setting.TARGET_COST);
        }
        if (given.size() > 1) {
            throw new SettingException(null, "give one cost budget, got " + String.join(" and ", given.stream().map(s -> "{}").toList()),
                    given.toArray(Setting[]::new));
        }
    }

    private static void check(Setting setting, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new SettingException(setting, "expected a finite number >= 0 (0 for none), got " + v);
        }
    }

    /**
     * The budget of the targets given ({@code null} = not given). With none of them, the size
     * model gets {@link #DEFAULT_TARGET_BITS} unless an accuracy budget is given (then the
     * search runs unconstrained); other models run unconstrained. An explicit 0 means none.
     */
    public static Budget given(Double bits, Double sizeMb, Double bitops, Double cost, CostModelKind costModel,
                               boolean accuracyBudget) {
        if (bits == null && sizeMb == null && bitops == null && cost == null) {
            return costModel == CostModelKind.SIZE && !accuracyBudget ? new Budget(DEFAULT_TARGET_BITS, 0, 0, 0) : NONE;
        }
        return new Budget(orZero(bits), orZero(sizeMb), orZero(bitops), orZero(cost));
    }

    private static double orZero(Double v) {
        return v == null ? 0 : v;
    }

    /** Whether a cost budget is set. */
    public boolean any() {
        return targetBits > 0 || targetSizeMb > 0 || targetBitops > 0 || targetCost > 0;
    }

    /**
     * The target in {@code model}'s unit, 0 for none. A target in bits or megabytes needs the
     * size model, one in BitOps the bitops model.
     */
    public double target(CostModel model, List<QuantLayerInfo> layers) {
        if ((targetBits > 0 || targetSizeMb > 0) && !model.name().equals(CostModel.WEIGHT_SIZE.name())) {
            throw new SettingException(targetBits > 0 ? Setting.TARGET_BITS : Setting.TARGET_SIZE_MB,
                    "needs {} size; give {} for {} " + model.name(), Setting.COST_MODEL, Setting.TARGET_COST, Setting.COST_MODEL);
        }
        if (targetBitops > 0 && !model.name().equals(CostModel.BIT_OPS.name())) {
            throw new SettingException(Setting.TARGET_BITOPS, "needs {} bitops; give {} for {} " + model.name(),
                    Setting.COST_MODEL, Setting.TARGET_COST, Setting.COST_MODEL);
        }
        if (targetBits > 0) {
            return targetBits * layers.stream().mapToLong(QuantLayerInfo::params).sum();
        }
        if (targetSizeMb > 0) {
            return sizeMbToBits(targetSizeMb, layers.size());
        }
        return targetBitops > 0 ? targetBitops : targetCost;
    }

    /**
     * Packed weights of {@code mb} MB as a bit target of the size model. The size model counts
     * {@code sum(b_l * n_l)} bits; {@code ModelSize.weightBytes} stores each layer in whole bytes,
     * {@code ceil(b_l * n_l / 8)}, so up to 7 bits per layer are reserved: a policy that meets
     * {@code 8 * floor(mb * 10^6) - 7 * layers} bits has at most {@code mb * 10^6} bytes of
     * packed weights. Scales, activation clips and full-precision parameters (biases, batch
     * norm) are not part of the weight-size cost and are not counted.
     */
    public static double sizeMbToBits(double mb, int layers) {
        long bytes = BigDecimal.valueOf(mb).movePointRight(6).setScale(0, RoundingMode.FLOOR).longValueExact();
        return 8.0 * bytes - 7.0 * layers;
    }

    /** The fewest bytes of packed weights whose {@link #sizeMbToBits} target admits a policy of {@code bits}. */
    public static long sizeBytesForBits(double bits, int layers) {
        return (long) Math.ceil((bits + 7.0 * layers) / 8);
    }
}
