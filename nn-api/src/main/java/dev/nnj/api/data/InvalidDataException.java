package dev.nnj.api.data;

/**
 * Data that cannot be used as given: a non-finite value, a target row that is not a probability
 * distribution, labels that are not class indices, text that is not numeric CSV. The message names the
 * place (row and column, or line and column) and what was expected there.
 *
 * <p>It is an {@link IllegalArgumentException}, so code that already catches bad arguments catches it too.
 */
public class InvalidDataException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception saying where the data went wrong.
     *
     * @param message where the problem is and what was expected
     */
    public InvalidDataException(String message) {
        super(message);
    }

    /**
     * An exception saying where the data went wrong, with the failure under it.
     *
     * @param message where the problem is and what was expected
     * @param cause   the lower-level failure (a decoding error, for example)
     */
    public InvalidDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
