package dev.nnj.api.optim;

import dev.nnj.api.Tensor;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.model.ConcurrencyGuard;
import dev.nnj.api.spi.Checks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * State handling shared by the optimizers: per-parameter state tensors of the parameter's shape, allocated
 * (zeroed, or filled with {@link #initialState}) at the first step on the parameter's backend, and a step counter
 * {@code t}.
 */
public abstract class AbstractOptimizer implements Optimizer {
    private float learningRate;
    private int steps;
    private List<Parameter> bound;
    /** {@code state[i][k]}: the k-th state tensor of parameter i. */
    private Tensor[][] state;
    /** The last {@link #markState()}'s copies of {@code state}, allocated at the first mark of a bound optimizer. */
    private Tensor[][] marked;
    private boolean hasMark;
    /** The last mark came before the optimizer was bound: rewinding unbinds it, as new. */
    private boolean markedUnbound;
    private int markedSteps;
    private float markedLearningRate;
    /** Whether the weight decay reaches parameters of one dimension (biases) too, as torch.optim's does. */
    private volatile boolean decayBiases = true;

    /**
     * An optimizer that starts at {@code learningRate}.
     *
     * @param learningRate the initial learning rate, positive and finite
     */
    protected AbstractOptimizer(float learningRate) {
        setLearningRate(learningRate);
    }

    @Override
    public final void step(List<Parameter> parameters) {
        Checks.requireNonNull("step", "parameters", parameters);
        // A step writes the model's parameters: a training call, confined to one thread (see Sequential).
        ConcurrencyGuard guard = ConcurrencyGuard.of(parameters);
        if (guard == null) {
            stepConfined(parameters);
            return;
        }
        guard.enterStep("optimizer step");
        try {
            stepConfined(parameters);
        } finally {
            guard.exitTraining();
        }
    }

    private void stepConfined(List<Parameter> parameters) {
        synchronized (this) {
            // Two models' threads may step one optimizer at once (each model's guard is its own): the first to bind
            // it wins and the other is refused, where both saw it unbound and the second's state replaced the first's.
            bindOrRequireBound(parameters);
        }
        if (steps == Integer.MAX_VALUE) {
            // One more would wrap to a negative t, whose bias corrections are NaN: say so, not "adamStep: NaN".
            throw new IllegalStateException(getClass().getSimpleName() + " has taken " + steps + " steps, the most "
                    + "its step counter holds; a checkpoint that says so cannot be trained on");
        }
        steps++;
        for (int i = 0; i < parameters.size(); i++) {   // index loop: no iterator per step
            update(parameters.get(i), state[i], steps);
        }
    }

    private void bindOrRequireBound(List<Parameter> parameters) {
        if (bound == null) {
            bind(parameters);
        } else if (parameters != bound && !sameParameters(parameters)) {
            String had = listed(bound);
            String got = listed(parameters);
            // Every model names its layers dense_1, dense_2, ...: the same names may be another model's parameters.
            String same = had.equals(got) ? " (the same names, other parameters: another model's, or one built "
                    + "again, as a loop over seeds or folds builds it)" : "";
            throw new IllegalArgumentException("this optimizer's state belongs to the parameters of its first step, "
                    + had + ", and this step got " + got + same + "; use one optimizer per model, and to step "
                    + "another set of a model's parameters (layers frozen or unfrozen) close() it first, which "
                    + "starts its state afresh, or give that set an optimizer of its own");
        }
    }

    /** {@code "2 (dense_2.weight, dense_2.bias)"}: a list's size and its first names. */
    private static String listed(List<Parameter> parameters) {
        StringBuilder sb = new StringBuilder().append(parameters.size()).append(" (");
        int shown = Math.min(parameters.size(), 4);
        for (int i = 0; i < shown; i++) {
            Parameter p = parameters.get(i);
            sb.append(i == 0 ? "" : ", ").append(p == null ? "null" : p.name());
        }
        return sb.append(parameters.size() > shown ? ", …)" : ")").toString();
    }

    private boolean sameParameters(List<Parameter> parameters) {
        if (parameters.size() != bound.size()) {
            return false;
        }
        for (int i = 0; i < parameters.size(); i++) {
            if (parameters.get(i) != bound.get(i)) {
                return false;
            }
        }
        return true;
    }

    private void bind(List<Parameter> parameters) {
        bound = List.copyOf(parameters);
        state = new Tensor[bound.size()][];
        int count = stateTensorsPerParameter();
        for (int i = 0; i < bound.size(); i++) {
            Tensor value = bound.get(i).value();
            state[i] = new Tensor[count];
            for (int k = 0; k < count; k++) {
                state[i][k] = value.backend().zeros(value.shape());
                if (initialState(k) != 0f) {
                    value.backend().fill(state[i][k], initialState(k));
                }
            }
        }
    }

    @Override
    public final boolean markState() {
        hasMark = true;
        markedSteps = steps;
        markedLearningRate = learningRate;
        markedUnbound = state == null;
        if (!markedUnbound) {
            if (marked == null) {
                marked = zerosLike(state);
            }
            copyState(state, marked);
        }
        return true;
    }

    @Override
    public final void rewindState() {
        if (!hasMark) {
            throw new IllegalStateException("rewindState: " + describe()
                    + " has no mark to go back to; call markState() first (close() drops the mark)");
        }
        if (markedUnbound) {
            freeState();
        } else {
            copyState(marked, state);
        }
        steps = markedSteps;
        learningRate = markedLearningRate;
    }

    private static Tensor[][] zerosLike(Tensor[][] tensors) {
        Tensor[][] copies = new Tensor[tensors.length][];
        for (int i = 0; i < tensors.length; i++) {
            copies[i] = new Tensor[tensors[i].length];
            for (int k = 0; k < tensors[i].length; k++) {
                copies[i][k] = tensors[i][k].backend().zeros(tensors[i][k].shape());
            }
        }
        return copies;
    }

    /** Device copies, tensor by tensor; index loops, so that a mark per epoch allocates nothing. */
    private static void copyState(Tensor[][] from, Tensor[][] to) {
        for (int i = 0; i < from.length; i++) {
            for (int k = 0; k < from[i].length; k++) {
                from[i][k].backend().copy(from[i][k], to[i][k]);
            }
        }
    }

    @Override
    public final OptimizerState exportState() {
        Map<String, List<float[]>> slots = new LinkedHashMap<>();
        if (bound != null) {
            for (int i = 0; i < bound.size(); i++) {
                List<float[]> tensors = new ArrayList<>();
                for (Tensor t : state[i]) {
                    tensors.add(t.toArray());
                }
                slots.put(bound.get(i).name(), tensors);
            }
        }
        return new OptimizerState(getClass().getSimpleName(), steps, learningRate, slots);
    }

    @Override
    public final void importState(List<Parameter> parameters, OptimizerState saved) {
        String kind = getClass().getSimpleName();
        if (!kind.equals(saved.kind())) {
            throw new IllegalArgumentException("the saved state is " + saved.kind() + "'s; this optimizer is " + kind);
        }
        if (bound != null && !sameParameters(parameters)) {
            throw new IllegalArgumentException("this optimizer's state belongs to other parameters");
        }
        int count = stateTensorsPerParameter();
        boolean fresh = saved.steps() == 0 && saved.slots().isEmpty();
        if (!fresh) {
            for (Parameter p : parameters) {   // everything is checked before anything is written
                List<float[]> tensors = saved.slots().get(p.name());
                // Plain SGD keeps no tensors: its saved state is the step count and the rate, nothing per parameter.
                int have = tensors == null ? 0 : tensors.size();
                if (have != count) {
                    throw new IllegalArgumentException("the saved " + kind + " state has "
                            + (have == 0 ? "no" : have) + " tensors for " + p.name() + ", expected " + count);
                }
                for (int k = 0; tensors != null && k < tensors.size(); k++) {
                    float[] t = tensors.get(k);
                    if (t.length != p.size()) {
                        throw new IllegalArgumentException("a saved state tensor of " + p.name() + " has " + t.length
                                + " values, the parameter " + p.size());
                    }
                    String sumOfSquares = sumOfSquaresSlot(k);
                    for (int i = 0; sumOfSquares != null && i < t.length; i++) {
                        if (!(t[i] >= 0)) {   // a running average or sum of squares is never negative
                            throw new IllegalArgumentException("the saved " + kind + " state's " + sumOfSquares
                                    + " of " + p.name() + " is " + t[i] + " at " + i + "; it is a sum of squares, "
                                    + "never negative");
                        }
                    }
                }
            }
            if (count > 0 && saved.slots().size() != parameters.size()) {
                throw new IllegalArgumentException("the saved state covers " + saved.slots().keySet()
                        + ", the model has " + parameters.size() + " parameters");
            }
        }
        if (bound == null) {
            bind(parameters);
        }
        for (int i = 0; i < bound.size(); i++) {
            for (int k = 0; k < count; k++) {
                if (fresh) {
                    state[i][k].backend().fill(state[i][k], initialState(k));
                } else {
                    state[i][k].copyFrom(saved.slots().get(bound.get(i).name()).get(k), 0);
                }
            }
        }
        steps = saved.steps();
        setLearningRate(saved.learningRate());
    }

    /**
     * The name of state tensor {@code k} when it holds a (running average or sum of) squared gradients, which a saved
     * state may not hold negative: Adam's second moment, RMSprop's square average, AdaGrad's sum. A negative one
     * would only show at the first step, as a NaN blamed on the training.
     *
     * @param k the state tensor's index, from 0
     * @return its name, or null for a tensor that may hold any value (a first moment, a momentum buffer)
     */
    protected String sumOfSquaresSlot(int k) {
        return null;
    }

    /**
     * The value state tensor {@code k} starts from, before the first step: 0 (the default), or AdaGrad's
     * {@code initial_accumulator_value}.
     *
     * @param k the state tensor's index, from 0
     * @return its starting value, the same for every element
     */
    protected float initialState(int k) {
        return 0f;
    }

    /**
     * How many state tensors each parameter needs (0 for plain SGD, 2 for Adam, …).
     *
     * @return the number of state tensors, each shaped like the parameter
     */
    protected abstract int stateTensorsPerParameter();

    /**
     * Updates one parameter; {@code t} is the 1-based step number.
     *
     * @param p the parameter, its gradient filled
     * @param state this parameter's state tensors, {@link #initialState} (zero) before the first step
     * @param t the step number, 1 for the first step
     */
    protected abstract void update(Parameter p, Tensor[] state, int t);

    @Override
    public final float learningRate() {
        return learningRate;
    }

    @Override
    public final void setLearningRate(float learningRate) {
        if (!(learningRate > 0f) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive finite number, got " + learningRate);
        }
        this.learningRate = learningRate;
    }

    @Override
    public final int steps() {
        return steps;
    }

    /**
     * Whether the weight decay reaches the biases (parameters of one dimension) as well as the weight matrices. On by
     * default, as {@code torch.optim} decays every parameter it is given. Off, only the weight matrices are decayed:
     * what Keras's {@code kernel_regularizer} does (it leaves the biases alone) and what PyTorch code gets from a
     * second parameter group, {@code {"params": biases, "weight_decay": 0}}; a bias is a shift, which the penalty
     * only pulls towards 0 without making the model simpler. Recorded in a checkpoint's hyperparameters when off.
     * Takes effect at the next step.
     *
     * @param decayBiases false to leave biases out of the weight decay
     */
    public final void setDecayBiases(boolean decayBiases) {
        this.decayBiases = decayBiases;
    }

    /**
     * Whether the weight decay reaches the biases too ({@link #setDecayBiases}).
     *
     * @return true (the default) when every parameter is decayed
     */
    public final boolean decaysBiases() {
        return decayBiases;
    }

    /**
     * The weight decay {@code p} gets: {@code weightDecay}, or 0 for a bias (one dimension) when
     * {@link #setDecayBiases} turned biases off.
     *
     * @param p the parameter
     * @param weightDecay the optimizer's weight decay
     * @return the decay to apply to {@code p}
     */
    protected final float weightDecayOf(Parameter p, float weightDecay) {
        return decayBiases || p.value().rank() > 1 ? weightDecay : 0f;
    }

    /**
     * Adds {@code decay_biases: false} to {@code hyperparameters} when biases are left out of a positive weight decay,
     * so that a checkpoint resumes only into an optimizer set the same way; nothing otherwise (checkpoints from before
     * the setting still resume, and without decay the setting changes nothing).
     *
     * @param hyperparameters the optimizer's hyperparameters, as {@link #hyperparameters()} returns them
     * @param weightDecay the optimizer's weight decay
     * @return {@code hyperparameters}
     */
    protected final Map<String, String> withDecayScope(Map<String, String> hyperparameters, float weightDecay) {
        if (!decayBiases && weightDecay > 0) {
            hyperparameters.put("decay_biases", "false");
        }
        return hyperparameters;
    }

    /**
     * {@code ", biases not decayed"} for {@link #describe()} when biases are left out of a positive weight decay.
     *
     * @param weightDecay the optimizer's weight decay
     * @return the words, or an empty string
     */
    protected final String describeDecayScope(float weightDecay) {
        return !decayBiases && weightDecay > 0 ? ", biases not decayed" : "";
    }

    /**
     * Checks a hyperparameter.
     *
     * @param name the name used in the message
     * @param value the value to check
     * @param low the smallest allowed value
     * @param high the largest allowed value
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} is outside {@code [low, high]} or NaN
     */
    protected static float checkRange(String name, float value, float low, float high) {
        if (!(value >= low && value <= high)) {
            throw new IllegalArgumentException(name + " must be in [" + low + ", " + high + "], got " + value);
        }
        return value;
    }

    /**
     * Frees the state tensors and resets the step count: the optimizer is as new, and a later
     * {@link #step} starts over (fresh state, {@code t = 1}), on the same or other parameters.
     */
    @Override
    public void close() {
        steps = 0;
        freeState();
        hasMark = false;
        closeAll(marked);
        marked = null;
    }

    /** Unbinds the optimizer and frees its state tensors; the mark, if any, stays. */
    private void freeState() {
        closeAll(state);
        state = null;
        bound = null;
    }

    private static void closeAll(Tensor[][] tensors) {
        if (tensors != null) {
            for (Tensor[] s : tensors) {
                for (Tensor t : s) {
                    t.close();
                }
            }
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
