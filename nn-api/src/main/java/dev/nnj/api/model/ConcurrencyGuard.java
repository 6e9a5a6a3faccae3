package dev.nnj.api.model;

import dev.nnj.api.layers.ModelGuard;
import dev.nnj.api.layers.Parameter;
import java.util.List;

/**
 * Internal, not API: enforces a model's thread-safety contract: inference calls ({@code predict}, {@code evaluate},
 * {@code stateDict}) may run on many threads at once; a training call ({@code forward}, {@code backward}, an
 * optimizer step, {@code fit}, {@code loadStateDict}, {@code add}, {@code close}) excludes every call from any other
 * thread. A call that breaks the rule throws {@link ConcurrentUseException} naming both threads, before it touches
 * anything.
 *
 * <p>Two finer checks catch training calls from two threads that interleave without overlapping, which would
 * otherwise mix one thread's activations or gradients into the other's step: {@code backward} must run on the
 * thread of the forward pass whose activations it uses, and an optimizer step on the thread of the backward
 * pass whose gradients it applies.
 *
 * <p>Same-thread re-entry is allowed (a training loop evaluating on its own thread). The cost is one
 * uncontended monitor per call and no allocation in the training loop, so it stays on there; an inference call
 * keeps a one-element counter per thread and model (allocated once on a pool thread, once per request on a virtual
 * thread per request), so that a thread's nested calls count once.
 *
 * <p><b>Internal:</b> public only because another nnj package uses it; not API, and it may change in any
 * release (see docs/architecture.md).
 */
public final class ConcurrencyGuard implements ModelGuard {
    private Thread trainer;
    private String trainerCall;
    private int trainingDepth;
    private int inferences;
    private Thread inferenceThread;
    private String inferenceCall;
    /** Thread of the last forward pass, whose activations the layers hold. */
    private Thread forwardThread;
    /** Thread of the last backward pass, whose gradients the parameters hold. */
    private Thread gradientThread;
    /**
     * Whether the layers hold a training forward pass's activations that no backward has used yet: an inference call
     * that runs a layer's forward pass would replace them (see {@code Sequential}'s default-infer check). Written
     * inside training calls only; read by inference calls, which exclude them.
     */
    private volatile boolean backwardPending;
    /** Forward passes run, for {@code fit} to tell whether it replaced the activations a caller left pending. */
    private long forwards;
    /**
     * Inference calls each thread is inside, nested ones included ({@code SavedModel.predict} around
     * {@code Sequential.predict}): only a thread's outermost call counts as one in flight.
     */
    private final ThreadLocal<int[]> inferenceDepth = ThreadLocal.withInitial(() -> new int[1]);

    /** A guard for one model; {@link Sequential} makes one and attaches it to its parameters. */
    ConcurrencyGuard() {
    }

    /**
     * The guard of {@code model}, for calls that span many of its methods ({@code Trainer.fit}).
     *
     * @param model a model
     * @return its guard
     */
    public static ConcurrencyGuard of(Sequential model) {
        return model.guard;
    }

    /**
     * The guard of the model that owns {@code parameters}, or null for parameters outside a model.
     *
     * @param parameters the parameters an optimizer is about to update
     * @return the owning model's guard, or null
     */
    public static ConcurrencyGuard of(List<Parameter> parameters) {
        return parameters.isEmpty() ? null : (ConcurrencyGuard) parameters.get(0).guard();
    }

    /**
     * Enters a training call; pair with {@link #exitTraining()} in a {@code finally}.
     *
     * @param call the call's name, for messages ({@code "fit"}, {@code "forward(training=true)"})
     * @throws ConcurrentUseException if another thread is training or predicting with the model
     */
    public synchronized void enterTraining(String call) {
        Thread me = Thread.currentThread();
        if (trainer == me) {
            trainingDepth++;
            return;
        }
        if (trainer != null) {
            throw conflict(call, me, trainer, doing());
        }
        if (inferences > 0) {
            if (inferenceThread == null) {   // the thread named last has left; others are still in their calls
                throw conflict(call, me, null, inferences + " inference " + (inferences == 1 ? "call is" : "calls are")
                        + " in flight");
            }
            throw conflict(call, me, inferenceThread, "is using it (" + inferenceCall + ")"
                    + (inferences > 1 ? " with " + (inferences - 1) + " more call" + (inferences > 2 ? "s" : "")
                    + " in flight" : ""));
        }
        trainer = me;
        trainerCall = call;
        trainingDepth = 1;
    }

    /**
     * Enters a training call that replaces weights, refused where another thread's training forward pass awaits its
     * backward: that backward would compute its gradient from the old pass's activations and these new weights.
     * Pair with {@link #exitTraining()}.
     *
     * @param call the call's name, for messages ({@code "loadStateDict"})
     * @throws ConcurrentUseException if another thread is using the model, or its forward pass awaits its backward
     */
    @Override
    public synchronized void enterWeightsChange(String call) {
        enterTraining(call);
        Thread me = Thread.currentThread();
        if (backwardPending && forwardThread != null && forwardThread != me) {
            exitTraining();
            throw conflict(call, me, forwardThread, "ran a training forward pass whose backward has not run yet (new"
                    + " weights now would mix into its gradient; that thread's backward, or a forward(x, false) on any"
                    + " thread, which drops the pass, comes first)");
        }
    }

