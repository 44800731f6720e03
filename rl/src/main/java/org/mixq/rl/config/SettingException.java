package org.mixq.rl.config;

import java.util.List;
import java.util.function.Function;

/**
 * A setting the engine refuses. The message is a template whose {@code {}} stand for the
 * {@link #references} in order; {@link #getMessage} fills them with the settings' paths, and a
 * front end fills them with its own names through {@link #render} (the command line with its
 * flags), so the engine never spells a flag. The {@link #setting} it is about, when there is
 * one, leads the message.
 */
public final class SettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient Setting setting;
    private final String template;
    private final transient List<Setting> references;

    /** A refusal of {@code setting} (null when several settings clash and none leads). */
    public SettingException(Setting setting, String template, Setting... references) {
        super(format(setting, template, List.of(references), Setting::displayName));
        this.setting = setting;
        this.template = template;
        this.references = List.of(references);
    }

    public Setting setting() {
        return setting;
    }

    /** The settings the message names, in the order of its {@code {}}. */
    public List<Setting> references() {
        return references;
    }

    /** The message with every setting named by {@code name}. */
    public String render(Function<Setting, String> name) {
        return format(setting, template, references, name);
    }

    private static String format(Setting setting, String template, List<Setting> references, Function<Setting, String> name) {
        StringBuilder sb = new StringBuilder();
        if (setting != null) {
            sb.append(name.apply(setting)).append(": ");
        }
        int next = 0;
        int from = 0;
        // a {} past the last reference is text (a file name may hold one), so a message never fails to format
        for (int at = template.indexOf("{}"); at >= 0 && next < references.size(); at = template.indexOf("{}", from)) {
            sb.append(template, from, at).append(name.apply(references.get(next++)));
            from = at + 2;
        }
        return sb.append(template.substring(from)).toString();
    }
}
