package dev.nnj.api.model;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.HostMemory;
import dev.nnj.api.LossKind;
import dev.nnj.api.Tensor;
import dev.nnj.api.data.DataChecks;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.internal.BatchBuffers;
import dev.nnj.api.layers.Layer;
import dev.nnj.api.layers.MemoryPlan;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.spi.AbstractTensor;
import dev.nnj.api.spi.Checks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A feed-forward network: layers applied one after another, {@code a⁽ˡ⁾ = layerₗ(a⁽ˡ⁻¹⁾)}, with
 * {@code a⁽⁰⁾ = x} of shape {@code (N, inputWidth)}.
 *
 * <pre>{@code
 * try (Backend backend = Backends.best();
 *      Sequential model = new Sequential(backend, 64, 42)) {
 *     model.add(new Dense(64, Activation.SIGMOID, Initializer.normal(0, 1), Initializer.zeros()))
 *          .add(new Dense(10, Activation.SOFTMAX));
 *     System.out.println(model.summary());
 * }
 * }</pre>
 *
 * <p>One training step is {@link #forward(Tensor, boolean) forward(x, true)}, then
 * {@link #backward(Loss, Tensor)}, then {@code optimizer.step(model.parameters())}; {@link
 * dev.nnj.api.train.Trainer} runs that loop over epochs and batches. Parameters are named
 * {@code <layer>.<role>} ({@code dense_1.weight}, {@code dense_1.bias}) and readable and writable as
 * {@code float[]}. The model owns its layers: {@link #close()} frees every parameter and buffer, and after it
 * every call that would use them (fit, evaluate, predict, summary, the state dicts, add) throws
 * {@link IllegalStateException} {@code model is closed}.
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li><b>Inference is safe from many threads at once</b>: {@link #predict(float[], int)},
 *       {@link #predict(Tensor, Tensor)}, {@link #predict(Tensor)}, both {@code evaluate} methods and
 *       {@link #stateDict()} on a trained model give the same numbers as one thread would. Each call takes
 *       its own scratch buffers from a pool and only reads the parameters. On the cpu backend the calls run
 *       in parallel; on cuda they are correct but take turns on the device.</li>
 *   <li><b>Training is confined to one thread at a time</b>: {@link #forward forward}, {@link #backward}, an optimizer
 *       step on {@link #parameters()}, {@code Trainer.fit}, {@link #loadStateDict}, {@link #add} and
 *       {@link #close()} exclude every call from another thread. Such a call while another thread uses the
 *       model, or an inference call while another thread trains it, throws {@link ConcurrentUseException}
 *       naming both threads, before anything is computed: never a wrong number. {@code backward} must run on
 *       the thread of the forward pass it follows, and a step on the thread of the backward pass it follows.
 *       A model may move between threads (train on one, serve on others) as long as the calls do not
 *       overlap.</li>
 *   <li>Two models on one backend are independent: each may be trained or used on its own thread.</li>
 * </ul>
 */
public final class Sequential implements AutoCloseable {
    /** A layer's {@link Layer#type()}: a lower-case kind, the start of its names ({@code dense} in {@code dense_1}). */
    private static final java.util.regex.Pattern LAYER_TYPE = java.util.regex.Pattern.compile("[a-z][a-z0-9_]*");

    private final Backend backend;
    private final int inputWidth;
    private final Random random;
    private final List<Layer> layers = new ArrayList<>();
    private final Map<String, Integer> typeCounts = new HashMap<>();
    private final Map<String, Parameter> parametersByName = new LinkedHashMap<>();
    private List<Parameter> parameters = List.of();
    private int outputWidth;
    private BatchBuffers lossGradients;
    private Tensor lastOutput;
    /**
     * The last two target tensors {@link #backward} checked for {@link #checkedLoss} ({@link #requireRowsSumToOne}),
     * with their write counts then ({@link AbstractTensor#writes}): a training loop that passes the same ones
     * batch after batch (two: its full batches' and its last, shorter one's) has each read once, not every step (on a
     * GPU every read is a copy to the host); one that refills them ({@code copyFrom}) has each batch's values read.
     */
    private Tensor checkedTarget;
    private long checkedTargetWrites;
    private Tensor checkedTargetBefore;
    private long checkedTargetBeforeWrites;
    /** Host copies of the targets checked ({@link #hostTargets}); null until the first. */
    private float[] hostTargets;
    private float[] hostTargetsOther;
    private Loss checkedLoss;
    /** Enforces the threading rules of the class comment. */
    final ConcurrencyGuard guard = new ConcurrencyGuard();
    /** The thread-safe inference path, with its pool of per-call scratch buffers. */
    private final Inference inference;
    private volatile boolean closed;   // read by isClosed() from other threads

    /**
     * An empty model whose input rows have {@code inputWidth} features; add layers with {@link #add}.
     *
     * @param backend    where parameters live and ops run
     * @param inputWidth number of input features
     * @param seed       seeds every layer's initializer (and dropout masks), so a model is reproducible; a
     *                   {@code java.util.Random} seed, of which the low 48 bits count
     * @throws NullPointerException if {@code backend} is null
     * @throws IllegalArgumentException if {@code inputWidth < 1}
     * @throws IllegalStateException if {@code backend} is closed
     */
    public Sequential(Backend backend, int inputWidth, long seed) {
        Checks.requireNonNull("Sequential", "backend", backend);
        if (inputWidth <= 0) {
            throw new IllegalArgumentException("inputWidth must be positive, got " + inputWidth);
        }
        if (backend.isClosed()) {
            throw new IllegalStateException("Sequential: the " + backend.name() + " backend is closed; build the model "
                    + "on an open backend");
        }
        this.backend = backend;
        this.inputWidth = inputWidth;
        this.outputWidth = inputWidth;
        this.random = new Random(seed);
        this.inference = new Inference(backend, inputWidth);
    }

    /**
     * Appends a layer, builds it for the current output width, and names it ({@code dense_2}).
     *
     * @param layer an unbuilt layer
     * @return this model, for chaining
     * @throws NullPointerException if {@code layer} is null
     * @throws IllegalStateException if the model is closed, or the layer is already in a model
     * @throws IllegalArgumentException if one of the layer's parameters has the name of a parameter the model
     *         already has, or of another of its own ({@link Parameter#name()} is unique in a model), naming both
     *         layers; the model is unchanged, and the layer, built, is not added (close it); or if the layer's
     *         {@link Layer#type()} is not a lower-case kind ({@code [a-z][a-z0-9_]*}), before it is built
     */
    public Sequential add(Layer layer) {
        Checks.requireNonNull("add", "layer", layer);
        guard.enterTraining("add");
        try {
            return addConfined(layer);
        } finally {
            guard.exitTraining();
        }
    }

    private Sequential addConfined(Layer layer) {
        checkOpen();
        String type = layer.type();
        if (type == null || !LAYER_TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("add: " + layer.getClass().getName() + ".type() is "
                    + (type == null ? "null" : "'" + type + "'") + "; a layer's type is its lower-case kind, as "
                    + "'dense' or 'layer_norm' (a letter, then letters, digits or _): the model names the layer after "
                    + "it (dense_1), and the state dict, model files and checkpoints key its parameters by that name");
        }
        int index = typeCounts.getOrDefault(type, 0) + 1;
        String name = type + "_" + index;
        int width = layer.build(backend, name, outputWidth, random);
        requireNewParameterNames(layer);
        // Only now, with the layer accepted, does the model change.
        typeCounts.put(type, index);
        outputWidth = width;
        layers.add(layer);
        List<Parameter> all = new ArrayList<>(parameters);
        for (Parameter p : layer.parameters()) {
            parametersByName.put(p.name(), p);
            p.attach(guard);
            all.add(p);
        }
        parameters = Collections.unmodifiableList(all);
        // Buffers sized by the output width start afresh for the new last layer.
        closeAll(lossGradients);
        lossGradients = new BatchBuffers(outputWidth);
        inference.reset(layers);
        return this;
    }

    /**
     * Refuses a layer with a parameter name the model already has, or two of its own: the state dict, model files
     * and optimizer state are keyed by name, so one of the two would be silently dropped and a round trip would
     * load the other's values into both. A composite layer that names its inner layers as the model would
     * ({@code dense_1}) collides with the model's own.
     */
    private void requireNewParameterNames(Layer layer) {
        Set<String> own = new HashSet<>();
        for (Parameter p : layer.parameters()) {
            String what = null;
            if (parametersByName.containsKey(p.name())) {
                what = "as layer " + owner(p.name()) + " does";
            } else if (!own.add(p.name())) {
                what = "twice";
            }
            if (what != null) {
                throw new IllegalArgumentException("add: layer " + layer.name() + " (" + layer.getClass().getName()
                        + ") has a parameter named '" + p.name() + "' " + what + "; parameter names must be unique in "
                        + "a model (stateDict, model files and optimizer state are keyed by them): name a layer's "
                        + "parameters after the name the model gives it (" + layer.name() + ".<role>, or "
                        + layer.name() + ".<inner>.<role> for an inner layer). The layer is built but not added: "
                        + "close it");
            }
        }
    }

    /** The name of the model's layer holding the parameter {@code parameterName}. */
    private String owner(String parameterName) {
        for (Layer l : layers) {
            for (Parameter p : l.parameters()) {
                if (p.name().equals(parameterName)) {
                    return l.name();
                }
            }
        }
        return "?";
    }

    /**
     * Forward pass of a batch {@code x} of shape {@code (N, inputWidth)}; returns {@code (N, outputWidth)},
     * a buffer owned by the last layer (valid until the next forward with the same batch size).
     * A training call, confined to one thread (see the class comment), with either value of
     * {@code training}: it fills the layers' buffers that {@link #backward} reads; for inference from many
     * threads use {@link #predict}.
     *
     * @param x the input batch
     * @param training whether dropout is active
     * @return the output batch
     * @throws NullPointerException if {@code x} is null
     * @throws IllegalArgumentException if {@code x} is not {@code (N, inputWidth)}
     * @throws IllegalStateException if the model is closed or has no layers
     */
    public Tensor forward(Tensor x, boolean training) {
        Checks.requireNonNull("forward", "x", x);
        guard.enterTraining(training ? "forward(training=true)" : "forward(training=false)");
        try {
            Tensor out = forwardConfined(x, training);
            guard.forwardRan(training);
            return out;
        } finally {
            guard.exitTraining();
        }
    }

    private Tensor forwardConfined(Tensor x, boolean training) {
        checkOpen();
        if (layers.isEmpty()) {
            throw new IllegalStateException("the model has no layers");
        }
        if (x.cols() != inputWidth) {
            throw new IllegalArgumentException("model input must be (N, " + inputWidth + "), got "
                    + Checks.toString(x.shape()));
        }
        Tensor a = x;
        for (int i = 0; i < layers.size(); i++) {   // index loop: no iterator per step
            a = layers.get(i).forward(a, training);
        }
        lastOutput = a;
        return a;
    }

    /**
     * Backpropagation after {@link #forward forward}: computes {@code ∂L/∂output} for {@code target} of shape
     * {@code (N, outputWidth)} and runs every layer's backward pass in reverse, which sets all parameter
     * gradients. Where the last activation fuses with the loss (softmax + categorical cross-entropy, sigmoid
     * + binary cross-entropy), backpropagation starts from the article's {@code a − y} instead, divided by
     * {@code N} ({@code N·C} for binary cross-entropy) as the gradient of the mean loss.
     *
     * <p>On the fused softmax + categorical cross-entropy path, the first time a target tensor is passed its rows
     * are checked as {@link dev.nnj.api.train.Trainer#fit} checks a dataset's: probabilities summing to 1, since
     * {@code a − y} is the gradient only then. A loop that passes the same tensor every step (or the same two: its
     * full batches' and its last, shorter batch's) is checked once per tensor, and again each time it refills one
     * ({@code copyFrom}): a copy to the host on a GPU, into a buffer the model keeps, so that the step allocates
     * nothing. The other paths compute the chosen loss's own gradient for any finite targets, and read none.
     *
     * <p>The layers read what their forward pass kept (a Dense layer its input {@code x}, for {@code ∂L/∂W}): a batch
     * tensor written between forward and backward, by {@code copyFrom} or as a backend op's output
     * ({@code Backend.copy}, {@code fill}, another model's forward pass into the output this model took as its input),
     * is refused rather than mixed into a gradient of two batches.
     *
     * <p>Unlike {@code fit} and {@code evaluate}, {@code backward} does not refuse a loss that does not suit the
     * model's output (a categorical cross-entropy after a sigmoid): the gradient is that loss's own, right for the
     * function, and the conformance tests use such pairs to test the unfused path. A hand-written training loop
     * calls {@link #requireUsableWith} once, before its first step, for the check {@code fit} makes.
     *
     * @param loss the loss whose gradient starts the pass
     * @param target the expected output of the last forward batch
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the model is closed, or no forward pass came before, or a tensor the forward
     *         pass kept was written since ({@code copyFrom}, or an op's output), naming the layer
     * @throws dev.nnj.api.data.InvalidDataException on the fused categorical path, a target row that does not sum to
     *         1, a value outside {@code [0, 1]}, NaN or infinity, naming its row
     */
    public void backward(Loss loss, Tensor target) {
        Checks.requireNonNull("backward", "loss", loss);
        Checks.requireNonNull("backward", "target", target);
        guard.enterTraining("backward");
        try {
            guard.backwardRuns();
            backwardConfined(loss, target, null, null);
            guard.backwardRan();   // not before: a backward refused (a wrong target) may be run again, and needs them
        } finally {
            guard.exitTraining();
        }
    }

    /**
     * {@link #backward(Loss, Tensor) backward} on the targets of the batch {@code loader} has just loaded. Its
     * targets are checked on the host, in the {@link Dataset} they come from ({@link Dataset#requireUsableWith}, once
     * per data set and loss), so no target tensor is read back from the backend: a copy to the host per fit on a
     * GPU. {@link dev.nnj.api.train.Trainer} trains this way. A loader with row weights (class or sample
     * weights) weights each row's gradient by its own ({@link BatchLoader#rowWeights()}).
     *
     * @param loss   the loss whose gradient starts the pass
     * @param loader the loader whose current batch the last {@link #forward forward} ran on
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the model is closed, or no forward pass came before
     * @throws dev.nnj.api.data.InvalidDataException on the fused categorical path, for the loader's data set's
     *         targets as {@link Dataset#requireUsableWith} says
     */
    public void backward(Loss loss, BatchLoader loader) {
        Checks.requireNonNull("backward", "loss", loss);
        Checks.requireNonNull("backward", "loader", loader);
        guard.enterTraining("backward");
        try {
            guard.backwardRuns();
            backwardConfined(loss, loader.targets(), loader.data(), loader.rowWeights());
            guard.backwardRan();
        } finally {
            guard.exitTraining();
        }
    }

    /**
     * {@code source}: the data set {@code target} was loaded from, checked on the host instead; null for a tensor.
     * {@code rowWeights}: each row's weight (its class weight times its sample weight, {@code Trainer.rowWeights}) in
     * every column, multiplied into {@code ∂L/∂output}; null for none.
     */
    private void backwardConfined(Loss loss, Tensor target, Dataset source, Tensor rowWeights) {
        checkOpen();
        if (lastOutput == null) {
            throw new IllegalStateException("backward called before forward");
        }
        if (target.rows() != lastOutput.rows() || target.cols() != lastOutput.cols()) {
            throw new IllegalArgumentException("target must match the output " + Checks.toString(lastOutput.shape())
                    + ", got " + Checks.toString(target.shape()));
        }
        int n = layers.size();
        Layer last = layers.get(n - 1);
        boolean fused = loss.fusesWith(last.outputActivation());
        if (fused && loss.targetRules() == LossKind.CATEGORICAL_CROSS_ENTROPY) {
            if (source != null) {
                source.requireUsableWith("training set", loss.targetRules());   // on the host, once per loss
            } else if (!checked(loss, target)) {
                requireRowsSumToOne(loss, target);
                checkedTargetBefore = loss == checkedLoss ? checkedTarget : null;
                checkedTargetBeforeWrites = checkedTargetWrites;
                checkedTarget = target;
                checkedTargetWrites = AbstractTensor.writesOf(target);
                checkedLoss = loss;
            }
        }
        Tensor grad = lossGradients.get(backend, lastOutput.rows());
        loss.gradient(backend, lastOutput, target, fused, grad);
        if (rowWeights != null) {
            // Row i's loss counts w_i times: ∂(w_i ℓ_i)/∂output_i = w_i ∂ℓ_i/∂output_i, the same on the fused path.
            backend.multiply(grad, rowWeights, grad);
        }
        Tensor g = fused ? last.backwardFromPreActivation(grad, n > 1) : last.backward(grad, n > 1);
        for (int i = n - 2; i >= 0; i--) {
            g = layers.get(i).backward(g, i > 0);   // the first layer needs no input gradient
        }
    }

    /**
     * Inference into a new tensor: the model's output {@code (N, outputWidth)} for {@code x}
     * {@code (N, inputWidth)}. Safe from many threads at once.
     *
     * <p>The tensor's values are not checked: finding a NaN in it would take a copy to the host.
     * {@link #predict(float[], int)} checks its inputs and outputs.
     *
     * @param x the input batch, on this model's backend
     * @return a new tensor owned by the caller, who closes it
     * @throws NullPointerException if {@code x} is null
     * @throws IllegalArgumentException if {@code x} is on another backend or has another width
     * @throws IllegalStateException if the model is closed or has no layers, or {@code x} is closed,
     *         or a layer without an infer of its own would replace a training forward pass's activations
     *         before their backward
     */
    public Tensor predict(Tensor x) {
        Checks.requireNonNull("predict", "x", x);
        checkOpen();
        Checks.requireOn(backend, "predict", "x", x);   // before the output is made on the backend
        Tensor out = backend.zeros(x.rows(), outputWidth);
        try {
            predict(x, out);
        } catch (RuntimeException | Error e) {
            out.close();
            throw e;
        }
        return out;
    }

    /**
     * Inference into a caller-provided output (sets): {@code out} {@code (N, outputWidth)} for {@code x}
     * {@code (N, inputWidth)}. Safe from many threads at once.
     *
     * <p>The tensors' values are not checked (see {@link #predict(Tensor)}).
     *
     * @param x   the input batch, on this model's backend
     * @param out where the predictions go, on this model's backend
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a tensor is on another backend or has the wrong shape
     * @throws IllegalStateException if the model is closed or has no layers, or a tensor is closed,
     *         or a layer without an infer of its own would replace a training forward pass's activations
     *         before their backward
     */
    public void predict(Tensor x, Tensor out) {
        Checks.requireNonNull("predict", "x", x);
        Checks.requireNonNull("predict", "out", out);
        guard.enterInference("predict");
        try {
            checkInference("predict", x);
            requireActivationsKept("predict");
            Checks.requireOn(backend, "predict", "out", out);
            Checks.requireMatrix("predict", "out", out, x.rows(), outputWidth);
            inference.predict(x, out);
        } finally {
            guard.exitInference();
        }
    }

    /**
     * Inference from host data. Safe from many threads at once. The rows go through the layers 4,096 at a time.
     * A warm call allocates only its result when its batch size is one of the last six this thread's scratch
     * set has seen (a service's few batch sizes); another size makes its buffers anew. What an idle scratch set
     * keeps for the next call is at most 4 MiB of buffers, whatever one call needed.
     *
     * <p>At least one row: like {@code fit} and {@code evaluate}, which refuse an empty data set, and like a
     * tensor, which has no zero dimension, an empty batch is an error rather than an empty result.
     *
     * @param features {@code rows × inputWidth} values, row-major
     * @param rows     number of samples, at least 1
     * @return {@code rows × outputWidth} predictions, row-major
     * @throws IllegalArgumentException if {@code rows < 1} ({@code predict: rows must be at least 1, got 0}) or
     *         {@code features} does not hold {@code rows × inputWidth} values
     * @throws dev.nnj.api.data.InvalidDataException for a feature that is not finite, naming the row and column
     * @throws ArithmeticException when finite features give a NaN or infinite output (a value overflowed float32
     *         inside the model), naming the row
     * @throws IllegalStateException if the model is closed or has no layers,
     *         or a layer without an infer of its own would replace a training forward pass's activations
     *         before their backward
     * @throws NullPointerException if {@code features} is null
     */
    public float[] predict(float[] features, int rows) {
        Checks.requireNonNull("predict", "features", features);
        guard.enterInference("predict");
        try {
            checkOpen();
            checkLayers();
            requireActivationsKept("predict");
            if (rows < 1) {
                throw new IllegalArgumentException("predict: rows must be at least 1, got " + rows);
            }
            if (features.length != (long) rows * inputWidth) {
                throw new IllegalArgumentException("predict: expected " + rows + " x " + inputWidth + " = "
                        + ((long) rows * inputWidth) + " features, got " + features.length);
            }
            DataChecks.requireFinite("predict: features", features, inputWidth);
            MemoryPlan.requireBatch(backend, inputWidth, layers, Math.min(rows, Inference.PREDICT_SLICE_ROWS), false,
                    "prediction batch");
            // Tested here first so that a call within the limit builds no message string.
            if ((long) rows * outputWidth > HostMemory.MAX_ARRAY_ELEMENTS) {
                HostMemory.requireElements("predict: the " + rows + " x " + outputWidth + " predictions",
                        (long) rows * outputWidth);
            }
            float[] out = inference.predict(features, rows);
            int bad = DataChecks.firstNonFinite(out);
            if (bad >= 0) {
                throw nonFiniteOutput(features, out, bad);
            }
            return out;
        } finally {
            guard.exitInference();
        }
    }

    /**
     * Mean loss and accuracy on device tensors. Accuracy is measured only when the rows of {@code y} are
     * classes (one-hot, or 0/1 for one output; see {@link Evaluation}), else it is NaN; to find out, {@code y}
     * is copied to the host once per call, and checked against the loss as {@link #evaluate(Dataset, Loss, int)}
     * checks a data set's targets: finite, and for a cross-entropy in {@code [0, 1]}, each categorical row summing
     * to 1 (a multi-hot row would get a loss that is no cross-entropy of a distribution).
     * {@link #evaluate(Tensor, Tensor, Loss, boolean)} saves that copy, and the checks, for a caller who knows.
     * Safe from many threads at once.
     *
     * @param x    inputs {@code (N, inputWidth)}
     * @param y    targets {@code (N, outputWidth)}
     * @param loss the loss to average
     * @return the loss and accuracy over the {@code N} rows
     * @throws IllegalStateException if the model is closed or has no layers,
     *         or a layer without an infer of its own would replace a training forward pass's activations
     *         before their backward
     * @throws IllegalArgumentException if a shape does not match, or the loss needs an output activation the
     *         model does not end in (see {@link #requireUsableWith})
     * @throws dev.nnj.api.data.InvalidDataException for targets the loss cannot use, naming the row and column
     * @throws NullPointerException if an argument is null
     */
    public Evaluation evaluate(Tensor x, Tensor y, Loss loss) {
        return evaluate(x, y, loss, null);
    }

    /**
     * Mean loss, and accuracy when the caller says the targets are classes, on device tensors; nothing is read
     * back but the two sums, so the targets are not checked against the loss (as {@link #evaluate(Tensor, Tensor,
     * Loss)} checks them): targets a cross-entropy cannot use give a number that is no such loss.
     * {@code classTargets} is what {@link Dataset#hasClassTargets()} says of the data
     * {@code y} came from: true counts correct rows as {@link Evaluation} defines them, false leaves the
     * accuracy NaN. Safe from many threads at once.
     *
     * @param x            inputs {@code (N, inputWidth)}
     * @param y            targets {@code (N, outputWidth)}
     * @param loss         the loss to average
     * @param classTargets whether the rows of {@code y} are classes, so that accuracy is defined
     * @return the loss and accuracy (or NaN) over the {@code N} rows
     * @throws IllegalStateException if the model is closed or has no layers,
     *         or a layer without an infer of its own would replace a training forward pass's activations
     *         before their backward
     * @throws IllegalArgumentException if a shape does not match, or the loss needs an output activation the
     *         model does not end in (see {@link #requireUsableWith})
     * @throws NullPointerException if an argument is null
     */
    public Evaluation evaluate(Tensor x, Tensor y, Loss loss, boolean classTargets) {
        return evaluate(x, y, loss, Boolean.valueOf(classTargets));
    }

    /** Both tensor forms: {@code classTargets} null reads {@code y} back, checks it and finds out. */
    private Evaluation evaluate(Tensor x, Tensor y, Loss loss, Boolean classTargets) {
        Checks.requireNonNull("evaluate", "x", x);
        Checks.requireNonNull("evaluate", "y", y);
        Checks.requireNonNull("evaluate", "loss", loss);
        guard.enterInference("evaluate");
        try {
            checkInference("evaluate", x);
            requireActivationsKept("evaluate");
            checkOutputFor(loss);
            Checks.requireOn(backend, "evaluate", "y", y);
            Checks.requireMatrix("evaluate", "y", y, x.rows(), outputWidth);
            boolean classes;
            if (classTargets == null) {
                float[] targets = y.toArray();
                requireTargetsFor(loss, "evaluate: y", targets, y.cols());
                classes = DataChecks.firstNonClassRow(targets, y.cols()) < 0;
            } else {
                classes = classTargets;
            }
            return inference.evaluate(x, y, loss, classes);
        } finally {
            guard.exitInference();
        }
    }

    /**
     * Mean loss and accuracy on a host data set, evaluated in batches of at most {@code batchSize}. The data
     * is checked against the loss first ({@link Dataset#requireUsableWith}). Accuracy is measured only when
     * {@link Dataset#hasClassTargets()}, else it is NaN (see {@link Evaluation}). Safe from many threads at
     * once.
     *
     * @param data      the samples, at least one
     * @param loss      the loss to average
     * @param batchSize the most rows per batch
     * @return the loss and accuracy over the data set
     * @throws IllegalStateException if the model is closed or has no layers,
     *         or a layer without an infer of its own would replace a training forward pass's activations
     *         before their backward
     * @throws IllegalArgumentException if the widths do not match, the data set is empty, {@code batchSize} is
     *         not positive, or the loss needs an output activation the model does not end in (see
     *         {@link #requireUsableWith})
     * @throws dev.nnj.api.data.InvalidDataException for data the loss cannot use, naming the row and column
     * @throws NullPointerException if {@code data} or {@code loss} is null
     */
    public Evaluation evaluate(Dataset data, Loss loss, int batchSize) {
        Checks.requireNonNull("evaluate", "data", data);
        Checks.requireNonNull("evaluate", "loss", loss);
        guard.enterInference("evaluate");
        try {
            requireUsableWith(loss);
            requireActivationsKept("evaluate");
            if (batchSize <= 0) {
                throw new IllegalArgumentException("evaluate: batchSize must be positive (the most rows per batch; "
                        + "data.size() for one batch), got " + batchSize);
            }
            if (data.featureCount() != inputWidth || data.targetCount() != outputWidth) {
                throw new IllegalArgumentException("data set has " + data.featureCount() + " features and "
                        + data.targetCount() + " targets; the model takes " + inputWidth + " and gives "
                        + outputWidth);
            }
            if (data.size() == 0) {
                // As fit refuses an empty training set; the mean over no rows would be a silent NaN.
                throw new IllegalArgumentException("evaluation set is empty");
            }
            data.requireUsableWith("evaluation set", loss.targetRules());
            MemoryPlan.requireBatch(backend, inputWidth, layers, Math.min(batchSize, data.size()), false, "evaluation batch");
            return inference.evaluate(data, loss, batchSize);
        } finally {
            guard.exitInference();
        }
    }

    /**
     * Finite inputs, a NaN or infinite output: a value overflowed float32 inside the model (inputs in the
     * 10^38s, or weights that training blew up). Named with the row and its largest input rather than returned.
     */
    private ArithmeticException nonFiniteOutput(float[] features, float[] out, int at) {
        int row = at / outputWidth;
        float largest = 0;
        for (int j = 0; j < inputWidth; j++) {
            largest = Math.max(largest, Math.abs(features[row * inputWidth + j]));
        }
        return new ArithmeticException("predict: row " + row + "'s output " + at % outputWidth + " is " + out[at]
                + " though its inputs are finite (the largest in magnitude is " + largest + "): a value overflowed "
                + "float32 inside the model; scale the inputs (as the model was trained), or check its weights");
    }

    /** Open, has layers, and {@code x} is {@code (N, inputWidth)} on this model's backend. */
    private void checkInference(String op, Tensor x) {
        checkOpen();
        checkLayers();
        Checks.requireOn(backend, op, "x", x);
        if (x.cols() != inputWidth) {
            throw new IllegalArgumentException("model input must be (N, " + inputWidth + "), got "
                    + Checks.toString(x.shape()));
        }
    }

    /**
     * Refuses an inference call that would run a layer's forward pass ({@link InferenceByForward}) while a training
     * forward pass's activations await their backward: the call would replace them, and the backward compute another
     * gradient, without a word. nnj's layers have an infer of their own and never meet this.
     */
    private void requireActivationsKept(String op) {
        // The flag first: the layers are looked at (by reflection, once per class) only while a backward is pending,
        // which no training loop's own evaluation meets, so that a cold run pays nothing for the check.
        Layer layer = guard.backwardPending() ? firstInferringByForward() : null;
        if (layer != null) {
            throw new IllegalStateException(op + ": layer '" + layer.name() + "' (" + layer.getClass().getName()
                    + ") has no infer of its own, so " + op + " would run its forward pass and replace the activations "
                    + "that the last forward(training=true) kept for backward, which has not run yet; call backward "
                    + "first (or forward(x, false), to drop them), or give the layer an infer that leaves its fields "
                    + "alone (see Layer.infer)");
        }
    }

    /** The first layer whose {@link Layer#infer} is the interface's default, which runs its forward pass; or null. */
    private Layer firstInferringByForward() {
        for (Layer layer : layers) {
            if (InferenceByForward.of(layer)) {
                return layer;
            }
        }
        return null;
    }

    private void checkLayers() {
        if (layers.isEmpty()) {
            throw new IllegalStateException("the model has no layers");
        }
    }

    /**
     * All trainable parameters in layer order (weight before bias); the list is read-only.
     *
     * @return the parameters of every layer
     */
    public List<Parameter> parameters() {
        return parameters;
    }

    /**
     * The parameter called {@code name}, e.g. {@code dense_1.weight}.
     *
     * @param name the qualified name
     * @return the parameter
     * @throws IllegalArgumentException if there is none of that name
     */
    public Parameter parameter(String name) {
        Parameter p = parametersByName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "'; the model has "
                    + parametersByName.keySet());
        }
        return p;
    }

    /**
     * Host copies of every parameter, by name, in layer order.
     *
     * @return an ordered map from parameter name to row-major values
     * @throws IllegalStateException if the model is closed
     */
    public Map<String, float[]> stateDict() {
        guard.enterInference("stateDict");
        try {
            checkOpen();
            Map<String, float[]> state = new LinkedHashMap<>();
            for (Parameter p : parameters) {
                state.put(p.name(), p.read());
            }
            return state;
        } finally {
            guard.exitInference();
        }
    }

    /**
     * Writes every parameter from {@code state}, strictly: the keys must be exactly the parameter names, and
     * a null, a wrong size or a non-finite value is an error naming the parameter. Everything is checked
     * before anything is written. See {@link StateDictLoader}.
     *
     * <p>The values are nnj's layout: a {@link dev.nnj.api.layers.Dense Dense} weight is {@code (in, out)}
     * row-major, the transpose of PyTorch's {@code Linear.weight} {@code (out, in)}. Only the number of values is
     * checked here, and {@code in · out = out · in}, so a PyTorch weight passed as it is loads without an error
     * and gives other answers: transpose it first, or give shapes to {@link #loadShapedStateDict}, which compares
     * them.
     *
     * @param state parameter name to row-major values in nnj's layout, as {@link #stateDict()} returns
     * @throws IllegalArgumentException if the state does not match the model
     * @throws IllegalStateException if the model is closed
     * @throws NullPointerException if {@code state} is null
     */
    public void loadStateDict(Map<String, float[]> state) {
        Checks.requireNonNull("loadStateDict", "state", state);
        guard.enterWeightsChange("loadStateDict");
        try {
            checkOpen();
            StateDictLoader.loadFlat(this, state, StateDictLoader.Mode.STRICT);
            guard.activationsDropped();   // new weights: the kept activations are no longer this model's
        } finally {
            guard.exitTraining();
        }
    }

    /**
     * {@link #loadStateDict(Map)} with a choice of strictness about keys.
     *
     * @param state parameter name to row-major values
     * @param mode  {@link StateDictLoader.Mode#LENIENT} accepts missing and extra keys
     * @return the missing and unexpected keys (empty when strict)
     * @throws IllegalArgumentException if the state does not match the model
     * @throws IllegalStateException if the model is closed
     * @throws NullPointerException if an argument is null
     */
    public StateDictLoader.Result loadStateDict(Map<String, float[]> state, StateDictLoader.Mode mode) {
        Checks.requireNonNull("loadStateDict", "state", state);
        Checks.requireNonNull("loadStateDict", "mode", mode);
        guard.enterWeightsChange("loadStateDict");
        try {
            checkOpen();
            StateDictLoader.Result result = StateDictLoader.loadFlat(this, state, mode);
            guard.activationsDropped();   // new weights: the kept activations are no longer this model's
            return result;
        } finally {
            guard.exitTraining();
        }
    }

    /**
     * Loads tensors that carry their shapes: each must have its parameter's shape, not only its size.
     *
     * @param state parameter name to shaped values
     * @param mode  strict or lenient about keys
     * @return the missing and unexpected keys (empty when strict)
     * @throws IllegalArgumentException if the state does not match the model
     * @throws IllegalStateException if the model is closed
     * @throws NullPointerException if an argument is null
     */
    public StateDictLoader.Result loadShapedStateDict(Map<String, HostTensor> state, StateDictLoader.Mode mode) {
        Checks.requireNonNull("loadShapedStateDict", "state", state);
        Checks.requireNonNull("loadShapedStateDict", "mode", mode);
        guard.enterWeightsChange("loadShapedStateDict");
        try {
            checkOpen();
            StateDictLoader.Result result = StateDictLoader.loadShaped(this, state, mode);
            guard.activationsDropped();   // new weights: the kept activations are no longer this model's
            return result;
        } finally {
            guard.exitTraining();
        }
    }

    /**
     * Total number of trainable scalars.
     *
     * @return the sum of the parameter sizes
     */
    public long parameterCount() {
        long count = 0;
        for (Parameter p : parameters) {
            count += p.size();
        }
        return count;
    }

    /**
     * A table of layers, output shapes and parameter counts, like Keras' {@code model.summary()}.
     *
     * @return a multi-line table
     * @throws IllegalStateException if the model is closed
     */
    public String summary() {
        if (closed) {
            throw new IllegalStateException("model is closed");   // a closed backend's model still has its layers
        }
        StringBuilder sb = new StringBuilder();
        String rule = "-".repeat(78) + "\n";
        sb.append(String.format(Locale.ROOT, "Sequential on %s, input (N, %d)%n", backend.name(), inputWidth));
        sb.append(rule);
        sb.append(String.format(Locale.ROOT, "%-14s %-14s %10s  %s%n", "Layer", "Output", "Params", "Config"));
        sb.append(rule);
        for (Layer layer : layers) {
            long count = 0;
            for (Parameter p : layer.parameters()) {
                count += p.size();
            }
            sb.append(String.format(Locale.ROOT, "%-14s %-14s %10d  %s%n", layer.name(),
                    "(N, " + layer.outputWidth() + ")", count, layer.describe()));
        }
        sb.append(rule);
        sb.append(String.format(Locale.ROOT, "Total parameters: %d%n", parameterCount()));
        return sb.toString();
    }

    /**
     * One line for logs and debuggers, e.g. {@code Sequential(64 inputs: dense_1(units=64, activation=sigmoid,
     * weights=…), dense_2(units=10, activation=softmax, weights=…); 4810 parameters on cpu)}; {@link #summary()} is
     * the table. A closed model says so.
     *
     * @return the input width, the layers, the parameter count and the backend
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Sequential(").append(inputWidth).append(" inputs: ");
        List<Layer> view = layers;
        for (int i = 0; i < view.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(view.get(i));
        }
        return sb.append(view.isEmpty() ? "no layers" : "").append("; ").append(parameterCount())
                .append(" parameters on ").append(backend.name()).append(closed ? ", closed)" : ")").toString();
    }

    /**
     * The backend every layer runs on.
     *
     * @return the model's backend
     */
    public Backend backend() {
        return backend;
    }

    /**
     * The width of an input row.
     *
     * @return the feature count the model expects
     */
    public int inputWidth() {
        return inputWidth;
    }

    /**
     * The width of an output row: that of the last layer. Without layers it is the input width, the width
     * the first layer {@link #add}ed will receive; such a model cannot be fitted, evaluated or used for
     * prediction (they say {@code the model has no layers}), so this value never describes real output.
     *
     * @return the output count
     */
    public int outputWidth() {
        return outputWidth;
    }

    /**
     * The layers in order.
     *
     * @return a read-only list
     */
    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    /**
     * Checks that this model can be trained or evaluated with {@code loss}: it is open, has at least one layer,
     * and its last layer ends in the activation the loss needs ({@link Loss#requiredOutputActivation()}:
     * softmax for categorical, sigmoid for binary cross-entropy). {@link dev.nnj.api.train.Trainer#fit} calls
     * it before anything else touches the model, and both {@code evaluate} methods run the same checks, so a
     * closed or empty model fails with the same message as {@link #predict}, and a cross-entropy on outputs
     * that are not probabilities fails here rather than as a NaN loss in the first batch.
     *
     * @param loss the loss the model is to be trained or evaluated with
     * @throws IllegalStateException {@code model is closed}, its backend is closed, or {@code the model has no layers}
     * @throws IllegalArgumentException if the loss needs an output activation the last layer does not end in,
     *         naming the loss, the layer, its activation and the layer to use instead
     * @throws NullPointerException if {@code loss} is null
     */
    public void requireUsableWith(Loss loss) {
        Checks.requireNonNull("requireUsableWith", "loss", loss);
        checkOpen();   // before a fit's first buffer
        checkLayers();
        checkOutputFor(loss);
    }

    /**
     * The targets of the fused softmax + cross-entropy gradient, as {@link dev.nnj.api.train.Trainer#fit} checks a
     * dataset's: {@code (a − y) / N} is the loss's gradient only when every target row sums to 1; for a row summing
     * to {@code s} it is {@code (s·a − y) / N}, so a multi-hot row would train on a silently wrong gradient. (The
     * other paths compute the loss's own gradient for any targets, and read none.)
     */
    private void requireRowsSumToOne(Loss loss, Tensor target) {
        float[] host = hostTargets(target.size());
        target.copyTo(host, 0);
        requireTargetsFor(loss, "backward target", host, target.cols());
    }

    /**
     * A host array of {@code size} elements for a target tensor's check, kept: the two sizes a loop passes (its full
     * batches' and its last one's) each get one, so that a loop refilling its targets allocates nothing per step.
     */
    private float[] hostTargets(int size) {
        if (hostTargets == null || hostTargets.length != size) {
            float[] other = hostTargetsOther;
            hostTargetsOther = hostTargets;
            hostTargets = other != null && other.length == size ? other : new float[size];
        }
        return hostTargets;
    }

    /** Targets read back from the device, checked against the loss as a data set's are: finite, and its rules. */
    private static void requireTargetsFor(Loss loss, String what, float[] values, int columns) {
        DataChecks.requireFinite(what, values, columns);
        DataChecks.requireTargetsFor(what, loss.targetRules(), values, columns);
    }

    /** The last layer ends in the activation {@code loss} needs, if it needs one. */
    private void checkOutputFor(Loss loss) {
        Activation needed = loss.requiredOutputActivation();
        Layer last = layers.get(layers.size() - 1);
        Activation actual = last.outputActivation();
        if (needed == null || actual == needed) {
            return;
        }
        // A Dropout or a custom activation last reports null: neither is the softmax or sigmoid the loss needs.
        boolean softmax = needed == Activation.SOFTMAX;
        if (softmax && outputWidth == 1) {
            // A softmax over one output is always 1: the advice below would not help.
            throw new IllegalArgumentException(loss.label() + " needs one output per class, and the model has one "
                    + "output; a one-output model is a binary classifier: train it with binary cross-entropy and a "
                    + "sigmoid, or give " + last.name() + " one unit per class with a softmax");
        }
        throw new IllegalArgumentException(loss.label() + " needs a model that ends in " + needed.label()
                + (softmax ? ", whose outputs are a probability distribution per row"
                        : ", whose outputs are probabilities in (0, 1)")
                + ", but its last layer " + last.name() + " ends in "
                + (actual == null ? "no built-in activation" : actual.label())
                + "; end the model in new Dense(" + outputWidth + ", Activation." + needed.name() + ") or add a "
                + (softmax ? "Softmax" : "Sigmoid") + " layer");
    }

    /** The one place a closed model is refused, so every entry point says the same. */
    /**
     * Refuses a closed model, or one whose backend is closed: named here, where the call's first op would say
     * {@code zeros: the cpu backend is closed}, an op the caller never called.
     */
    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model is closed");
        }
        if (backend.isClosed()) {
            throw new IllegalStateException("the " + backend.name() + " backend is closed, and this model computes on "
                    + "it: build or load the model on an open backend");
        }
    }

    /**
     * Whether {@link #close()} has run: a closed model's calls throw {@link IllegalStateException}.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes every layer (parameters and buffers) and the model's own buffers; the backend stays open. Closing twice
     * is a no-op.
     *
     * @throws ConcurrentUseException if another thread is predicting with or training the model; retry when its
     *         calls have returned
     */
    @Override
    public void close() {
        guard.enterTraining("close");
        try {
            closeConfined();
        } finally {
            guard.exitTraining();
        }
    }

    private void closeConfined() {
        if (closed) {
            return;
        }
        closed = true;
        for (Layer layer : layers) {
            layer.close();
        }
        closeAll(lossGradients);
        inference.close();
        lastOutput = null;
        checkedTarget = null;
        checkedTargetBefore = null;
        checkedLoss = null;
        hostTargets = null;
        hostTargetsOther = null;
    }

    /** Whether {@code target} holds the values {@link #requireRowsSumToOne} last passed for {@code loss}. */
    private boolean checked(Loss loss, Tensor target) {
        long writes = AbstractTensor.writesOf(target);
        return loss == checkedLoss && (target == checkedTarget && writes == checkedTargetWrites
                || target == checkedTargetBefore && writes == checkedTargetBeforeWrites);
    }

    private static void closeAll(BatchBuffers... buffers) {
        for (BatchBuffers b : buffers) {
            if (b != null) {
                b.close();
            }
        }
    }
}
