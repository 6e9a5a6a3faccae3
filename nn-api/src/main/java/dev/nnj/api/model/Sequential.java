package dev.nnj.api.model;

import dev.nnj.api.Backend;
import dev.nnj.api.Tensor;
import dev.nnj.api.data.DataChecks;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.internal.BatchBuffers;
import dev.nnj.api.layers.Layer;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.spi.Checks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

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
 * {@code float[]}. The model owns its layers: {@link #close()} frees every parameter and buffer.
 */
public final class Sequential implements AutoCloseable {
    private final Backend backend;
    private final int inputWidth;
    private final Random random;
    private final List<Layer> layers = new ArrayList<>();
    private final Map<String, Integer> typeCounts = new HashMap<>();
    private final Map<String, Parameter> parametersByName = new LinkedHashMap<>();
    private List<Parameter> parameters = List.of();
    private int outputWidth;
    private BatchBuffers lossGradients;
    private BatchBuffers inputStaging;
    private Tensor lossSum;
    private Tensor correctCount;
    private Tensor lastOutput;
    private boolean closed;

    /**
     * @param backend    where parameters live and ops run
     * @param inputWidth number of input features
     * @param seed       seeds every layer's initializer (and dropout masks), so a model is reproducible
     */
    public Sequential(Backend backend, int inputWidth, long seed) {
        if (backend == null) {
            throw new NullPointerException("backend");
        }
        if (inputWidth <= 0) {
            throw new IllegalArgumentException("inputWidth must be positive, got " + inputWidth);
        }
        this.backend = backend;
        this.inputWidth = inputWidth;
        this.outputWidth = inputWidth;
        this.random = new Random(seed);
    }

    /**
     * Appends a layer, builds it for the current output width, and names it ({@code dense_2}).
     *
     * @param layer an unbuilt layer
     * @return this model, for chaining
     */
    public Sequential add(Layer layer) {
        checkOpen();
        String type = layer.type();
        int index = typeCounts.merge(type, 1, Integer::sum);
        String name = type + "_" + index;
        outputWidth = layer.build(backend, name, outputWidth, random);
        layers.add(layer);
        List<Parameter> all = new ArrayList<>(parameters);
        for (Parameter p : layer.parameters()) {
            parametersByName.put(p.name(), p);
            all.add(p);
        }
        parameters = Collections.unmodifiableList(all);
        // Buffers sized by the output width start afresh for the new last layer.
        closeAll(lossGradients);
        lossGradients = new BatchBuffers(outputWidth);
        return this;
    }

    /**
     * Forward pass of a batch {@code x} of shape {@code (N, inputWidth)}; returns {@code (N, outputWidth)},
     * a buffer owned by the last layer (valid until the next forward with the same batch size).
     *
     * @param x the input batch
     * @param training whether dropout is active
     * @return the output batch
     */
    public Tensor forward(Tensor x, boolean training) {
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
     * Backpropagation after {@link #forward}: computes {@code ∂L/∂output} for {@code target} of shape
     * {@code (N, outputWidth)} and runs every layer's backward pass in reverse, which sets all parameter
     * gradients. Where the last activation fuses with the loss (softmax + categorical cross-entropy, sigmoid
     * + binary cross-entropy), backpropagation starts from the article's {@code a − y} instead.
     *
     * @param loss the loss whose gradient starts the pass
     * @param target the expected output of the last forward batch
     */
    public void backward(Loss loss, Tensor target) {
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
        Tensor grad = lossGradients.get(backend, lastOutput.rows());
        loss.gradient(backend, lastOutput, target, fused, grad);
        Tensor g = fused ? last.backwardFromPreActivation(grad, n > 1) : last.backward(grad, n > 1);
        for (int i = n - 2; i >= 0; i--) {
            g = layers.get(i).backward(g, i > 0);   // the first layer needs no input gradient
        }
    }

    /**
     * Inference: {@code forward(x, false)}.
     *
     * @param x the {@code (N, inputWidth)} input
     * @return the {@code (N, outputWidth)} output, owned by the model
     */
    public Tensor predict(Tensor x) {
        return forward(x, false);
    }

    /**
     * Inference from host data: {@code features} holds {@code rows × inputWidth} values, row-major. NaN and
     * infinite features are refused with their row and column, and a batch that cannot fit is refused with
     * its size, before anything is copied to the backend.
     *
     * @param features the row-major inputs
     * @param rows the number of rows
     * @return a new row-major {@code (rows, outputWidth)} array
     */
    public float[] predict(float[] features, int rows) {
        checkOpen();
        if (rows <= 0 || features.length != (long) rows * inputWidth) {
            throw new IllegalArgumentException("predict: expected " + rows + " x " + inputWidth + " = "
                    + ((long) rows * inputWidth) + " features, got " + features.length);
        }
        DataChecks.requireFinite("predict: features", features, inputWidth);
        MemoryPlan.requireBatch(this, rows, false, "prediction batch");
        Tensor x = inputBuffers().get(backend, rows);
        x.copyFrom(features, 0);
        return forward(x, false).toArray();
    }

    /**
     * Mean loss and accuracy on device tensors {@code x} {@code (N, inputWidth)}, {@code y} {@code (N, out)}.
     *
     * @param x the inputs
     * @param y the expected outputs
     * @param loss the loss to average
     * @return the mean loss and the accuracy
     */
    public Evaluation evaluate(Tensor x, Tensor y, Loss loss) {
        Tensor out = forward(x, false);
        ensureMetricTensors();
        backend.lossSum(loss.kind(), out, y, 0f, lossSum);
        backend.countCorrect(out, y, 0f, correctCount);
        return new Evaluation((double) lossSum.item() / x.rows(), (double) correctCount.item() / x.rows(), x.rows());
    }

    /**
     * Mean loss and accuracy on a host data set, evaluated in batches of at most {@code batchSize}. The data
     * is checked against the loss first ({@link Dataset#requireUsableWith}).
     *
     * @param data the examples
     * @param loss the loss to average
     * @param batchSize the largest batch on the device
     * @return the mean loss and the accuracy over all rows
     */
    public Evaluation evaluate(Dataset data, Loss loss, int batchSize) {
        checkOpen();
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        if (data.featureCount() != inputWidth || data.targetCount() != outputWidth) {
            throw new IllegalArgumentException("data set has " + data.featureCount() + " features and "
                    + data.targetCount() + " targets; the model takes " + inputWidth + " and gives " + outputWidth);
        }
        data.requireUsableWith("evaluation set", loss.kind());
        MemoryPlan.requireBatch(this, Math.min(batchSize, data.size()), false, "evaluation batch");
        ensureMetricTensors();
        // Rows in order, no shuffle: the same loader the trainer uses, so staging is written once.
        try (BatchLoader batches = new BatchLoader(backend, data, batchSize, false, 0L)) {
            for (int b = 0; b < batches.batchesPerEpoch(); b++) {
                batches.load(b);
                Tensor out = forward(batches.features(), false);
                float beta = b == 0 ? 0f : 1f;   // the first batch resets the sums
                backend.lossSum(loss.kind(), out, batches.targets(), beta, lossSum);
                backend.countCorrect(out, batches.targets(), beta, correctCount);
            }
        }
        int n = data.size();
        return new Evaluation((double) lossSum.item() / n, (double) correctCount.item() / n, n);
    }

    private BatchBuffers inputBuffers() {
        if (inputStaging == null) {
            inputStaging = new BatchBuffers(inputWidth);
        }
        return inputStaging;
    }

    private void ensureMetricTensors() {
        if (lossSum == null) {
            lossSum = backend.zeros(1);
            correctCount = backend.zeros(1);
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
     */
    public Map<String, float[]> stateDict() {
        Map<String, float[]> state = new LinkedHashMap<>();
        for (Parameter p : parameters) {
            state.put(p.name(), p.read());
        }
        return state;
    }

    /**
     * Writes every parameter from {@code state}, strictly: the keys must be exactly the parameter names, and
     * a null, a wrong size or a non-finite value is an error naming the parameter. Everything is checked
     * before anything is written. See {@link StateDictLoader}.
     *
     * @param state parameter name to row-major values, as {@link #stateDict()} returns
     * @throws IllegalArgumentException if the state does not match the model
     */
    public void loadStateDict(Map<String, float[]> state) {
        checkOpen();
        StateDictLoader.loadFlat(this, state, StateDictLoader.Mode.STRICT);
    }

    /**
     * {@link #loadStateDict(Map)} with a choice of strictness about keys.
     *
     * @param state parameter name to row-major values
     * @param mode  {@link StateDictLoader.Mode#LENIENT} accepts missing and extra keys
     * @return the missing and unexpected keys (empty when strict)
     */
    public StateDictLoader.Result loadStateDict(Map<String, float[]> state, StateDictLoader.Mode mode) {
        checkOpen();
        return StateDictLoader.loadFlat(this, state, mode);
    }

    /**
     * Loads tensors that carry their shapes: each must have its parameter's shape, not only its size.
     *
     * @param state parameter name to shaped values
     * @param mode  strict or lenient about keys
     * @return the missing and unexpected keys (empty when strict)
     */
    public StateDictLoader.Result loadShapedStateDict(Map<String, HostTensor> state, StateDictLoader.Mode mode) {
        checkOpen();
        return StateDictLoader.loadShaped(this, state, mode);
    }

    /**
     * Saves the model (architecture and parameters) to a safetensors file, atomically; see
     * {@link dev.nnj.api.io.ModelFiles} for the layout, the PyTorch layout and saving preprocessing with it.
     *
     * @param file the file to create or replace
     * @throws java.io.IOException if writing fails
     */
    public void save(java.nio.file.Path file) throws java.io.IOException {
        checkOpen();
        dev.nnj.api.io.ModelFiles.save(this, file);
    }

    /**
     * Loads a model saved by {@link #save}, rebuilding its layers from the file's architecture.
     *
     * @param file    the file
     * @param backend where the parameters will live
     * @return the model; the caller closes it
     * @throws java.io.IOException if the file cannot be read, or is malformed
     *                             ({@link dev.nnj.api.io.ModelFileException} naming the file and tensor)
     */
    public static Sequential load(java.nio.file.Path file, Backend backend) throws java.io.IOException {
        return dev.nnj.api.io.ModelFiles.load(file, backend).model();
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
     */
    public String summary() {
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
     * The width of an output row: that of the last layer, or the input width without layers.
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

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model is closed");
        }
    }

    /** Closes every layer (parameters and buffers) and the model's own buffers; the backend stays open. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Layer layer : layers) {
            layer.close();
        }
        closeAll(lossGradients, inputStaging);
        if (lossSum != null) {
            lossSum.close();
            correctCount.close();
        }
        lastOutput = null;
    }

    private static void closeAll(BatchBuffers... buffers) {
        for (BatchBuffers b : buffers) {
            if (b != null) {
                b.close();
            }
        }
    }
}
