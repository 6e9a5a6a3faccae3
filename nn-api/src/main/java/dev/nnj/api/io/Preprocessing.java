package dev.nnj.api.io;

import dev.nnj.api.data.MinMaxScaler;
import dev.nnj.api.data.OneHotEncoder;
import dev.nnj.api.data.StandardScaler;
import dev.nnj.api.spi.Checks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fitted transformations that travel with a model, so that prediction applies exactly what training did:
 * an optional feature scaler (a fitted {@link MinMaxScaler} or {@link StandardScaler}), an optional label
 * encoder ({@link OneHotEncoder}: class {@code k} is category {@code categories[k]}), and optional class names
 * (class {@code k} is called {@code classNames[k]}). Class {@code k} is output column {@code k}; a model with a
 * single output (a binary classifier's sigmoid) tells two classes apart, 0 below 0.5 and 1 from 0.5 up
 * ({@link dev.nnj.api.data.DataChecks#classOfRow}), so its encoder or class names have two entries. Stored in a model file under the
 * metadata key {@code nnj.preprocessing} as JSON, statistics as shortest round-trip decimals:
 * <pre>{@code
 * {"scaler": {"type": "min_max", "low": 0.0, "high": 1.0, "data_min": [...], "data_max": [...]},
 *  "encoder": {"type": "one_hot", "categories": [0, 1, ..., 9]},
 *  "class_names": ["zero", "one", ...]}
 * }</pre>
 * {@code "type": "standard"} scalers store {@code with_mean}, {@code with_std}, {@code mean}, {@code variance}
 * and {@code scale}.
 */
public final class Preprocessing {
    private static final Preprocessing NONE = new Preprocessing(null, null, null, null);

    private final MinMaxScaler minMax;
    private final StandardScaler standard;
    private final OneHotEncoder encoder;
    private final List<String> classNames;

    private Preprocessing(MinMaxScaler minMax, StandardScaler standard, OneHotEncoder encoder,
                          List<String> classNames) {
        this.minMax = minMax;
        this.standard = standard;
        this.encoder = encoder;
        this.classNames = classNames == null ? null : List.copyOf(classNames);
    }

    /**
     * No transformation: features go to the model as given, output column {@code k} is class {@code k}.
     *
     * @return the empty preprocessing
     */
    public static Preprocessing none() {
        return NONE;
    }

    /**
     * A copy with a fitted min-max scaler for the features (replacing any scaler). The scaler itself is kept, not
     * copied: refit it and this preprocessing, and what a model file saves from it, follow.
     *
     * @param scaler a fitted scaler
     * @return the new preprocessing
     * @throws IllegalArgumentException if the scaler is not fitted
     * @throws NullPointerException if {@code scaler} is null
     */
    public Preprocessing withScaler(MinMaxScaler scaler) {
        Checks.requireNonNull("withScaler", "scaler", scaler);
        requireFitted(scaler.isFitted());
        return new Preprocessing(scaler, null, encoder, classNames);
    }

    /**
     * A copy with a fitted standard scaler for the features (replacing any scaler). The scaler itself is kept, not
     * copied: refit it and this preprocessing, and what a model file saves from it, follow.
     *
     * @param scaler a fitted scaler
     * @return the new preprocessing
     * @throws IllegalArgumentException if the scaler is not fitted
     * @throws NullPointerException if {@code scaler} is null
     */
    public Preprocessing withScaler(StandardScaler scaler) {
        Checks.requireNonNull("withScaler", "scaler", scaler);
        requireFitted(scaler.isFitted());
        return new Preprocessing(null, scaler, encoder, classNames);
    }

    /**
     * A copy with the label encoder that made the training targets.
     *
     * @param encoder the encoder
     * @return the new preprocessing
     */
    public Preprocessing withEncoder(OneHotEncoder encoder) {
        return new Preprocessing(minMax, standard, encoder, classNames);
    }

    /**
     * A copy with a name for each class: one per output column, or two (class 0, then class 1) for a model with a
     * single output.
     *
     * @param names one name per class, in class order
     * @return the new preprocessing
     * @throws NullPointerException if {@code names} or one of them is null, naming which
     * @throws IllegalArgumentException if two classes have the same name (a prediction could not tell them apart)
     */
    public Preprocessing withClassNames(List<String> names) {
        Checks.requireNonNull("withClassNames", "names", names);
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (int k = 0; k < names.size(); k++) {
            if (names.get(k) == null) {
                throw new NullPointerException("withClassNames: the name of class " + k + " is null");
            }
            Integer earlier = seen.putIfAbsent(names.get(k), k);
            if (earlier != null) {
                throw new IllegalArgumentException("class_names: classes " + earlier + " and " + k
                        + " are both called '" + names.get(k) + "'");
            }
        }
        return new Preprocessing(minMax, standard, encoder, names);
    }

    private static void requireFitted(boolean fitted) {
        if (!fitted) {
            throw new IllegalArgumentException("the scaler is not fitted; fit it on the training data first");
        }
    }

    /**
     * Applies the feature scaler (if any) to rows of raw features.
     *
     * @param features {@code (rows, columns)} row-major raw features
     * @param columns  features per row
     * @return the model's input, a new array (or {@code features} itself when there is no scaler)
     */
    public float[] transformFeatures(float[] features, int columns) {
        if (minMax != null) {
            return minMax.transform(features, columns);
        }
        if (standard != null) {
            return standard.transform(features, columns);
        }
        return features;
    }

    /**
     * The label of class {@code k} (output column {@code k}, or for a single output 0 below 0.5 and 1 from 0.5 up):
     * the encoder's category, else {@code k}.
     *
     * @param column a class
     * @return its label
     * @throws IndexOutOfBoundsException for a class the encoder does not have, naming both
     */
    public int label(int column) {
        if (encoder == null) {
            return column;
        }
        int[] categories = encoder.categories();
        if (column < 0 || column >= categories.length) {
            throw new IndexOutOfBoundsException("class " + column + " is not one of the encoder's " + categories.length
                    + " classes (0.." + (categories.length - 1) + ")");
        }
        return categories[column];
    }

    /**
     * The name of class {@code k} (see {@link #label label}): its class name, else its label as text.
     *
     * @param column a class
     * @return a printable name
     * @throws IndexOutOfBoundsException for a negative class; with class names and no encoder, for one past the
     *         names; with an encoder, for one past its classes (a class past the names then has its label as
     *         its name); naming how many there are. With neither, any class from 0 up is its own name:
     *         {@link SavedModel#className} also checks against the model's class count
     */
    public String className(int column) {
        if (column < 0) {
            throw new IndexOutOfBoundsException("class " + column + " is negative");
        }
        if (classNames != null && encoder == null && column >= classNames.size()) {
            throw new IndexOutOfBoundsException("class " + column + " is not one of the " + classNames.size()
                    + " named classes (0.." + (classNames.size() - 1) + ")");
        }
        return classNames != null && column < classNames.size() ? classNames.get(column)
                : Integer.toString(label(column));
    }

    /**
     * Number of classes the preprocessing knows, from the encoder or the class names.
     *
     * @return that number, or -1 if neither is set
     */
    public int classes() {
        return encoder != null ? encoder.classes() : classNames != null ? classNames.size() : -1;
    }

    /**
     * Number of features the scaler was fitted on.
     *
     * @return that number, or -1 without a scaler
     */
    public int features() {
        return minMax != null ? minMax.columns() : standard != null ? standard.columns() : -1;
    }

    /**
     * Whether nothing is set.
     *
     * @return true for {@link #none()}
     */
    public boolean isEmpty() {
        return minMax == null && standard == null && encoder == null && classNames == null;
    }

    /**
     * The fitted min-max scaler.
     *
     * @return it, or null
     */
    public MinMaxScaler minMaxScaler() {
        return minMax;
    }

    /**
     * The fitted standard scaler.
     *
     * @return it, or null
     */
    public StandardScaler standardScaler() {
        return standard;
    }

    /**
     * The label encoder.
     *
     * @return it, or null
     */
    public OneHotEncoder encoder() {
        return encoder;
    }

    /**
     * The class names.
     *
     * @return them, or null
     */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * The JSON form shown on the class.
     *
     * @return maps and lists ready for {@link JsonWriter}
     */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        if (minMax != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("type", "min_max");
            s.put("low", minMax.low());
            s.put("high", minMax.high());
            s.put("data_min", minMax.dataMin());
            s.put("data_max", minMax.dataMax());
            json.put("scaler", s);
        } else if (standard != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("type", "standard");
            s.put("with_mean", standard.withMean());
            s.put("with_std", standard.withStd());
            s.put("mean", standard.mean());
            s.put("variance", standard.variance());
            s.put("scale", standard.scale());
            json.put("scaler", s);
        }
        if (encoder != null) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("type", "one_hot");
            e.put("categories", encoder.categories());
            json.put("encoder", e);
        }
        if (classNames != null) {
            json.put("class_names", new ArrayList<>(classNames));
        }
        return json;
    }

    /**
     * Reads the JSON form.
     *
     * @param json the parsed object
     * @return the preprocessing
     * @throws IllegalArgumentException naming the field at fault
     */
    public static Preprocessing fromJson(Map<String, Object> json) {
        Preprocessing p = NONE;
        for (Map.Entry<String, Object> e : json.entrySet()) {
            switch (e.getKey()) {
                case "scaler":
                    p = withScalerJson(p, object(e.getValue(), "scaler"));
                    break;
                case "encoder": {
                    Map<?, ?> m = object(e.getValue(), "encoder");
                    if (!"one_hot".equals(m.get("type"))) {
                        throw new IllegalArgumentException("encoder.type must be \"one_hot\", got " + m.get("type"));
                    }
                    double[] c = numbers(m.get("categories"), "encoder.categories");
                    int[] categories = new int[c.length];
                    for (int i = 0; i < c.length; i++) {
                        if (c[i] != (int) c[i]) {
                            throw new IllegalArgumentException("encoder.categories[" + i + "] must be an int, got " + c[i]);
                        }
                        categories[i] = (int) c[i];
                    }
                    p = p.withEncoder(OneHotEncoder.ofCategories(categories));
                    break;
                }
                case "class_names": {
                    Object v = e.getValue();
                    if (!(v instanceof List)) {
                        throw new IllegalArgumentException("class_names must be an array of strings");
                    }
                    List<String> names = new ArrayList<>();
                    for (Object o : (List<?>) v) {
                        if (!(o instanceof String)) {
                            throw new IllegalArgumentException("class_names must be an array of strings, got " + o);
                        }
                        names.add((String) o);
                    }
                    p = p.withClassNames(names);
                    break;
                }
                default:
                    throw new IllegalArgumentException("unknown field '" + e.getKey()
                            + "' (expected scaler, encoder, class_names)");
            }
        }
        return p;
    }

    private static Preprocessing withScalerJson(Preprocessing p, Map<?, ?> m) {
        Object type = m.get("type");
        if ("min_max".equals(type)) {
            return p.withScaler(MinMaxScaler.fromStatistics(number(m.get("low"), "scaler.low"),
                    number(m.get("high"), "scaler.high"), numbers(m.get("data_min"), "scaler.data_min"),
                    numbers(m.get("data_max"), "scaler.data_max")));
        }
        if ("standard".equals(type)) {
            if (!(m.get("with_mean") instanceof Boolean) || !(m.get("with_std") instanceof Boolean)) {
                throw new IllegalArgumentException("scaler.with_mean and scaler.with_std must be booleans");
            }
            return p.withScaler(StandardScaler.fromStatistics((Boolean) m.get("with_mean"), (Boolean) m.get("with_std"),
                    numbers(m.get("mean"), "scaler.mean"), numbers(m.get("variance"), "scaler.variance"),
                    numbers(m.get("scale"), "scaler.scale")));
        }
        throw new IllegalArgumentException("scaler.type must be \"min_max\" or \"standard\", got " + type);
    }

    private static Map<?, ?> object(Object v, String field) {
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException(field + " must be an object, got " + StrictJson.typeName(v));
        }
        return (Map<?, ?>) v;
    }

    private static double number(Object v, String field) {
        if (!(v instanceof Number)) {
            throw new IllegalArgumentException(field + " must be a number, got " + v);
        }
        return ((Number) v).doubleValue();
    }

    private static double[] numbers(Object v, String field) {
        if (!(v instanceof List)) {
            throw new IllegalArgumentException(field + " must be an array of numbers, got "
                    + (v == null ? "nothing" : StrictJson.typeName(v)));
        }
        List<?> list = (List<?>) v;
        double[] d = new double[list.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = number(list.get(i), field + "[" + i + "]");
        }
        return d;
    }

    @Override
    public String toString() {
        return "Preprocessing" + JsonWriter.write(toJson());
    }
}
