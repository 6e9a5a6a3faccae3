package dev.nnj.api.io;

import dev.nnj.api.Activation;
import dev.nnj.api.HostMemory;
import dev.nnj.api.data.ClassLookup;
import dev.nnj.api.data.CsvReader;
import dev.nnj.api.data.DataChecks;
import dev.nnj.api.data.StandardScaler;
import dev.nnj.api.layers.Layer;
import dev.nnj.api.model.ConcurrencyGuard;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.spi.Checks;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model loaded from a file, with the preprocessing saved beside it and the file's metadata. Closing it
 * closes the model.
 *
 * <p>Serve from this, not from {@link #model()}: {@link #predict predict} and {@link #predictClasses} apply the saved
 * scaler first, which {@code model().predict} does not (a model trained on scaled features then answers
 * unscaled ones without complaint, wrongly); for a regression saved with a target scaler, {@code predict} also gives
 * the targets in their original units, where {@code model().predict} gives them scaled. Both are safe from many threads at once, like
 * {@link Sequential#predict}.
 *
 * @param model         the rebuilt model, its parameters loaded
 * @param preprocessing the saved feature scaler, label encoder and class names or target scaler
 *                      ({@link Preprocessing#none()} if the file has none)
 * @param metadata      every {@code __metadata__} entry of the file
 */
public record SavedModel(Sequential model, Preprocessing preprocessing, Map<String, String> metadata)
        implements AutoCloseable {

    /**
     * A model with its preprocessing and metadata. The preprocessing is checked against the model as a model file's
     * loading checks it ({@link Preprocessing#whyNotFor}); the metadata is kept as given (its {@code nnj.} entries
     * are what a file records, not read again here).
     *
     * @param model         the model
     * @param preprocessing its preprocessing ({@link Preprocessing#none()} for none)
     * @param metadata      the file's metadata entries; a read-only copy is kept, in their order
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the preprocessing does not fit the model (a scaler of another width,
     *         class names for another number of outputs: {@link Preprocessing#whyNotFor})
     */
    public SavedModel {
        Checks.requireNonNull("SavedModel", "model", model);
        Checks.requireNonNull("SavedModel", "preprocessing", preprocessing);
        Checks.requireNonNull("SavedModel", "metadata", metadata);
        String misfit = preprocessing.whyNotFor(model);
        if (misfit != null) {
            throw new IllegalArgumentException("SavedModel: the preprocessing does not fit the model: " + misfit);
        }
        metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));   // in file order
    }

    /**
     * Predicts from raw features: fills in missing ones with the saved imputer if there is one
     * ({@link Preprocessing#withImputer}), applies the saved scaler, then the model, then the inverse of the saved
     * target scaler if there is one ({@link Preprocessing#withTargetScaler(StandardScaler)}). A regression saved with
     * its target scaler therefore gives targets in their original units here, while {@code model().predict} gives them
     * in the scaled units the model was trained on. A batch of more than {@value #SLICE_ROWS} rows is scaled and
     * predicted that many rows at a time, so the features are never copied whole: a million rows of the digits'
     * 64 features (244 MB) predict in a 350 MB heap, which a scaled copy of them did not fit.
     *
     * @param rawFeatures {@code (rows, inputWidth)} row-major, as before preprocessing
     * @param rows        number of rows, at least 1 (see {@link Sequential#predict(float[], int)})
     * @return {@code (rows, outputWidth)} row-major outputs: class probabilities for a softmax model, targets in their
     *         original units for a regression saved with a target scaler
     * @throws IllegalArgumentException if {@code rows < 1} or the features are not {@code rows × inputWidth}
     *         values, or the saved scaler takes a finite feature beyond the float range (naming its row and column)
     * @throws dev.nnj.api.data.InvalidDataException for a feature that is not finite, naming the row and column (with
     *         an imputer, for an infinite one: a NaN is a missing value it fills in)
     * @throws ArithmeticException when finite features give a NaN or infinite output (or the target scaler takes an
     *         output beyond the float range), naming the row
     * @throws IllegalStateException if the model is closed
     * @throws dev.nnj.api.MemoryBudgetException if the outputs of a batch of more than {@value #SLICE_ROWS} rows would
     *         not fit in the heap
     * @throws NullPointerException if {@code rawFeatures} is null
     */
    public float[] predict(float[] rawFeatures, int rows) {
        Checks.requireNonNull("predict", "rawFeatures", rawFeatures);
        int width = model.inputWidth();
        if (rows < 1 || rawFeatures.length != (long) rows * width) {
            // The model refuses these in its own terms; scaled first, they would be refused in the scaler's.
            return model.predict(rawFeatures, rows);
        }
        // In predict's words (row and column), not the scaler's: the caller passed raw features to predict. A missing
        // value (NaN) is the imputer's to fill in, where there is one.
        if (preprocessing.imputer() == null) {
            DataChecks.requireFinite("predict: features", rawFeatures, width);
        } else {
            requireNoInfinity(rawFeatures, width);
        }
        // One inference call for the whole batch, slices included: close() must not land between two slices.
        ConcurrencyGuard guard = ConcurrencyGuard.of(model);
        guard.enterInference("predict");
        try {
            return predictChecked(rawFeatures, rows);
        } finally {
            guard.exitInference();
        }
    }

    /**
     * {@link #predict(float[], int)} for rows given as arrays, as a service receives them (a JSON request's rows):
     * one row's outputs per row.
     *
     * @param rawRows one array of {@code inputWidth} raw features per row, at least one row
     * @return one array of {@code outputWidth} outputs per row, in the same order
     * @throws IllegalArgumentException if there is no row, or a row is null or has other than {@code inputWidth}
     *         features (naming the row), or as {@link #predict(float[], int)}
     * @throws NullPointerException if {@code rawRows} is null
     */
    public float[][] predict(float[][] rawRows) {
        Checks.requireNonNull("predict", "rawRows", rawRows);
        int width = model.inputWidth();
        if (rawRows.length == 0) {
            throw new IllegalArgumentException("predict: no rows; give at least one row of " + width + " features");
        }
        dev.nnj.api.HostMemory.requireArray("predict: features (" + rawRows.length + ", " + width + ")",
                (long) rawRows.length * width);
        float[] flat = new float[rawRows.length * width];
        for (int r = 0; r < rawRows.length; r++) {
            if (rawRows[r] == null || rawRows[r].length != width) {
                throw new IllegalArgumentException("predict: row " + r + " has " + (rawRows[r] == null ? "no array"
                        : rawRows[r].length + " features") + "; the model takes " + width);
            }
            System.arraycopy(rawRows[r], 0, flat, r * width, width);
        }
        float[] out = predict(flat, rawRows.length);
        int outputs = model.outputWidth();
        float[][] rows = new float[rawRows.length][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = java.util.Arrays.copyOfRange(out, r * outputs, (r + 1) * outputs);
        }
        return rows;
    }

    /** Refuses an infinite feature, naming its row and column: the imputer fills in NaN only. */
    private static void requireNoInfinity(float[] features, int width) {
        for (int at = 0; at < features.length; at++) {
            if (Float.isInfinite(features[at])) {
                throw new dev.nnj.api.data.InvalidDataException("predict: features: row " + at / width + ", column "
                        + at % width + " is " + features[at] + "; the imputer fills in a missing value (NaN), not an "
                        + "infinite one");
            }
        }
    }

    /** {@link #predict} once the features are checked, inside the model's inference guard. */
    private float[] predictChecked(float[] rawFeatures, int rows) {
        int width = model.inputWidth();
        float[] outputs;
        boolean scales = preprocessing.scaler() != null || preprocessing.imputer() != null;
        if (rows > SLICE_ROWS) {
            // The outputs, and their copy in the targets' units when a target scaler undoes the scaling.
            HostMemory.requireArray("predict: the " + rows + " x " + model.outputWidth() + " outputs",
                    (long) rows * model.outputWidth() * (preprocessing.targets() >= 0 ? 2 : 1));
        }
        if (rows <= SLICE_ROWS || !scales) {
            outputs = model.predict(scaled(rawFeatures, 0), rows);
        } else {
            // Scaled a slice at a time, so that a large batch is not copied whole (the model slices it too).
            int columns = model.outputWidth();
            outputs = new float[rows * columns];
            for (int from = 0; from < rows; from += SLICE_ROWS) {
                int n = Math.min(SLICE_ROWS, rows - from);
                float[] slice = Arrays.copyOfRange(rawFeatures, from * width, (from + n) * width);
                float[] part;
                try {
                    part = model.predict(scaled(slice, from), n);
                } catch (ArithmeticException e) {
                    throw renumbered(e, from);
                }
                System.arraycopy(part, 0, outputs, from * columns, n * columns);
            }
        }
        if (preprocessing.targets() < 0) {
            return outputs;
        }
        int columns = model.outputWidth();
        float[] targets = preprocessing.inverseTransformTargets(outputs, columns);
        int at = DataChecks.firstNonFinite(targets);
        if (at >= 0) {
            // Only a target scale near the float range gets here: say so rather than return an infinity.
            throw new ArithmeticException("predict: row " + at / columns + ", output " + at % columns + " is "
                    + outputs[at] + ", which the target scaler turns into " + targets[at]
                    + ", beyond the float range");
        }
        return targets;
    }

    /**
     * A reader of CSV files of rows to predict, as the model's training file was read: with a header line, each
     * categorical column one-hot encoded with the categories saved with the model (a value the model never saw is
     * refused, naming it and its line), the columns the training file left out ({@link Preprocessing#ignoredColumns})
     * left out where the header has them, no label column; with the model's feature names, a header that lacks one of
     * its columns ({@link Preprocessing#inputColumns}) is refused before any row is read, and a text value in a column
     * that is not one of them is refused as a class column's or one to leave out, not as categories to encode
     * ({@link CsvReader#withExpectedColumns}). Another numeric column is read (a regression's target, to take out with
     * {@code Table.withoutColumn} before predicting). Then {@link #predict(CsvReader.Table)}. For a file without
     * a header line add {@code .withHeader(false)} (its columns are then taken in the model's order; not for a model
     * with categorical columns, which only a header names); for a labelled
     * file {@code .withLabelColumn(name).withTextLabels(true)}, and read its classes as the model's with
     * {@link #classesOf}; {@code withDelimiter(';')} for another separator.
     *
     * @return the reader
     */
    public CsvReader csvReader() {
        CsvReader reader = CsvReader.numeric().withHeader(true).withoutLabelColumn();
        for (Map.Entry<String, List<String>> c : preprocessing.categories().entrySet()) {
            reader = reader.withCategories(c.getKey(), c.getValue());
        }
        if (preprocessing.imputer() != null) {
            reader = reader.withMissingValues(true);   // for the imputer to fill in, as training did
        }
        List<String> ignored = preprocessing.ignoredColumns();
        if (!ignored.isEmpty()) {
            reader = reader.withIgnoredColumnsIfPresent(ignored.toArray(new String[0]));
        }
        // With feature names, a header is checked for the model's columns before any row is read.
        return reader.withExpectedColumns(preprocessing.inputColumns());
    }

    /**
     * The class of each row of a labelled table as the model's output column: by class name (the file's label text
     * against the model's {@link Preprocessing#className}), and for numeric names by value, so that a file writing
     * {@code 1.0} reads as the class {@code 1}. The table's own label indices are not the model's: they number the
     * classes the file holds, which may be fewer.
     *
     * @param table rows read with a label column as text ({@code withLabelColumn(name).withTextLabels(true)})
     * @return one class index per row, as {@link #predictClasses} gives them
     * @throws IllegalArgumentException naming the first data row (from 1) whose label is not one of the model's
     *         classes, or is a number that several of them spell ({@link ClassLookup#indexOf})
     * @throws IllegalStateException if the table has no label column, or the model's outputs are not classes
     *         ({@link #whyNotAClassifier})
     */
    public int[] classesOf(CsvReader.Table table) {
        Checks.requireNonNull("classesOf", "table", table);
        requireClassifier("classesOf");
        List<String> known = classNames();
        ClassLookup lookup = new ClassLookup(known);
        String[] names = table.classNames();
        int[] labels = table.labels();
        int[] classOf = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            String name = names != null ? names[labels[i]] : Integer.toString(labels[i]);
            try {
                classOf[i] = lookup.indexOf(name);
            } catch (IllegalArgumentException ambiguous) {
                throw new IllegalArgumentException(table.source() + ": data row " + (i + 1) + " of " + labels.length
                        + ": " + ambiguous.getMessage(), ambiguous);
            }
            if (classOf[i] < 0) {
                // Counted from 1, as a reader counts the file's data rows (line numbers would count the header).
                throw new IllegalArgumentException(table.source() + ": data row " + (i + 1) + " of " + labels.length
                        + ": label '" + dev.nnj.api.internal.Printable.of(name) + "' is not one of the model's classes "
                        + dev.nnj.api.internal.Printable.of(known.toString()));
            }
        }
        return classOf;
    }

    /**
     * The names of the model's classes by output column ({@link Preprocessing#className}): one per output, or two
     * for a single output ({@link DataChecks#classCount}). Only for a classifier, as {@link #className}: a caller can
     * ask {@link #whyNotAClassifier} first.
     *
     * @return the names, in class order
     * @throws IllegalStateException if the model's outputs are not classes ({@link #whyNotAClassifier}), saying why
     */
    public List<String> classNames() {
        requireClassifier("classNames");
        List<String> names = new java.util.ArrayList<>();
        for (int c = 0; c < DataChecks.classCount(model.outputWidth()); c++) {
            names.add(preprocessing.className(c));
        }
        return names;
    }

    /**
     * Predicts the rows of a table ({@link #csvReader()}): its features in the model's order, then {@link #predict}.
     *
     * @param table rows read with a header whose columns are the model's features, in any order, or without one in
     *              the model's order
     * @return the model's {@code (rows, outputWidth)} outputs, as {@link #predict(float[], int)}
     * @throws IllegalArgumentException if the columns are not the model's features (see {@link #features})
     */
    public float[] predict(CsvReader.Table table) {
        return predict(features(table), table.rows());
    }

    /**
     * Predicts records, each a row as column name → value, as a service receives them (a JSON object per row, a
     * {@code Map} per request): {@link #features(List)}, then {@link #predict(float[], int)}.
     * <pre>{@code
     * List<Map<String, Object>> records = List.of(Map.of("age", 41, "income", "52000", "color", "red"));
     * float[] p = saved.predict(records);   // (1, outputWidth): the classes' probabilities
     * String answer = saved.className(saved.predictClasses(saved.features(records), records.size())[0]);
     * }</pre>
     *
     * @param records the rows, at least one
     * @return the model's {@code (records, outputWidth)} outputs, as {@link #predict(float[], int)}
     * @throws IllegalArgumentException as {@link #features(List)} and {@link #predict(float[], int)}
     * @throws dev.nnj.api.data.InvalidDataException naming the record and column of a value that cannot be read
     */
    public float[] predict(List<? extends Map<String, ?>> records) {
        Checks.requireNonNull("predict", "records", records);
        return predict(features(records), records.size());
    }

    /**
     * Records' raw features in the model's input order, read by the rules {@link #csvReader()} reads a file's rows
     * with, so that a record gives what its row in a CSV file would: a numeric column takes a {@link Number} or a
     * number's text; a categorical column one of the categories the model was trained with, as text (or an
     * integer), one-hot encoded; a missing value ({@code null}, NaN, an empty text or a marker such as {@code NA})
     * is left for the saved imputer to fill in (all 0 in a categorical column's one-hot inputs), and refused
     * without one. A record must hold every one of the model's columns; one the training file left out
     * ({@link Preprocessing#ignoredColumns}) may be there too, any other is refused. Needs the feature names a
     * model trained on a CSV file records ({@link Preprocessing#featureNames}).
     *
     * @param records the rows, at least one; none null
     * @return {@code (records, inputWidth)} row-major, before imputer and scaler: for {@link #predict(float[], int)},
     *         {@link #predictClasses} or {@link #farFromTraining}
     * @throws IllegalArgumentException for no records, a null one, or one whose columns are not the model's (each
     *         missing and unknown column named, with the model's)
     * @throws dev.nnj.api.data.InvalidDataException naming the record (from 0) and column of a value that is not a
     *         number, not one of the categories, missing without an imputer, or not finite
     * @throws IllegalStateException when the model records no feature names
     */
    public float[] features(List<? extends Map<String, ?>> records) {
        Checks.requireNonNull("features", "records", records);
        return new RecordFeatures(preprocessing, model.inputWidth()).features(records);
    }

    /**
     * A table's features in the order the model takes them. With feature names saved with the model and a header in
     * the table, columns are matched by name, so a file whose columns come in another order is read right (by
     * position it would be a silent wrong answer); a file missing a feature, or with a column the model does not
     * know, is refused naming them. Otherwise the table must have as many columns as the model takes, in its order.
     *
     * @param table the rows, its label column (if any) already taken out
     * @return {@code (rows, inputWidth)} row-major, the table's own array when its columns are in the model's order
     * @throws IllegalArgumentException naming the missing and unknown columns, a header that names a column twice,
     *         or a column count that is not the model's input width
     */
    public float[] features(CsvReader.Table table) {
        Checks.requireNonNull("features", "table", table);
        String[] fileNames = table.columnNames();
        List<String> modelNames = unnamedAsRead(preprocessing.featureNames(), fileNames);
        if (modelNames == null && fileNames != null && looksLikeDataRow(fileNames)) {
            // csvReader() reads a header line; a file without one would lose its first row to it, unseen.
            throw new IllegalArgumentException(table.source() + ": its first line (" + String.join(", ", fileNames)
                    + ") was read as column names, but it is all numbers: a data row of a file without a header "
                    + "line; read it with withHeader(false), as the model (trained without feature names) takes "
                    + "its columns by position");
        }
        if (modelNames == null || fileNames == null || List.of(fileNames).equals(modelNames)) {
            if (table.columns() != model.inputWidth()) {
                throw new IllegalArgumentException(table.source() + " has " + table.columns() + " feature column"
                        + (table.columns() == 1 ? "" : "s") + "; the model takes " + model.inputWidth());
            }
            return table.values();
        }
        Map<String, Integer> fileColumn = new java.util.HashMap<>();
        for (int j = 0; j < fileNames.length; j++) {
            if (fileColumn.put(fileNames[j], j) != null) {
                throw new IllegalArgumentException(table.source() + ": its header names a column twice ('"
                        + fileNames[j] + "'), so its columns cannot be matched to the model's features by name; give "
                        + "each column its own name");
            }
        }
        List<String> missing = new java.util.ArrayList<>();
        int[] source = new int[modelNames.size()];
        for (int j = 0; j < source.length; j++) {
            Integer c = fileColumn.remove(modelNames.get(j));
            if (c == null) {
                missing.add("'" + modelNames.get(j) + "'");
            } else {
                source[j] = c;
            }
        }
        if (!missing.isEmpty() || !fileColumn.isEmpty()) {
            List<String> unknown = new java.util.ArrayList<>();
            for (String name : fileNames) {
                if (fileColumn.containsKey(name)) {
                    unknown.add("'" + name + "'");
                }
            }
            throw new IllegalArgumentException(table.source() + ": its columns are not the model's features ("
                    + (missing.isEmpty() ? "" : "missing " + String.join(", ", missing))
                    + (missing.isEmpty() || unknown.isEmpty() ? "" : "; ")
                    + (unknown.isEmpty() ? "" : "not in the model: " + String.join(", ", unknown))
                    + "); the model was trained on " + ModelFiles.firstTen(modelNames));
        }
        float[] values = table.values();
        int columns = source.length;
        float[] ordered = new float[values.length];
        for (int i = 0; i < table.rows(); i++) {
            for (int j = 0; j < columns; j++) {
                ordered[i * columns + j] = values[i * columns + source[j]];
            }
        }
        return ordered;
    }

    /**
     * A model's feature names with each empty one, from a file read before the reader named such columns
     * {@code Unnamed: j} (pandas' name for them), given the name the reader gives it now: the file's next
     * {@code Unnamed: j} column that is not itself one of the model's names, in file order. Otherwise such a model
     * refused the very file it was trained on ("missing ''; not in the model: 'Unnamed: 0'").
     *
     * @param modelNames a model's feature names, or null
     * @param fileNames  a file's column names as the reader gives them, or null
     * @return the model's names so matched, or {@code modelNames} itself where it has no empty name
     */
    public static List<String> unnamedAsRead(List<String> modelNames, String[] fileNames) {
        if (modelNames == null || fileNames == null || modelNames.stream().noneMatch(String::isBlank)) {
            return modelNames;
        }
        java.util.Iterator<String> unnamed = java.util.Arrays.stream(fileNames)
                .filter(n -> n.startsWith("Unnamed: ") && !modelNames.contains(n)).iterator();
        List<String> named = new java.util.ArrayList<>(modelNames);
        for (int j = 0; j < named.size(); j++) {
            if (named.get(j).isBlank() && unnamed.hasNext()) {
                named.set(j, unnamed.next());
            }
        }
        return named;
    }

    /**
     * Whether header names are a data row: every one a number, and not the column indices {@code 0, 1, 2, ...} (or
     * from 1) that pandas writes as the header of an array.
     */
    private static boolean looksLikeDataRow(String[] names) {
        boolean fromZero = true;
        boolean fromOne = true;
        for (int j = 0; j < names.length; j++) {
            java.math.BigDecimal v = CsvReader.numericValue(names[j]);
            if (v == null) {
                return false;
            }
            fromZero &= v.compareTo(java.math.BigDecimal.valueOf(j)) == 0;
            fromOne &= v.compareTo(java.math.BigDecimal.valueOf(j + 1)) == 0;
        }
        return names.length > 0 && !fromZero && !fromOne;
    }

    /**
     * Rows of a larger batch that {@link #predict} scales and predicts at a time: a batch of more rows is never
     * copied whole (a million rows of 64 features are 256 MB), as {@link Sequential#predict(float[], int)} does not
     * copy it either.
     */
    static final int SLICE_ROWS = 4096;

    /**
     * {@code raw}, rows {@code firstRow ..} of the caller's batch, as the saved scaler scales it (itself when there
     * is none); a finite feature the scaler takes beyond the float range is refused naming its row in the batch
     * and its column.
     */
    private float[] scaled(float[] raw, int firstRow) {
        int width = model.inputWidth();
        float[] scaled = preprocessing.transformFeatures(raw, width);
        int overflow = scaled == raw ? -1 : DataChecks.firstNonFinite(scaled);
        if (overflow >= 0) {
            int column = overflow % width;
            List<String> names = preprocessing.featureNames();
            throw new IllegalArgumentException("predict: row " + (firstRow + overflow / width) + ", column " + column
                    + (names != null ? " (" + names.get(column) + ")" : "") + " is " + raw[overflow]
                    + ", which the scaler saved with the model turns into " + scaled[overflow]
                    + ": far outside the values it was fitted on");
        }
        return scaled;
    }

    /** The model's message about a slice's row, naming that row's place in the whole batch instead. */
    private static ArithmeticException renumbered(ArithmeticException e, int firstRow) {
        Matcher m = SLICE_ROW.matcher(String.valueOf(e.getMessage()));
        String message = m.lookingAt()
                ? "predict: row " + (firstRow + Integer.parseInt(m.group(1))) + m.group(2) + e.getMessage().substring(m.end())
                : "predict: in the rows from " + firstRow + ": " + e.getMessage();
        ArithmeticException renumbered = new ArithmeticException(message);
        renumbered.initCause(e);
        return renumbered;
    }

    /** How {@link Sequential#predict(float[], int)} names a row whose output is not finite: "predict: row 17's". */
    private static final Pattern SLICE_ROW = Pattern.compile("predict: row (\\d+)('s)");

    /**
     * Predicts the class of each row from raw features: {@link #predict predict}, then each output row's class as
     * accuracy reads it ({@link DataChecks#classOfRow DataChecks.classOfRow}: the column of the row's largest output,
     * or for a single sigmoid output, class 1 above 0.5). {@link #className} names them. Only for a classifier:
     * see {@link #whyNotAClassifier} for the models refused.
     *
     * @param rawFeatures {@code (rows, inputWidth)} row-major, as before preprocessing
     * @param rows        number of rows, at least 1
     * @return the class of each row, in {@code 0 .. classes - 1}
     * @throws IllegalArgumentException as {@link #predict predict}
     * @throws IllegalStateException if the model's outputs are not classes ({@link #whyNotAClassifier}), saying why
     * @throws NullPointerException if {@code rawFeatures} is null
     */
    public int[] predictClasses(float[] rawFeatures, int rows) {
        requireClassifier("predictClasses");
        return DataChecks.classesOfRows(predict(rawFeatures, rows), model.outputWidth());
    }

    /**
     * The name of class {@code k}, as saved with the model ({@link Preprocessing#className Preprocessing.className}).
     *
     * @param k a class, as {@link #predictClasses} returns
     * @return its name, or its label as text when the file has no class names
     * @throws IndexOutOfBoundsException if {@code k} is not one of the model's classes, naming how many it has
     * @throws IllegalStateException if the model's outputs are not classes ({@link #whyNotAClassifier}), saying why
     */
    public String className(int k) {
        requireClassifier("className");
        int classes = DataChecks.classCount(model.outputWidth());
        if (k < 0 || k >= classes) {
            throw new IndexOutOfBoundsException("class " + k + " is not one of the model's " + classes
                    + " classes (0.." + (classes - 1) + ")");
        }
        return preprocessing.className(k);
    }

    /**
     * Why the model's outputs cannot be read as classes, or null when they can: the one rule for
     * {@link #predictClasses}, {@link #className} and the {@code digits predict} command. Refused:
     * <ul>
     *   <li>a model saved with a target scaler ({@link Preprocessing#targets()} {@code >= 0}): a regression, whose
     *       outputs are values in the targets' units;</li>
     *   <li>a single output whose last layer does not end in a sigmoid. One output is read as a binary classifier
     *       (class 1 above 0.5), which means something only when that output is a probability; a regression
     *       model's value (an identity output) would otherwise come out as class 0 or 1.</li>
     * </ul>
     * Several outputs are read by their arg-max whatever the last activation: a softmax's probabilities and the
     * logits before it have the same arg-max, so a model that ends in logits (as PyTorch classifiers trained with
     * {@code CrossEntropyLoss} do) classifies correctly. A model with several outputs that are not class scores (a
     * regression with several targets) cannot be told from one that ends in logits by its layers alone.
     *
     * @return the reason, a phrase that follows the model's name ("gives one output that is not a probability
     *         …"), or null for a classifier
     */
    public String whyNotAClassifier() {
        if (preprocessing.targets() >= 0) {
            return "is a regression: its file saves a target scaler, and predict gives targets in their units";
        }
        if (model.outputWidth() == 1) {
            java.util.List<Layer> layers = model.layers();
            Layer last = layers.get(layers.size() - 1);
            Activation a = last.outputActivation();
            if (a != Activation.SIGMOID) {
                return "gives one output that is not a probability (its last layer " + last.name() + " ends in "
                        + (a == null ? "no built-in activation" : a.label()) + ", not a sigmoid), and a one-output "
                        + "model is read as a binary classifier, class 1 above 0.5";
            }
        }
        return null;
    }

    private void requireClassifier(String op) {
        String why = whyNotAClassifier();
        if (why != null) {
            throw new IllegalStateException(op + ": the model " + why + "; its outputs are values, not classes: "
                    + "read them with predict");
        }
    }

    /**
     * The metadata a program added to the file ({@link ModelFiles#save(Sequential, java.nio.file.Path, WeightLayout,
     * Preprocessing, Map) ModelFiles.save}'s {@code extra}, such as the digits trainer's run settings): every entry
     * but nnj's own, whose keys start with {@code nnj.} and which each format writes itself. What goes along when a
     * model is written again in another file or format.
     *
     * @return those entries, in the file's order
     */
    public Map<String, String> extraMetadata() {
        Map<String, String> extra = new LinkedHashMap<>();
        metadata.forEach((key, value) -> {
            if (!key.startsWith("nnj.")) {
                extra.put(key, value);
            }
        });
        return extra;
    }

    /**
     * The model, its preprocessing and its metadata's keys, in a line: the record's own form printed every value, the
     * preprocessing twice (its own and the metadata's JSON), 36 KB for a 784-input model.
     */
    @Override
    public String toString() {
        return "SavedModel[" + model + ", " + preprocessing + ", metadata " + metadata.keySet() + "]";
    }

    /**
     * Closes the model. To replace a model a service predicts with, see {@link ModelSlot}, which closes it when the
     * calls in flight on it have returned.
     *
     * @throws dev.nnj.api.model.ConcurrentUseException if another thread is predicting with the model (a
     *         {@link #predict predict} of many rows holds it for all its slices); retry when its calls have returned
     */
    @Override
    public void close() {
        model.close();
    }

    /**
     * How many raw feature values lie far outside what the saved scaler was fitted on: the model's outputs for them
     * are extrapolations, however confident (a 1e30, or a whole row of −1e6, gets a class like any other). A
     * service can log it, or refuse; nothing is checked on {@link #predict predict} itself.
     *
     * <p>"Far" is more than one fitted width beyond the fitted range: for a min-max scaler outside
     * {@code [min − (max − min), max + (max − min)]} of the training column; for a standard scaler more than 10
     * standard deviations from its mean. A column that was constant in training (the digits' corner pixels are
     * always 0) has no width of its own and borrows the widest column's, so that a 3 there is not far but a 1000 is.
     *
     * @param rawFeatures {@code (rows, inputWidth)} row-major, as before preprocessing
     * @param rows        number of rows, at least 1
     * @return the first such value and the count, or null when none lies far outside, or the file has no scaler
     * @throws IllegalArgumentException if the features are not {@code rows × inputWidth} values
     * @throws NullPointerException if {@code rawFeatures} is null
     */
    public FarFromTraining farFromTraining(float[] rawFeatures, int rows) {
        Checks.requireNonNull("farFromTraining", "rawFeatures", rawFeatures);
        int width = model.inputWidth();
        if (rows < 1) {
            throw new IllegalArgumentException("farFromTraining: rows must be at least 1, got " + rows);
        }
        if (rawFeatures.length != (long) rows * width) {
            throw new IllegalArgumentException("farFromTraining: expected " + rows + " x " + width + " = "
                    + ((long) rows * width) + " features, got " + rawFeatures.length);
        }
        double[] low;
        double[] high;
        double[] margin;
        if (preprocessing.minMaxScaler() != null) {
            low = preprocessing.minMaxScaler().dataMin();
            high = preprocessing.minMaxScaler().dataMax();
            margin = new double[width];
            for (int j = 0; j < width; j++) {
                margin[j] = high[j] - low[j];
            }
        } else if (preprocessing.standardScaler() != null) {
            low = preprocessing.standardScaler().mean();
            high = low;
            // From the variance, not the scale: a constant column's scale is 1, a divisor, not its spread of 0.
            double[] variance = preprocessing.standardScaler().variance();
            margin = new double[width];
            for (int j = 0; j < width; j++) {
                margin[j] = 10 * Math.sqrt(variance[j]);
            }
        } else {
            return null;
        }
        // A column constant in training has no width of its own: it borrows the widest.
        double widest = 0;
        for (double m : margin) {
            widest = Math.max(widest, m);
        }
        int count = 0;
        int first = -1;
        for (int i = 0; i < rawFeatures.length; i++) {
            int j = i % width;
            double m = margin[j] > 0 ? margin[j] : widest;
            if (rawFeatures[i] < low[j] - m || rawFeatures[i] > high[j] + m) {
                if (count++ == 0) {
                    first = i;
                }
            }
        }
        if (count == 0) {
            return null;
        }
        int column = first % width;
        List<String> names = preprocessing.featureNames();
        String fitted = preprocessing.minMaxScaler() != null ? (float) low[column] + ".." + (float) high[column]
                : "mean " + (float) low[column] + ", standard deviation " + (float) (margin[column] / 10)
                + (margin[column] > 0 ? "" : " (constant in training)");
        return new FarFromTraining(count, rawFeatures.length, first / width, column,
                names != null ? names.get(column) : null, rawFeatures[first], fitted);
    }

    /**
     * Raw feature values far outside what the scaler was fitted on ({@link #farFromTraining}).
     *
     * @param count   how many values
     * @param values  how many values were looked at
     * @param row     the first one's row, from 0
     * @param column  its column, from 0
     * @param name    its column's saved name, or null
     * @param value   its value
     * @param fitted  what the scaler was fitted on in that column: {@code "min..max"}, or its mean and standard
     *                deviation
     */
    public record FarFromTraining(int count, int values, int row, int column, String name, float value,
                                  String fitted) {
        /**
         * One line: {@code "2 of 400 values lie far outside the range the scaler was fitted on (row 0, column 3:
         * 1000.0 against 0.0..16.0)"}.
         *
         * @return the description
         */
        @Override
        public String toString() {
            return count + " of " + values + " values lie far outside the range the scaler was fitted on (row " + row
                    + ", column " + column + (name != null ? " (" + name + ")" : "") + ": " + value + " against "
                    + fitted + ")";
        }
    }
}