    /** Leaves the training call entered last on this thread. */
    public synchronized void exitTraining() {
        if (--trainingDepth == 0) {
            trainer = null;
            trainerCall = null;
        }
    }

    /**
     * Enters an inference call; pair with {@link #exitInference()} in a {@code finally}.
     *
     * @param call the call's name, for messages ({@code "predict"})
     * @throws ConcurrentUseException if another thread is training the model
     */
    public synchronized void enterInference(String call) {
        Thread me = Thread.currentThread();
        if (trainer == me) {
            trainingDepth++;   // evaluating inside one's own training loop
            return;
        }
        if (trainer != null) {
            throw conflict(call, me, trainer, doing());
        }
        if (inferenceDepth.get()[0]++ > 0) {
            return;   // inside this thread's own inference call, which counts already
        }
        inferences++;
        inferenceThread = me;
        inferenceCall = call;
    }

    /**
     * Runs {@code body} as the inference call {@code call}: a refusal while another thread trains the model names
     * {@code call}, the call the caller made (a {@code save}), not a read inside it ({@code stateDict}).
     *
     * @param call the call's name, for messages
     * @param body what the call reads, such as {@link Sequential#stateDict()}
     * @param <T> what it returns
     * @return {@code body}'s result
     * @throws ConcurrentUseException if another thread is training the model
     */
    public <T> T inference(String call, java.util.function.Supplier<T> body) {
        enterInference(call);
        try {
            return body.get();
        } finally {
            exitInference();
        }
    }

    /** Leaves the inference call entered last on this thread. */
    public synchronized void exitInference() {
        if (trainer == Thread.currentThread()) {
            exitTraining();
        } else if (--inferenceDepth.get()[0] == 0) {
            inferences--;
            if (inferenceThread == Thread.currentThread()) {
                inferenceThread = null;   // so that a message never names a thread whose call has ended
                inferenceCall = null;
            }
        }
    }

    /**
     * Records, inside a training call, that this thread's forward pass now fills the layers' buffers.
     *
     * @param training whether it was a training pass, whose activations a backward is to use
     */
    synchronized void forwardRan(boolean training) {
        forwardThread = Thread.currentThread();
        backwardPending = training;
        forwards++;
    }

    /**
     * The forward passes run on the model so far.
     *
     * @return their count
     */
    public synchronized long forwards() {
        return forwards;
    }

    /** Records that a backward pass has used the layers' activations: they may be replaced now. */
    synchronized void backwardRan() {
        backwardPending = false;
    }

    /** Whether a training forward pass's activations await their backward (see {@link #forwardRan}). */
    boolean backwardPending() {
        return backwardPending;
    }

    /**
     * Records that no backward will use the layers' activations: the weights were put back under them (a divergence
     * rewound, a learning-rate range test undone), or the run that made them ended. An inference call may then
     * replace them.
     */
    public void activationsDropped() {
        backwardPending = false;
    }

    /**
     * Checks, inside a training call, that the layers hold this thread's forward pass, then records that the
     * parameters' gradients are now this thread's.
     */
    synchronized void backwardRuns() {
        Thread me = Thread.currentThread();
        if (forwardThread != null && forwardThread != me) {
            throw conflict("backward", me, forwardThread, "ran the last forward pass, whose activations backward"
                    + " would use");
        }
        gradientThread = me;
    }

    /**
     * Enters an optimizer step (a training call) and checks that the gradients it applies come from this
     * thread's backward pass; pair with {@link #exitTraining()}.
     *
     * @param call the optimizer, for messages
     */
    public synchronized void enterStep(String call) {
        enterTraining(call);
        Thread me = Thread.currentThread();
        if (gradientThread != null && gradientThread != me) {
            exitTraining();
            throw conflict(call, me, gradientThread, "ran the last backward pass, whose gradients the step would"
                    + " apply");
        }
    }

    /** What the thread in a training call is doing, for messages: closing is not training. */
    private String doing() {
        return "close".equals(trainerCall) ? "is closing it" : "is training it (" + trainerCall + ")";
    }

    private static ConcurrentUseException conflict(String call, Thread me, Thread other, String doing) {
        return new ConcurrentUseException(call + " called on thread '" + me.getName() + "' while "
                + (other == null ? "" : "thread '" + other.getName() + "' ") + doing + ". A model's predict/evaluate may run"
                + " on many threads at once; training it (forward, backward, optimizer steps, fit, loadStateDict,"
                + " Parameter.write) or closing it"
                + " is confined to one thread at a time and excludes every other call.");
    }
}
