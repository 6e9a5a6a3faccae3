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
 * Reads numeric CSV into a row-major {@code float[]}, optionally taking one column out as integer class
 * labels. Gzipped input is recognised by its magic bytes, whatever the file is called.
 *
 * <pre>
 *   CsvReader.numeric().withLabelColumn(-1).read(Path.of("digits.csv.gz"))   // 64 features, label last
 *   CsvReader.numeric().withHeader(true).withDelimiter(';').read(path)
 * </pre>
 * Every malformed value is an {@link IllegalArgumentException} naming the source, the 1-based line and
 * column, and the text: {@code digits.csv line 17, column 5: 'x' is not a number}. Blank lines are
 * skipped; every other line must have as many fields as the first. Instances are immutable; the
 * {@code with…} methods return changed copies.
 */
public final class CsvReader {
    private static final Logger LOG = LoggerFactory.getLogger(CsvReader.class);
    private static final int NO_LABEL = Integer.MIN_VALUE;

    private final boolean header;
    private final char delimiter;
    private final int labelColumn;

    private CsvReader(boolean header, char delimiter, int labelColumn) {
        this.header = header;
        this.delimiter = delimiter;
        this.labelColumn = labelColumn;
    }

    /** Comma-separated, no header line, no label column. */
    public static CsvReader numeric() {
        return new CsvReader(false, ',', NO_LABEL);
    }

    /** Whether the first non-blank line holds column names rather than numbers. */
    public CsvReader withHeader(boolean hasHeader) {
        return new CsvReader(hasHeader, delimiter, labelColumn);
    }

    /** The field separator (default {@code ','}). */
    public CsvReader withDelimiter(char separator) {
        if (separator == '"' || separator == '\n' || separator == '\r') {
            throw new IllegalArgumentException("'" + separator + "' cannot be a delimiter");
        }
        return new CsvReader(header, separator, labelColumn);
    }

    /**
     * Takes the given 0-based column out as integer labels; a negative index counts from the end
     * ({@code -1} is the last column).
     */
    public CsvReader withLabelColumn(int column) {
        if (column == NO_LABEL) {
            throw new IllegalArgumentException("label column " + column + " is out of range");
        }
        return new CsvReader(header, delimiter, column);
    }

    /** Reads every column as a feature. */
    public CsvReader withoutLabelColumn() {
        return new CsvReader(header, delimiter, NO_LABEL);
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
        int[] labels = labelColumn == NO_LABEL ? null : new int[64];
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
                    if (labelColumn != NO_LABEL) {
                        labelIndex = labelColumn < 0 ? fields + labelColumn : labelColumn;
                        if (labelIndex < 0 || labelIndex >= fields) {
                            throw new IllegalArgumentException(source + " line " + lineNo + ": label column "
                                    + labelColumn + " does not exist in a line of " + fields + " columns");
                        }
                        if (fields == 1) {
                            throw new IllegalArgumentException(source + " line " + lineNo
                                    + ": the only column is the label column, which leaves no features");
                        }
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
                    if (j == labelIndex) {
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
        LOG.debug("Read {} rows x {} columns{} from {}", rows, featureCount,
                labelIndex >= 0 ? " + labels" : "", source);
        return new Table(source, Arrays.copyOf(values, valueCount), featureCount,
                labels == null ? null : Arrays.copyOf(labels, rows), featureNames, labelName);
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
                + (labelColumn == NO_LABEL ? "none" : Integer.toString(labelColumn)) + "]";
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

        Table(String source, float[] values, int columns, int[] labels, String[] columnNames, String labelName) {
            this.source = source;
            this.values = values;
            this.columns = columns;
            this.labels = labels;
            this.columnNames = columnNames;
            this.labelName = labelName;
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

        /** A classification dataset with one-hot targets over {@code classes} classes. */
        public Dataset toDataset(int classes) {
            return Dataset.ofLabels(values, columns, labels(), classes);
        }

        /** A classification dataset with one-hot targets over classes {@code 0 .. max label}. */
        public Dataset toDataset() {
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
