package org.mixq.core;

/**
 * Service-provider interface through which {@link Backends} finds backends with
 * {@link java.util.ServiceLoader}. A provider must be cheap to construct: the expensive work
 * (loading native libraries, opening a device) happens in {@link #probe()} and {@link #create()}.
 */
public interface BackendProvider {

    /** The name users select, e.g. "cpu" or "cuda". */
    String name();

    /** Higher wins in {@link Backends#best()} among usable providers. */
    int priority();

    /** Whether the backend can run here and, if not, why, in one line. Never throws. */
    Probe probe();

    /** Creates the backend; throws {@link IllegalStateException} with the probe's reason when unusable. */
    Backend create();

    /** Result of a probe: usable or not, and a one-line reason or description. */
    record Probe(boolean usable, String detail) {
        public static Probe ok(String detail) {
            return new Probe(true, detail);
        }

        public static Probe unusable(String why) {
            return new Probe(false, why);
        }
    }
}
