package dev.nnj.api.io;

import dev.nnj.api.Activation;
import dev.nnj.api.init.Initializer;
import dev.nnj.api.layers.ActivationLayer;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.layers.Dropout;
import dev.nnj.api.layers.Layer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One layer of a saved architecture: its type ({@code dense}, {@code dropout} or an activation's label such as
 * {@code relu}), the name the model gave it, and its configuration ({@link Layer#config()}). It validates
 * the configuration and rebuilds the layer.
 *
 * <pre>
 *   dense       units (int ≥ 1), activation (identity|sigmoid|tanh|relu|leaky_relu|elu|softmax), alpha (≥ 0)
 *   dropout     rate (0 ≤ rate &lt; 1), seed (int64, the mask stream)
 *   leaky_relu, elu                                  alpha (≥ 0), required
 *   sigmoid, tanh, relu, softmax, identity           alpha (≥ 0, unused), optional
 * </pre>
 *
 * @param type   the layer type
 * @param name   the layer's name in the model, e.g. {@code dense_1}
 * @param config the configuration, as read from JSON
 */
public record LayerSpec(String type, String name, Map<String, Object> config) {
    /** Zeros until the saved values are written; summaries say where the weights came from. */
    private static final Initializer FROM_FILE = Initializer.placeholder("loaded");

    /**
     * Checks the fields and copies the configuration.
     *
     * @param type   the layer type
     * @param name   the layer's name in the model
     * @param config the configuration, copied
     */
    public LayerSpec {
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    }

    /**
     * The spec of a built layer, refused unless loading it rebuilds the same layer: the spec's {@link #create()}
     * must give an object of the layer's own class (or, for a plain {@link ActivationLayer}, its named subclass,
     * which computes the same). A layer of your own cannot pass: a file holds no code, so one whose {@code type()}
     * is a built-in's name ({@code "tanh"}) would load back as that built-in, computing something else without
     * an error, and one of any other type could be written but never loaded.
     *
     * @param layer a layer already added to a model
     * @return its type, name and configuration
     * @throws UnsupportedOperationException if the layer cannot describe itself, or the loader would not rebuild
     *         it as its own class; the message names the layer and the {@code stateDict} route
     */
    public static LayerSpec of(Layer layer) {
        LayerSpec spec = new LayerSpec(layer.type(), layer.name(), layer.config());
        Layer rebuilt;
        try {
            // Through JSON and back, as a file gives it to the loader (integers become longs).
            rebuilt = new LayerSpec(spec.type(), spec.name(), StrictJson.parseObject(JsonWriter.write(spec.config())))
                    .create();
        } catch (IllegalArgumentException e) {
            throw notRebuilt(layer, "a model file could not rebuild it (" + e.getMessage() + ")");
        }
        Class<?> mine = layer.getClass();
        // A plain ActivationLayer loads as its named subclass (relu → ReLU): the same function, the same alpha.
        if (mine != rebuilt.getClass() && mine != ActivationLayer.class) {
            throw notRebuilt(layer, "a model file would load its type '" + spec.type() + "' back as the built-in "
                    + rebuilt.getClass().getSimpleName() + ", another layer");
        }
        return spec;
    }

    private static UnsupportedOperationException notRebuilt(Layer layer, String why) {
        return new UnsupportedOperationException("layer " + layer.name() + " (" + layer.getClass().getName()
                + ") cannot be saved: " + why + ". A model file rebuilds only nnj's own layers; save "
                + "model.stateDict() instead, rebuild the model in code and call loadStateDict (or, to resume "
                + "training, Checkpoint.save and Checkpoint.restoreInto the model built in code)");
    }

    /**
     * Checks the configuration and creates an unbuilt layer from it (Dense weights start at zero; loading
     * overwrites them).
     *
     * @return the layer, ready to add to a model
     * @throws IllegalArgumentException naming the layer and the field, for a bad or unknown configuration
     */
    public Layer create() {
        if ("dense".equals(type)) {
            allowOnly("units", "activation", "alpha");
            int units = (int) integer("units", 1, Integer.MAX_VALUE);
            Activation f = activation(text("activation"));
            if (!usesAlpha(f)) {
                // The activation has no alpha: a file may leave it out, as for the activation layers.
                return config.containsKey("alpha") ? new Dense(units, f, number("alpha"), FROM_FILE, FROM_FILE)
                        : new Dense(units, f, FROM_FILE, FROM_FILE);
            }
            return new Dense(units, f, requiredAlpha(f), FROM_FILE, FROM_FILE);
        }
        if ("dropout".equals(type)) {
            allowOnly("rate", "seed");
            float rate = (float) number("rate", 0, Math.nextDown(1.0));
            integer("seed", Long.MIN_VALUE, Long.MAX_VALUE);   // checked now, applied by afterBuild
            return new Dropout(rate);
        }
        Activation f = activation(type);
        allowOnly("alpha");
        float alpha = usesAlpha(f) ? requiredAlpha(f) : config.containsKey("alpha") ? number("alpha") : 0f;
        return ActivationLayer.of(f, alpha);
    }

    private static boolean usesAlpha(Activation f) {
        return f == Activation.LEAKY_RELU || f == Activation.ELU;
    }

    /** A leaky ReLU's or ELU's alpha, which the file must give. */
    private float requiredAlpha(Activation f) {
        if (!config.containsKey("alpha")) {
            // No default here: 0 would turn a leaky ReLU into a ReLU, and the class defaults may not be the saver's.
            throw error("needs alpha, its " + (f == Activation.ELU ? "scale" : "slope") + " for negative inputs");
        }
        return number("alpha");
    }

    /**
     * Restores what the model's build drew at random but the file fixes: a dropout layer's mask seed.
     *
     * @param layer the layer {@link #create()} made, after the model built it
     */
    public void afterBuild(Layer layer) {
        if (layer instanceof Dropout) {
            ((Dropout) layer).resumeMasks(integer("seed", Long.MIN_VALUE, Long.MAX_VALUE), 0);
        }
    }

    /**
     * Output width of the layer for a given input width.
     *
     * @param inputWidth the width coming in
     * @return {@code units} for dense, else {@code inputWidth}
     */
    public int outputWidth(int inputWidth) {
        return "dense".equals(type) ? (int) integer("units", 1, Integer.MAX_VALUE) : inputWidth;
    }

    private void allowOnly(String... keys) {
        Set<String> allowed = Set.of(keys);
        for (String k : config.keySet()) {
            if (!allowed.contains(k)) {
                throw error("unknown field '" + k + "' (a " + type + " layer has " + String.join(", ", keys) + ")");
            }
        }
    }

    private Activation activation(String label) {
        for (Activation a : Activation.values()) {
            if (a.label().equals(label)) {
                return a;
            }
        }
        throw error("dense".equals(type) ? "unknown activation '" + label + "'; known: " + labels()
                : "unknown layer type '" + label + "'; known: dense, dropout, " + labels());
    }

    private static String labels() {
        StringBuilder sb = new StringBuilder();
        for (Activation a : Activation.values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(a.label());
        }
        return sb.toString();
    }

    private String text(String key) {
        Object v = config.get(key);
        if (!config.containsKey(key)) {
            throw error(key + " is missing (a string)");
        }
        if (!(v instanceof String)) {
            throw error(key + " must be a string, got " + describe(v));
        }
        return (String) v;
    }

    private long integer(String key, long min, long max) {
        Object v = config.get(key);
        if (!config.containsKey(key)) {
            throw error(key + " is missing (an integer in [" + min + ", " + max + "])");
        }
        if (!(v instanceof Long) || (Long) v < min || (Long) v > max) {
            throw error(key + " must be an integer in [" + min + ", " + max + "], got " + describe(v));
        }
        return (Long) v;
    }

    private float number(String key) {
        return (float) number(key, 0, Float.MAX_VALUE);
    }

    private double number(String key, double min, double max) {
        Object v = config.get(key);
        // The largest double below 1 stands for a range open at 1 (a dropout rate), and is written so.
        String range = "[" + min + ", " + (max == Math.nextDown(1.0) ? "1)" : max + "]");
        if (!config.containsKey(key)) {
            throw error(key + " is missing (a number in " + range + ")");
        }
        if (!(v instanceof Number) || !(((Number) v).doubleValue() >= min && ((Number) v).doubleValue() <= max)) {
            throw error(key + " must be a number in " + range + ", got " + describe(v));
        }
        return ((Number) v).doubleValue();
    }

    private static String describe(Object v) {
        return v == null ? "nothing" : v instanceof String ? "\"" + v + "\"" : String.valueOf(v);
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException("layer '" + name + "' (" + type + "): " + message);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s(%s) %s", name, type, config);
    }
}
