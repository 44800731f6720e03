package org.mixq.cli;

import java.util.HashMap;
import java.util.Map;
import com.google.gson.JsonElement;
import org.mixq.rl.config.ConfigJson;
import org.mixq.rl.config.DataSource;
import org.mixq.rl.config.Setting;
import org.mixq.rl.search.SearchConfig;
import org.mixq.rl.sensitivity.SensitivityConfig;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The defaults of a command's options are the engine's: each option of a setting takes the
 * value of that setting in the engine's default configuration, and {@code --help} shows it.
 * Options whose field is a boxed number get none: for them "not given" means something of
 * its own (a budget the user did not set).
 */
abstract class EngineDefaults implements IDefaultValueProvider {
    private final Map<String, String> byFlag = new HashMap<>();

    EngineDefaults(Object defaults) {
        for (Map.Entry<String, JsonElement> e : ConfigJson.leaves(defaults).entrySet()) {
            if (!e.getValue().isJsonNull()) {
                byFlag.put(Flags.of(Setting.atPath(e.getKey())), text(e.getValue()));
            }
        }
    }

    private static String text(JsonElement v) {
        if (v.isJsonArray()) {
            StringBuilder sb = new StringBuilder();
            v.getAsJsonArray().forEach(x -> sb.append(sb.length() == 0 ? "" : ",").append(x.getAsString()));
            return sb.toString();
        }
        return v.getAsString();
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec o) || isBoxedNumber(o.type())) {
            return null;
        }
        for (String name : o.names()) {
            if (byFlag.containsKey(name)) {
                return byFlag.get(name);
            }
        }
        return null;
    }

    private static boolean isBoxedNumber(Class<?> type) {
        return Number.class.isAssignableFrom(type);
    }

    /** {@code mixq search}'s defaults: HAQ's. */
    static final class Search extends EngineDefaults {
        Search() {
            super(SearchConfig.defaults(new DataSource(null, null, null)));
        }
    }

    /** {@code mixq sensitivity}'s defaults. */
    static final class Sensitivity extends EngineDefaults {
        Sensitivity() {
            super(SensitivityConfig.defaults(new DataSource(null, null, null)));
        }
    }
}
