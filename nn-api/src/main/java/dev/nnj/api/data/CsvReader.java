package dev.nnj.api.data;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads numeric CSV into a row-major {@code float[]}, optionally taking one column out as class labels:
 * integers, or any text with {@link #withTextLabels}. Gzipped input is recognised by its magic bytes,
 * whatever the file is called.
 *
 * <pre>
 *   CsvReader.numeric().withLabelColumn(-1).read(Path.of("digits.csv.gz"))   // 64 features, label last
 *   CsvReader.numeric().withHeader(true).withDelimiter(';').read(path)
 *   CsvReader.numeric().withHeader(true).withLabelColumn("species").withTextLabels(true).read(iris)
 * </pre>
 * Every malformed value is an {@link IllegalArgumentException} naming the source, the 1-based line and
 * column, and the text: {@code digits.csv line 17, column 5: 'x' is not a number}. Blank lines are
 * skipped; every other line must have as many fields as the first. Instances are immutable; the
 * {@code with…} methods return changed copies.
 */
public final class CsvReader {
    private static final Logger LOG = LoggerFactory.getLogger(CsvReader.class);
    private static final int NO_LABEL = Integer.MIN_VALUE;
    /** {@link #labelColumn} when the label column is found by its header name. */
    private static final int BY_NAME = Integer.MIN_VALUE + 1;

    private final boolean header;
    private final char delimiter;
    private final int labelColumn;
    private final String labelColumnName;
    private final boolean textLabels;

    private CsvReader(boolean header, char delimiter, int labelColumn, String labelColumnName, boolean textLabels) {
        this.header = header;
        this.delimiter = delimiter;
        this.labelColumn = labelColumn;
        this.labelColumnName = labelColumnName;
        this.textLabels = textLabels;
    }

    private CsvReader(boolean header, char delimiter, int labelColumn) {
        this(header, delimiter, labelColumn, null, false);
    }

    /** Comma-separated, no header line, no label column. */
    public static CsvReader numeric() {
        return new CsvReader(false, ',', NO_LABEL);
    }

    /** Whether the first non-blank line holds column names rather than numbers. */
    public CsvReader withHeader(boolean hasHeader) {
        return new CsvReader(hasHeader, delimiter, labelColumn, labelColumnName, textLabels);
    }

    /**
     * Takes the column called {@code name} in the header line out as labels (needs {@link #withHeader}).
     *
     * @param name the label column's name as the header spells it (surrounding quotes and spaces ignored)
     * @return a changed copy
     */
    public CsvReader withLabelColumn(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("the label column's name is blank");
        }
        return new CsvReader(header, delimiter, BY_NAME, name.strip(), textLabels);
    }

    /**
     * Whether labels are class names of any text ({@code setosa}, {@code yes}, {@code 3}) rather than
     * integers. The distinct names become classes {@code 0 .. k-1} in sorted order, numerically when every
     * name is a number, else by text (as scikit-learn's {@code LabelEncoder}); {@link Table#classNames()}
     * gives the name of each class.
     *
     * @param text true to read labels as class names
     * @return a changed copy
     */
    public CsvReader withTextLabels(boolean text) {
        return new CsvReader(header, delimiter, labelColumn, labelColumnName, text);
    }

    /** The field separator (default {@code ','}). */
    public CsvReader withDelimiter(char separator) {
        if (separator == '"' || separator == '\n' || separator == '\r') {
            throw new IllegalArgumentException("'" + separator + "' cannot be a delimiter");
        }
        return new CsvReader(header, separator, labelColumn, labelColumnName, textLabels);
    }

    /**
     * Takes the given 0-based column out as integer labels; a negative index counts from the end
     * ({@code -1} is the last column).
     */
    public CsvReader withLabelColumn(int column) {
        if (column == NO_LABEL || column == BY_NAME) {
            throw new IllegalArgumentException("label column " + column + " is out of range");
        }
        return new CsvReader(header, delimiter, column, null, textLabels);
    }

    /** Reads every column as a feature. */
    public CsvReader withoutLabelColumn() {
        return new CsvReader(header, delimiter, NO_LABEL, null, textLabels);
    }

    /** Reads a file (gzipped or not); errors name the file by its name. */
    public Table read(Path file) {
        Objects.requireNonNull(file, "file");
        String source = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, source);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a stream (gzipped or not, UTF-8 text); {@code source} names it in errors. Closes nothing. */
    public Table read(InputStream in, String source) {
        Objects.requireNonNull(in, "in");
        try {
            BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
            buffered.mark(2);
            int b0 = buffered.read();
            int b1 = buffered.read();
            buffered.reset();
            boolean gzip = b0 == 0x1f && b1 == 0x8b;
            InputStream body = gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered;
            return read(new InputStreamReader(body, StandardCharsets.UTF_8), source);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    /** Reads text; {@code source} names it in errors. Closes nothing. */
    public Table read(Reader reader, String source) {
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(source, "source");
        BufferedReader in = reader instanceof BufferedReader ? (BufferedReader) reader : new BufferedReader(reader);
        String[] names = null;
        int fields = -1;
        int firstLine = -1;
        int labelIndex = -1;
        float[] values = new float[1024];
        int valueCount = 0;
        int[] labels = labelColumn == NO_LABEL || textLabels ? null : new int[64];
        String[] labelTexts = labelColumn != NO_LABEL && textLabels ? new String[64] : null;
        int rows = 0;
        int lineNo = 0;
        String[] parts = new String[8];
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                    line = line.substring(1); // byte-order mark
                }
                if (line.isBlank()) {
                    continue;
                }
                int n = split(line, parts);
                if (n > parts.length) {
                    parts = new String[n];
                    split(line, parts);
                }
                if (fields < 0) {
                    fields = n;
                    firstLine = lineNo;
                    if (labelColumn == BY_NAME) {
                        labelIndex = columnNamed(labelColumnName, parts, n, source, lineNo);
                    } else if (labelColumn != NO_LABEL) {
                        labelIndex = labelColumn < 0 ? fields + labelColumn : labelColumn;
                        if (labelIndex < 0 || labelIndex >= fields) {
                            throw new IllegalArgumentException(source + " line " + lineNo + ": label column "
                                    + labelColumn + " does not exist in a line of " + fields + " columns");
                        }
                    }
                    if (labelIndex >= 0 && fields == 1) {
                        throw new IllegalArgumentException(source + " line " + lineNo
                                + ": the only column is the label column, which leaves no features");
                    }
                    if (header) {
                        names = new String[n];
                        for (int j = 0; j < n; j++) {
                            names[j] = unquote(parts[j].strip());
                        }
                        continue;
                    }
                } else if (n != fields) {
                    throw new IllegalArgumentException(source + " line " + lineNo + " has " + n + " columns, expected "
                            + fields + " as on line " + firstLine);
                }
                int features = labelIndex >= 0 ? fields - 1 : fields;
                if (valueCount + features > values.length) {
                    values = Arrays.copyOf(values, Math.max(values.length * 2, valueCount + features));
                }
                for (int j = 0; j < n; j++) {
                    String text = parts[j].strip();
                    if (j == labelIndex && labelTexts != null) {
                        if (rows == labelTexts.length) {
                            labelTexts = Arrays.copyOf(labelTexts, rows * 2);
                        }
                        if (text.isEmpty()) {
                            throw new IllegalArgumentException(where(source, lineNo, j + 1) + "empty label");
                        }
                        labelTexts[rows] = unquote(text);
                    } else if (j == labelIndex) {
                        if (rows == labels.length) {
                            labels = Arrays.copyOf(labels, rows * 2);
                        }
                        labels[rows] = parseLabel(text, source, lineNo, j + 1);
                    } else {
                        values[valueCount++] = parseNumber(text, source, lineNo, j + 1);
                    }
                }
                rows++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + " (after line " + lineNo + "): " + e.getMessage(), e);
        }
        if (fields < 0 || rows == 0) {
            throw new IllegalArgumentException(source + ": no data rows" + (fields >= 0 ? " after the header" : ""));
        }
        int featureCount = labelIndex >= 0 ? fields - 1 : fields;
        String[] featureNames = null;
        String labelName = null;
        if (names != null) {
            featureNames = new String[featureCount];
            for (int j = 0, k = 0; j < fields; j++) {
                if (j == labelIndex) {
                    labelName = names[j];
                } else {
                    featureNames[k++] = names[j];
                }
            }
        }
        String[] classNames = null;
        if (labelTexts != null) {
            classNames = classNames(labelTexts, rows);
            labels = encode(labelTexts, rows, classNames);
        }
        LOG.debug("Read {} rows x {} columns{} from {}", rows, featureCount,
                labelIndex >= 0 ? " + labels" : "", source);
        return new Table(source, Arrays.copyOf(values, valueCount), featureCount,
                labels == null ? null : Arrays.copyOf(labels, rows), featureNames, labelName, classNames);
    }

    /** The header column called {@code name}, or an error listing the header's names. */
    private int columnNamed(String name, String[] parts, int n, String source, int lineNo) {
        if (!header) {
            throw new IllegalArgumentException(source + ": the label column is named '" + name
                    + "', which needs a header line (withHeader(true))");
        }
        StringBuilder names = new StringBuilder();
        for (int j = 0; j < n; j++) {
            String column = unquote(parts[j].strip());
            if (column.equals(name)) {
                return j;
            }
            names.append(j == 0 ? "" : ", ").append(column);
        }
        throw new IllegalArgumentException(source + " line " + lineNo + ": no label column named '" + name
                + "'; the header has " + abbreviate(names.toString()));
    }

    /** The distinct label texts, sorted numerically when all are numbers, else by text. */
    private static String[] classNames(String[] texts, int rows) {
        java.util.TreeSet<String> distinct = new java.util.TreeSet<>();
        for (int i = 0; i < rows; i++) {
            distinct.add(texts[i]);
        }
        String[] names = distinct.toArray(new String[0]);
        boolean numeric = true;
        for (String name : names) {
            numeric &= isNumber(name);
        }
        if (numeric) {
            Arrays.sort(names, (a, b) -> Double.compare(Double.parseDouble(a), Double.parseDouble(b)));
        }
        return names;
    }

    private static int[] encode(String[] texts, int rows, String[] classNames) {
        java.util.HashMap<String, Integer> index = new java.util.HashMap<>();
        for (int c = 0; c < classNames.length; c++) {
            index.put(classNames[c], c);
        }
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = index.get(texts[i]);
        }
        return labels;
    }

    private static boolean isNumber(String s) {
        try {
            return Double.isFinite(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Splits into {@code parts}, returning the field count (which may exceed parts.length: call again). */
    private int split(String line, String[] parts) {
        int n = 0;
        int start = 0;
        for (int i = 0; i <= line.length(); i++) {
            if (i == line.length() || line.charAt(i) == delimiter) {
                if (n < parts.length) {
                    parts[n] = line.substring(start, i);
                }
                n++;
                start = i + 1;
            }
        }
        return n;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"' ? s.substring(1, s.length() - 1) : s;
    }

    private static float parseNumber(String text, String source, int line, int column) {
        if (!text.isEmpty()) {
            char last = text.charAt(text.length() - 1);
            // Float.parseFloat would also accept Java literal suffixes ("1f", "2d") and hex; CSV numbers have neither.
            if (last != 'f' && last != 'F' && last != 'd' && last != 'D' && !text.contains("x") && !text.contains("X")) {
                try {
                    return Float.parseFloat(text);
                } catch (NumberFormatException e) {
                    // reported below
                }
            }
        }
        throw new IllegalArgumentException(where(source, line, column)
                + (text.isEmpty() ? "empty value, expected a number" : "'" + abbreviate(text) + "' is not a number"));
    }

    private static int parseLabel(String text, String source, int line, int column) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            // "3.0" is a fine label; "3.5" is not
            try {
                double d = Double.parseDouble(text);
                if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
                    return (int) d;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw new IllegalArgumentException(where(source, line, column)
                + (text.isEmpty() ? "empty label, expected an integer" : "'" + abbreviate(text) + "' is not an integer label"));
    }

    private static String where(String source, int line, int column) {
        return source + " line " + line + ", column " + column + ": ";
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    @Override
    public String toString() {
        return "CsvReader[header=" + header + ", delimiter='" + delimiter + "', labelColumn="
                + (labelColumn == NO_LABEL ? "none" : labelColumn == BY_NAME ? "'" + labelColumnName + "'"
                : Integer.toString(labelColumn)) + (textLabels ? ", text labels" : "") + "]";
    }

    /**
     * What a CSV read produced: the feature values {@code (rows, columns)} row-major, the labels if a label
     * column was configured, and the column names if the file had a header.
     */
    public static final class Table {
        private final String source;
        private final float[] values;
        private final int columns;
        private final int[] labels;
        private final String[] columnNames;
        private final String labelName;
        private final String[] classNames;

        Table(String source, float[] values, int columns, int[] labels, String[] columnNames, String labelName,
              String[] classNames) {
            this.source = source;
            this.values = values;
            this.columns = columns;
            this.labels = labels;
            this.columnNames = columnNames;
            this.labelName = labelName;
            this.classNames = classNames;
        }

        /** The name errors used for the input. */
        public String source() {
            return source;
        }

        /** Number of data rows. */
        public int rows() {
            return values.length / columns;
        }

        /** Number of feature columns (the label column excluded). */
        public int columns() {
            return columns;
        }

        /** The feature values, row-major; the table's own array. */
        public float[] values() {
            return values;
        }

        /** Whether a label column was read. */
        public boolean hasLabels() {
            return labels != null;
        }

        /** The labels, one per row; the table's own array. */
        public int[] labels() {
            if (labels == null) {
                throw new IllegalStateException(source + " was read without a label column");
            }
            return labels;
        }

        /** The feature column names from the header, or null without one (a copy). */
        public String[] columnNames() {
            return columnNames == null ? null : columnNames.clone();
        }

        /** The label column's name from the header, or null. */
        public String labelName() {
            return labelName;
        }

        /**
         * The name of each class, indexed by label, when labels were read as text ({@link #withTextLabels});
         * null for integer labels.
         *
         * @return a copy of the class names, or null
         */
        public String[] classNames() {
            return classNames == null ? null : classNames.clone();
        }

        /** A classification dataset with one-hot targets over {@code classes} classes. */
        public Dataset toDataset(int classes) {
            return Dataset.ofLabels(values, columns, labels(), classes);
        }

        /**
         * A classification dataset with one-hot targets over classes {@code 0 .. max label} (over every
         * class name for text labels).
         */
        public Dataset toDataset() {
            if (classNames != null) {
                return toDataset(classNames.length);
            }
            int max = -1;
            for (int label : labels()) {
                if (label < 0) {
                    throw new IllegalArgumentException(source + ": label " + label + " is negative; "
                            + "class labels must be 0, 1, 2, …");
                }
                max = Math.max(max, label);
            }
            return toDataset(max + 1);
        }

        @Override
        public String toString() {
            return "Table[" + source + ": " + rows() + " rows x " + columns + " columns"
                    + (labels != null ? " + labels" : "") + "]";
        }
    }
}
