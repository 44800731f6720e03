package org.mixq.core.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * System properties set (or cleared) for the span of a test or a test class, and put back as
 * they were on {@link #close()}: a test class that forces {@code mixq.backend} or
 * {@code mixq.threads} must not change what the classes after it see, or the order of test
 * classes could change a result.
 */
public final class SystemProperties implements AutoCloseable {
    /** Each name's value before, null where it was not set. */
    private final Map<String, String> previous = new LinkedHashMap<>();

    private SystemProperties() {
    }

    /** Sets {@code name1, value1, name2, value2, ...}; a null value clears the property. */
    public static SystemProperties set(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs, got " + namesAndValues.length + " strings");
        }
        SystemProperties saved = new SystemProperties();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String name = namesAndValues[i];
            saved.previous.putIfAbsent(name, System.getProperty(name));
            put(name, namesAndValues[i + 1]);
        }
        return saved;
    }

    /** Clears every property named, until {@link #close()}. */
    public static SystemProperties cleared(String... names) {
        SystemProperties saved = new SystemProperties();
        for (String name : names) {
            saved.previous.putIfAbsent(name, System.getProperty(name));
            System.clearProperty(name);
        }
        return saved;
    }

    @Override
    public void close() {
        previous.forEach(SystemProperties::put);
    }

    private static void put(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }
}
