package org.mixq.rl.env;

import java.util.Locale;
import com.google.gson.annotations.SerializedName;
import org.mixq.rl.config.Setting;
import org.mixq.rl.config.SettingException;

/** How an episode applies its policy (see {@link QuantEnv}). */
public enum Schedule {
    /** HAQ: choose every width, quantize them all, fine-tune once. */
    @SerializedName("joint") JOINT,
    /** The thesis: quantize layer after layer, a short fine-tune and a validation after each. */
    @SerializedName("sequential") SEQUENTIAL;

    /** The name written into configurations, as a user types it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Schedule parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "joint" -> JOINT;
            case "sequential" -> SEQUENTIAL;
            default -> throw new SettingException(Setting.SCHEDULE, "expected joint or sequential, got '" + name + "'");
        };
    }
}
