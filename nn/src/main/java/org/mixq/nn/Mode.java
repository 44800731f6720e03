package org.mixq.nn;

/** Whether a forward pass trains (batch statistics, saved state for backward) or evaluates. */
public enum Mode {
    /** Batch normalization uses and updates batch statistics; backward may follow. */
    TRAIN,
    /** Batch normalization uses its running statistics; no backward follows. */
    EVAL
}
