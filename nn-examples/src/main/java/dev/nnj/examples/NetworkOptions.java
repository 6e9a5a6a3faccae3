package dev.nnj.examples;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.init.Initializer;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.layers.Dropout;
import dev.nnj.api.layers.Layer;
import dev.nnj.api.model.Sequential;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * The network the digits trainer builds, as the command line shapes it (a picocli mixin):
 *
 * <pre>
 *   inputs → Dense(h₁, f) [→ Dropout(p)] → … → Dense(hₖ, f) [→ Dropout(p)] → Dense(classes, softmax)
 * </pre>
 *
 * <p>{@code --hidden 128,64} gives the hidden widths {@code h₁ … hₖ}, {@code --activation} their activation
 * {@code f} (the preset's when not given: sigmoid for the article, relu for keras), {@code --dropout p} a dropout
 * layer after each hidden layer, and {@code --init} every layer's weight initialiser (the preset's otherwise); biases
 * start at zero. The defaults build the preset's own 64 → 64 → 10 network.
 */
public final class NetworkOptions {

    /** The options at their defaults, until picocli parses a command line into them. */
    public NetworkOptions() {
    }

    @Option(names = "--hidden", paramLabel = "N", split = ",", converter = Converters.PositiveInt.class,
            description = "Units in the hidden layer, or in each of several: 128,64 is two hidden layers "
                    + "(default: 64).")
    int[] hidden;

    @Option(names = "--activation", paramLabel = "NAME", converter = ActivationConverter.class,
            completionCandidates = ActivationNames.class,
            description = "The hidden layers' activation: ${COMPLETION-CANDIDATES} (leaky_relu's slope 0.01 below "
                    + "0, elu's alpha 1; default: article sigmoid, keras relu).")
    Activation activation;

    @Option(names = "--dropout", paramLabel = "P", converter = DropoutRate.class,
            description = "Dropout after each hidden layer: each training step zeroes a share P of its outputs and "
                    + "scales the rest by 1/(1-P), as Keras's Dropout(P); predictions use every unit "
                    + "(default: 0, none).")
    float dropout;

    @Option(names = "--init", paramLabel = "NAME", converter = InitConverter.class,
            completionCandidates = InitNames.class,
            description = "Every layer's initial weights: normal (N(0, 1), the article's np.random.randn), glorot "
                    + "(Glorot uniform, Keras's default), he (He normal, N(0, 2/fan-in), for relu layers), biases "
                    + "starting at 0; or pytorch (PyTorch's nn.Linear default: weights and biases uniform in "
                    + "+-1/sqrt(fan-in)) (default: article normal, keras glorot).")
    WeightInit init;

    /** The weight initialisers {@code --init} offers. */
    enum WeightInit {
        /** {@code N(0, 1)}, the article's {@code np.random.randn}. */
        NORMAL(Initializer.normal(0, 1)),
        /** Glorot (Xavier) uniform, Keras's default. */
        GLOROT(Initializer.glorotUniform()),
        /** He normal, {@code N(0, 2 / fanIn)}, for ReLU layers. */
        HE(Initializer.heNormal()),
        /** PyTorch's {@code nn.Linear} default, {@code U(±1/√fanIn)}, biases too. */
        PYTORCH(Initializer.pytorchLinear());

        final Initializer initializer;

        WeightInit(Initializer initializer) {
            this.initializer = initializer;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Activations a hidden layer may take: softmax and the identity make no sense there. */
    static final List<Activation> HIDDEN_ACTIVATIONS = List.of(Activation.SIGMOID, Activation.TANH, Activation.RELU,
            Activation.LEAKY_RELU, Activation.ELU);

    /**
     * Refuses a {@code --hidden} value with an empty width: picocli's split drops trailing empty parts, so
     * {@code --hidden 64,} would train one layer of 64 unasked and {@code --hidden ,} none at all, found only once the
     * run had started. ({@code 64,,32} is refused by the width's converter.)
     *
     * @param spec the command, for the usage error
     * @throws ParameterException naming the option and the value
     */
    void check(CommandSpec spec) {
        picocli.CommandLine.Model.OptionSpec option = spec.commandLine().getParseResult().matchedOption("--hidden");
        if (option == null) {
            return;
        }
        for (String value : option.originalStringValues()) {
            if (value.strip().isEmpty() || value.strip().startsWith(",") || value.strip().endsWith(",")) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--hidden': '" + value
                        + "' has an empty width; give one or more widths, e.g. 64 or 128,64");
            }
        }
    }

    /**
     * The hidden widths {@code h₁ … hₖ}.
     *
     * @return a copy: {@code --hidden}'s, or the presets' one layer of {@link DigitsPreset#HIDDEN_UNITS}
     */
    int[] hiddenUnits() {
        return hidden == null ? new int[] {DigitsPreset.HIDDEN_UNITS} : hidden.clone();
    }

    /**
     * The widths of every layer's output, the input first: {@code inputs, h₁ … hₖ, classes}, for
     * {@link dev.nnj.api.layers.MemoryPlan#requireDenseNetwork}.
     */
    int[] widths(int inputs, int classes) {
        int[] units = hiddenUnits();
        int[] widths = new int[units.length + 2];
        widths[0] = inputs;
        System.arraycopy(units, 0, widths, 1, units.length);
        widths[widths.length - 1] = classes;
        return widths;
    }

    /**
     * The hidden layers' activation for {@code preset}.
     *
     * @param preset the run's preset
     * @return {@code --activation}'s, or the preset's
     */
    Activation activation(DigitsPreset preset) {
        return activation != null ? activation : preset.hiddenActivation;
    }

