package dev.nnj.examples;

import dev.nnj.api.data.CsvReader;
import java.util.List;
import java.util.Locale;

/**
 * {@code --weight-column}: a CSV column that holds each row's weight in the training loss (Keras's
 * {@code sample_weight}, scikit-learn's {@code fit(..., sample_weight=...)}), so that the gradient counts row
 * {@code i} {@code w_i} times: {@code ∂L/∂θ = (1/N) Σ_i w_i ∂ℓ_i/∂θ}
 * ({@link dev.nnj.api.train.Trainer.Builder#sampleWeights}). The column is not a feature: it is taken out of the
 * table before the split, and its values follow the training rows through the test and validation splits. The
 * losses and metrics the trainer prints stay unweighted.
 */
final class RowWeights {
    private RowWeights() {
    }

    /**
     * The column's values, one per row, after checking each is a weight: finite and not negative.
     *
     * @param table  the file's table, read with a header
     * @param column the column's header name
     * @return the rows' weights, in file order
     * @throws IllegalArgumentException for a value that is not a weight, naming the file, column, row and value
     */
    static float[] read(CsvReader.Table table, String column) {
        return read(table, column, 0);
    }

    /**
     * As {@link #read(CsvReader.Table, String)}, for a part of a file read a part at a time: its rows are named by
     * their place in the file.
     *
     * @param firstRow the part's first data row in the file, from 0
     */
    static float[] read(CsvReader.Table table, String column, long firstRow) {
        float[] weights = table.column(column);
        for (int i = 0; i < weights.length; i++) {
            float w = weights[i];
            long row = firstRow + i + 1;
            if (w != w) {
                // Read as NaN only under --impute, which fills in features: a weight has no value to be given.
                throw new IllegalArgumentException(table.source() + ": column '" + column.strip()
                        + "' (--weight-column) has no value in data row " + row + "; --impute fills in features, not "
                        + "weights: give every row its weight");
            }
            if (!(w >= 0f) || w == Float.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(table.source() + ": column '" + column.strip()
                        + "' (--weight-column) holds " + w + " in data row " + row + "; a row's weight must be "
                        + "finite and not negative");
            }
        }
        return weights;
    }

    /** The reader's refusal of an empty numeric field: its line and column, then what is wrong. */
    private static final java.util.regex.Pattern EMPTY_FIELD = java.util.regex.Pattern.compile(
            "^(.*line \\d+, column (\\d+)): empty value, expected a number.*$", java.util.regex.Pattern.DOTALL);

    /**
     * The reader's refusal of an empty field, reworded where the field is the weight column's: its hint ("a missing
     * value? ... --impute mean fills it in") is a feature's, and {@code --impute} fills in features, not weights.
     *
     * @param message the reader's message, as this program gave it
     * @param header  the file's first line, its names stripped; null where unknown
     * @param column  the {@code --weight-column}, or the model's; null for none
     * @param trainer whether the trainer reads the file, whose {@code --impute} the message then sets apart
     * @return the message for the weight column, or null where the field is another column's
     */
    static String missingWeight(String message, List<String> header, String column, boolean trainer) {
        if (column == null || header == null || message == null) {
            return null;
        }
        java.util.regex.Matcher m = EMPTY_FIELD.matcher(message);
        if (!m.matches()) {
            return null;
        }
        int at = Integer.parseInt(m.group(2)) - 1;
        if (at < 0 || at >= header.size() || !header.get(at).equals(column.strip())) {
            return null;
        }
        return m.group(1) + " ('" + column.strip() + "', --weight-column): no weight; " + (trainer ? "--impute fills "
                + "in features, not weights: " : "") + "give every row its weight";
    }

    /**
     * The weights of the rows {@code rows} picks, in its order (a split's training rows).
     *
     * @param weights a weight per row of the whole set
     * @param rows    indices into it
     * @return {@code weights[rows[i]]} for each {@code i}
     */
    static float[] of(float[] weights, int[] rows) {
        float[] out = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = weights[rows[i]];
        }
        return out;
    }

    /**
     * Refuses training rows whose weights are all 0: the loss would then have no gradient at all.
     *
     * @param column       the column's name, for the message
     * @param trainWeights the training rows' weights
     * @throws IllegalArgumentException if every one is 0
     */
    static void requireSomeWeight(String column, float[] trainWeights) {
        for (float w : trainWeights) {
            if (w > 0f) {
                return;
            }
        }
        throw new IllegalArgumentException("every training row's weight in column '" + column.strip()
                + "' (--weight-column) is 0: the model would learn nothing");
    }

    /**
     * One line for the run's description: where the weights come from and their range over the training rows.
     *
     * @param column       the column's name
     * @param trainWeights the training rows' weights
     * @return e.g. {@code "  row weights from column 'w' (training rows: 0.5 to 4, mean 1.2); losses shown unweighted"}
     */
    static String describe(String column, float[] trainWeights) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        double sum = 0;
        for (float w : trainWeights) {
            min = Math.min(min, w);
            max = Math.max(max, w);
            sum += w;
        }
        return String.format(Locale.ROOT, "  row weights from column '%s' (training rows: %s to %s, mean %s); the "
                + "losses shown stay unweighted", column.strip(), number(min), number(max),
                number(sum / trainWeights.length));
    }

    /** Four significant digits, without trailing zeros after the point: 0.5291, 9.091, 1, 1000, 1.235e+04. */
    static String number(double v) {
        String text = String.format(Locale.ROOT, "%.4g", v);
        if (text.indexOf('.') < 0) {
            return text;   // 1000: its zeros are digits
        }
        return text.replaceAll("0+(e|$)", "$1").replaceAll("\\.(e|$)", "$1");
    }
}
