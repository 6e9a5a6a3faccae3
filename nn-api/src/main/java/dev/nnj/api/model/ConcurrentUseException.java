package dev.nnj.api.model;

/**
 * A model was used from two threads in a way its thread-safety contract does not allow: a training call
 * ({@code forward}, {@code backward}, an optimizer step, {@code fit}, {@code loadStateDict}, {@code add},
 * {@code close}) while another thread was using the model, or an inference call while another thread was
 * training it. Thrown before anything is computed or changed, so no wrong number results; the message names
 * both threads and both calls.
 */
public final class ConcurrentUseException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception saying what was called, where, and what was running elsewhere.
     *
     * @param message what was called on which thread, and what the other thread was doing
     */
    public ConcurrentUseException(String message) {
        super(message);
    }
}
