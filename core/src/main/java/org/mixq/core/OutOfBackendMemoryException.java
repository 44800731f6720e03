package org.mixq.core;

/**
 * A backend has not enough memory for an allocation. The message says how much was asked, how
 * much is free, and what to do (a smaller batch); the command line reports it in one line,
 * without a stack trace.
 */
public class OutOfBackendMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OutOfBackendMemoryException(String message) {
        super(message);
    }
}
