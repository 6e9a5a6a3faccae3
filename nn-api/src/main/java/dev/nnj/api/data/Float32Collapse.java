package dev.nnj.api.data;

/**
 * Columns whose values differ in a file but read as one float32 number: {@code 1e8 − 1} and {@code 1e8 + 1} are both
 * {@code 1e8} in float32 (24 bits, a step of 8 there), so such a column reaches the model constant and carries
 * nothing, where a float64 reader (numpy, scikit-learn) keeps it apart; a feature that told the classes apart gave
 * chance accuracy, without a word (a preprocessing trial). {@link DataChecks#float32Coarse} warns of columns that
 * float32 merely coarsens; this finds the ones it flattens.
 *
 * <p>Only the first {@value #ROWS} rows are looked at, and of their fields only those of more than
 * {@value #SHORT} characters are parsed again in double precision: two different decimals of at most six significant
 * digits are never one float32 (C's {@code FLT_DIG}), so the digits' pixel counts and most measurements cost a
 * comparison of floats and nothing else, and the cost stays fixed whatever the file's size.
 */
final class Float32Collapse {
    /** Rows whose values are looked at. */
    static final int ROWS = 200;
    /** The longest field whose float32 is taken for exact: six characters hold at most six significant digits. */
    static final int SHORT = 6;

    private final double[] low;
    private final double[] high;
    private final float[] first;
    private final boolean[] varied;
    private final boolean[] seen;

    Float32Collapse(int columns) {
        low = new double[columns];
        high = new double[columns];
        first = new float[columns];
        varied = new boolean[columns];
        seen = new boolean[columns];
    }

    /**
     * Notes one field of column {@code j}: its float32 value, and for a long field its exact value.
     *
     * @param j     the column, as the file counts them
     * @param value the float32 the reader made of the field
     * @param text  the line's characters
     * @param start the field's first character
     * @param end   one past its last
     */
    void add(int j, float value, char[] text, int start, int end) {
        if (!seen[j]) {
            seen[j] = true;
            first[j] = value;
            low[j] = Double.POSITIVE_INFINITY;
            high[j] = Double.NEGATIVE_INFINITY;
        } else if (Float.compare(value, first[j]) != 0) {
            varied[j] = true;
        }
        if (end - start <= SHORT || varied[j]) {
            return;   // exact as a float, or the column varies anyway
        }
        double exact;
        try {
            exact = Double.parseDouble(new String(text, start, end - start).strip());
        } catch (NumberFormatException e) {
            return;   // a word the reader reads another way (a missing value): not a number to compare
        }
        low[j] = Math.min(low[j], exact);
        high[j] = Math.max(high[j], exact);
    }

    /**
     * The first column whose values differ in double precision but are one float32, worded for a warning; null
     * when there is none.
     *
     * @param names the file's column names, or null
     * @return the warning's text, naming the column, its range and its one float32 value
     */
    String first(String[] names) {
        for (int j = 0; j < seen.length; j++) {
            if (seen[j] && !varied[j] && low[j] < high[j] && Double.isFinite(low[j]) && Double.isFinite(high[j])) {
                String column = names != null ? "column '" + names[j].strip() + "'" : "column " + (j + 1);
                return String.format(java.util.Locale.ROOT, "%s holds values from %s to %s in its first rows, which "
                        + "are all one number as float32, %s (whose step there is %s): the model sees the column "
                        + "constant, and it carries nothing; subtract a constant near them first (e.g. %s), in the "
                        + "file or before reading it", column, plain(low[j]), plain(high[j]), plain(first[j]),
                        plain(Math.ulp(first[j])), plain(first[j]));
            }
        }
        return null;
    }

    private static String plain(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(10)).stripTrailingZeros().toPlainString();
    }
}
