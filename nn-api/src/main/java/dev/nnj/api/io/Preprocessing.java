package dev.nnj.api.io;

import dev.nnj.api.data.ColumnScaler;
import dev.nnj.api.data.DataChecks;
import dev.nnj.api.data.MinMaxScaler;
import dev.nnj.api.data.OneHotEncoder;
import dev.nnj.api.data.SimpleImputer;
import dev.nnj.api.data.StandardScaler;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.spi.Checks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fitted transformations that travel with a model, so that prediction applies exactly what training did:
 * an optional feature scaler (a fitted {@link MinMaxScaler} or {@link StandardScaler}), and either, for a
 * classifier, an optional label encoder ({@link OneHotEncoder}: class {@code k} is category {@code categories[k]})
 * and optional class names (class {@code k} is called {@code classNames[k]}), or, for a regression, an optional
 * target scaler (fitted on the training targets, one column per model output), whose inverse
 * {@link SavedModel#predict SavedModel.predict} applies to the model's outputs to give targets in their original
 * units. A target scaler beside an encoder or class names is refused: a classifier's outputs are probabilities, with
 * no scale to undo. Class {@code k} is output column {@code k}; a model with a
 * single output (a binary classifier's sigmoid) tells two classes apart, 0 up to 0.5 and 1 above it
 * ({@link dev.nnj.api.data.DataChecks#classOfRow}), so its encoder or class names have two entries. Stored in a model file under the
 * metadata key {@code nnj.preprocessing} as JSON, statistics as shortest round-trip decimals:
 * <pre>{@code
 * {"scaler": {"type": "min_max", "low": 0.0, "high": 1.0, "data_min": [...], "data_max": [...]},
 *  "encoder": {"type": "one_hot", "categories": [0, 1, ..., 9]},
 *  "class_names": ["zero", "one", ...],
 *  "feature_names": ["sepal length", ...]}
 * }</pre>
 * {@code feature_names}, optional, name the model's inputs in order (a CSV file's header), for matching a file's
 * columns by name. {@code categorical}, optional, gives the categories of the columns read as text categories and
 * one-hot encoded, in the order of their one-hot columns: {@code "categorical": {"color": ["blue", "green", "red"]}}
 * (the features {@code color=blue}, {@code color=green}, {@code color=red}). {@code ignored_columns}, optional, names
 * the training file's columns that were not features (an identifier, a date), left out of a file to predict too:
 * {@code "ignored_columns": ["customer_id", "signed"]}. {@code imputer}, optional, fills in missing (NaN) features
 * before the scaler: {@code "imputer": {"strategy": "mean", "statistics": [5.8, ...]}} ({@link SimpleImputer}).
 * {@code "type": "standard"} scalers store {@code with_mean}, {@code with_std}, {@code mean}, {@code variance}
 * and {@code scale}. A regression model's target scaler has the same fields, under {@code "target_scaler"}:
 * <pre>{@code
 * {"scaler": {"type": "standard", ...}, "target_scaler": {"type": "standard", "with_mean": true, ...}}
 * }</pre>
 */
public final class Preprocessing {
    private static final Preprocessing NONE = new Preprocessing(null, null, null, null, null, null, null, null,
            null, null);

    private final MinMaxScaler minMax;
    private final StandardScaler standard;
    private final OneHotEncoder encoder;
    private final List<String> classNames;
    private final MinMaxScaler targetMinMax;
    private final StandardScaler targetStandard;
    private final List<String> featureNames;
    /** Each categorical input column's categories, in column order, or null for none. */
    private final Map<String, List<String>> categories;
    /** The header columns of the training file that were left out of the features, or null for none. */
    private final List<String> ignoredColumns;
    /** Fills in missing features before the scaler, or null for none. */
    private final SimpleImputer imputer;

    private Preprocessing(MinMaxScaler minMax, StandardScaler standard, OneHotEncoder encoder,
                          List<String> classNames, MinMaxScaler targetMinMax, StandardScaler targetStandard,
                          List<String> featureNames, Map<String, List<String>> categories,
                          List<String> ignoredColumns, SimpleImputer imputer) {
        this.imputer = imputer;
        this.featureNames = featureNames == null ? null : List.copyOf(featureNames);
        this.categories = categories;
        this.ignoredColumns = ignoredColumns;
        this.minMax = minMax;
        this.standard = standard;
        this.encoder = encoder;
        this.classNames = classNames == null ? null : List.copyOf(classNames);
        this.targetMinMax = targetMinMax;
        this.targetStandard = targetStandard;
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
        return new Preprocessing(scaler, null, encoder, classNames, targetMinMax, targetStandard, featureNames,
                categories, ignoredColumns, imputer);
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
        return new Preprocessing(null, scaler, encoder, classNames, targetMinMax, targetStandard, featureNames,
                categories, ignoredColumns, imputer);
    }

    /**
     * A copy with the label encoder that made the training targets.
     *
     * @param encoder the encoder
     * @return the new preprocessing
     * @throws IllegalArgumentException if a target scaler is set (a classifier has no target scale)
     */
    public Preprocessing withEncoder(OneHotEncoder encoder) {
        requireNoTargetScaler("encoder", "an encoder");
        return new Preprocessing(minMax, standard, encoder, classNames, targetMinMax, targetStandard, featureNames,
                categories, ignoredColumns, imputer);
    }

    /**
     * A copy with a name for each class: one per output column, or two (class 0, then class 1) for a model with a
     * single output.
     *
     * @param names one name per class, in class order
     * @return the new preprocessing
     * @throws NullPointerException if {@code names} or one of them is null, naming which
     * @throws IllegalArgumentException if two classes have the same name (a prediction could not tell them apart),
     *         or if a target scaler is set (a classifier has no target scale)
     */
    public Preprocessing withClassNames(List<String> names) {
        Checks.requireNonNull("withClassNames", "names", names);
        requireNoTargetScaler("class_names", "class names");
        requireDistinctNames("withClassNames", "class_names", "class", "classes", names);
        return new Preprocessing(minMax, standard, encoder, names, targetMinMax, targetStandard, featureNames,
                categories, ignoredColumns, imputer);
    }

    /**
     * A copy with the name of each feature column, in the order the model takes them (a CSV file's header, without
     * its label), so that a prediction from a file with a header can match its columns by name rather than by
     * position: columns in another order are a silent wrong answer otherwise.
     *
     * @param names one name per model input, in input order
     * @return the new preprocessing
     * @throws NullPointerException if {@code names} or one of them is null, naming which
     * @throws IllegalArgumentException if there are none, or two features have the same name
     */
    public Preprocessing withFeatureNames(List<String> names) {
        Checks.requireNonNull("withFeatureNames", "names", names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("feature_names: a model takes at least one feature");
        }
        requireDistinctNames("withFeatureNames", "feature_names", "feature", "features", names);
        return new Preprocessing(minMax, standard, encoder, classNames, targetMinMax, targetStandard, names,
                categories, ignoredColumns, imputer);
    }

    /**
     * A copy with the categories of the input columns that were read as text categories and one-hot encoded (a CSV
     * file's {@code color} becoming the features {@code color=blue}, {@code color=green}, ...), so that rows to
     * predict are encoded with the same categories in the same order: {@link SavedModel#csvReader()} reads a file so.
     *
     * @param categories each categorical column's name and its categories, in the order of their one-hot columns;
     *                   empty for none
     * @return the new preprocessing
     * @throws NullPointerException if {@code categories}, a name or a list is null
     * @throws IllegalArgumentException for a blank name, an empty list, a blank category or one listed twice (what
     *         a CSV reader refuses too, so that no file is saved that {@link SavedModel#csvReader()} cannot use)
     */
    public Preprocessing withCategories(Map<String, List<String>> categories) {
        Checks.requireNonNull("withCategories", "categories", categories);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : categories.entrySet()) {
            // Stripped, as a CSV reader strips header names: " c " would never match a file's "c".
            String column = Checks.requireNonNull("withCategories", "a column name", e.getKey()).strip();
            if (copy.containsKey(column)) {
                throw new IllegalArgumentException("categorical: column '" + column + "' is named twice");
            }
            List<String> values = Checks.requireNonNull("withCategories", "the categories of '" + column + "'",
                    e.getValue());
            if (column.isEmpty() || values.isEmpty()) {
                throw new IllegalArgumentException("categorical: column '" + column + "' needs a name and at least "
                        + "one category");
            }
            for (String value : values) {
                if (value == null || value.isBlank()) {
                    throw new IllegalArgumentException("categorical: column '" + column + "' has an empty category");
                }
            }
            requireDistinctNames("withCategories", "categorical." + column, "category", "categories", values);
            copy.put(column, List.copyOf(values));
        }
        return new Preprocessing(minMax, standard, encoder, classNames, targetMinMax, targetStandard, featureNames,
                copy.isEmpty() ? null : java.util.Collections.unmodifiableMap(copy), ignoredColumns, imputer);
    }

    /**
     * The categorical input columns ({@link #withCategories}).
     *
     * @return each column's categories in the order of their one-hot columns, in column order; empty for none
     */
    public Map<String, List<String>> categories() {
        return categories == null ? Map.of() : categories;
    }

    /**
     * A copy with the columns of the training file that were not features (an identifier, a date: what
     * {@link dev.nnj.api.data.CsvReader#withIgnoredColumns} left out), so that {@link SavedModel#csvReader()} leaves
     * them out of a file to predict too, where its header has them.
     *
     * @param names the columns' header names; empty for none
     * @return the new preprocessing
     * @throws NullPointerException if {@code names} or one of them is null, naming which
     * @throws IllegalArgumentException for a blank name, one given twice, or one that is also a feature or a
     *         categorical column
     */
    public Preprocessing withIgnoredColumns(List<String> names) {
        Checks.requireNonNull("withIgnoredColumns", "names", names);
        List<String> stripped = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) {
            if (names.get(k) == null) {
                throw new NullPointerException("withIgnoredColumns: the name of column " + k + " is null");
            }
            String name = names.get(k).strip();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("ignored_columns: the name of column " + k + " is blank");
            }
            if (featureNames != null && featureNames.contains(name) || categories().containsKey(name)) {
                throw new IllegalArgumentException("ignored_columns: '" + name + "' is one of the model's "
                        + (categories().containsKey(name) ? "categorical columns" : "features") + ", which a file to "
                        + "predict must have");
            }
            stripped.add(name);
        }
        requireDistinctNames("withIgnoredColumns", "ignored_columns", "column", "columns", stripped);
        return new Preprocessing(minMax, standard, encoder, classNames, targetMinMax, targetStandard, featureNames,
                categories, stripped.isEmpty() ? null : List.copyOf(stripped), imputer);
    }

    /**
     * The columns of the training file that were not features ({@link #withIgnoredColumns}).
     *
     * @return their header names, in the order given; empty for none
     */
    public List<String> ignoredColumns() {
        return ignoredColumns == null ? List.of() : ignoredColumns;
    }

    /**
     * The feature names ({@link #withFeatureNames}).
     *
     * @return one name per model input, in input order, or null if none were saved
     */
    public List<String> featureNames() {
        return featureNames;
    }

    /**
     * The columns a file or a record to predict holds, in the model's input order: the feature names, with each
     * categorical column's one-hot inputs ({@code color=blue}, {@code color=green}, ...) as that column, once
     * ({@code color}). The class column and the {@link #ignoredColumns} are not among them.
     *
     * @return the columns, or null if no feature names were saved
     */
    public List<String> inputColumns() {
        if (featureNames == null) {
            return null;
        }
        Map<String, String> columnOf = new java.util.HashMap<>();
        categories().forEach((column, values) -> values.forEach(v -> columnOf.put(column + "=" + v, column)));
        java.util.LinkedHashSet<String> columns = new java.util.LinkedHashSet<>();
        for (String name : featureNames) {
            columns.add(columnOf.getOrDefault(name, name));
        }
        return List.copyOf(columns);
    }

    /**
     * A copy with a min-max scaler fitted on the training targets of a regression (replacing any target scaler):
     * {@link SavedModel#predict SavedModel.predict} then gives {@link #inverseTransformTargets inverseTransformTargets}
     * of the model's outputs, targets in their original units. It needs one column per model output, checked when
     * the model is saved and loaded. The scaler itself is kept, not copied, as with {@link #withScaler(MinMaxScaler)}.
     *
     * @param scaler a scaler fitted on the targets, {@code (rows, outputs)}
     * @return the new preprocessing
     * @throws IllegalArgumentException if the scaler is not fitted, or if class names or an encoder are set (a
     *         classifier's outputs are probabilities, with no scale to undo)
     * @throws NullPointerException if {@code scaler} is null
     */
    public Preprocessing withTargetScaler(MinMaxScaler scaler) {
        Checks.requireNonNull("withTargetScaler", "scaler", scaler);
        requireFitted(scaler.isFitted());
        requireNoClasses();
        return new Preprocessing(minMax, standard, encoder, classNames, scaler, null, featureNames,
                categories, ignoredColumns, imputer);
    }

    /**
     * A copy with a standard scaler fitted on the training targets of a regression (replacing any target scaler):
     * {@link SavedModel#predict SavedModel.predict} then gives {@link #inverseTransformTargets inverseTransformTargets}
     * of the model's outputs, {@code y = z · scale + mean} per column, targets in their original units. It needs one
     * column per model output, checked when the model is saved and loaded. The scaler itself is kept, not copied, as
     * with {@link #withScaler(StandardScaler)}.
     *
     * @param scaler a scaler fitted on the targets, {@code (rows, outputs)}
     * @return the new preprocessing
     * @throws IllegalArgumentException if the scaler is not fitted, or if class names or an encoder are set (a
     *         classifier's outputs are probabilities, with no scale to undo)
     * @throws NullPointerException if {@code scaler} is null
     */
    public Preprocessing withTargetScaler(StandardScaler scaler) {
        Checks.requireNonNull("withTargetScaler", "scaler", scaler);
        requireFitted(scaler.isFitted());
        requireNoClasses();
        return new Preprocessing(minMax, standard, encoder, classNames, null, scaler, featureNames,
                categories, ignoredColumns, imputer);
    }

    /**
     * Refuses a null name, or a name given twice (a prediction could not tell the two apart), naming the positions:
     * the one rule for class and feature names.
     */
    private static void requireDistinctNames(String op, String field, String one, String several, List<String> names) {
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (int k = 0; k < names.size(); k++) {
            if (names.get(k) == null) {
                throw new NullPointerException(op + ": the name of " + one + " " + k + " is null");
            }
            Integer earlier = seen.putIfAbsent(names.get(k), k);
            if (earlier != null) {
                throw new IllegalArgumentException(field + ": " + several + " " + earlier + " and " + k
                        + " are both called '" + names.get(k) + "'");
            }
        }
    }

    private static void requireFitted(boolean fitted) {
        if (!fitted) {
            throw new IllegalArgumentException("the scaler is not fitted; fit it on the training data first");
        }
    }

    private void requireNoClasses() {
        if (encoder != null || classNames != null) {
            throw new IllegalArgumentException("target_scaler: the preprocessing already has "
                    + (encoder != null ? "an encoder" : "class names") + ", which make the model a classifier; a "
                    + "classifier's outputs are probabilities, with no target scale to undo (a target scaler is for "
                    + "a regression's targets)");
        }
    }

    /** Refuses {@code what} (its JSON field, {@code field}) beside a target scaler. */
    private void requireNoTargetScaler(String field, String what) {
        if (targetMinMax != null || targetStandard != null) {
            throw new IllegalArgumentException(field + ": the preprocessing already has a target scaler, which makes "
                    + "the model a regression; " + what + " would make it a classifier, whose outputs are "
                    + "probabilities with no target scale to undo");
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
        if (imputer != null) {
            float[] filled = imputer.transform(features, columns);
            // Scaled in place: the filled-in copy is this call's own.
            if (minMax != null) {
                minMax.transformInPlace(filled, columns);
            } else if (standard != null) {
                standard.transformInPlace(filled, columns);
            }
            return filled;
        }
        if (minMax != null) {
            return minMax.transform(features, columns);
        }
        if (standard != null) {
            return standard.transform(features, columns);
        }
        return features;
    }

    /**
     * Undoes the target scaler (if any) on rows of model outputs: a regression's outputs in the targets' original
     * units.
     *
     * @param outputs {@code (rows, columns)} row-major model outputs
     * @param columns outputs per row, as the target scaler was fitted on
     * @return the targets, a new array (or {@code outputs} itself when there is no target scaler)
     * @throws IllegalArgumentException if {@code columns} is not the target scaler's column count
     */
    public float[] inverseTransformTargets(float[] outputs, int columns) {
        if (targetMinMax != null) {
            return targetMinMax.inverseTransform(outputs, columns);
        }
        if (targetStandard != null) {
            return targetStandard.inverseTransform(outputs, columns);
        }
        return outputs;
    }

    /**
     * The label of class {@code k} (output column {@code k}, or for a single output 0 up to 0.5 and 1 above it):
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
     * Number of target columns the target scaler was fitted on.
     *
     * @return that number, or -1 without a target scaler
     */
    public int targets() {
        return targetMinMax != null ? targetMinMax.columns() : targetStandard != null ? targetStandard.columns() : -1;
    }

    /**
     * Why this preprocessing does not fit {@code model}, or null when it does: the one rule for saving and loading
     * a model file, so that no file is written that its loading would refuse, and for importing one. A scaler and the
     * feature names must have the model's input width, a target scaler its output width; an encoder or class names
     * one class per output column, or two for a single output (a binary classifier's sigmoid,
     * {@link DataChecks#classCount}).
     *
     * @param model the model this preprocessing is to go with
     * @return what does not fit, as a phrase (e.g. {@code "the scaler has 4 columns, the model takes 64 features"}),
     *         or null
     */
    public String whyNotFor(Sequential model) {
        Checks.requireNonNull("whyNotFor", "model", model);
        if (features() >= 0 && features() != model.inputWidth()) {
            return "the scaler has " + features() + " columns, the model takes " + model.inputWidth() + " features";
        }
        for (String name : ignoredColumns()) {
            // Checked here too, whatever order the copies were made in: withFeatureNames after withIgnoredColumns.
            if (featureNames != null && featureNames.contains(name) || categories().containsKey(name)) {
                return "'" + name + "' is both an ignored column and one of the model's "
                        + (categories().containsKey(name) ? "categorical columns" : "features");
            }
        }
        if (imputer != null && imputer.columns() != model.inputWidth()) {
            return "the imputer has " + imputer.columns() + " columns, the model takes " + model.inputWidth()
                    + " features";
        }
        if (featureNames != null && featureNames.size() != model.inputWidth()) {
            return featureNames.size() + " feature names, the model takes " + model.inputWidth() + " features";
        }
        // Categories without feature names are kept as they are: files of an earlier version were saved so (a
        // header naming a column twice gives no names), and must load; their categories cannot be checked here.
        if (categories != null && featureNames != null) {
            // Each category is a one-hot feature "column=category", as CsvReader names them.
            for (Map.Entry<String, List<String>> e : categories.entrySet()) {
                for (String category : e.getValue()) {
                    if (!featureNames.contains(e.getKey() + "=" + category)) {
                        return "categorical column '" + e.getKey() + "' has the category '" + category
                                + "', but the feature names have no '" + e.getKey() + "=" + category + "'";
                    }
                }
            }
        }
        if (targets() >= 0 && targets() != model.outputWidth()) {
            return "the target scaler has " + targets() + " columns, the model gives " + model.outputWidth()
                    + " outputs (one per target)";
        }
        int classes = DataChecks.classCount(model.outputWidth());
        if (classes() >= 0 && classes() != classes) {
            return classes() + " classes, the model tells " + classes + " apart (" + (model.outputWidth() == 1
                    ? "one output, a binary classifier: name class 0, up to 0.5, then class 1)"
                    : model.outputWidth() + " outputs, one per class)");
        }
        return null;
    }

    /**
     * Whether nothing is set.
     *
     * @return true for {@link #none()}
     */
    public boolean isEmpty() {
        return minMax == null && standard == null && encoder == null && classNames == null && targets() < 0
                && featureNames == null && categories == null && ignoredColumns == null && imputer == null;
    }

    /**
     * A copy with a fitted imputer, which fills in missing (NaN) features before the scaler scales them: what
     * {@link SavedModel#predict SavedModel.predict} then does to the rows it is given, as training did. The imputer is
     * kept, not copied.
     *
     * @param imputer a fitted imputer
     * @return the new preprocessing
     * @throws IllegalArgumentException if the imputer is not fitted
     * @throws NullPointerException if {@code imputer} is null
     */
    public Preprocessing withImputer(SimpleImputer imputer) {
        Checks.requireNonNull("withImputer", "imputer", imputer);
        if (!imputer.isFitted()) {
            throw new IllegalArgumentException("the imputer is not fitted; fit it on the training data first");
        }
        return new Preprocessing(minMax, standard, encoder, classNames, targetMinMax, targetStandard, featureNames,
                categories, ignoredColumns, imputer);
    }

    /**
     * The fitted imputer ({@link #withImputer}).
     *
     * @return it, or null for none
     */
    public SimpleImputer imputer() {
        return imputer;
    }

    /**
     * The fitted feature scaler, of either kind.
     *
     * @return it, or null for none
     */
    public ColumnScaler scaler() {
        return minMax != null ? minMax : standard;
    }

    /**
     * A copy with a fitted feature scaler of either kind ({@link #withScaler(MinMaxScaler)},
     * {@link #withScaler(StandardScaler)}), for a scaler chosen at run time.
     *
     * @param scaler a fitted scaler
     * @return the new preprocessing
     * @throws IllegalArgumentException if the scaler is not fitted
     * @throws NullPointerException if {@code scaler} is null
     */
    public Preprocessing withScaler(ColumnScaler scaler) {
        Checks.requireNonNull("withScaler", "scaler", scaler);
        return scaler instanceof MinMaxScaler m ? withScaler(m) : withScaler((StandardScaler) scaler);
    }

    /**
     * A copy with a target scaler of either kind ({@link #withTargetScaler(MinMaxScaler)},
     * {@link #withTargetScaler(StandardScaler)}), for a scaler chosen at run time.
     *
     * @param scaler a scaler fitted on the targets, {@code (rows, outputs)}
     * @return the new preprocessing
     * @throws IllegalArgumentException if the scaler is not fitted, or if class names or an encoder are set
     * @throws NullPointerException if {@code scaler} is null
     */
    public Preprocessing withTargetScaler(ColumnScaler scaler) {
        Checks.requireNonNull("withTargetScaler", "scaler", scaler);
        return scaler instanceof MinMaxScaler m ? withTargetScaler(m) : withTargetScaler((StandardScaler) scaler);
    }

    /**
     * The fitted target scaler, of either kind.
     *
     * @return it, or null for none
     */
    public ColumnScaler targetScaler() {
        return targetMinMax != null ? targetMinMax : targetStandard;
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
     * The fitted min-max scaler of the targets.
     *
     * @return it, or null
     */
    public MinMaxScaler targetMinMaxScaler() {
        return targetMinMax;
    }

    /**
     * The fitted standard scaler of the targets.
     *
     * @return it, or null
     */
    public StandardScaler targetStandardScaler() {
        return targetStandard;
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
        if (minMax != null || standard != null) {
            json.put("scaler", scalerJson(minMax, standard));
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
        if (targetMinMax != null || targetStandard != null) {
            json.put("target_scaler", scalerJson(targetMinMax, targetStandard));
        }
        if (featureNames != null) {
            json.put("feature_names", new ArrayList<>(featureNames));
        }
        if (categories != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            categories.forEach((column, values) -> c.put(column, new ArrayList<>(values)));
            json.put("categorical", c);
        }
        if (ignoredColumns != null) {
            json.put("ignored_columns", new ArrayList<>(ignoredColumns));
        }
        if (imputer != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("strategy", imputer.strategy().toString());
            m.put("statistics", imputer.statistics());
            json.put("imputer", m);
        }
        return json;
    }

    /** One scaler's JSON object: the one that is not null. */
    private static Map<String, Object> scalerJson(MinMaxScaler minMax, StandardScaler standard) {
        Map<String, Object> s = new LinkedHashMap<>();
        if (minMax != null) {
            s.put("type", "min_max");
            s.put("low", minMax.low());
            s.put("high", minMax.high());
            s.put("data_min", minMax.dataMin());
            s.put("data_max", minMax.dataMax());
        } else {
            s.put("type", "standard");
            s.put("with_mean", standard.withMean());
            s.put("with_std", standard.withStd());
            s.put("mean", standard.mean());
            s.put("variance", standard.variance());
            s.put("scale", standard.scale());
        }
        return s;
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
                case "scaler": {
                    Object scaler = scalerFromJson(object(e.getValue(), "scaler"), "scaler");
                    p = scaler instanceof MinMaxScaler ? p.withScaler((MinMaxScaler) scaler)
                            : p.withScaler((StandardScaler) scaler);
                    break;
                }
                case "target_scaler": {
                    Object scaler = scalerFromJson(object(e.getValue(), "target_scaler"), "target_scaler");
                    p = scaler instanceof MinMaxScaler ? p.withTargetScaler((MinMaxScaler) scaler)
                            : p.withTargetScaler((StandardScaler) scaler);
                    break;
                }
                case "encoder": {
                    Map<?, ?> m = object(e.getValue(), "encoder");
                    requireKnownFields(m, "encoder", "type", "categories");
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
                case "class_names":
                    p = p.withClassNames(strings(e.getValue(), "class_names"));
                    break;
                case "feature_names":
                    p = p.withFeatureNames(strings(e.getValue(), "feature_names"));
                    break;
                case "categorical": {
                    Map<String, List<String>> c = new LinkedHashMap<>();
                    for (Map.Entry<?, ?> column : object(e.getValue(), "categorical").entrySet()) {
                        c.put(String.valueOf(column.getKey()),
                                strings(column.getValue(), "categorical." + column.getKey()));
                    }
                    p = p.withCategories(c);
                    break;
                }
                case "ignored_columns":
                    p = p.withIgnoredColumns(strings(e.getValue(), "ignored_columns"));
                    break;
                case "imputer": {
                    Map<?, ?> m = object(e.getValue(), "imputer");
                    requireKnownFields(m, "imputer", "strategy", "statistics");
                    Object strategy = m.get("strategy");
                    SimpleImputer.Strategy kind = "mean".equals(strategy) ? SimpleImputer.Strategy.MEAN
                            : "median".equals(strategy) ? SimpleImputer.Strategy.MEDIAN : null;
                    if (kind == null) {
                        throw new IllegalArgumentException("imputer.strategy must be \"mean\" or \"median\", got "
                                + strategy);
                    }
                    try {
                        p = p.withImputer(SimpleImputer.fromStatistics(kind, numbers(m.get("statistics"),
                                "imputer.statistics")));
                    } catch (IllegalArgumentException bad) {
                        throw new IllegalArgumentException("imputer." + bad.getMessage(), bad);
                    }
                    break;
                }
                default:
                    throw new IllegalArgumentException("unknown field '" + e.getKey() + "' (expected scaler, encoder, "
                            + "class_names, target_scaler, feature_names, categorical, ignored_columns, imputer)");
            }
        }
        return p;
    }

    /**
     * Refuses a member of {@code field}'s object that this version does not read: dropped, it would change the
     * predictions without a word (scikit-learn's {@code MinMaxScaler(clip=True)} recorded as {@code "clip": true},
     * a scaler this version applies unclipped), as the top level's and the architecture's unknown fields are refused.
     */
    private static void requireKnownFields(Map<?, ?> m, String field, String... known) {
        List<String> names = List.of(known);
        for (Object key : m.keySet()) {
            if (!names.contains(String.valueOf(key))) {
                throw new IllegalArgumentException("unknown field '" + field + "." + key + "' (expected "
                        + String.join(", ", known) + ")");
            }
        }
    }

    /**
     * A fitted {@link MinMaxScaler} or {@link StandardScaler} from its JSON object; {@code field} ({@code scaler} or
     * {@code target_scaler}) names it in errors. A statistic the scaler refuses is reported with the field too.
     */
    private static Object scalerFromJson(Map<?, ?> m, String field) {
        Object type = m.get("type");
        try {
            if ("min_max".equals(type)) {
                requireKnownFields(m, field, "type", "low", "high", "data_min", "data_max");
                return MinMaxScaler.fromStatistics(number(m.get("low"), field + ".low"),
                        number(m.get("high"), field + ".high"), numbers(m.get("data_min"), field + ".data_min"),
                        numbers(m.get("data_max"), field + ".data_max"));
            }
            if ("standard".equals(type)) {
                requireKnownFields(m, field, "type", "with_mean", "with_std", "mean", "variance", "scale");
                if (!(m.get("with_mean") instanceof Boolean) || !(m.get("with_std") instanceof Boolean)) {
                    throw new IllegalArgumentException(field + ".with_mean and " + field + ".with_std must be booleans");
                }
                return StandardScaler.fromStatistics((Boolean) m.get("with_mean"), (Boolean) m.get("with_std"),
                        numbers(m.get("mean"), field + ".mean"), numbers(m.get("variance"), field + ".variance"),
                        numbers(m.get("scale"), field + ".scale"));
            }
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            throw message.startsWith(field + ".") ? e : new IllegalArgumentException(field + ": " + message, e);
        }
        throw new IllegalArgumentException(field + ".type must be \"min_max\" or \"standard\", got " + type);
    }

    private static List<String> strings(Object v, String field) {
        if (!(v instanceof List)) {
            throw new IllegalArgumentException(field + " must be an array of strings");
        }
        List<String> names = new ArrayList<>();
        for (Object o : (List<?>) v) {
            if (!(o instanceof String)) {
                throw new IllegalArgumentException(field + " must be an array of strings, got " + o);
            }
            names.add((String) o);
        }
        return names;
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

    /**
     * What the preprocessing holds, in a line: each part by its own short form, names counted rather than listed
     * ({@code Preprocessing[scaler StandardScaler[784 columns], 784 feature names, 10 classes]}). The whole, every
     * mean and name, is {@link #toJson()}: printed here it ran to 18 KB for a 784-input model.
     */
    @Override
    public String toString() {
        List<String> parts = new java.util.ArrayList<>();
        if (imputer != null) {
            parts.add("imputer " + imputer);
        }
        if (minMax != null || standard != null) {
            parts.add("scaler " + (minMax != null ? minMax : standard));
        }
        if (targetMinMax != null || targetStandard != null) {
            parts.add("target scaler " + (targetMinMax != null ? targetMinMax : targetStandard));
        }
        if (encoder != null) {
            parts.add("encoder " + encoder);
        }
        if (categories != null && !categories.isEmpty()) {
            parts.add(categories.size() + " categorical column" + (categories.size() == 1 ? "" : "s"));
        }
        if (featureNames != null) {
            parts.add(featureNames.size() + " feature name" + (featureNames.size() == 1 ? "" : "s"));
        }
        if (ignoredColumns != null && !ignoredColumns.isEmpty()) {
            parts.add(ignoredColumns.size() + " ignored column" + (ignoredColumns.size() == 1 ? "" : "s"));
        }
        if (classNames != null) {
            parts.add(classNames.size() + " class" + (classNames.size() == 1 ? "" : "es"));
        }
        return parts.isEmpty() ? "Preprocessing[none]" : "Preprocessing[" + String.join(", ", parts) + "]";
    }
}
