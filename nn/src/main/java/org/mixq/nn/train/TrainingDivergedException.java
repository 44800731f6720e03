package org.mixq.nn.train;

/** The loss became NaN or infinite; the message names the step and the last good checkpoint. */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrainingDivergedException(String message) {
        super(message);
    }
}
