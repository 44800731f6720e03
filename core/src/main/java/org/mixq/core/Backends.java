package org.mixq.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Finds backends through {@link ServiceLoader}. The choice can be forced with the system
 * property {@code mixq.backend} or the environment variable {@code MIXQ_BACKEND} (property wins).
 *
 * <p>The reproducible mode ({@code mixq.reproducible} / {@code MIXQ_REPRODUCIBLE} = 1 or true)
 * promises the same bits on any x86-64 machine with the same JDK, whatever its core count,
 * vector width or BLAS: it runs on the CPU backend with mixq's own kernels only, whose every
 * sum has an order fixed by the problem. It therefore picks the CPU backend, and refuses
 * another one forced beside it.
 */
public final class Backends {
    public static final String PROPERTY = "mixq.backend";
    public static final String ENV = "MIXQ_BACKEND";
    public static final String REPRODUCIBLE_PROPERTY = "mixq.reproducible";
    public static final String REPRODUCIBLE_ENV = "MIXQ_REPRODUCIBLE";

    private Backends() {
    }

    /** Every provider on the class path, highest priority first. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).forEach(list::add);
        list.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
        return list;
    }

    /** The provider called {@code name}, or an {@link IllegalArgumentException} listing the known names. */
    public static BackendProvider provider(String name) {
        List<BackendProvider> all = providers();
        for (BackendProvider p : all) {
            if (p.name().equalsIgnoreCase(name)) {
                return p;
            }
        }
        List<String> names = new ArrayList<>();
        all.forEach(p -> names.add(p.name()));
        throw new IllegalArgumentException("backend: unknown backend '" + name + "', expected one of " + names);
    }

    /** The backend called {@code name}; fails with the probe's reason when it cannot run here. */
    public static Backend get(String name) {
        BackendProvider p = provider(name);
        BackendProvider.Probe probe = p.probe();
        if (!probe.usable()) {
            throw new BackendUnavailableException("backend " + p.name() + " is not usable: " + probe.detail());
        }
        return p.create();
    }

    /** The requested override if any, else the CPU backend in the reproducible mode, else the highest-priority usable backend. */
    public static Backend best() {
        String forced = requested();
        if (reproducible()) {
            if (forced != null && !forced.equals("cpu")) {
                throw new BackendUnavailableException("backend " + forced + " was forced, but the reproducible mode ("
                        + REPRODUCIBLE_ENV + ") runs on the cpu backend only");
            }
            return get("cpu");
        }
        if (forced != null) {
            return get(forced);
        }
        for (BackendProvider p : providers()) {
            if (p.probe().usable()) {
                return p.create();
            }
        }
        throw new BackendUnavailableException("no usable backend on the class path");
    }

    /**
     * Whether the reproducible mode is on: {@code mixq.reproducible}, else {@code MIXQ_REPRODUCIBLE};
     * 1/true/yes on, 0/false/no or unset off, anything else an {@link IllegalArgumentException}.
     */
    public static boolean reproducible() {
        String v = System.getProperty(REPRODUCIBLE_PROPERTY);
        if (v == null || v.isBlank()) {
            v = System.getenv(REPRODUCIBLE_ENV);
        }
        if (v == null || v.isBlank()) {
            return false;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes" -> true;
            case "0", "false", "no" -> false;
            default -> throw new IllegalArgumentException(REPRODUCIBLE_PROPERTY + " / " + REPRODUCIBLE_ENV
                    + ": expected 1 or 0 (true or false), got '" + v + "'");
        };
    }

    /** The backend name forced by property or environment, or null. */
    public static String requested() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            v = System.getenv(ENV);
        }
        return v == null || v.isBlank() ? null : v.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * What {@code mixq info} prints: the Java runtime, every backend found with whether it is
     * usable here and why not, and the description of the one {@link #best} selects.
     */
    public static String report() {
        StringBuilder sb = new StringBuilder();
        sb.append("java     ").append(Runtime.version()).append(" (").append(System.getProperty("java.vm.name")).append(", ")
                .append(System.getProperty("java.home")).append(")\n");
        sb.append("cpus     ").append(Runtime.getRuntime().availableProcessors()).append('\n');
        for (BackendProvider p : providers()) {
            BackendProvider.Probe probe = p.probe();
            sb.append(String.format("backend  %-5s %-9s %s%n", p.name(), probe.usable() ? "usable" : "unusable", probe.detail()));
        }
        try (Backend b = best()) {
            sb.append("selected ").append(b.describe()).append('\n');
        }
        return sb.toString();
    }
}
