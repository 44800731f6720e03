package org.mixq.rl.env;

import java.util.Locale;
import com.google.gson.annotations.SerializedName;
import org.mixq.rl.config.Setting;
import org.mixq.rl.config.SettingException;

/** The cost models a budget can be given in; {@link CostModels#create} makes one. */
public enum CostModelKind {
    /** Weight storage, bits x parameters. */
    @SerializedName("size") SIZE,
    /** MACs x weight bits x activation bits. */
    @SerializedName("bitops") BITOPS,
    /** A measured table of per-layer latencies. */
    @SerializedName("latency") LATENCY;

    /** The name written into configurations and policy files, as a user types it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CostModelKind parse(String name) {
        for (CostModelKind k : values()) {
            if (k.label().equals(name.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new SettingException(Setting.COST_MODEL, "expected size, bitops or latency, got '" + name + "'");
    }
}
