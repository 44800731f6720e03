package org.mixq.nn.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint that cannot be read or does not fit the model; the message is one line starting with the file. */
public final class CheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public CheckpointException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
