package org.mixq.rl.policy;

import java.util.Locale;
import org.mixq.rl.config.Setting;
import org.mixq.rl.config.SettingException;

/** The policy file formats mixq reads and writes; docs/policy-format.md describes each. */
public enum PolicyFormat {
    /** mixq's own JSON: {@code {"layers": [{"name", "params", "wbits", "abits"}, ...], ...figures}}. */
    JSON("json"),
    /** NNCF's precision initializer list {@code {"bitwidth_per_scope": [[bits, "scope"], ...]}}. */
    NNCF("nncf"),
    /** HAQ's strategy: a JSON array of {@code [w_bits, a_bits]} per layer in order (-1: input not quantized). */
    HAQ("haq"),
    /** Plain CSV {@code layer,w_bits,a_bits}, one row per layer in order. */
    CSV("csv");

    private final String label;

    PolicyFormat(String label) {
        this.label = label;
    }

    /** The format's name, as a front end lets the user choose it. */
    public String label() {
        return label;
    }

    public static PolicyFormat parse(String name) {
        for (PolicyFormat f : values()) {
            if (f.label.equals(name.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new SettingException(Setting.POLICY_FORMAT, "expected json, nncf, haq or csv, got '" + name + "'");
    }
}
