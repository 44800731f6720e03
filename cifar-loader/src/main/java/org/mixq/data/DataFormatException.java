package org.mixq.data;

/**
 * A data file that is missing or does not have the expected format. The message is one line
 * that names the file and says what was expected; no partial dataset is ever returned.
 */
public final class DataFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
