package org.mixq.rl.env;

import java.util.Locale;
import com.google.gson.annotations.SerializedName;
import org.mixq.rl.config.Setting;
import org.mixq.rl.config.SettingException;

/**
 * How the parameter-count prior of the thesis enters the search:
 * {@code none} is HAQ's state (the raw weight count is one of its features);
 * {@code state} adds log-scaled parameter count, fraction of the total and cumulative
 * fraction to the state; {@code action} biases exploration toward fewer bits for layers
 * holding more parameters; {@code both} does both.
 */
public enum Prior {
    @SerializedName("none") NONE,
    @SerializedName("state") STATE,
    @SerializedName("action") ACTION,
    @SerializedName("both") BOTH;

    public boolean inState() {
        return this == STATE || this == BOTH;
    }

    public boolean inAction() {
        return this == ACTION || this == BOTH;
    }

    /** The name written into configurations, as a user types it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Prior parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SettingException(Setting.PRIOR, "expected none, state, action or both, got '" + s + "'");
        }
    }
}
