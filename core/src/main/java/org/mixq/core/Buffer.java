package org.mixq.core;

/** Backend-owned storage of float32 elements; released by {@link #close()}. */
public interface Buffer extends AutoCloseable {
    /** Capacity in float elements. */
    long capacity();

    @Override
    void close();
}
