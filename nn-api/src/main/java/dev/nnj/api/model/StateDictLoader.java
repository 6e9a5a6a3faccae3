package dev.nnj.api.model;

import dev.nnj.api.layers.Parameter;
import dev.nnj.api.spi.Checks;
import dev.nnj.api.data.DataChecks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks a state dict against a model's parameters and writes it, all or nothing: every entry is checked
 * before the first parameter is written, so a refused load leaves the model as it was.
 *
 * <p>Strict (the default, as PyTorch's {@code load_state_dict}): the keys must be exactly the model's
 * parameter names. {@link Mode#LENIENT} lets keys be missing (those parameters keep their values) or extra
 * (ignored), and reports both. In both modes a null value, a wrong size or shape, or a NaN or infinite
 * value is an error naming the parameter.
 */
public final class StateDictLoader {
    /** How keys that do not match the model's parameters are treated. */
    public enum Mode {
        /** Missing and extra keys are errors. */
        STRICT,
        /** Missing keys keep their parameters' values, extra keys are ignored; both are reported. */
        LENIENT
    }

    /**
     * What a load did not match: empty lists after a strict load.
     *
     * @param missingKeys    parameters of the model that the state did not name (left unchanged)
     * @param unexpectedKeys names in the state that are not parameters of the model (ignored)
     */
    public record Result(List<String> missingKeys, List<String> unexpectedKeys) {
        /**
         * Keeps the two lists of names.
         *
         * @param missingKeys    parameters the state did not name
         * @param unexpectedKeys names that are not parameters
         */
        public Result {
            missingKeys = List.copyOf(missingKeys);
            unexpectedKeys = List.copyOf(unexpectedKeys);
        }
    }

    private StateDictLoader() {
    }

    /**
     * Loads flat arrays: each value's length must equal the parameter's size.
     *
     * @param model the model to write
     * @param state parameter name to row-major values
     * @param mode  strict or lenient about keys
     * @return the keys that did not match (empty when strict)
     * @throws IllegalArgumentException naming the parameter, before anything is written
     */
    public static Result loadFlat(Sequential model, Map<String, float[]> state, Mode mode) {
        Objects.requireNonNull(state, "state");
        Map<String, HostTensor> shaped = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : state.entrySet()) {
            Parameter p = findOrNull(model, e.getKey());
            float[] values = e.getValue();
            if (values == null) {
                throw new IllegalArgumentException("state dict entry '" + e.getKey() + "' is null");
            }
            if (p != null && values.length != p.size()) {
                throw new IllegalArgumentException("parameter " + p.name() + " has shape " + Checks.toString(p.shape())
                        + " (" + p.size() + " values), got " + values.length + " values");
            }
            // A flat array has no shape of its own: it takes the parameter's (checked by size above).
            shaped.put(e.getKey(), p == null ? null : new HostTensor(p.shape(), values));
        }
        return check(model, shaped, mode, state.keySet());
    }

    /**
     * Loads tensors with shapes: each shape must equal the parameter's, not just its size.
     *
     * @param model the model to write
     * @param state parameter name to shaped values
     * @param mode  strict or lenient about keys
     * @return the keys that did not match (empty when strict)
     * @throws IllegalArgumentException naming the parameter, before anything is written
     */
    public static Result loadShaped(Sequential model, Map<String, HostTensor> state, Mode mode) {
        Objects.requireNonNull(state, "state");
        for (Map.Entry<String, HostTensor> e : state.entrySet()) {
            if (e.getValue() == null) {
                throw new IllegalArgumentException("state dict entry '" + e.getKey() + "' is null");
            }
            Parameter p = findOrNull(model, e.getKey());
            if (p != null && !sameShape(p.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("parameter " + p.name() + " has shape " + Checks.toString(p.shape())
                        + ", got a tensor of shape " + Checks.toString(e.getValue().shape()));
            }
        }
        return check(model, state, mode, state.keySet());
    }

    private static Result check(Sequential model, Map<String, HostTensor> state, Mode mode, Iterable<String> keys) {
        Objects.requireNonNull(mode, "mode");
        List<String> unexpected = new ArrayList<>();
        for (String key : keys) {
            if (key == null) {
                throw new IllegalArgumentException("state dict has a null key");
            }
            if (findOrNull(model, key) == null) {
                unexpected.add(key);
            }
        }
        List<String> missing = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            if (!state.containsKey(p.name())) {
                missing.add(p.name());
            }
        }
        if (mode == Mode.STRICT && (!missing.isEmpty() || !unexpected.isEmpty())) {
            throw new IllegalArgumentException("state dict does not match the model"
                    + (missing.isEmpty() ? "" : "; missing keys: " + missing)
                    + (unexpected.isEmpty() ? "" : "; unexpected keys: " + unexpected)
                    + "; the model's parameters are " + names(model)
                    + " (load with StateDictLoader.Mode.LENIENT to accept a partial state)");
        }
        for (Parameter p : model.parameters()) {
            HostTensor t = state.get(p.name());
            if (t != null) {
                int bad = DataChecks.firstNonFinite(t.values());
                if (bad >= 0) {
                    throw new IllegalArgumentException("parameter " + p.name() + ": value " + t.values()[bad]
                            + " at index " + bad + " is not finite");
                }
            }
        }
        for (Parameter p : model.parameters()) {
            HostTensor t = state.get(p.name());
            if (t != null) {
                p.write(t.values());
            }
        }
        return new Result(missing, unexpected);
    }

    private static Parameter findOrNull(Sequential model, String name) {
        for (Parameter p : model.parameters()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    private static boolean sameShape(int[] a, int[] b) {
        // A rank-1 (n) and a (1, n) row hold the same values the same way; anything else must match exactly.
        int aRows = a.length == 2 ? a[0] : 1;
        int bRows = b.length == 2 ? b[0] : 1;
        return aRows == bRows && a[a.length - 1] == b[b.length - 1];
    }

    private static List<String> names(Sequential model) {
        List<String> names = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            names.add(p.name());
        }
        return names;
    }
}
