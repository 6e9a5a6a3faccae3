package dev.nnj.api.io;

import dev.nnj.api.layers.CustomActivationLayer;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The first difference between two networks in the JSON form {@link Checkpoint#layersJson} writes ({@code
 * input_width}, then {@code layers}, each a type, name and config or a layer of its own's class and name), for a
 * message that says which layer to change: "layer 2: tanh_1 (tanh) saved, softsign_1 (com.example.Softsign) here".
 */
final class NetworkDifference {
    private NetworkDifference() {
    }

    /**
     * @param saved the network a file records
     * @param here  the network given to restore into
     * @return the first difference, in words
     */
    static String first(Map<String, Object> saved, Map<String, Object> here) {
        if (!Objects.equals(saved.get("input_width"), here.get("input_width"))) {
            return "input width " + saved.get("input_width") + " saved, " + here.get("input_width") + " here";
        }
        List<?> a = saved.get("layers") instanceof List<?> l ? l : List.of();
        List<?> b = here.get("layers") instanceof List<?> l ? l : List.of();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            if (!Objects.equals(a.get(i), b.get(i))) {
                return "layer " + (i + 1) + ": " + describe(a.get(i)) + " saved, " + describe(b.get(i)) + " here";
            }
        }
        if (a.size() != b.size()) {
            return a.size() + " layers saved, " + b.size() + " here";
        }
        return "the networks' descriptions differ";
    }

    /**
     * {@code dense_1 (dense {units=64, activation=relu})}, {@code softsign_1 (com.example.Softsign)}, or a custom
     * activation layer with its function's class, which is recorded only for a named class.
     */
    private static String describe(Object layer) {
        if (!(layer instanceof Map<?, ?> m)) {
            return String.valueOf(layer);
        }
        if (!m.containsKey("class")) {
            return m.get("name") + " (" + m.get("type") + " " + m.get("config") + ")";
        }
        String function = m.containsKey("function") ? " of " + m.get("function")
                : CustomActivationLayer.class.getName().equals(m.get("class"))
                ? " of an anonymous, local or lambda function, whose class is not recorded" : "";
        return m.get("name") + " (" + m.get("class") + function + ")";
    }
}
