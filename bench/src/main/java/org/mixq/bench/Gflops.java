package org.mixq.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * GFLOP done by a benchmark, which adds each call's work to {@link #gflop}: JMH reports it per
 * second as the secondary result {@code gflop}, GFLOP/s beside the primary ops/s.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Gflops {
    public double gflop;
}
