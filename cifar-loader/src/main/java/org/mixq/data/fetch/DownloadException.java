package org.mixq.data.fetch;

/** A download that could not be done (no network, HTTP error, full disk); the message is one line saying what to do instead. */
public final class DownloadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DownloadException(String message, Throwable cause) {
        super(message, cause);
    }

    public DownloadException(String message) {
        super(message);
    }
}
