package dev.nnj.api.io;

import dev.nnj.api.data.CsvReader;
import dev.nnj.api.data.InvalidDataException;
import dev.nnj.api.internal.QuotedNames;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records (one row each, column name → value, as a service receives a JSON object) as the raw features a
 * {@link SavedModel} predicts from, by the rules {@link SavedModel#csvReader} reads a file's rows with, so that a
 * record gives the features its row in a CSV file would:
 * <ul>
 *   <li>a numeric column takes a {@link Number} or a number's decimal text, rounded once to the nearest float (a
 *       {@code Double} from its binary value, which at an exact tie between two floats can round otherwise than its
 *       shortest decimal text does);</li>
 *   <li>a categorical column takes one of the categories the model was trained with, as text (spaces around it
 *       ignored, as around an unquoted CSV field; an integer's {@code toString}, a {@code BigDecimal}'s plain
 *       digits), and becomes its one-hot inputs {@code column=category};</li>
 *   <li>a missing value ({@code null}, NaN, or a text {@link CsvReader#isMissingValue} reads as one) is NaN for the
 *       saved imputer to fill in, and all 0 in a categorical column's one-hot inputs; without an imputer it is
 *       refused, as training refused it;</li>
 *   <li>every one of the model's columns must be there; a column the training file left out
 *       ({@link Preprocessing#ignoredColumns}) may be, and is not read; any other is refused.</li>
 * </ul>
 * Messages name the record (from 0, as the list's index) and the column.
 */
final class RecordFeatures {
    /**
     * A number as a CSV file's numeric column reads it: an optional sign, digits with an optional point (or a point
     * and digits), an optional exponent; no Java literal suffix, hexadecimal or word.
     */
    private static final java.util.regex.Pattern DECIMAL =
            java.util.regex.Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    /** Each input's numeric column name, or null where the input is one of a categorical column's one-hot inputs. */
    private final String[] numericColumn;
    /** Each categorical column's inputs: category → input index. */
    private final Map<String, Map<String, Integer>> oneHot = new HashMap<>();
    /** The columns a record must hold, in the model's order. */
    private final Set<String> columns = new LinkedHashSet<>();
    private final Set<String> ignored;
    private final boolean missingAllowed;

    /**
     * @param preprocessing the model's, with its feature names
     * @param inputWidth    the model's input width
     * @throws IllegalStateException when the model records no feature names: records cannot be matched to it
     */
    RecordFeatures(Preprocessing preprocessing, int inputWidth) {
        List<String> names = preprocessing.featureNames();
        if (names == null) {
            throw new IllegalStateException("the model records no feature names, so records cannot be matched to its "
                    + "inputs by column name: give rows as numbers in the model's input order (predict(float[][]))");
        }
        if (names.size() != inputWidth) {
            throw new IllegalStateException("the model records " + names.size() + " feature names for "
                    + inputWidth + " inputs");
        }
        Map<String, Integer> inputOf = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            inputOf.put(names.get(i), i);
        }
        numericColumn = names.toArray(new String[0]);
        preprocessing.categories().forEach((column, categories) -> {
            Map<String, Integer> inputs = new HashMap<>();
            for (String category : categories) {
                int input = inputOf.get(column + "=" + category);   // Preprocessing.whyNotFor checked it is there
                inputs.put(category, input);
                numericColumn[input] = null;
            }
            oneHot.put(column, inputs);
        });
        columns.addAll(preprocessing.inputColumns());
        ignored = new HashSet<>(preprocessing.ignoredColumns());
        missingAllowed = preprocessing.imputer() != null;
    }

    /**
     * The raw features of {@code records}.
     *
     * @return {@code (records, inputWidth)} row-major
     * @throws IllegalArgumentException for no records, a record without one of the model's columns, or with a
     *         column that is none of them nor left out
     * @throws InvalidDataException for a value that is not a number (a numeric column), not one of the categories
     *         (a categorical one), missing without an imputer, or not finite
     */
    float[] features(List<? extends Map<String, ?>> records) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("features: no records to predict");
        }
        float[] out = new float[Math.multiplyExact(records.size(), numericColumn.length)];
        for (int r = 0; r < records.size(); r++) {
            Map<String, ?> record = records.get(r);
            if (record == null) {
                throw new IllegalArgumentException("record " + r + " is null");
            }
            requireColumns(r, record);
            int at = r * numericColumn.length;
            for (int i = 0; i < numericColumn.length; i++) {
                if (numericColumn[i] != null) {
                    out[at + i] = number(r, numericColumn[i], record.get(numericColumn[i]));
                }
            }
            for (Map.Entry<String, Map<String, Integer>> c : oneHot.entrySet()) {
                Integer input = category(r, c.getKey(), c.getValue(), record.get(c.getKey()));
                if (input != null) {
                    out[at + input] = 1f;
                }
            }
        }
        return out;
    }

    /** Refuses a record that lacks one of the model's columns, or holds another that was not left out in training. */
    private void requireColumns(int r, Map<String, ?> record) {
        List<String> missing = new ArrayList<>();
        for (String column : columns) {
            if (!record.containsKey(column)) {
                missing.add(column);
            }
        }
        List<String> unknown = new ArrayList<>();
        for (String key : record.keySet()) {
            if (!columns.contains(key) && !ignored.contains(key)) {
                unknown.add(String.valueOf(key));
            }
        }
        if (!missing.isEmpty() || !unknown.isEmpty()) {
            throw new IllegalArgumentException("record " + r + (missing.isEmpty() ? "" : " lacks "
                    + QuotedNames.of(missing) + " (a null value is a missing one)")
                    + (missing.isEmpty() || unknown.isEmpty() ? "" : " and") + (unknown.isEmpty() ? "" : " has "
                    + QuotedNames.of(unknown) + ", not among the model's columns (leave "
                    + (unknown.size() == 1 ? "it" : "them") + " out; a label or target column is not an input)")
                    + "; the model's columns: " + QuotedNames.of(List.copyOf(columns)));
        }
    }

    /** A numeric column's value as a float; NaN for a missing one where the imputer fills it in. */
    private float number(int r, String column, Object value) {
        float f;
        if (value instanceof Number n) {
            // Each rounded once to the nearest float: a long through a double would round twice past 2^53.
            f = n instanceof BigDecimal d ? d.floatValue() : n instanceof BigInteger b ? b.floatValue()
                    : n instanceof Float x ? x : n instanceof Double d ? (float) (double) d : (float) n.longValue();
        } else if (value instanceof String text) {
            if (CsvReader.isMissingValue(text)) {
                return missing(r, column, "'" + text + "'");
            }
            String t = text.strip();
            if (!DECIMAL.matcher(t).matches()) {
                throw new InvalidDataException(where(r, column) + "'" + text + "' is not a number"
                        + CsvReader.notANumberHint(text));
            }
            f = Float.parseFloat(t);   // the decimal rounded once, as the CSV reader reads it
        } else if (value == null) {
            return missing(r, column, "null");
        } else {
            throw new InvalidDataException(where(r, column) + "a " + value.getClass().getSimpleName() + " ("
                    + value + "), expected a number or its text");
        }
        if (Float.isNaN(f)) {
            return missing(r, column, "NaN");
        }
        if (Float.isInfinite(f)) {
            throw new InvalidDataException(where(r, column) + value + " is not a finite float (beyond ±3.4e38)");
        }
        return f;
    }

    private float missing(int r, String column, String value) {
        if (!missingAllowed) {
            throw new InvalidDataException(where(r, column) + "missing value (" + value + "): the model was saved "
                    + "without an imputer to fill one in; fill it in or leave the record out");
        }
        return Float.NaN;
    }

    /** The input a categorical value sets to 1; null for a missing value, whose one-hot inputs stay 0. */
    private Integer category(int r, String column, Map<String, Integer> inputs, Object value) {
        String text;
        if (value instanceof String s) {
            text = s;
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger) {
            text = value.toString();
        } else if (value instanceof BigDecimal d) {
            text = d.toPlainString();   // as its digits were written: 2 is "2", 2.0 is "2.0"
        } else if (value == null || value instanceof Double d && d.isNaN() || value instanceof Float f && f.isNaN()) {
            text = null;
        } else {
            throw new InvalidDataException(where(r, column) + "a " + value.getClass().getSimpleName() + " (" + value
                    + "), expected one of the column's categories as text");
        }
        if (text == null || missingAllowed && CsvReader.isMissingValue(text)) {
            if (!missingAllowed) {
                throw new InvalidDataException(where(r, column) + "missing category (null): the model was saved "
                        + "without an imputer, so training read no missing values; fill it in or leave the record "
                        + "out");
            }
            return null;
        }
        Integer input = inputs.get(text);
        if (input == null) {
            input = inputs.get(text.strip());   // as a CSV field's spaces around an unquoted category are
        }
        if (input == null) {
            List<String> known = new ArrayList<>(inputs.keySet());
            known.sort(java.util.Comparator.comparingInt(inputs::get));
            throw new InvalidDataException(where(r, column) + (text.isEmpty() ? "empty category" : "'" + text
                    + "' is not one of the " + known.size() + " categories the model was trained with: "
                    + QuotedNames.of(known)));
        }
        return input;
    }

    private static String where(int r, String column) {
        return "record " + r + ", column '" + column + "': ";
    }
}
