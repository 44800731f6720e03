package org.mixq.rl.env;

import java.util.Locale;

/**
 * How the parameter-count prior of the thesis enters the search ({@code --prior}):
 * {@code none} is HAQ's state (the raw weight count is one of its features);
 * {@code state} adds log-scaled parameter count, fraction of the total and cumulative
 * fraction to the state; {@code action} biases exploration toward fewer bits for layers
 * holding more parameters; {@code both} does both.
 */
public enum Prior {
    NONE, STATE, ACTION, BOTH;

    public boolean inState() {
        return this == STATE || this == BOTH;
    }

    public boolean inAction() {
        return this == ACTION || this == BOTH;
    }

    public static Prior parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--prior: expected none, state, action or both, got '" + s + "'");
        }
    }
}
