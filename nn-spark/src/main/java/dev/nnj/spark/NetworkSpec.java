package dev.nnj.spark;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.LossKind;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.layers.Dropout;
import dev.nnj.api.layers.Layer;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.Sequential;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The architecture of a classifier or regression network, small enough to ship to every executor and to store as
 * JSON:
 *
 * <pre>
 *   x (N, inputWidth) → Dense(hidden[0], f₀) → … → Dense(hidden[h-1], f_{h-1}) → Dense(classes, softmax)
 *   x (N, inputWidth) → Dense(hidden[0], f₀) → … → Dense(hidden[h-1], f_{h-1}) → Dense(1, identity)
 * </pre>
 * (the second is a {@link #regression regression} network) and, with a dropout rate ({@link #withDropout}), a
 * {@code Dropout(rate)} after each hidden layer.
 *
 * Every dense layer starts from Glorot-uniform weights and zero biases drawn from the model seed, so
 * {@link #build(Backend, long)} with the same seed gives the same initial network on any machine. The
 * loss is categorical cross-entropy (fused with the softmax, gradient {@code a − y}) or mean squared
 * error on the softmax output; a regression network's is the squared error or the Huber loss of its one linear output.
 */
public final class NetworkSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Number of input features per row, {@code d} (at least 1). */
    private final int inputWidth;
    /** Width of each hidden dense layer, input side first; empty for softmax regression. */
    private final int[] hiddenUnits;
    /** Elementwise activation of each hidden layer, one per entry of {@link #hiddenUnits}. */
    private final Activation[] hiddenActivations;
    /** Number of output classes {@code C} (at least 2): the width of the softmax layer. */
    private final int classes;
    /** Training loss: categorical cross-entropy or mean squared error on the softmax output. */
    private final LossKind loss;
    /** The rate of the dropout after each hidden layer, in {@code [0, 1)}; 0 for none. */
    private final float dropout;
    /**
     * Whether the output layer leaves its softmax out and gives the logits {@code z} ({@link #scores}); false in
     * every spec but the one predictions are computed with (and in one deserialised from before it existed).
     */
    private final boolean logitsOut;
    /** Whether the output is one linear unit (a regression network) rather than a softmax of {@link #classes}. */
    private final boolean regression;
    /** A regression network's Huber {@code δ}, or 0 for the squared error; 0 for a classifier. */
    private final float huberDelta;

    /**
     * A network of Dense layers: the hidden layers, then a softmax output of {@code classes} units.
     *
     * @param inputWidth        number of input features, at least 1
     * @param hiddenUnits       width of each hidden layer (may be empty: softmax regression)
     * @param hiddenActivations one activation per hidden layer
     * @param classes           number of output classes, at least 2
     * @param loss              {@link LossKind#CATEGORICAL_CROSS_ENTROPY} or {@link LossKind#MSE}
     */
    public NetworkSpec(int inputWidth, int[] hiddenUnits, Activation[] hiddenActivations, int classes, LossKind loss) {
        if (inputWidth <= 0) {
            throw new IllegalArgumentException("inputWidth must be positive, got " + inputWidth);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be at least 2, got " + classes);
        }
        if (hiddenUnits.length != hiddenActivations.length) {
            throw new IllegalArgumentException("one activation per hidden layer: " + hiddenUnits.length
                    + " layers " + Arrays.toString(hiddenUnits) + ", " + hiddenActivations.length + " activations");
        }
        for (int i = 0; i < hiddenUnits.length; i++) {
            if (hiddenUnits[i] <= 0) {
                throw new IllegalArgumentException("hidden layer " + i + " must have a positive width, got "
                        + hiddenUnits[i]);
            }
            if (hiddenActivations[i] == null || hiddenActivations[i] == Activation.SOFTMAX) {
                throw new IllegalArgumentException("hidden layer " + i + " needs an elementwise activation, got "
                        + hiddenActivations[i]);
            }
        }
        if (loss != LossKind.CATEGORICAL_CROSS_ENTROPY && loss != LossKind.MSE) {
            throw new IllegalArgumentException("a softmax classifier trains with categorical cross-entropy or MSE, got "
                    + loss);
        }
        this.inputWidth = inputWidth;
        this.hiddenUnits = hiddenUnits.clone();
        this.hiddenActivations = hiddenActivations.clone();
        this.classes = classes;
        this.loss = loss;
        this.dropout = 0f;
        this.logitsOut = false;
        this.regression = false;
        this.huberDelta = 0f;
    }

    private NetworkSpec(NetworkSpec spec, float dropout, boolean logitsOut) {
        this.inputWidth = spec.inputWidth;
        this.hiddenUnits = spec.hiddenUnits;
        this.hiddenActivations = spec.hiddenActivations;
        this.classes = spec.classes;
        this.loss = spec.loss;
        this.dropout = dropout;
        this.logitsOut = logitsOut;
        this.regression = spec.regression;
        this.huberDelta = spec.huberDelta;
    }

    private NetworkSpec(NetworkSpec classifierShape, float huberDelta) {
        this.inputWidth = classifierShape.inputWidth;
        this.hiddenUnits = classifierShape.hiddenUnits;
        this.hiddenActivations = classifierShape.hiddenActivations;
        this.classes = 1;
        this.loss = LossKind.MSE;
        this.dropout = 0f;
        this.logitsOut = false;
        this.regression = true;
        this.huberDelta = huberDelta;
    }

    /**
     * A regression network: the hidden layers, then one linear output unit ({@code Dense(1, identity)}), trained with
     * the squared error ({@code huberDelta} 0, nnj's {@code Loss.meanSquaredError()}) or the Huber loss
     * ({@code Loss.huber(huberDelta)}, PyTorch's {@code HuberLoss(delta)}).
     *
     * @param inputWidth        number of input features, at least 1
     * @param hiddenUnits       width of each hidden layer (may be empty: linear regression)
     * @param hiddenActivations one activation per hidden layer
     * @param huberDelta        0 for the squared error, or the Huber loss's {@code δ}, finite and {@code > 0}
     * @return the spec
     * @throws IllegalArgumentException for a bad width, activation or {@code δ}
     */
    public static NetworkSpec regression(int inputWidth, int[] hiddenUnits, Activation[] hiddenActivations,
                                         float huberDelta) {
        if (!(huberDelta >= 0f) || Float.isInfinite(huberDelta)) {
            throw new IllegalArgumentException("huberDelta must be 0 (squared error) or a finite number > 0, got "
                    + huberDelta);
        }
        // The classifier's constructor checks the shared parts; its 2 classes are replaced by one linear output.
        return new NetworkSpec(new NetworkSpec(inputWidth, hiddenUnits, hiddenActivations, 2, LossKind.MSE),
                huberDelta);
    }

    /**
     * This network as predictions are computed with it: the output layer without its softmax, giving the logits
     * {@code z}, whose softmax and log-softmax {@link SoftmaxScores} takes in double. The parameters are the same,
     * by name and shape.
     *
     * @return the spec of the scoring network
     */
    NetworkSpec scores() {
        return new NetworkSpec(this, dropout, true);
    }

    /**
     * This network with a {@code Dropout(rate)} after each hidden layer (none for rate 0). A network without hidden
     * layers has nowhere to put one, and takes only rate 0.
     *
     * @param rate the probability that a hidden unit is zeroed during training, in {@code [0, 1)}
     * @return the new spec
     * @throws IllegalArgumentException for a rate outside {@code [0, 1)}, or above 0 without hidden layers
     */
    public NetworkSpec withDropout(float rate) {
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + rate);
        }
        if (rate > 0f && hiddenUnits.length == 0) {
            throw new IllegalArgumentException("dropout " + rate + " needs a hidden layer to follow; this network "
                    + "has none (layers is empty)");
        }
        return new NetworkSpec(this, rate, logitsOut);
    }

    /**
     * Builds the network on {@code backend}, initialised from {@code seed}.
     *
     * @param backend where the parameters live
     * @param seed    seed of the weight initialisation
     * @return a new model the caller owns (and closes)
     */
    public Sequential build(Backend backend, long seed) {
        return build(backend, seed, false);
    }

    /**
     * The network as an executor trains it: each {@code Dropout} replaced by a {@link BatchRowsDropout}, which draws
     * the mask rows of the global batch's rows it is given; the parameters are to be overwritten.
     *
     * @param backend where the parameters live
     * @return a new model the caller owns (and closes)
     */
    Sequential buildForPartitions(Backend backend) {
        return build(backend, 0L, true);
    }

    private Sequential build(Backend backend, long seed, boolean forPartitions) {
        Sequential model = new Sequential(backend, inputWidth, seed);
        try {
            for (Layer layer : layers(forPartitions)) {
                model.add(layer);
            }
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The layers {@link #build} adds, not yet built: each hidden one and its dropout, then the softmax output. */
    private List<Layer> layers(boolean forPartitions) {
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < hiddenUnits.length; i++) {
            layers.add(new Dense(hiddenUnits[i], hiddenActivations[i]));
            if (dropout > 0f) {
                layers.add(forPartitions ? new BatchRowsDropout(dropout) : new Dropout(dropout));
            }
        }
        layers.add(new Dense(classes, logitsOut || regression ? Activation.IDENTITY : Activation.SOFTMAX));
        return layers;
    }

    /**
     * The mask seed of each dropout layer of {@code model}, in layer order: what the executors need to draw the masks
     * that {@code model}'s own {@code Dropout} layers would.
     *
     * @param model a network this spec built
     * @return one seed per dropout layer; empty without dropout
     */
    static long[] maskSeeds(Sequential model) {
        return model.layers().stream().filter(l -> l instanceof Dropout).mapToLong(l -> ((Dropout) l).maskSeed())
                .toArray();
    }

    /**
     * Refuses a network that is not exactly this spec's ({@link #differenceFrom}), for a Spark model made of it.
     *
     * @param model a network built elsewhere
     * @throws IllegalArgumentException naming the first difference
     */
    void requireNetworkOf(Sequential model) {
        differenceFrom(model).ifPresent(difference -> {
            throw new IllegalArgumentException("the model is not the network of the spec " + this + ": "
                    + difference);
        });
    }

    /**
     * The first way {@code model} differs from the network this spec builds: its input width, then, layer by layer,
     * the layer's kind, width, activation and (for leaky_relu and elu, the only ones that use it) {@code α}, or a
     * dropout layer's rate, then the number of layers. Equal parameter names and sizes do not make the same network:
     * a tanh layer where the spec says relu predicts something else with the same weights.
     *
     * @param model a network whose parameters are to stand for this spec's
     * @return the difference in words, or empty when the model has exactly this spec's layers
     */
    Optional<String> differenceFrom(Sequential model) {
        if (model.inputWidth() != inputWidth) {
            return Optional.of("the model takes " + model.inputWidth() + " features, the spec " + inputWidth);
        }
        List<Layer> expected = layers(false);
        List<Layer> actual = model.layers();
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            Layer a = actual.get(i);
            String layer = "layer " + (i + 1) + " (" + a.name() + ")";
            if (expected.get(i) instanceof Dropout) {
                if (!(a instanceof Dropout)) {
                    return Optional.of(layer + " is " + a.type() + " (" + a.describe() + "); the spec has dropout "
                            + dropout + " there");
                }
                float rate = ((Dropout) a).rate();
                if (Float.compare(rate, dropout) != 0) {
                    return Optional.of(layer + " has dropout rate " + rate + ", the spec " + dropout);
                }
                continue;
            }
            Dense e = (Dense) expected.get(i);
            if (!(a instanceof Dense)) {
                return Optional.of(layer + " is " + a.type() + " (" + a.describe() + "); the spec has "
                        + (dropout > 0f ? "a dense layer there" : "dense layers only"));
            }
            Dense d = (Dense) a;
            if (d.units() != e.units()) {
                boolean lastOfOne = !regression && i == expected.size() - 1 && d.units() == 1;
                return Optional.of(layer + " has " + d.units() + " units, the spec " + e.units() + (lastOfOne
                        ? " (a binary classifier of one sigmoid output: nn-spark's classifiers end in a softmax of "
                        + "one output per class, 2 for two classes; train or export the model with two softmax "
                        + "outputs)" : ""));
            }
            if (d.activation() != e.activation()) {
                return Optional.of(layer + " has activation " + d.activation().label() + ", the spec "
                        + e.activation().label());
            }
            boolean usesAlpha = e.activation() == Activation.LEAKY_RELU || e.activation() == Activation.ELU;
            if (usesAlpha && Float.compare(d.alpha(), e.alpha()) != 0) {
                return Optional.of(layer + " has " + e.activation().label() + " alpha " + d.alpha() + ", the spec "
                        + e.alpha() + " (nnj's default, the only one nn-spark builds)");
            }
        }
        if (actual.size() != expected.size()) {
            return Optional.of("the model has " + actual.size() + " layers, the spec " + expected.size());
        }
        return Optional.empty();
    }

    /** {@return the loss the network trains with} */
    public Loss loss() {
        return huberDelta > 0f ? Loss.huber(huberDelta) : Loss.of(loss);
    }

    /** {@return whether this is a regression network: one linear output, see {@link #regression}} */
    public boolean isRegression() {
        return regression;
    }

    /** {@return a regression network's Huber {@code δ}, 0 for the squared error and for a classifier} */
    public float huberDelta() {
        return huberDelta;
    }

    /** {@return the loss kind} */
    public LossKind lossKind() {
        return loss;
    }

    /** {@return number of input features} */
    public int inputWidth() {
        return inputWidth;
    }

    /** {@return a copy of the hidden layer widths} */
    public int[] hiddenUnits() {
        return hiddenUnits.clone();
    }

    /** {@return a copy of the hidden activations} */
    public Activation[] hiddenActivations() {
        return hiddenActivations.clone();
    }

    /** {@return the rate of the dropout after each hidden layer, 0 for none} */
    public float dropout() {
        return dropout;
    }

    /** {@return number of output classes (width of the softmax); 1, the one output, for a regression network} */
    public int classes() {
        return classes;
    }

    /**
     * Parses an activation by its lower-case label ({@code relu}, {@code leaky_relu}, …).
     *
     * @param label the name, case-insensitive
     * @return the activation
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Activation parseActivation(String label) {
        for (Activation a : Activation.values()) {
            if (a.isElementwise() && a.label().equals(label.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        StringBuilder names = new StringBuilder();
        for (Activation a : Activation.values()) {
            if (a.isElementwise()) {
                names.append(names.length() == 0 ? "" : ", ").append(a.label());
            }
        }
        throw new IllegalArgumentException("unknown hidden activation '" + label + "'; use one of " + names);
    }

    /**
     * Parses a loss name: {@code categorical_crossentropy} or {@code mse}.
     *
     * @param name the name, case-insensitive
     * @return the loss kind
     */
    public static LossKind parseLoss(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "categorical_crossentropy":
                return LossKind.CATEGORICAL_CROSS_ENTROPY;
            case "mse":
                return LossKind.MSE;
            default:
                throw new IllegalArgumentException("unknown loss '" + name
                        + "'; use categorical_crossentropy or mse");
        }
    }

    /**
     * {@return the loss name {@link #parseLoss} accepts; for a regression network, {@code squaredError} or
     * {@code huber(δ)}, which {@link #parseRegressionLoss} reads}
     */
    public String lossName() {
        if (regression) {
            return huberDelta > 0f ? "huber(" + huberDelta + ")" : "squaredError";
        }
        return loss == LossKind.MSE ? "mse" : "categorical_crossentropy";
    }

    /**
     * Parses a regression network's {@link #lossName()}: {@code squaredError} or {@code huber(δ)}.
     *
     * @param name the name
     * @return the Huber {@code δ}, 0 for the squared error
     * @throws IllegalArgumentException for another name
     */
    static float parseRegressionLoss(String name) {
        if (name.equals("squaredError")) {
            return 0f;
        }
        if (name.startsWith("huber(") && name.endsWith(")")) {
            try {
                return Float.parseFloat(name.substring(6, name.length() - 1));
            } catch (NumberFormatException e) {
                // named below
            }
        }
        throw new IllegalArgumentException("unknown regression loss '" + name + "'; expected squaredError or "
                + "huber(delta)");
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NetworkSpec)) {
            return false;
        }
        NetworkSpec s = (NetworkSpec) o;
        return inputWidth == s.inputWidth && classes == s.classes && loss == s.loss
                && Float.compare(dropout, s.dropout) == 0 && Arrays.equals(hiddenUnits, s.hiddenUnits)
                && Arrays.equals(hiddenActivations, s.hiddenActivations) && logitsOut == s.logitsOut
                && regression == s.regression && Float.compare(huberDelta, s.huberDelta) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * inputWidth + classes) + Arrays.hashCode(hiddenUnits);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(inputWidth);
        for (int i = 0; i < hiddenUnits.length; i++) {
            sb.append(" → ").append(hiddenUnits[i]).append(' ').append(hiddenActivations[i].label());
            if (dropout > 0f) {
                sb.append(" → dropout ").append(dropout);
            }
        }
        return sb.append(" → ").append(classes).append(regression ? " linear, " : " softmax, ").append(lossName())
                .toString();
    }
}
