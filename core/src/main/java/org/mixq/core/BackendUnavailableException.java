package org.mixq.core;

/**
 * A backend that was asked for (by name, or with a library it was told to use) cannot run on this
 * machine. The message says which and why in one line; the command line reports it as a user
 * error, without a stack trace.
 */
public class BackendUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public BackendUnavailableException(String message) {
        super(message);
    }
}
