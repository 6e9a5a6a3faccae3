package dev.nnj.api.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model or checkpoint file that cannot be read: truncated, corrupt, hostile, or not matching the
 * architecture it declares. The message always starts with the file, and names the tensor or metadata key
 * involved where there is one, e.g. {@code model.safetensors: tensor 'dense_1.weight': shape [64, 10] does not
 * match the architecture's [64, 64]}.
 */
public final class ModelFileException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception naming the file and what is wrong in it.
     *
     * @param file    the file being read
     * @param message what is wrong, naming the tensor or key
     */
    public ModelFileException(Path file, String message) {
        super(file + ": " + message);
    }

    /**
     * An exception naming the file and what is wrong in it, with the failure under it.
     *
     * @param file    the file being read
     * @param message what is wrong, naming the tensor or key
     * @param cause   the lower-level failure
     */
    public ModelFileException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
    }

    /** As above, for a file known by a name only (a stream's, such as a class-path resource's path). */
    ModelFileException(String name, String message, Throwable cause) {
        super(name + ": " + message, cause);
    }
}