    /**
     * The weights' initialiser a fresh network of these options starts from, as a model file records it.
     *
     * @param preset the preset, for what {@code --init} leaves out
     * @return {@code normal(mean=0.0, std=1.0)}, {@code glorot_uniform}, ...
     */
    String initializerName(DigitsPreset preset) {
        return String.valueOf(init != null ? init.initializer : preset.weights);
    }

    /**
     * A fresh network of these options, with {@code preset}'s initialiser, seeded by {@code seed}.
     *
     * @return the untrained model, owned by the caller
     */
    Sequential build(DigitsPreset preset, Backend backend, int inputs, int classes, long seed) {
        return preset.buildModel(backend, inputs, hiddenUnits(), activation(preset), dropout,
                init != null ? init.initializer : preset.weights, classes, seed);
    }

    /**
     * The network these options ask for, for the data a run trains on: a classifier's softmax over its classes, or
     * a regression's one identity output.
     *
     * @param preset  the preset, for what the options leave out
     * @param backend where the model lives
     * @param data    the run's data: its features, and its classes or regression target
     * @param seed    seed of the weight initialisation and of the dropout masks
     * @return the untrained model
     */
    Sequential build(DigitsPreset preset, Backend backend, TrainingData data, long seed) {
        if (data.regression() == null) {
            return build(preset, backend, data.features(), data.classes(), seed);
        }
        return preset.buildRegression(backend, data.features(), hiddenUnits(), activation(preset), dropout,
                init != null ? init.initializer : preset.weights, data.outputs(), seed);
    }

    /**
     * Refuses a network option that contradicts the network of a resumed checkpoint: a resumed run keeps that
     * network, so an option that asks for another would be silently ignored. Options not given are not compared, and
     * {@code --init}, which only a fresh model has a use for, is refused.
     *
     * @param spec     the command, for usage errors
     * @param restored the checkpoint's layers, as its model or its architecture record builds them
     * @param file     the checkpoint, for the message
     * @throws ParameterException naming the option, its value and the checkpoint's
     */
    void requireSameAs(CommandSpec spec, List<Layer> restored, Path file) {
        if (ModelOptions.given(spec, "--init")) {
            throw new ParameterException(spec.commandLine(), "Option '--init' does not go with '--resume': the "
                    + "resumed run's weights are those of " + file + ", not fresh ones");
        }
        List<Dense> dense = new ArrayList<>();
        float savedDropout = 0f;
        for (Layer layer : restored) {
            if (layer instanceof Dense) {
                dense.add((Dense) layer);
            } else if (layer instanceof Dropout && savedDropout == 0f) {
                savedDropout = ((Dropout) layer).rate();
            }
        }
        List<Dense> savedHidden = dense.isEmpty() ? dense : dense.subList(0, dense.size() - 1);
        int[] savedUnits = savedHidden.stream().mapToInt(Dense::units).toArray();
        if (ModelOptions.given(spec, "--hidden") && !Arrays.equals(hidden, savedUnits)) {
            throw contradiction(spec, "--hidden", units(hidden), "the " + units(savedUnits) + " hidden units", file);
        }
        if (ModelOptions.given(spec, "--activation")
                && savedHidden.stream().anyMatch(d -> d.activation() != activation)) {
            String saved = savedHidden.stream().map(d -> name(d.activation())).distinct()
                    .collect(Collectors.joining(", "));
            throw contradiction(spec, "--activation", name(activation), "the " + saved + " hidden layers", file);
        }
        if (ModelOptions.given(spec, "--dropout") && dropout != savedDropout) {
            throw contradiction(spec, "--dropout", Float.toString(dropout), "the dropout " + savedDropout, file);
        }
    }

    private static ParameterException contradiction(CommandSpec spec, String option, String value, String saved,
                                                    Path file) {
        return new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + value
                + " differs from " + saved + " of " + file + "; a resumed run keeps the checkpoint's network, so "
                + "leave " + option + " out");
    }

    /** {@code 128,64}: widths as {@code --hidden} takes them. */
    static String units(int[] units) {
        return Arrays.stream(units).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    /** {@code leaky_relu}: an activation as {@code --activation} takes it. */
    static String name(Activation activation) {
        return activation.name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code --activation}, naming the hidden activations in its error. */
    static final class ActivationConverter implements ITypeConverter<Activation> {
        @Override
        public Activation convert(String value) {
            String wanted = value.trim().toLowerCase(Locale.ROOT).replace('-', '_');
            for (Activation a : HIDDEN_ACTIVATIONS) {
                if (name(a).equals(wanted)) {
                    return a;
                }
            }
            String names = HIDDEN_ACTIVATIONS.stream().map(NetworkOptions::name).collect(Collectors.joining(", "));
            throw new TypeConversionException("'" + value + "' is not one of: " + names
                    + Converters.scikitLearnName(wanted, names));
        }
    }

    /** The {@code --activation} values for help and completion. */
    static final class ActivationNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return HIDDEN_ACTIVATIONS.stream().map(NetworkOptions::name).iterator();
        }
    }

    /** Parses {@code --init}, naming the initialisers in its error. */
    static final class InitConverter extends Converters.EnumConverter<WeightInit> {
        InitConverter() {
            super(WeightInit.class);
        }
    }

    /** The {@code --init} values for help and completion. */
    static final class InitNames extends Converters.EnumNames<WeightInit> {
        InitNames() {
            super(WeightInit.class);
        }
    }

    /** Parses {@code --dropout}: a rate in {@code [0, 1)}; 1 would zero every output. */
    static final class DropoutRate implements ITypeConverter<Float> {
        @Override
        public Float convert(String value) {
            try {
                float p = Converters.parseDecimalFloat(value);
                if (p >= 0 && p < 1) {
                    return p;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("'" + value + "' is not a rate from 0 up to, not including, 1 "
                    + "(e.g. 0.2)");
        }
    }
}
