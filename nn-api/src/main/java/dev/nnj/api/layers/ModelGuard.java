package dev.nnj.api.layers;

/**
 * Internal, not API: the thread-confinement check of the model that owns a {@link Parameter}: an optimizer step
 * enters it before it updates the parameters, so a step on one thread while another thread trains or predicts with
 * the same model fails fast instead of racing. The model package implements it; layers only carry it, which keeps
 * {@code layers} free of any dependency on {@code model}.
 *
 * <p><b>Internal:</b> public only because another nnj package uses it; not API, and it may change in any
 * release (see docs/architecture.md).
 */
public interface ModelGuard {

    /**
     * Enters an optimizer step; pair with {@link #exitTraining()} in a {@code finally}.
     *
     * @param call the call's name, for messages ({@code "optimizer step"})
     * @throws IllegalStateException (a {@code ConcurrentUseException}) if another thread is using the model
     */
    void enterStep(String call);

    /**
     * Enters a call that writes the model's parameters ({@link Parameter#write}); pair with
     * {@link #exitTraining()} in a {@code finally}.
     *
     * @param call the call's name, for messages
     * @throws IllegalStateException (a {@code ConcurrentUseException}) if another thread is using the model
     */
    void enterTraining(String call);

    /**
     * Enters a training call that replaces weights ({@code loadStateDict}, {@link Parameter#write}); pair with
     * {@link #exitTraining()}. Beyond {@link #enterTraining}, a guard may refuse it where another thread's training
     * forward pass awaits its backward, which would then mix these weights into that pass's gradient.
     *
     * @param call the call's name, for messages
     */
    default void enterWeightsChange(String call) {
        enterTraining(call);
    }

    /** Leaves the call entered last on this thread. */
    void exitTraining();

    /**
     * Enters a call that only reads the model's parameters ({@link Parameter#read}); pair with
     * {@link #exitInference()} in a {@code finally}.
     *
     * @param call the call's name, for messages
     * @throws IllegalStateException (a {@code ConcurrentUseException}) if another thread is training the model
     */
    void enterInference(String call);

    /** Leaves the read entered last on this thread. */
    void exitInference();
}
