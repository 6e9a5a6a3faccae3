package dev.nnj.api.io;

import dev.nnj.api.Backend;
import dev.nnj.api.layers.Layer;
import dev.nnj.api.model.Sequential;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Sequential}'s architecture without its weights: the input width and each layer's spec, as stored in
 * a model file's metadata under {@code nnj.architecture}:
 * <pre>{@code
 * {"input_width": 64,
 *  "layers": [{"type": "dense", "name": "dense_1", "config": {"units": 64, "activation": "relu", "alpha": 1.0}},
 *             {"type": "dropout", "name": "dropout_1", "config": {"rate": 0.2, "seed": -4962768465676381896}},
 *             {"type": "dense", "name": "dense_2", "config": {"units": 10, "activation": "softmax", "alpha": 1.0}}]}
 * }</pre>
 * Layer names are the ones the model gives ({@code <type>_<k>}, the k-th layer of that type), so parameter
 * names ({@code dense_1.weight}, {@code dense_1.bias}) follow from the architecture.
 *
 * @param inputWidth number of input features
 * @param layers     the layers in order
 */
public record Architecture(int inputWidth, List<LayerSpec> layers) {
    /** Inputs or units beyond this are refused as implausible before anything is allocated. */
    static final int MAX_WIDTH = 1 << 24;
    /** The most layers a model file holds; more are refused as implausible (an importer stops at it too). */
    public static final int MAX_LAYERS = 10_000;

    /**
     * Copies the layers.
     *
     * @param inputWidth number of input features
     * @param layers     the layers in order, copied
     */
    public Architecture {
        layers = List.copyOf(layers);
    }

    /**
     * The architecture of a model.
     *
     * @param model a model with at least one layer
     * @return its input width and layer specs
     * @throws UnsupportedOperationException if a layer cannot describe its configuration, or is not one the
     *         loader rebuilds as the same class (a layer of your own; see {@link LayerSpec#of})
     */
    public static Architecture of(Sequential model) {
        List<LayerSpec> specs = new ArrayList<>();
        for (Layer layer : model.layers()) {
            specs.add(LayerSpec.of(layer));
        }
        return new Architecture(model.inputWidth(), specs);
    }

    /**
     * The JSON form shown on the class.
     *
     * @return maps and lists ready for {@link JsonWriter}
     */
    public Map<String, Object> toJson() {
        List<Object> list = new ArrayList<>();
        for (LayerSpec s : layers) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", s.type());
            m.put("name", s.name());
            m.put("config", s.config());
            list.add(m);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("input_width", inputWidth);
        json.put("layers", list);
        return json;
    }

    /**
     * Reads and validates the JSON form: field types and ranges, known layer types, and that every name is
     * the one the model will give that layer, so parameter names are predictable.
     *
     * @param json the parsed object
     * @return the architecture
     * @throws IllegalArgumentException naming the layer and field at fault
     */
    public static Architecture fromJson(Map<String, Object> json) {
        for (String key : json.keySet()) {
            if (!key.equals("input_width") && !key.equals("layers")) {
                throw new IllegalArgumentException("unknown field '" + key + "' (expected input_width and layers)");
            }
        }
        Object width = json.get("input_width");
        if (!(width instanceof Long) || (Long) width < 1 || (Long) width > MAX_WIDTH) {
            throw new IllegalArgumentException("input_width must be an integer in [1, " + MAX_WIDTH + "], got " + width);
        }
        Object layerList = json.get("layers");
        if (!(layerList instanceof List) || ((List<?>) layerList).isEmpty()
                || ((List<?>) layerList).size() > MAX_LAYERS) {
            throw new IllegalArgumentException("layers must be an array of 1 to " + MAX_LAYERS + " layers, got "
                    + (layerList == null ? "nothing" : layerList instanceof List<?> list ? "an array of " + list.size()
                    : StrictJson.typeName(layerList)));
        }
        List<LayerSpec> specs = new ArrayList<>();
        Map<String, Integer> typeCounts = new HashMap<>();
        int index = 0;
        for (Object item : (List<?>) layerList) {
            index++;
            if (!(item instanceof Map)) {
                throw new IllegalArgumentException("layer " + index + " must be an object, got "
                        + StrictJson.typeName(item));
            }
            Map<?, ?> m = (Map<?, ?>) item;
            for (Object key : m.keySet()) {
                if (!key.equals("type") && !key.equals("name") && !key.equals("config")) {
                    throw new IllegalArgumentException("layer " + index + ": unknown field '" + key + "'");
                }
            }
            if (!(m.get("type") instanceof String) || !(m.get("name") instanceof String)
                    || !(m.get("config") instanceof Map)) {
                throw new IllegalArgumentException("layer " + index + " needs a string type, a string name and a "
                        + "config object, got " + m);
            }
            String type = (String) m.get("type");
            String name = (String) m.get("name");
            @SuppressWarnings("unchecked")
            Map<String, Object> config = (Map<String, Object>) m.get("config");
            LayerSpec spec = new LayerSpec(type, name, config);
            // Validates the type and configuration now, with the layer's name in any error: first, so that a type
            // nnj does not know ("conv") is named as such rather than as a name that does not follow from it.
            spec.create();
            String expected = type + "_" + typeCounts.merge(type, 1, Integer::sum);
            if (!name.equals(expected)) {
                throw new IllegalArgumentException("layer " + index + " is named '" + name + "', but a model names its "
                        + "layer " + index + " '" + expected + "'");
            }
            if ("dense".equals(type) && spec.outputWidth(1) > MAX_WIDTH) {
                throw new IllegalArgumentException("layer '" + name + "': units must be at most " + MAX_WIDTH);
            }
            specs.add(spec);
        }
        return new Architecture((int) (long) (Long) width, specs);
    }

    /**
     * The parameters this architecture has, with their shapes in a file of the given layout.
     *
     * @param layout how Dense weights are stored
     * @return parameter name to file shape, in model order (weight before bias)
     */
    public Map<String, int[]> parameterShapes(WeightLayout layout) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        int width = inputWidth;
        for (LayerSpec s : layers) {
            int out = s.outputWidth(width);
            if ("dense".equals(s.type())) {
                shapes.put(s.name() + ".weight", layout.weightShape(width, out));
                shapes.put(s.name() + ".bias", new int[] {out});
            }
            width = out;
        }
        return shapes;
    }

    /**
     * Builds the model on a backend, its weights zero until loaded.
     *
     * @param backend where the parameters live
     * @return a new model; the caller closes it
     */
    public Sequential build(Backend backend) {
        Sequential model = new Sequential(backend, inputWidth, 0);
        try {
            for (LayerSpec s : layers) {
                Layer layer = s.create();
                model.add(layer);
                s.afterBuild(layer);
            }
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }
}
