package org.mixq.rl.policy;

import java.util.Locale;

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

    private final String flag;

    PolicyFormat(String flag) {
        this.flag = flag;
    }

    /** The name on the command line. */
    public String flag() {
        return flag;
    }

    public static PolicyFormat parse(String name) {
        for (PolicyFormat f : values()) {
            if (f.flag.equals(name.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("--to: expected json, nncf, haq or csv, got '" + name + "'");
    }
}
