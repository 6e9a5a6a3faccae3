package dev.nnj.api.data;

import dev.nnj.api.HostMemory;
import dev.nnj.api.internal.QuotedNames;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads numeric CSV into a row-major {@code float[]}, optionally taking one column out as class labels:
 * integers, or any text with {@link #withTextLabels withTextLabels}. Gzipped input is recognised by its magic bytes,
 * whatever the file is called. A regression's targets are not class labels: read them as columns, without a label
 * column, and take them out with {@link Table#toRegressionDataset(String, String...) Table.toRegressionDataset}.
 *
 * <pre>
 *   CsvReader.numeric().withLabelColumn(-1).read(Path.of("digits.csv.gz"))   // 64 features, label last
 *   CsvReader.numeric().withHeader(true).withDelimiter(';').read(path)
 *   CsvReader.numeric().withHeader(true).withLabelColumn("species").withTextLabels(true).read(iris)
 *   CsvReader.numeric().withHeader(true).read(diabetes).toRegressionDataset("target")   // regression
 *   CsvReader.numeric().withHeader(true).withLabelColumn("y").withCategoricalColumns("color").read(path)
 *   CsvReader.numeric().withHeader(true).withLabelColumn("y").withIgnoredColumns("id", "note").read(path)
 * </pre>
 * A text column named by {@link #withCategoricalColumns withCategoricalColumns} becomes one 0/1 column per
 * category, {@code color=blue}, {@code color=red}, … (one-hot, as pandas' {@code get_dummies});
 * {@link Table#categories()} says which.
 * Every malformed value is an {@link InvalidDataException} naming the source, the 1-based line and
 * column, and the text: {@code digits.csv line 17, column 5: 'x' is not a number}; on the first line of a
 * reader not told of a header, a name such as {@code sepal_length} adds that the line may be column names to
 * read as a header. Blank lines are skipped; every other record must have as many fields as the first.
 * Instances are immutable; the {@code with…} methods return changed copies.
 *
 * <p>What it accepts:
 * <ul>
 *   <li>RFC 4180 quoting: {@code "1.5"}, a delimiter or line break inside quotes, {@code ""} for a quote
 *       (see {@link CsvRecords});</li>
 *   <li>fields separated by runs of spaces and tabs instead, with {@link #withWhitespaceDelimiter()};</li>
 *   <li>UTF-8 or ASCII text, with or without a byte-order mark. UTF-16, UTF-32 and binary input are
 *       recognised from their first bytes and refused with what they look like; bytes that are not UTF-8
 *       further on are refused with their line;</li>
 *   <li>finite numbers only: {@code NaN}, {@code Infinity} and values beyond float range such as
 *       {@code 1e999} are refused with their line and column, unless {@link #withNonFiniteValues(boolean)}
 *       lets them through (for data sets made with {@link Dataset#allowingNonFinite}).</li>
 * </ul>
 */
public final class CsvReader {
    private static final Logger LOG = LoggerFactory.getLogger(CsvReader.class);
    private static final int NO_LABEL = Integer.MIN_VALUE;
    /** {@link #labelColumn labelColumn} when the label column is found by its header name. */
    private static final int BY_NAME = Integer.MIN_VALUE + 1;

    private final boolean header;
    private final char delimiter;
    private final int labelColumn;
    private final String labelColumnName;
    private final boolean textLabels;
    private final boolean nonFinite;
    /** Categorical column name to its fixed categories, or to null for the file's own; in the order given. */
    private final Map<String, List<String>> categorical;
    /**
     * Header names of the columns left out ({@link #withIgnoredColumns}), each to whether the header must have it; in
     * the order given.
     */
    private final Map<String, Boolean> ignored;

    /** Whether an empty feature field, or a missing-value marker such as {@code NA}, is read as NaN. */
    private final boolean missing;
    /** Whether a whole read warns of its label classes ({@link #withClassWarnings}). */
    private final boolean classWarnings;
    /** The feature columns the header must name ({@link #withExpectedColumns}), or null for no check. */
    private final List<String> expected;

    private CsvReader(boolean header, char delimiter, int labelColumn, String labelColumnName, boolean textLabels,
                      boolean nonFinite, Map<String, List<String>> categorical, Map<String, Boolean> ignored,
                      boolean missing, boolean classWarnings, List<String> expected) {
        this.expected = expected;
        this.missing = missing;
        this.classWarnings = classWarnings;
        this.header = header;
        this.delimiter = delimiter;
        this.labelColumn = labelColumn;
        this.labelColumnName = labelColumnName;
        this.textLabels = textLabels;
        this.nonFinite = nonFinite;
        this.categorical = categorical;
        this.ignored = ignored;
    }

    /**
     * Comma-separated, no header line, no label column.
     *
     * @return a reader with the default settings, to be refined by the {@code with…} methods
     */
    public static CsvReader numeric() {
        return new CsvReader(false, ',', NO_LABEL, null, false, false, Map.of(), Map.of(), false, true, null);
    }

    /**
     * Whether the first non-blank line holds column names rather than numbers. An empty name is {@code Unnamed: j},
     * {@code j} its column's 0-based position, as pandas names it (the index column {@code DataFrame.to_csv()} writes
     * by default is {@code Unnamed: 0}), so that it can be ignored or chosen as the label by that name.
     *
     * @param hasHeader whether to read the first line as column names
     * @return a reader with this setting, the others unchanged
     */
    public CsvReader withHeader(boolean hasHeader) {
        return new CsvReader(hasHeader, delimiter, labelColumn, labelColumnName, textLabels, nonFinite,
                categorical, ignored, missing, classWarnings, expected);
    }

    /**
     * Takes the column called {@code name} in the header line out as labels (needs {@link #withHeader withHeader}). A
     * name that no column has but that is a whole number is the column's 0-based index (negative from the end), so
     * that a header of numbers, {@code 0,1,2,label} or {@code 1,2,3,0}, is read by name first.
     *
     * @param name the label column's name as the header spells it (surrounding quotes and spaces ignored)
     * @return a changed copy
     */
    public CsvReader withLabelColumn(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("the label column's name is blank");
        }
        return new CsvReader(header, delimiter, BY_NAME, name.strip(), textLabels, nonFinite,
                categorical, ignored, missing, classWarnings, expected);
    }

    /**
     * Whether labels are class names of any text ({@code setosa}, {@code yes}, {@code 3}) rather than
     * integers. The distinct names become classes {@code 0 .. k-1} in sorted order, numerically when every
     * name is a number, else by text, code point by code point (as scikit-learn's {@code LabelEncoder}; Java's
     * {@code String.compareTo} would put an emoji before a full-width character); {@link Table#classNames()}
     * gives the name of each class. When every name is a number, names of the same value ({@code 1}, {@code 1.0},
     * {@code 1e0}) are one class, named as the value is first spelled in the file.
     *
     * @param text true to read labels as class names
     * @return a changed copy
     */
    public CsvReader withTextLabels(boolean text) {
        return new CsvReader(header, delimiter, labelColumn, labelColumnName, text, nonFinite,
                categorical, ignored, missing, classWarnings, expected);
    }

    /**
     * The field separator (default {@code ','}).
     *
     * @param separator the character between fields, for example {@code ';'} or {@code '\t'}
     * @return a reader with this setting, the others unchanged
     * @throws IllegalArgumentException for a quote, a space, a line break or NUL, which belong to the fields or
     *         end the records, and for a digit, a point, a sign or an exponent's e, which belong to the numbers
     */
    public CsvReader withDelimiter(char separator) {
        if (separator == '"' || separator == '\n' || separator == '\r' || separator == ' ' || separator == 0) {
            throw new IllegalArgumentException("U+" + String.format("%04X", (int) separator) + " ("
                    + (separator == '"' ? "a quote" : separator == ' ' ? "a space" : separator == 0 ? "NUL"
                    : "a line break") + ") cannot be a delimiter");
        }
        if (separator >= '0' && separator <= '9' || separator == '.' || separator == '-' || separator == '+'
                || separator == 'e' || separator == 'E') {
            throw new IllegalArgumentException("'" + separator + "' cannot be a delimiter: numbers are written with "
                    + "it (a field of 2151 would be split at it)");
        }
        return new CsvReader(header, separator, labelColumn, labelColumnName, textLabels, nonFinite,
                categorical, ignored, missing, classWarnings, expected);
    }

    /**
     * Fields separated by runs of spaces and tabs rather than one delimiter, as in many data sets distributed as
     * {@code .data} or {@code .txt} files (numpy's {@code loadtxt} and R's {@code read.table} read these by
     * default): blanks at the start and end of a line separate nothing, and a quoted field may hold blanks.
     *
     * @return a reader with this setting, the others unchanged
     */
    public CsvReader withWhitespaceDelimiter() {
        return new CsvReader(header, ' ', labelColumn, labelColumnName, textLabels, nonFinite,
                categorical, ignored, missing, classWarnings, expected);
    }

    /**
     * Takes the given 0-based column out as integer labels; a negative index counts from the end
     * ({@code -1} is the last column).
     *
     * @param column the 0-based label column; negative counts from the end
     * @return a reader with this setting, the others unchanged
     */
    public CsvReader withLabelColumn(int column) {
        if (column == NO_LABEL || column == BY_NAME) {
            throw new IllegalArgumentException("label column " + column + " is out of range");
        }
        return new CsvReader(header, delimiter, column, null, textLabels, nonFinite, categorical, ignored, missing,
                classWarnings, expected);
    }

    /**
     * Reads every column as a feature.
     *
     * @return a reader with this setting, the others unchanged
     */
    public CsvReader withoutLabelColumn() {
        return new CsvReader(header, delimiter, NO_LABEL, null, textLabels, nonFinite, categorical, ignored, missing,
                classWarnings, expected);
    }

    /**
     * Whether {@code NaN}, {@code nan}, {@code Infinity}, {@code inf} (with a sign) and out-of-range values
     * such as {@code 1e999} are read as NaN and infinities instead of refused (default: refused).
     *
     * @param allow true to read them
     * @return a changed copy
     */
    public CsvReader withNonFiniteValues(boolean allow) {
        return new CsvReader(header, delimiter, labelColumn, labelColumnName, textLabels, allow,
                categorical, ignored, missing, classWarnings, expected);
    }

    /**
     * Whether a feature value that is missing, an empty field or a marker other tools write for one ({@code NA},
     * {@code N/A}, {@code ?}, {@code null}, {@code none}, {@code -}, {@code nan}, Excel's {@code #N/A}, pandas'
     * {@code <NA>}, any case), is read as NaN instead of
     * refused (default: refused). The table's data set then allows NaN ({@link Dataset#allowingNonFinite}), which
     * a {@link SimpleImputer} fills in before training. In a categorical column a missing value is no category: its
     * one-hot columns are all 0, as pandas' {@code get_dummies} leaves them. Labels stay required; infinities stay
     * refused unless {@link #withNonFiniteValues} reads them.
     *
     * @param allow true to read missing values as NaN
     * @return a changed copy
     */
    public CsvReader withMissingValues(boolean allow) {
        return new CsvReader(header, delimiter, labelColumn, labelColumnName, textLabels, nonFinite, categorical,
                ignored, allow, classWarnings, expected);
    }

    /**
     * Whether reading warns of the file's text label classes that look like one class written two ways: alike but
     * for case ({@code Yes}, {@code yes}), one number written differently ({@code 1}, {@code 1.0}), or a missing-value
     * marker ({@code NA}) as a class (default: warns). Off for a file whose labels are then matched against other
     * classes, a model's or a training file's ({@link ClassLookup}, by text and by value): its own classes are not the
     * ones that count, and a warning of them would be false.
     *
     * @param warn false to leave the warnings out
     * @return a changed copy
     */
    public CsvReader withClassWarnings(boolean warn) {
        return new CsvReader(header, delimiter, labelColumn, labelColumnName, textLabels, nonFinite, categorical,
                ignored, missing, warn, expected);
    }

    /**
     * The feature columns a file must have, by its header's names, in any order: a model's columns
     * ({@code SavedModel.csvReader()} sets them). A header without one of them is refused at the header line, naming
     * them, before any row is read. A column that is none of them (nor the label column nor an ignored one) is read
     * as numbers as before, such as a regression's target to take out with {@link Table#withoutColumn}; a text value
     * in it is refused with the advice to read it as the class column or leave it out, rather than the advice to
     * one-hot encode it, which a text column among the expected ones gets. Checked only against a header line
     * ({@code withHeader(true)}): a file without one has no names to check.
     *
     * @param names the columns, as stripped header names (a categorical column by its own name, not its one-hot
     *              columns'); null for no check (the default)
     * @return a changed copy
     */
    public CsvReader withExpectedColumns(List<String> names) {
        List<String> copy = names == null ? null : List.copyOf(names);
        return new CsvReader(header, delimiter, labelColumn, labelColumnName, textLabels, nonFinite, categorical,
                ignored, missing, classWarnings, copy);
    }

    /**
     * Reads these header columns as text categories, each one becoming one-hot columns in its place: one per
     * distinct value, named {@code column=value}, sorted (by value when every value is a number, else by text).
     * A value is its exact text; an empty one is an error. Needs {@link #withHeader withHeader(true)}.
     *
     * @param names header names of feature columns (not the label's)
     * @return a reader with these columns added to its categorical ones, their categories taken from the file
     * @throws IllegalArgumentException for a blank name or one given twice
     */
    public CsvReader withCategoricalColumns(String... names) {
        Objects.requireNonNull(names, "names");
        Map<String, List<String>> m = new LinkedHashMap<>(categorical);
        for (String name : names) {
            String n = categoricalName(name);
            if (m.containsKey(n)) {
                throw new IllegalArgumentException("categorical column '" + n + "' is named twice");
            }
            m.put(n, null);
        }
        return withCategorical(m);
    }

    /**
     * Reads this header column as categories fixed in advance: a trained model's
     * ({@link Table#categories()} of the file it trained on), so that its one-hot columns come out the same, in the
     * same order. Any other value in the file is an error naming it, its line and the categories.
     *
     * @param name       a feature column's header name
     * @param categories its categories, in their columns' order
     * @return a reader with this column's categories set
     * @throws IllegalArgumentException for a blank name, no categories, or a blank or repeated category
     */
    public CsvReader withCategories(String name, List<String> categories) {
        String n = categoricalName(name);
        Objects.requireNonNull(categories, "categories");
        if (categories.isEmpty()) {
            throw new IllegalArgumentException("categorical column '" + n + "' needs at least one category");
        }
        Set<String> distinct = new HashSet<>();
        for (String c : categories) {
            if (c == null || c.isEmpty() || !distinct.add(c)) {
                throw new IllegalArgumentException("categorical column '" + n + "': "
                        + (c == null || c.isEmpty() ? "an empty category" : "category '" + c + "' given twice"));
            }
        }
        Map<String, List<String>> m = new LinkedHashMap<>(categorical);
        m.put(n, List.copyOf(categories));
        return withCategorical(m);
    }

    /** A categorical column's name as given, stripped; refused when blank. */
    private static String categoricalName(String name) {
        String n = Objects.requireNonNull(name, "a categorical column's name").strip();
        if (n.isEmpty()) {
            throw new IllegalArgumentException("a categorical column's name is blank");
        }
        return n;
    }

    /** This reader with {@code categorical} as its categorical columns. */
    private CsvReader withCategorical(Map<String, List<String>> categorical) {
        requireNotBoth(categorical.keySet(), ignored.keySet());
        return new CsvReader(header, delimiter, labelColumn, labelColumnName, textLabels, nonFinite,
                Collections.unmodifiableMap(categorical), ignored, missing, classWarnings, expected);
    }

    /**
     * Leaves these header columns out of the table: they are neither read as numbers nor kept, so an identifier
     * ({@code C0042}), a date or a free-text note beside the features needs no editing of the file, as
     * pandas' {@code drop(columns=...)} does after a read. A column that counts the rows is worth leaving out too:
     * sorted by class, it predicts the class on its own. Needs {@link #withHeader withHeader(true)}; the read
     * refuses a name the header lacks or has twice, and the label column.
     *
     * @param names header names of columns that are not features (surrounding spaces ignored)
     * @return a reader with these columns added to its ignored ones
     * @throws IllegalArgumentException for a blank name, one given twice, or a categorical column
     */
    public CsvReader withIgnoredColumns(String... names) {
        return withIgnored(names, true);
    }

    /**
     * {@link #withIgnoredColumns} for names the header may lack, as pandas' {@code drop(columns=..., errors="ignore")}:
     * the columns a model was trained without, left out of a file to predict that may or may not carry them. A file
     * read without a header has none of them.
     *
     * @param names header names of columns that are not features, when the header has them
     * @return a reader with these columns added to its ignored ones
     * @throws IllegalArgumentException for a blank name, one given twice, or a categorical column
     */
    public CsvReader withIgnoredColumnsIfPresent(String... names) {
        return withIgnored(names, false);
    }

    private CsvReader withIgnored(String[] names, boolean required) {
        Objects.requireNonNull(names, "names");
        Map<String, Boolean> m = new LinkedHashMap<>(ignored);
        for (String name : names) {
            String n = Objects.requireNonNull(name, "an ignored column's name").strip();
            if (n.isEmpty()) {
                throw new IllegalArgumentException("an ignored column's name is blank");
            }
            if (m.put(n, required) != null) {
                throw new IllegalArgumentException("ignored column '" + n + "' is named twice");
            }
        }
        requireNotBoth(categorical.keySet(), m.keySet());
        return new CsvReader(header, delimiter, labelColumn, labelColumnName, textLabels, nonFinite, categorical,
                Collections.unmodifiableMap(m), missing, classWarnings, expected);
    }

    /** Refuses a column both read as categories and left out: one of the two calls is a mistake. */
    private static void requireNotBoth(Set<String> categorical, Set<String> ignored) {
        for (String name : ignored) {
            if (categorical.contains(name)) {
                throw new IllegalArgumentException("column '" + name + "' is both categorical and ignored; a "
                        + "categorical column is read as features, an ignored one is left out");
            }
        }
    }

    /**
     * Reads a file (gzipped or not; a pipe such as {@code /dev/stdin} too); errors name the file by its name.
     *
     * @param file a {@code .csv} or {@code .csv.gz} file
     * @return the parsed table
     * @throws InvalidDataException for content that cannot be read as this reader's table, naming line and column
     * @throws java.io.UncheckedIOException if the file cannot be read (missing, unreadable), naming it
     */
    public Table read(Path file) {
        Table[] table = new Table[1];
        readFile(file, WHOLE, part -> table[0] = part);
        return table[0];
    }

    /**
     * Reads a file a part at a time, handing each part to {@code part} as a {@link Table} of at most {@code partRows}
     * rows, in file order: only one part's values are held at once, so a file larger than the heap can be predicted
     * or scored (a whole {@link #read(Path) read} holds about 20 bytes per value at its peak). Everything else is
     * {@code read}'s: the parsing and its checks, gzip and the UTF-16 and binary sniffing, and every error message,
     * whose line numbers count from the file's start (a bad value in the tenth part names its line in the file);
     * "no data rows" only when the whole file has none. A gzip file cut short is refused as {@code read} refuses it,
     * the rows before the cut counted over the file.
     *
     * <p>What differs from a whole read:
     * <ul>
     *   <li>Categorical columns need their categories fixed in advance ({@link #withCategories}, a trained model's):
     *       categories taken from the file would be each part's own, and so would its one-hot columns. A column
     *       named by {@link #withCategoricalColumns} alone is refused.</li>
     *   <li>Text labels ({@link #withTextLabels}) are each part's own: a part's {@link Table#classNames()} are the
     *       distinct texts its rows hold, in the order first seen, so that class 0 of one part may be class 2 of the
     *       next. Match them across parts by name, then by value ({@link ClassLookup}, a model's
     *       {@code SavedModel.classesOf}), not by index. Two spellings of one number ({@code 1}, {@code 1.0}) stay
     *       two names in a part, where a whole read of numbers alone makes them one class: a part cannot know whether
     *       the file also holds text labels, which keep them apart.</li>
     *   <li>The reader's warnings (a column float32 flattens, in the file's first rows; classes that differ only in
     *       case, or that other tools write for a missing value; such categories) are logged once for the file,
     *       after its last row, not once per part. The classes they look at are the file's: the distinct label texts
     *       that could be such classes, up to 65,536 of them.</li>
     *   <li>A part handed over stays handed over when a later one fails: a caller that must not act on part of a
     *       file (print half its predictions) keeps what it needs and acts once this returns. The last part is
     *       handed over only after the file's end is read whole, its checks passed and its warnings logged.</li>
     * </ul>
     * Each part's arrays are its own: {@code part} may keep them. An exception {@code part} throws ends the read and
     * reaches the caller as it is.
     *
     * @param file     a {@code .csv} or {@code .csv.gz} file
     * @param partRows the most rows of one part, at least 1 (every part but the last has exactly this many)
     * @param part     called with each part in turn, never with an empty one
     * @return the file's data rows, all parts together
     * @throws IllegalArgumentException if {@code partRows} is below 1
     * @throws IllegalStateException if a categorical column's categories are not fixed ({@link #withCategories})
     * @throws InvalidDataException for content that cannot be read as this reader's table, naming line and column
     * @throws java.io.UncheckedIOException if the file cannot be read (missing, unreadable, cut short), naming it
     */
    public long readParts(Path file, int partRows, Consumer<Table> part) {
        requireParts(partRows, part);
        try {
            return readFile(file, partRows, part);
        } catch (PartFailed e) {
            throw e.getCause();
        }
    }

    /** {@link #read(Path)} and {@link #readParts(Path, int, Consumer)}: opens the file and reads its stream. */
    private long readFile(Path file, int partRows, Consumer<Table> part) {
        Objects.requireNonNull(file, "file");
        boolean regular = Files.isRegularFile(file);
        // A pipe is named by its whole path (/dev/fd/63 says more than 63).
        String source = file.getFileName() == null || !regular ? file.toString() : file.getFileName().toString();
        // A pipe (/dev/stdin, a shell's <(zcat f.csv.gz)) through FileInputStream: the channel stream that
        // Files.newInputStream gives asks a pipe for its size and position, which fails ("Illegal seek").
        try (InputStream in = regular ? Files.newInputStream(file)
                : new FileInputStream(file.toFile())) {
            return readStream(in, source, partRows, part);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + problem(e), e);
        }
    }

    /**
     * Refuses a read in parts that cannot be one: fewer than one row a part, or a categorical column whose
     * categories would be each part's own.
     */
    private void requireParts(int partRows, Consumer<Table> part) {
        Objects.requireNonNull(part, "part");
        if (partRows < 1) {
            throw new IllegalArgumentException("partRows must be at least 1, got " + partRows);
        }
        for (Map.Entry<String, List<String>> c : categorical.entrySet()) {
            if (c.getValue() == null) {
                throw new IllegalStateException("categorical column '" + c.getKey() + "' takes its categories from "
                        + "the file, which a read in parts cannot do (each part would find its own, and one-hot "
                        + "columns of its own): fix them with withCategories, e.g. the trained model's");
            }
        }
    }

    /**
     * The names in a file's first line, as this reader splits them (its delimiter; quoted names unquoted, blanks around
     * the others stripped), without reading its rows: where each column is in the file, before the reader leaves some
     * out ({@link #withIgnoredColumns}) or turns one into several ({@link #withCategoricalColumns}), for a column given
     * by its position. Reads the first line only, so a pipe loses it: read a regular file.
     *
     * @param file a {@code .csv} or {@code .csv.gz} file whose first line holds column names
     * @return the names, in file order (an empty one as {@code Unnamed: j}, its 0-based position, as pandas names it)
     * @throws InvalidDataException if the file is empty
     * @throws java.io.UncheckedIOException if the file cannot be read, naming it
     */
    public List<String> header(Path file) {
        Objects.requireNonNull(file, "file");
        String source = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        try (InputStream raw = Files.newInputStream(file)) {
            BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
            in.mark(2);
            boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
            in.reset();
            InputStream body = gzip ? new GZIPInputStream(in, 1 << 16) : in;
            CsvRecords records = new CsvRecords(new InputStreamReader(body, StandardCharsets.UTF_8), delimiter, source);
            if (!records.next()) {
                throw new InvalidDataException(source + " is empty");
            }
            return List.of(headerNames(records.fields()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + problem(e), e);
        }
    }

    /**
     * The names a header line's fields are read as: each as it is, but an empty one (blanks at most), which is named
     * {@code Unnamed: j} by its 0-based position, as pandas' {@code read_csv} names it ({@code Unnamed: j.1} where the
     * header has that name already): the first column of {@code DataFrame.to_csv()}'s default output, its index, has
     * no name, and without one it could be neither ignored nor chosen as the label. For a program that reads a header
     * itself and names its columns as this reader does.
     *
     * @param fields the header line's fields, unquoted
     * @return the names, a new array
     */
    public static String[] headerNames(String... fields) {
        Objects.requireNonNull(fields, "fields");
        String[] names = fields.clone();
        Set<String> taken = new HashSet<>();
        for (String f : fields) {
            taken.add(f.strip());
        }
        for (int j = 0; j < names.length; j++) {
            if (names[j].isBlank()) {
                // A header that has the name already (pandas' own output read back and written again: ",Unnamed:
                // 0,a") gets pandas' next one, Unnamed: 0.1, not a second column of the same name.
                String name = "Unnamed: " + j;
                for (int k = 1; taken.contains(name); k++) {
                    name = "Unnamed: " + j + "." + k;
                }
                taken.add(name);
                names[j] = name;
            }
        }
        return names;
    }

    /**
     * Reads a stream (gzipped or not, UTF-8 text); {@code source} names it in errors. Closes nothing.
     * Input that is UTF-16, UTF-32 or binary is refused from its first bytes.
     *
     * @param in the bytes to parse
     * @param source the name used in error messages
     * @return the parsed table
     */
    public Table read(InputStream in, String source) {
        Table[] table = new Table[1];
        readStream(in, source, WHOLE, part -> table[0] = part);
        return table[0];
    }

    /**
     * {@link #readParts(Path, int, Consumer)} for a stream (gzipped or not, UTF-8 text); {@code source} names it in
     * errors. Closes nothing.
     *
     * @param in       the bytes to parse
     * @param source   the name used in error messages
     * @param partRows the most rows of one part, at least 1
     * @param part     called with each part in turn
     * @return the stream's data rows, all parts together
     * @throws IllegalArgumentException if {@code partRows} is below 1
     * @throws IllegalStateException if a categorical column's categories are not fixed ({@link #withCategories})
     */
    public long readParts(InputStream in, String source, int partRows, Consumer<Table> part) {
        requireParts(partRows, part);
        try {
            return readStream(in, source, partRows, part);
        } catch (PartFailed e) {
            throw e.getCause();
        }
    }

    /** {@link #read(InputStream, String)} and its parts: gzip, the sniffing of the first bytes, UTF-8. */
    private long readStream(InputStream in, String source, int partRows, Consumer<Table> part) {
        Objects.requireNonNull(in, "in");
        try {
            BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
            buffered.mark(2);
            int b0 = buffered.read();
            int b1 = buffered.read();
            buffered.reset();
            boolean gzip = b0 == 0x1f && b1 == 0x8b;
            CutShort unzipped = gzip ? new CutShort(new GZIPInputStream(buffered, 1 << 16)) : null;
            BufferedInputStream body = gzip ? new BufferedInputStream(unzipped, 1 << 16) : buffered;
            byte[] head = new byte[4096];
            body.mark(head.length);
            int count = body.readNBytes(head, 0, head.length);
            body.reset();
            String problem = TextSniffer.problem(head, count);
            if (problem != null) {
                // The conversion hint only where one is the remedy: an archive says how to unpack it.
                String advice = problem.startsWith("UTF-") ? "; CSV input must be UTF-8 or ASCII text (convert it, "
                        + "e.g. iconv -f " + problem.substring(0, 6) + " -t UTF-8)"
                        : problem.startsWith("binary") ? "; CSV input must be UTF-8 or ASCII text" : "";
                throw new InvalidDataException(source + (gzip ? " (gzipped)" : "") + " is " + problem + advice);
            }
            // Bytes that are not UTF-8 become U+FFFD, which CsvRecords refuses with its line and column (a
            // reporting decoder would fail a whole buffer ahead, at the wrong line).
            CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            try {
                // The end checked before the last part is handed over: rows before a cut are counted, not used.
                return parse(new InputStreamReader(body, utf8), source, partRows, part, rows -> {
                    if (unzipped != null && unzipped.cut != null) {
                        throw new UncheckedIOException("cannot read " + source + ": " + problem(unzipped.cut)
                                + ", after " + rows + " rows", unzipped.cut);
                    }
                });
            } catch (InvalidDataException e) {
                if (unzipped != null && unzipped.cut != null) {   // the last line cut short, read as a bad row
                    throw new UncheckedIOException("cannot read " + source + ": " + problem(unzipped.cut)
                            + (unzipped.bytesRead == 0 ? ", before any of its data (a damaged gzip file?)"
                            : "; its last line, cut short, reads as: " + e.getMessage()), unzipped.cut);
                }
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + ": " + problem(e), e);
        }
    }

    /**
     * A gzip stream whose early end reads as the end, remembered: the decoder then hands over every character
     * before it, so the rows before the cut are parsed and counted, and the error says where the data stop. (The
     * exception thrown through the decoder would lose a buffer of characters, and report line 1 of a file whose
     * first thousand lines were whole.)
     */
    private static final class CutShort extends java.io.FilterInputStream {
        /** Set when the data ended early. */
        EOFException cut;
        /** The bytes read before it ended: none means the cut came before any data. */
        long bytesRead;

        CutShort(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                int b = cut != null ? -1 : super.read();
                bytesRead += b >= 0 ? 1 : 0;
                return b;
            } catch (EOFException e) {
                cut = e;
                return -1;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                int n = cut != null ? -1 : super.read(b, off, len);
                bytesRead += Math.max(n, 0);
                return n;
            } catch (EOFException e) {
                cut = e;
                return -1;
            }
        }
    }

    /**
     * Reads text; {@code source} names it in errors. Closes nothing.
     *
     * @param reader the text to parse
     * @param source the name used in error messages
     * @return the parsed table
     */
    public Table read(Reader reader, String source) {
        Table[] table = new Table[1];
        parse(reader, source, WHOLE, part -> table[0] = part, null);
        return table[0];
    }

    /**
     * {@link #readParts(Path, int, Consumer)} for text; {@code source} names it in errors. Closes nothing.
     *
     * @param reader   the text to parse
     * @param source   the name used in error messages
     * @param partRows the most rows of one part, at least 1
     * @param part     called with each part in turn
     * @return the text's data rows, all parts together
     * @throws IllegalArgumentException if {@code partRows} is below 1
     * @throws IllegalStateException if a categorical column's categories are not fixed ({@link #withCategories})
     */
    public long readParts(Reader reader, String source, int partRows, Consumer<Table> part) {
        requireParts(partRows, part);
        try {
            return parse(reader, source, partRows, part, null);
        } catch (PartFailed e) {
            throw e.getCause();
        }
    }

    /** The part size of a whole read: one part, the file. */
    private static final int WHOLE = Integer.MAX_VALUE;

    /**
     * The most distinct label texts a read in parts keeps for its warnings of look-alike and missing-like classes:
     * those that could be such a class (text, or a number spelt with a letter, {@code 1e5}), not the plain numbers of
     * a regression's target, which may be as many as its rows.
     */
    static final int WARNED_LABELS = 1 << 16;

    /** The one parser of every read: the whole text in one part ({@link #WHOLE}), or in parts. */
    private long parse(Reader reader, String source, int partRows, Consumer<Table> part, LongConsumer atEnd) {
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(source, "source");
        return new Parse(source, partRows, part).run(new CsvRecords(reader, delimiter, source), atEnd);
    }

    /**
     * An exception the caller's part callback threw, carried through this reader's own handlers (which would take a
     * caller's {@link InvalidDataException} for the file's, and a gzip file's cut for its cause) to the caller.
     */
    private static final class PartFailed extends RuntimeException {
        PartFailed(RuntimeException cause) {
            super(cause);
        }

        @Override
        public synchronized RuntimeException getCause() {
            return (RuntimeException) super.getCause();
        }
    }

    /**
     * One read's state: what the header line settled (kept for the whole file), and the part being filled.
     */
    private final class Parse {
        private final String source;
        private final int partRows;
        private final Consumer<Table> sink;
        /** The header's names, an empty one named by its position ({@link #headerNames}); null without a header. */
        private String[] names;
        /** The header line's fields as written, for telling the header line repeated below it. */
        private String[] headerFields;
        private int fields = -1;
        private int firstLine = -1;
        private int labelIndex = -1;
        private CategoricalColumns categories;
        private boolean[] left;   // the ignored columns, by file column; null for none
        private int leftOut;
        private Float32Collapse collapse;   // numeric columns' first rows, in double precision too
        /** Data rows read so far, all parts together. */
        private long total;
        // The part being filled.
        private FloatBlocks values;
        private int[] labels;
        private String[] labelTexts;
        private int rows;
        /** For a read in parts' warnings: the distinct label texts that could be look-alike or missing-like classes. */
        private java.util.LinkedHashSet<String> warnedLabels;
        /** Whether a label of the file is not a number (its classes are then texts, not values). */
        private boolean textClass;
        /** The last part's class names (a whole read's, for its warnings) and categories (for the file's). */
        private String[] lastClassNames;
        /** A whole read's warning of one number spelt two ways among its labels, or null. */
        private String numberSpellings;
        private Map<String, List<String>> lastCategories = Map.of();

        Parse(String source, int partRows, Consumer<Table> sink) {
            this.source = source;
            this.partRows = partRows;
            this.sink = sink;
        }

        private void newPart() {
            values = new FloatBlocks();
            labels = labelColumn == NO_LABEL || textLabels ? null : new int[64];
            labelTexts = labelColumn != NO_LABEL && textLabels ? new String[64] : null;
            rows = 0;
        }

        long run(CsvRecords records, LongConsumer atEnd) {
            newPart();
            try {
                while (records.next()) {
                    int lineNo = records.recordLine();
                    int n = records.size();
                    if (fields < 0) {
                        if (header(records, lineNo, n)) {
                            continue;
                        }
                    } else if (n != fields) {
                        throw new InvalidDataException(source + " line " + lineNo + " has " + n
                                + (n == 1 ? " column, '" + abbreviate(records.field(0)) + "'," : " columns,")
                                + " expected " + fields + " as on line " + firstLine);
                    }
                    requireNotBlankOrHeader(records, headerFields, source, lineNo);
                    if (rows == partRows) {   // a full part goes once a row follows it: the last waits for the end
                        Table full = finishPart();
                        logPart(full);
                        handOver(full);
                        newPart();
                    }
                    row(records, lineNo, n);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + source + " (at line " + records.line() + "): "
                        + problem(e), e);
            }
            if (fields < 0 || total == 0) {
                throw new InvalidDataException(source + ": no data rows" + (fields >= 0 ? " after the header" : ""));
            }
            Table last = finishPart();
            warn();
            logPart(last);
            if (atEnd != null) {
                atEnd.accept(total);
            }
            handOver(last);
            return total;
        }

        /**
         * The file's first record: settles the columns (and the label's, the ignored and the categorical ones).
         *
         * @return whether it was the header line, not data
         */
        private boolean header(CsvRecords records, int lineNo, int n) {
            if (n == 1) {
                requireNoOtherDelimiter(records.field(0), source, lineNo);
            }
            fields = n;
            firstLine = lineNo;
            if (header) {
                headerFields = records.fields();
                names = headerNames(headerFields);   // before the label, which may be named so
            }
            if (labelColumn == BY_NAME) {
                labelIndex = columnNamed(labelColumnName, names, source, lineNo);
            } else if (labelColumn != NO_LABEL) {
                labelIndex = labelColumn < 0 ? fields + labelColumn : labelColumn;
                if (labelIndex < 0 || labelIndex >= fields) {
                    throw new InvalidDataException(source + " line " + lineNo + ": label column "
                            + labelColumn + " does not exist in a line of " + columnRange(fields));
                }
            }
            if (labelIndex >= 0 && fields == 1) {
                throw new InvalidDataException(source + " line " + lineNo
                        + ": the only column is the label column, which leaves no features");
            }
            if (!categorical.isEmpty() && !header) {
                throw new InvalidDataException(source + ": categorical columns are named by the header line, "
                        + "which needs withHeader(true)");
            }
            if (ignored.containsValue(true) && !header) {
                throw new InvalidDataException(source + ": ignored columns are named by the header line, "
                        + "which needs withHeader(true)");
            }
            if (!header) {
                return false;
            }
            left = ignoredColumns(names, labelIndex, source, lineNo);
            for (int j = 0; left != null && j < fields; j++) {
                leftOut += left[j] ? 1 : 0;
            }
            if (leftOut > 0 && leftOut == (labelIndex >= 0 ? fields - 1 : fields)) {
                throw new InvalidDataException(source + " line " + lineNo + ": every feature column is "
                        + "ignored, which leaves no features");
            }
            if (expected != null) {
                requireExpectedColumns(lineNo);
            }
            if (!categorical.isEmpty()) {
                categories = CategoricalColumns.resolve(categorical, names, labelIndex, source, lineNo);
            }
            return true;
        }

        /** Refuses a header that lacks an expected column. */
        private void requireExpectedColumns(int lineNo) {
            java.util.Set<String> present = new java.util.HashSet<>();
            for (int j = 0; j < fields; j++) {
                present.add(names[j].strip());
                // A model saved before empty names were named (Unnamed: j) expects the empty name itself.
                present.add(headerFields[j].strip());
            }
            List<String> lacking = new java.util.ArrayList<>();
            for (String name : expected) {
                if (!present.contains(name)) {
                    lacking.add(name);
                }
            }
            if (!lacking.isEmpty()) {
                throw new InvalidDataException(source + " line " + lineNo + ": no column "
                        + QuotedNames.of(lacking) + " (expected: " + QuotedNames.of(expected) + ")");
            }
        }

        /** Parses one data record into the part. */
        private void row(CsvRecords records, int lineNo, int n) {
            int features = (labelIndex >= 0 ? fields - 1 : fields) - leftOut;
            // Column names read as data fail on the first record: its errors say how to read them instead.
            boolean mayBeHeader = !header && total == 0;
            values.reserve(categories == null ? features : features - categories.count(), source, lineNo);
            char[] text = records.chars();
            for (int j = 0; j < n; j++) {
                if (left != null && left[j]) {
                    continue;   // not parsed at all: an identifier or a note may hold any text
                }
                if (j == labelIndex && labelTexts != null) {
                    if (rows == labelTexts.length) {
                        labelTexts = Arrays.copyOf(labelTexts, rows * 2);
                    }
                    // Stripped as the header's names are: a quoted " setosa" is the class setosa, not another.
                    String label = records.field(j).strip();
                    if (label.isEmpty()) {
                        throw new InvalidDataException(where(source, lineNo, j + 1) + "empty label" + MISSING_HINT);
                    }
                    if (nonFiniteWord(label.strip()) != 0f) {
                        // numpy writes a missing value as nan: read as text, it became a class of its own.
                        throw new InvalidDataException(where(source, lineNo, j + 1) + "label '" + label.strip()
                                + "' is a number that is not finite, not a class" + MISSING_HINT);
                    }
                    labelTexts[rows] = label;
                } else if (j == labelIndex) {
                    if (rows == labels.length) {
                        labels = Arrays.copyOf(labels, (int) Math.min(rows * 2L, HostMemory.MAX_ARRAY_ELEMENTS));
                    }
                    labels[rows] = parseLabel(records.field(j), source, lineNo, j + 1, mayBeHeader,
                            labelColumn == BY_NAME ? labelColumnName : names != null ? names[j].strip() : null);
                } else if (categories != null && categories.has(j)) {
                    String category = records.field(j);
                    if (missing && isMissing(category)) {
                        categories.addMissing(j, rows);   // all zero in its one-hot columns, as pandas' get_dummies
                    } else {
                        categories.add(j, category, rows, lineNo);
                    }
                } else {
                    float value = DecimalText.parse(text, records.start(j), records.end(j));
                    if (value != value) {
                        value = parseNumberOrSay(records.field(j), lineNo, j, mayBeHeader);
                    }
                    values.add(value);
                    if (total < Float32Collapse.ROWS) {
                        if (collapse == null) {
                            collapse = new Float32Collapse(n);
                        }
                        collapse.add(j, value, text, records.start(j), records.end(j));
                    }
                }
            }
            rows++;
            total++;
        }

        /** The part read so far as a table; its values are let go of here. */
        private Table finishPart() {
            int featureCount = (labelIndex >= 0 ? fields - 1 : fields) - leftOut;
            // The columns that are not features: the label's and the ignored ones.
            boolean[] notFeature = left != null ? left.clone() : new boolean[fields];
            if (labelIndex >= 0) {
                notFeature[labelIndex] = true;
            }
            String[] featureNames = null;
            String labelName = labelIndex >= 0 && names != null ? names[labelIndex] : null;
            if (names != null) {
                featureNames = new String[featureCount];
                for (int j = 0, k = 0; j < fields; j++) {
                    if (!notFeature[j]) {
                        featureNames[k++] = names[j];
                    }
                }
            }
            String[] classNames = null;
            int[] partLabels = labels;
            if (labelTexts != null) {
                java.util.LinkedHashSet<String> distinct = distinctTexts(labelTexts, rows);
                // A part names each text as a class of its own, in the order first seen: merged by value, as a whole
                // read merges a file of numbers only, 1 and 1.0 would become one class in a part without the text
                // label that keeps them apart in the file (a model's classes 1, 1.0 and cat).
                classNames = partRows == WHOLE ? classNames(distinct) : distinct.toArray(new String[0]);
                if (classWarnings && partRows != WHOLE) {
                    noteLabels(distinct);   // what the file's class warnings look at, after its last part
                }
                if (classWarnings && partRows == WHOLE) {
                    numberSpellings = numberSpellings(distinct);
                }
                lastClassNames = classNames;
                partLabels = encode(labelTexts, rows, classNames);
            }
            float[] x = values.toArray();
            values = null;
            Map<String, List<String>> categoriesRead = Map.of();
            if (categories != null) {
                CategoricalColumns.Expanded e = categories.expand(x, rows, names, notFeature);
                x = e.values();
                featureNames = e.names();
                featureCount = featureNames.length;
                categoriesRead = e.categories();
                lastCategories = categoriesRead;
            }
            return new Table(source, x, featureCount, partLabels == null ? null : Arrays.copyOf(partLabels, rows),
                    featureNames, labelName, classNames, nonFinite || missing, categoriesRead, leftNames(names, left));
        }

        /**
         * Keeps a part's distinct label texts that the file's warnings look at: any that is not a number, and numbers
         * spelt with a letter ({@code 1e5} beside {@code 1E5}). Plain numbers are left out: they are neither alike in
         * case nor missing-like, and a regression's target has nearly as many as rows.
         */
        private void noteLabels(java.util.Set<String> distinct) {
            if (warnedLabels == null) {
                warnedLabels = new java.util.LinkedHashSet<>();
            }
            for (String text : distinct) {
                if (warnedLabels.contains(text)) {
                    continue;
                }
                boolean number = numericValue(text) != null;
                textClass |= !number;
                if ((!number || text.chars().anyMatch(Character::isLetter)) && warnedLabels.size() < WARNED_LABELS) {
                    warnedLabels.add(text);
                }
            }
        }

        /**
         * The file's warnings, once, after its last row: those of its first rows (float32), of its classes (read in
         * parts, from the texts {@link #noteLabels} kept: the file's classes are texts sorted by code point
         * when one is not a number; all numbers are one class per value, of which none is alike in case or
         * missing-like), and of its categories.
         */
        private void warn() {
            String flattened = collapse == null ? null : collapse.first(names);
            if (flattened != null) {
                LOG.warn("{}: {}", source, flattened);
            }
            if (labelTexts != null && classWarnings) {
                // Read in parts (even one), a part's names are its texts unmerged: the file's classes are judged
                // from the kept texts by the whole read's rule, so that 1e2 and 1E2, one number, are not "alike".
                String[] classNames = partRows == WHOLE ? lastClassNames : new String[0];
                if (partRows != WHOLE && textClass) {
                    classNames = warnedLabels.toArray(new String[0]);
                    Arrays.sort(classNames, CodePointOrder.TEXT);
                }
                String lookalike = lookalikeClasses(classNames);
                if (lookalike != null) {
                    LOG.warn("{}: {}", source, lookalike);
                }
                String missingLike = missingLikeClasses(classNames);
                if (missingLike != null) {
                    LOG.warn("{}: {}", source, missingLike);
                }
                if (numberSpellings != null) {
                    LOG.warn("{}: {}", source, numberSpellings);
                }
            }
            if (categories != null) {
                String missingLike = missing ? null : missingLikeCategories(lastCategories);
                if (missingLike != null) {
                    LOG.warn("{}: {}", source, missingLike);
                }
            }
        }

        private void logPart(Table part) {
            LOG.debug("Read {} rows x {} columns{}{} from {}", part.rows(), part.columns(),
                    labelIndex >= 0 ? " + labels" : "", leftOut > 0 ? ", " + leftOut + " ignored" : "", source);
        }

        private void handOver(Table part) {
            try {
                sink.accept(part);
            } catch (RuntimeException e) {
                throw new PartFailed(e);
            }
        }

        /**
         * {@link #parseNumber}, and for a word in the first data row under a header, which is a column of text
         * rather than a stray value, the options that read one ({@link #TEXT_COLUMN_HINT}).
         */
        private float parseNumberOrSay(String text, int lineNo, int j, boolean mayBeHeader) {
            try {
                return parseNumber(text, source, lineNo, j + 1, mayBeHeader);
            } catch (InvalidDataException e) {
                String m = e.getMessage();
                if (names == null || total > 0 || text.isEmpty() || !Character.isLetter(text.codePointAt(0))
                        || !m.endsWith("' is not a number")) {
                    throw e;
                }
                String name = names[j].strip();
                if (expected != null && !expected.contains(name) && !name.isEmpty()) {
                    // Not a feature: a class column or another to leave out, not categories to encode.
                    throw new InvalidDataException(m + " (column '" + name + "' is not among the expected ones: if it "
                            + "holds the class, read it with withLabelColumn(\"" + name + "\").withTextLabels(true); "
                            + "else leave it out with withIgnoredColumns(\"" + name + "\"))", e);
                }
                throw new InvalidDataException(m + TEXT_COLUMN_HINT + "withCategoricalColumns(\"" + name + "\") "
                        + "one-hot encodes it, withIgnoredColumns(\"" + name + "\") leaves it out)", e);
            }
        }
    }

    /**
     * What went wrong in a read, for a message: the exception's own text, or for the ones without (a gzip stream
     * cut off in its header throws a bare {@link EOFException}) what they mean.
     */
    private static String problem(IOException e) {
        // GZIPInputStream says "Unexpected end of ZLIB input stream" for a gzip file cut short.
        if (e instanceof EOFException) {
            return "the data ends early (a truncated or partly copied file?)";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** A date ({@code 2024-01-31}, {@code 31/01/2024}, {@code 31.01.24}), a time ({@code 14:05}), or both. */
    private static final java.util.regex.Pattern DATE_OR_TIME = java.util.regex.Pattern.compile(
            "(\\d{4}-\\d{1,2}-\\d{1,2}|\\d{1,2}[/.]\\d{1,2}[/.]\\d{2,4})([ T].*)?|\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d+)?)?");

    /**
     * Refuses two kinds of line that are not data and would otherwise fail at their first field as a value: one of
     * separators only ({@code ,,,,}, which spreadsheets write below their data), and the header line again (files
     * joined after their headers).
     */
    private static void requireNotBlankOrHeader(CsvRecords records, String[] names, String source, int lineNo) {
        int n = records.size();
        boolean blank = n > 1;
        for (int j = 0; j < n && blank; j++) {
            blank = records.end(j) == records.start(j);
        }
        if (blank) {
            throw new InvalidDataException(source + " line " + lineNo + " has no values, only " + (n - 1)
                    + " separators (a spreadsheet writes such lines below its data); delete it");
        }
        if (names == null || n != names.length || !fieldIs(records, 0, names[0].strip())) {
            return;   // every data line ends here, without a string made for it
        }
        for (int j = 1; j < n; j++) {
            if (!records.field(j).strip().equals(names[j].strip())) {
                return;
            }
        }
        throw new InvalidDataException(source + " line " + lineNo + " repeats the header line (files joined after "
                + "their headers?); delete it");
    }

    /** Whether field {@code j} of the record, blanks at its ends aside, is {@code text}: compared in place. */
    private static boolean fieldIs(CsvRecords records, int j, String text) {
        char[] chars = records.chars();
        int from = records.start(j);
        int to = records.end(j);
        while (from < to && Character.isWhitespace(chars[from])) {
            from++;
        }
        while (to > from && Character.isWhitespace(chars[to - 1])) {
            to--;
        }
        if (to - from != text.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (chars[from + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** What other tools write for a missing value. */
    private static final Set<String> MISSING_MARKERS =
            Set.of("?", "na", "n/a", "null", "none", "nil", "-", "--", "missing",
                    // pandas' others: Excel's errors and pandas' own NA as it writes it
                    "#n/a", "#n/a n/a", "#na", "<na>", "-1.#ind", "1.#ind", "-1.#qnan", "1.#qnan");
    /** The advice for a missing value: this reader has no notion of one. */
    private static final String MISSING_HINT = " (a missing value? fill it in or drop the row)";
    /** The advice for a missing feature value, which this reader can also read as NaN for an imputer. */
    private static final String MISSING_VALUE_HINT = " (a missing value? fill it in or drop the row, or read it as "
            + "NaN with withMissingValues(true) and fill it in with a SimpleImputer)";

    /** Header names an error lists before it says how many more there are. */
    static final int LISTED_NAMES = QuotedNames.SHOWN;

    /**
     * The first of {@code names[0..count)}, at most {@link #LISTED_NAMES}, comma-separated as given (a name that
     * holds a comma in single quotes, so that the list reads as its names), then how many more there are: how errors
     * list a header's names or a column's categories.
     */
    static String listedNames(String[] names, int count) {
        String[] listed = Arrays.copyOf(names, Math.min(count, LISTED_NAMES));
        for (int j = 0; j < listed.length; j++) {
            listed[j] = listed[j] != null && listed[j].indexOf(',') >= 0 ? "'" + listed[j] + "'" : listed[j];
        }
        return String.join(", ", listed) + (count > LISTED_NAMES ? " and " + (count - LISTED_NAMES) + " more" : "");
    }

    /** Separators other files use; a numeric CSV's values never hold them. */
    private static final char[] OTHER_DELIMITERS = {';', '\t', '|', ','};

    /**
     * A first line read as one field that holds another common separator is a file written with that separator
     * (a spreadsheet's {@code ;} in many locales, a tab-separated export): its numbers could only fail later, one
     * confusing message at a time, so it is refused here naming the separator to use.
     */
    private void requireNoOtherDelimiter(String field, String source, int lineNo) {
        if (field.matches("[-+]?[0-9]+,[0-9]+")) {
            return;   // a decimal comma, which the number's own error explains
        }
        for (char other : OTHER_DELIMITERS) {
            if (other != delimiter && field.indexOf(other) >= 0) {
                throw new InvalidDataException(source + " line " + lineNo + " is one field, '"
                        + abbreviate(field) + "', without " + (delimiter == ' ' ? "blanks" : "a '" + shown(delimiter)
                        + "'") + " between fields: the file may be separated by '" + shown(other)
                        + "' (withDelimiter('" + shown(other) + "'))");
            }
        }
    }

    /** A separator as messages quote it: a tab as {@code \t}. */
    private static String shown(char separator) {
        return separator == '\t' ? "\\t" : String.valueOf(separator);
    }

    /** The header column called {@code name}, or an error listing the header's names. */
    private int columnNamed(String name, String[] parts, String source, int lineNo) {
        if (!header) {
            throw new InvalidDataException(source + ": the label column is named '" + name
                    + "', which needs a header line (withHeader(true))");
        }
        List<Integer> matches = new ArrayList<>();
        StringBuilder names = new StringBuilder();
        for (int j = 0; j < parts.length; j++) {
            String column = parts[j].strip();
            if (column.equals(name)) {
                matches.add(j);
            }
            if (j < LISTED_NAMES) {
                names.append(j == 0 ? "" : ", ").append(abbreviate(column));
            }
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.size() > 1) {
            throw new InvalidDataException(source + " line " + lineNo + ": the label column '" + name + "' is not one "
                    + "column: the header names " + matches.size() + " columns so (0-based " + matches
                    + "); name the label column by its index instead");
        }
        Integer index = integer(name);
        if (index != null) {
            // No column of that name: a number is then the column's index, as without a header.
            int at = index < 0 ? parts.length + index : index;
            if (at >= 0 && at < parts.length) {
                return at;
            }
        }
        if (parts.length > LISTED_NAMES) {
            names.append(" and ").append(parts.length - LISTED_NAMES).append(" more");
        }
        throw new InvalidDataException(source + " line " + lineNo + ": no label column named '" + name
                + "'" + (index != null ? ", and " + index + " is not a column's index of its "
                + columnRange(parts.length) : "")
                + "; the header has " + names);
    }

    /**
     * The header columns this reader leaves out ({@link #withIgnoredColumns}), by file column; null for none.
     *
     * @throws InvalidDataException for a required name the header lacks, a name it has twice, or the label column
     */
    private boolean[] ignoredColumns(String[] names, int labelIndex, String source, int lineNo) {
        if (ignored.isEmpty()) {
            return null;
        }
        boolean[] left = new boolean[names.length];
        for (Map.Entry<String, Boolean> e : ignored.entrySet()) {
            String name = e.getKey();
            int column = headerColumn(names, name, source, lineNo);
            if (column < 0 && e.getValue()) {
                throw new InvalidDataException(source + " line " + lineNo + ": no column named '" + name
                        + "' to ignore; the header has " + listedStripped(names));
            }
            if (column >= 0 && column == labelIndex) {
                throw new InvalidDataException(source + ": '" + name + "' is the label column, which cannot also be "
                        + "ignored");
            }
            if (column >= 0) {
                left[column] = true;
            }
        }
        return left;
    }

    /** The stripped header names of the columns {@code left} marks, in file order; empty for none. */
    private static List<String> leftNames(String[] names, boolean[] left) {
        if (left == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int j = 0; j < left.length; j++) {
            if (left[j]) {
                out.add(names[j].strip());
            }
        }
        return List.copyOf(out);
    }

    /**
     * The one header column called {@code name} (the header's names stripped), or -1 when there is none.
     *
     * @throws InvalidDataException when the header names more than one column so
     */
    static int headerColumn(String[] header, String name, String source, int line) {
        int column = -1;
        for (int j = 0; j < header.length; j++) {
            if (header[j].strip().equals(name)) {
                if (column >= 0) {
                    throw new InvalidDataException(source + " line " + line + ": the header names more than one "
                            + "column '" + name + "'; give each column its own name");
                }
                column = j;
            }
        }
        return column;
    }

    /** {@link #listedNames} of the names stripped: a header's, a column's categories. */
    static String listedStripped(String[] names) {
        return listedNames(Arrays.stream(names).map(String::strip).toArray(String[]::new), names.length);
    }

    private static Integer integer(String text) {
        try {
            return Integer.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The warning for classes that differ only in case ({@code Yes} and {@code yes}), or null: most often one class
     * written two ways, which would train as two, each with part of its rows. Not refused: {@code a} and {@code A}
     * may be two classes.
     */
    static String lookalikeClasses(String[] classNames) {
        Map<String, String> byLowerCase = new java.util.HashMap<>();
        List<String> pairs = new ArrayList<>();
        for (String name : classNames) {
            String earlier = byLowerCase.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
            if (earlier != null && pairs.size() < 3) {
                pairs.add("'" + earlier + "' and '" + name + "'");
            }
        }
        return pairs.isEmpty() ? null : "the label classes " + String.join(", ", pairs) + " differ only in case, so "
                + "they train as different classes; if they are one class, write it one way in the file";
    }

    /**
     * The warning for labels that are one number written more ways than one ({@code 1} and {@code 1.0}, {@code 01}
     * and {@code 1}), or null. When every label is a number, each such group trains as one class, named as first
     * written: said, since codes ({@code 01} and {@code 1}) may be different classes. When some label is not a number,
     * every label is a text and each spelling a class of its own: said, since {@code 1} and {@code 1.0} written by two
     * programs are most often one class, kept apart by one text label such as {@code NA}.
     */
    static String numberSpellings(java.util.Set<String> distinct) {
        Map<java.math.BigDecimal, List<String>> byValue = new java.util.LinkedHashMap<>();
        String text = null;
        for (String name : distinct) {
            java.math.BigDecimal v = numericValue(name);
            if (v != null) {
                byValue.computeIfAbsent(v, k -> new ArrayList<>()).add(name);
            } else if (text == null) {
                text = name;
            }
        }
        List<String> groups = new ArrayList<>();
        int more = 0;
        for (List<String> spellings : byValue.values()) {
            if (spellings.size() > 1) {
                if (groups.size() < 3) {
                    String last = spellings.remove(spellings.size() - 1);
                    groups.add("'" + String.join("', '", spellings) + "' and '" + last + "'");
                } else {
                    more++;
                }
            }
        }
        if (groups.isEmpty()) {
            return null;
        }
        boolean one = groups.size() == 1 && more == 0;
        String which = "the labels " + String.join("; ", groups) + (more > 0 ? " (and " + more + " more)" : "")
                + (one ? " are one number" : " are each one number") + " written differently";
        return text == null
                ? which + ", so " + (one ? "they train" : "each group trains") + " as one class, named as first "
                + "written: if they are different classes (codes such as 01 and 1), write them so that they are not "
                + "numbers (a letter in front)"
                : which + ", but as the label '" + abbreviate(text) + "' is not a number every label is read as text, "
                + "and they train as different classes: if " + (one ? "they are one class" : "each group is one "
                + "class") + ", write it one way in the file";
    }

    /**
     * The warning for label classes that other tools write for a missing value ({@code NA}, {@code ?}, {@code null}:
     * pandas reads most of them as NaN, and scikit-learn then refuses the rows), or null: rows whose label is missing
     * would train as a class of their own, changing the class count and every figure. Not refused, as an empty label
     * or {@code nan} is: {@code NA} may be a class (North America), and {@code none} or {@code -} often are.
     */
    static String missingLikeClasses(String[] classNames) {
        List<String> found = new ArrayList<>();
        for (String name : classNames) {
            if (MISSING_MARKERS.contains(name.toLowerCase(Locale.ROOT))) {
                found.add("'" + name + "'");
            }
        }
        return found.isEmpty() ? null : "the label class" + (found.size() == 1 ? " " : "es ") + String.join(", ", found)
                + (found.size() == 1 ? " is" : " are") + " what other tools write for a missing value (pandas reads "
                + "it as NaN); here " + (found.size() == 1 ? "it trains as a class" : "each trains as a class")
                + " of its own: if those rows' labels are missing, fill them in or drop the rows";
    }

    /**
     * A warning for categories that other tools write for a missing value ({@code NA}, {@code ?}, {@code null}), read
     * without {@link #withMissingValues}: each then becomes a category of its own, where with it (the trainer's
     * {@code --impute}) it is a gap whose one-hot columns are all 0. Null when there are none.
     */
    static String missingLikeCategories(Map<String, List<String>> categories) {
        List<String> found = new ArrayList<>();
        categories.forEach((column, names) -> {
            for (String name : names) {
                if (MISSING_MARKERS.contains(name.strip().toLowerCase(Locale.ROOT))) {
                    found.add("'" + name + "' in column '" + column + "'");
                }
            }
        });
        return found.isEmpty() ? null : "the categor" + (found.size() == 1 ? "y " : "ies ") + String.join(", ", found)
                + (found.size() == 1 ? " is" : " are") + " what other tools write for a missing value; here "
                + (found.size() == 1 ? "it is a category" : "each is a category") + " of its own, with a one-hot "
                + "column: if those values are missing, read them as missing (withMissingValues(true), the trainer's "
                + "--impute), which leaves their one-hot columns all 0";
    }

    /**
     * The distinct label texts, sorted by text; or, when all are numbers, one class per distinct value, sorted
     * numerically and named by the value's first spelling in the file ({@code 1} and {@code 1.0} are one class, not
     * two: a file written by two programs spells its numbers differently).
     */
    private static String[] classNames(java.util.Set<String> distinct) {
        boolean numeric = true;
        for (String name : distinct) {
            numeric &= numericValue(name) != null;
        }
        if (!numeric) {
            String[] names = distinct.toArray(new String[0]);
            Arrays.sort(names, CodePointOrder.TEXT);   // as LabelEncoder, by code point
            return names;
        }
        java.util.TreeMap<java.math.BigDecimal, String> byValue = new java.util.TreeMap<>();
        for (String name : distinct) {
            byValue.putIfAbsent(numericValue(name), name);
        }
        return byValue.values().toArray(new String[0]);
    }

    /** The distinct texts of the first {@code rows} labels, in the order first seen. */
    private static java.util.LinkedHashSet<String> distinctTexts(String[] texts, int rows) {
        java.util.LinkedHashSet<String> distinct = new java.util.LinkedHashSet<>();
        for (int i = 0; i < rows; i++) {
            distinct.add(texts[i]);
        }
        return distinct;
    }

    /** The longest label read as a number ({@link #numericValue}); longer ones are text. */
    public static final int MAX_NUMBER_CHARS = 100;

    /**
     * A label's exact value when it is a finite number, as a map key: {@code 1}, {@code 1.0} and {@code 1e0} are
     * one, as are {@code -0} and {@code 0}; two integers beyond 2^53 (long codes, hashed ids) that a double would
     * round together stay apart. Java's literal spellings ({@code 2f}, {@code 1d}, {@code 0x1p3}) are text, as they
     * are not numbers in a feature column either: codes such as {@code 1d} and {@code 1f} are two classes. The one
     * reading of numeric labels, for this reader's classes and for callers that match labels against them.
     *
     * A label of more than {@value #MAX_NUMBER_CHARS} characters is text, whatever it spells: an exact decimal takes
     * time quadratic in its digits (a label of 1 followed by 10⁶ zeros took minutes), and no class is named so.
     *
     * @param text a label as written
     * @return its value, trailing zeros stripped, so that equal values are equal keys; null when {@code text} is not
     *         a finite number, or is longer than {@value #MAX_NUMBER_CHARS} characters
     */
    public static java.math.BigDecimal numericValue(String text) {
        String t = text.strip();
        if (t.length() > MAX_NUMBER_CHARS || t.isEmpty() || javaLiteralOnly(t)) {
            return null;
        }
        double d;
        try {
            d = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            return null;
        }
        if (!Double.isFinite(d)) {
            return null;
        }
        try {
            return new java.math.BigDecimal(t).stripTrailingZeros();
        } catch (NumberFormatException e) {
            return java.math.BigDecimal.valueOf(d).stripTrailingZeros();
        }
    }

    /**
     * Whether {@code Double.parseDouble} would read {@code t} only as a Java literal: a type suffix ({@code 1f},
     * {@code 2D}) or hexadecimal ({@code 0x1p3}), which CSV numbers do not have.
     */
    private static boolean javaLiteralOnly(String t) {
        char last = t.charAt(t.length() - 1);
        return last == 'f' || last == 'F' || last == 'd' || last == 'D' || t.indexOf('x') >= 0 || t.indexOf('X') >= 0;
    }

    private static int[] encode(String[] texts, int rows, String[] classNames) {
        java.util.HashMap<String, Integer> index = new java.util.HashMap<>();
        for (int c = 0; c < classNames.length; c++) {
            index.put(classNames[c], c);
        }
        java.util.HashMap<java.math.BigDecimal, Integer> byValue = null;
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            Integer c = index.get(texts[i]);
            if (c == null) {
                // Another spelling of a numeric class (1.0 beside 1): the classes are numbers, matched by value.
                if (byValue == null) {
                    byValue = new java.util.HashMap<>();
                    for (int k = 0; k < classNames.length; k++) {
                        byValue.put(numericValue(classNames[k]), k);
                    }
                }
                c = byValue.get(numericValue(texts[i]));
                index.put(texts[i], c);
            }
            labels[i] = c;
        }
        return labels;
    }

    /** Whether {@code text} is a missing value as {@link #withMissingValues} reads them. */
    /**
     * Whether a field's text is what {@link #withMissingValues} reads as a missing value: empty or blank, a marker
     * other tools write for one ({@code NA}, {@code ?}, {@code null}, {@code #N/A}, ...; any case), or {@code nan}.
     * For callers that take values from elsewhere (a record of a request) by this reader's rules.
     *
     * @param text a field as written
     * @return true when it stands for a missing value
     */
    public static boolean isMissingValue(String text) {
        return isMissing(Objects.requireNonNull(text, "text"));
    }

    private static boolean isMissing(String text) {
        String t = text.strip();
        // pandas' -nan and -NaN too, and +nan: a sign on NaN is none.
        return t.isEmpty() || MISSING_MARKERS.contains(t.toLowerCase(Locale.ROOT)) || t.equalsIgnoreCase("nan")
                || t.equalsIgnoreCase("-nan") || t.equalsIgnoreCase("+nan");
    }

    /**
     * A value that {@link DecimalText} left to {@code Float.parseFloat}: a non-finite word, a long or unusual
     * decimal, or not a number at all.
     */
    private float parseNumber(String text, String source, int line, int column, boolean mayBeHeader) {
        if (missing && isMissing(text)) {
            return Float.NaN;
        }
        float word = nonFiniteWord(text);
        if (word != 0f) {
            if (!nonFinite) {
                // numpy and pandas write a missing value as nan: said as one, with the ways to fill it in.
                throw new InvalidDataException(where(source, line, column) + "'" + abbreviate(text) + "' is "
                        + (Float.isNaN(word) ? "NaN; values must be finite numbers" + MISSING_VALUE_HINT
                        : "infinite; values must be finite numbers (CsvReader.withNonFiniteValues(true) reads them)"));
            }
            return word;
        }
        // Float.parseFloat would also accept Java literal suffixes ("1f", "2d") and hex; CSV numbers have neither.
        if (!text.isEmpty() && !javaLiteralOnly(text)) {
            float v;
            try {
                v = Float.parseFloat(text);
            } catch (NumberFormatException e) {
                throw notANumber(text, source, line, column, mayBeHeader, delimiter);
            }
            if (!Float.isFinite(v) && !nonFinite) {
                // The words NaN and Infinity were handled above: this is a number beyond float range.
                throw new InvalidDataException(where(source, line, column) + "'" + abbreviate(text)
                        + "' is beyond the float range (it would be " + v + "); values must be finite numbers "
                        + "(CsvReader.withNonFiniteValues(true) reads them)");
            }
            return v;
        }
        throw notANumber(text, source, line, column, mayBeHeader, delimiter);
    }

    /** NaN or ±infinity for the spellings other tools write ({@code nan}, {@code inf}, {@code -inf}), else 0. */
    private static float nonFiniteWord(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        boolean negative = t.startsWith("-");
        if (negative || t.startsWith("+")) {
            t = t.substring(1);
        }
        if (t.equals("nan")) {
            return Float.NaN;
        }
        if (t.equals("inf") || t.equals("infinity")) {
            return negative ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        }
        return 0f;
    }

    /**
     * A number whose digits are grouped in threes by a space, a no-break space (U+00A0, U+202F) or an apostrophe, as
     * French, SI and Swiss spellings write them, with a decimal comma or point: {@code 1 234,5}, {@code 1'234.5}.
     */
    private static final java.util.regex.Pattern SPACED_THOUSANDS = java.util.regex.Pattern.compile(
            "[-+]?[0-9]{1,3}([ '\u2019\u00A0\u202F][0-9]{3})+([.,][0-9]+)?");

    /**
     * The start of the hint for a word in the first data row of a column read as numbers: {@code " (a column of text?
     * withCategoricalColumns("color") one-hot encodes it, withIgnoredColumns("color") leaves it out)"}.
     */
    private static final String TEXT_COLUMN_HINT = " (a column of text? ";

    /** The reader's option that leaves out a column that is not a feature, named in messages of its values. */
    private static final String IGNORE_HINT = " (withIgnoredColumns)";

    private static InvalidDataException notANumber(String text, String source, int line, int column,
                                                   boolean mayBeHeader, char delimiter) {
        if (text.isEmpty()) {
            return new InvalidDataException(where(source, line, column) + "empty value, expected a number"
                    + (mayBeHeader && column == 1 ? "" : MISSING_VALUE_HINT) + headerHint(text, line, column,
                    mayBeHeader));
        }
        String hint = spellingHint(text, delimiter);
        return new InvalidDataException(where(source, line, column) + "'" + abbreviate(text) + "' is not a number"
                + hint + headerHint(text, line, column, mayBeHeader));
    }

    /**
     * Why a field's text is not a number, when it is a number spelled as a spreadsheet or a report spells it (a
     * decimal comma, a thousands separator, a currency or percent sign, a typographic minus sign, a no-break space),
     * a missing-value marker, or a date: the hint this reader's own refusal gives, for a message of one's own about a
     * text read elsewhere (a label column read as text, then as numbers).
     *
     * @param text the field as read, not a number by {@link #numericValue}
     * @return the hint in parentheses with a space before it, e.g. {@code " (a thousands separator? numbers have none:
     *         1234)"}; empty when the text is nothing of these
     */
    public static String notANumberHint(String text) {
        return spellingHint(Objects.requireNonNull(text, "text"), ',');
    }

    /** {@link #notANumberHint}, for a file whose fields {@code delimiter} separates (a decimal comma's advice). */
    private static String spellingHint(String text, char delimiter) {
        if (text.matches("[-+]?[0-9]+,[0-9]+")) {
            // Where the fields are not split by commas, every comma in the file is a decimal one: one command mends it.
            return " (a decimal comma? numbers use '.'" + (delimiter == ',' ? ")"
                    : "; in a file whose fields '" + delimiter + "' separates, tr ',' '.' < IN > OUT turns them into "
                    + "points)");
        } else if (MISSING_MARKERS.contains(text.toLowerCase(Locale.ROOT))) {
            return MISSING_VALUE_HINT;
        } else if (DATE_OR_TIME.matcher(text).matches()) {
            return " (a date or a time? a network takes numbers: turn it into one, such as days since a start or the "
                    + "hour, or leave the column out" + IGNORE_HINT + ")";
        } else if (text.matches("[-+]?[0-9]{1,3}(,[0-9]{3})+(\\.[0-9]*)?")) {
            return " (a thousands separator? numbers have none: " + text.replace(",", "") + ")";
        } else if (SPACED_THOUSANDS.matcher(text).matches()) {
            // French, Swiss and SI spellings (1 234,5; 1'234.5): the groups' marks go, a decimal comma becomes '.'.
            return " (a thousands separator? numbers have none: " + text.replaceAll("[ '\u2019\u00A0\u202F]", "")
                    .replace(',', '.') + ")";
        } else if (text.matches("[-+]?[$€£¥]\\s*[0-9.,]+|[0-9.,]+\\s*[%$€£¥]")) {
            return " (a currency or percent sign? numbers are bare: " + text.replaceAll("[^0-9.,+-]", "") + ")";
        } else if (text.indexOf('\u2212') >= 0) {
            return " (U+2212, a typographic minus sign? numbers use '-')";
        } else if (text.indexOf('\u00A0') >= 0) {
            return " (it holds a no-break space, U+00A0, which looks like a space; spreadsheets write it)";
        }
        return "";
    }

    /**
     * For a value of the first record that is not a number, when the reader was not told of a header: the hint
     * that the line may hold column names. Not for text that starts like a number ({@code 2f}, {@code 1,5}), a
     * mistyped value rather than a name; for an empty value only in column 1, where pandas writes the empty name
     * of its index column (elsewhere it is a missing value).
     */
    private static String headerHint(String text, int line, int column, boolean mayBeHeader) {
        boolean nameLike = text.isEmpty() ? column == 1 : "0123456789+-.".indexOf(text.charAt(0)) < 0;
        if (!mayBeHeader || !nameLike) {
            return "";
        }
        return "; if line " + line + " holds column names, read it as a header";
    }

    /**
     * An integer label; {@code name} is the label column's header name (null without one), for the hint that a
     * fractional number is a regression target, which {@link Table#toRegressionDataset} reads.
     */
    private int parseLabel(String text, String source, int line, int column, boolean mayBeHeader, String name) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            if (text.matches("[-+]?[0-9]+")) {
                throw new InvalidDataException(where(source, line, column) + "label " + abbreviate(text)
                        + " is beyond the range of integer labels (" + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE
                        + "); read the labels as text (withTextLabels(true)) to use them as class names");
            }
            // "3.0" is a fine label; "3.5" is not, nor Java's "3d" and hex, which no number in a CSV has
            float f = DecimalText.parse(text);
            if (f == Math.rint(f) && Math.abs(f) <= Integer.MAX_VALUE) {
                return (int) f;
            }
            if (Float.isFinite(f)) {
                // A measured value, not a class: the route for regression targets.
                throw new InvalidDataException(where(source, line, column) + "'" + abbreviate(text) + "' is not an "
                        + "integer label; for a continuous target (a regression), read it as a column (no label "
                        + "column) and take it out with toRegressionDataset("
                        + (name != null ? "\"" + name + "\"" : Integer.toString(column - 1)) + ")");
            }
        }
        throw new InvalidDataException(where(source, line, column)
                + (text.isEmpty() ? "empty label, expected an integer" + MISSING_HINT
                        : "'" + abbreviate(text) + "' is not an integer label")
                + headerHint(text, line, column, mayBeHeader));
    }

    private static String where(String source, int line, int column) {
        return source + " line " + line + ", column " + column + ": ";
    }

    /** At most 40 characters of {@code s}, with line breaks, tabs and other control characters made visible. */
    static String abbreviate(String s) {
        return dev.nnj.api.internal.Printable.of(s.length() <= 40 ? s : s.substring(0, 40) + "…");
    }

    @Override
    public String toString() {
        return "CsvReader[header=" + header + ", delimiter=" + (delimiter == ' ' ? "whitespace" : "'" + delimiter + "'")
                + ", labelColumn="
                + (labelColumn == NO_LABEL ? "none" : labelColumn == BY_NAME ? "'" + labelColumnName + "'"
                : Integer.toString(labelColumn)) + (textLabels ? ", text labels" : "")
                + (nonFinite ? ", non-finite values read" : "") + (missing ? ", missing values read as NaN" : "")
                + (categorical.isEmpty() ? "" : ", categorical=" + categorical.keySet())
                + (ignored.isEmpty() ? "" : ", ignored=" + ignored.keySet()) + "]";
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
        private final boolean nonFinite;
        private final Map<String, List<String>> categories;
        /** The columns the read left out ({@link #withIgnoredColumns}), as the header names them, in file order. */
        private final List<String> ignoredColumns;

        Table(String source, float[] values, int columns, int[] labels, String[] columnNames, String labelName,
              String[] classNames, boolean nonFinite, Map<String, List<String>> categories,
              List<String> ignoredColumns) {
            this.ignoredColumns = ignoredColumns;
            this.nonFinite = nonFinite;
            this.categories = categories;
            this.source = source;
            this.values = values;
            this.columns = columns;
            this.labels = labels;
            this.columnNames = columnNames;
            this.labelName = labelName;
            this.classNames = classNames;
        }

        /**
         * The columns the read left out ({@link CsvReader#withIgnoredColumns}, or those of
         * {@link CsvReader#withIgnoredColumnsIfPresent} that the header had), stripped as the header names them.
         *
         * @return their names in file order; empty for none
         */
        public List<String> ignoredColumns() {
            return ignoredColumns;
        }

        /**
         * The name errors used for the input.
         *
         * @return the file name or source given to {@code read}
         */
        public String source() {
            return source;
        }

        /**
         * Number of data rows.
         *
         * @return the row count, header excluded
         */
        public int rows() {
            return values.length / columns;
        }

        /**
         * Number of feature columns (the label column excluded).
         *
         * @return the feature column count
         */
        public int columns() {
            return columns;
        }

        /**
         * The feature values, row-major; the table's own array.
         *
         * @return the {@code (rows, columns)} features, not copied
         */
        public float[] values() {
            return values;
        }

        /**
         * The categorical columns read ({@link CsvReader#withCategoricalColumns}), each with its categories in the
         * order of its one-hot columns, {@code column=category}; in the file's column order.
         *
         * @return column name to categories, unmodifiable; empty when none was read
         */
        public Map<String, List<String>> categories() {
            return categories;
        }

        /**
         * Whether a label column was read.
         *
         * @return whether the table was read with a label column ({@link #labels()} and the datasets need one)
         */
        public boolean hasLabels() {
            return labels != null;
        }

        /**
         * The labels, one per row; the table's own array.
         *
         * @return one integer label per row, not copied
         * @throws IllegalStateException if the table was read without a label column (see {@link #hasLabels()})
         */
        public int[] labels() {
            if (labels == null) {
                throw new IllegalStateException(source + " was read without a label column");
            }
            return labels;
        }

        /**
         * The feature column names from the header, or null without one (a copy).
         *
         * @return the feature column names, or null
         */
        public String[] columnNames() {
            return columnNames == null ? null : columnNames.clone();
        }

        /**
         * The label column's name from the header, or null.
         *
         * @return the label column name, or null
         */
        public String labelName() {
            return labelName;
        }

        /**
         * The name of each class, indexed by label, when labels were read as text ({@link #withTextLabels
         * withTextLabels}); null for integer labels.
         *
         * @return a copy of the class names, or null
         */
        public String[] classNames() {
            return classNames == null ? null : classNames.clone();
        }

        /**
         * A classification dataset with one-hot targets over {@code classes} classes; every label must be in
         * {@code [0, classes)}. With text labels the labels are this file's own class indices ({@link #classNames()},
         * sorted): a second file that lacks one of the first's classes numbers the others differently, so read it
         * against the first's names with {@link #toDataset(String[])}.
         *
         * @param classes the class count, given explicitly (no ID-column guess is made), at least 2
         * @return the dataset
         * @throws IllegalArgumentException for fewer than two classes
         */
        public Dataset toDataset(int classes) {
            if (classes < 2) {
                throw new IllegalArgumentException("toDataset: classes is " + classes + "; a classifier tells at "
                        + "least 2 classes apart");
            }
            int[] l = labels();
            for (int i = 0; i < l.length; i++) {
                if (l[i] < 0 || l[i] >= classes) {
                    // Counted from 1, as SavedModel and the digits program count a file's data rows.
                    throw new InvalidDataException(source + ": data row " + (i + 1) + " has label " + l[i]
                            + ", not a class in [0, " + classes + ")");
                }
            }
            return dataset(l, classes);
        }

        /**
         * A classification dataset whose classes are {@code classNames}, in that order, for labels read as text
         * ({@link #withTextLabels}): a test file read against the training file's classes ({@code
         * test.toDataset(train.classNames())}), or a file of new rows against a model's. Its own numbering would not
         * do: a file that lacks a class numbers the others differently (a test file of classes 7 and 42 made 42 class
         * 1, which is 7 in a training file of 3, 7 and 42). A label matches the name it equals, or, where both are
         * numbers, the one of the same value ({@code 1.0} and {@code 1}), as {@link ClassLookup} matches a model's.
         *
         * @param classNames the classes, each once; the one-hot targets have a column for each
         * @return the dataset, each row's label the index of its class in {@code classNames}
         * @throws IllegalStateException if the labels were not read as text
         * @throws IllegalArgumentException for fewer than two names, a blank one, or two of one class (the same text,
         *         or numbers of the same value)
         * @throws InvalidDataException naming the first data row whose label is not among {@code classNames}
         */
        public Dataset toDataset(String[] classNames) {
            Objects.requireNonNull(classNames, "classNames");
            if (this.classNames == null) {
                throw new IllegalStateException(source + ": the labels were read as integers, not as text; map them "
                        + "with toDataset(LabelMapping) or toDataset(int)");
            }
            if (classNames.length < 2) {
                throw new IllegalArgumentException("toDataset: " + classNames.length + " class name"
                        + (classNames.length == 1 ? "" : "s") + "; a classifier tells at least 2 classes apart");
            }
            // Each name once, by text and by value: a file's labels of one value are one class, and two such names
            // would leave one class empty.
            Map<Object, String> seen = new HashMap<>();
            for (int c = 0; c < classNames.length; c++) {
                String name = Objects.requireNonNull(classNames[c], "class name " + c);
                if (name.isBlank()) {
                    throw new IllegalArgumentException("toDataset: class name " + c + " is blank");
                }
                java.math.BigDecimal value = numericValue(name);
                String before = seen.putIfAbsent(value != null ? value : name, name);
                if (before != null) {
                    throw new IllegalArgumentException("toDataset: class names '" + before + "' and '" + name
                            + "' are the same class");
                }
            }
            ClassLookup lookup = new ClassLookup(List.of(classNames));
            int[] toGiven = new int[this.classNames.length];
            for (int own = 0; own < toGiven.length; own++) {
                toGiven[own] = lookup.indexOf(this.classNames[own]);
            }
            int[] l = labels();
            int[] mapped = new int[l.length];
            for (int i = 0; i < l.length; i++) {
                mapped[i] = toGiven[l[i]];
                if (mapped[i] < 0) {
                    // Counted from 1, as toDataset(int) and the digits program count a file's data rows.
                    throw new InvalidDataException(source + ": data row " + (i + 1) + " has label '"
                            + this.classNames[l[i]] + "', which is not one of the " + classNames.length + " classes "
                            + listedNames(classNames, classNames.length));
                }
            }
            return dataset(mapped, classNames.length);
        }

        /**
         * A classification dataset with one-hot targets over classes {@code 0 .. K-1}, when the labels are
         * exactly those. Labels that are not (such as {@code 1 .. 3}, negative ones or ones with gaps) are
         * refused with the reason rather than given empty one-hot columns; map them with
         * {@link #labelMapping()} and {@link #toDataset(LabelMapping)}. A label column that looks like an ID
         * column (see {@link DataChecks#requireClassCount}) is refused before anything is built.
         *
         * @return the dataset
         * @throws InvalidDataException naming the labels found and what to do
         */
        public Dataset toDataset() {
            if (classNames != null) {
                // Text labels are 0 .. k-1 by construction; a different one on every row is still an ID column.
                DataChecks.requireClassCount(source, classNames.length, classNames.length, labels.length, -1);
                return toDataset(classNames.length);
            }
            int[] l = labels();
            int min = Integer.MAX_VALUE;
            int max = Integer.MIN_VALUE;
            for (int label : l) {
                min = Math.min(min, label);
                max = Math.max(max, label);
            }
            int distinct = distinctCount(l);
            long implied = min >= 0 ? (long) max + 1 : distinct;
            DataChecks.requireClassCount(source, implied, distinct, l.length, max);
            if (min != 0 || max != distinct - 1) {
                throw new InvalidDataException(source + ": the labels are " + distinct + " distinct values from "
                        + min + " to " + max + ", not the class indices 0.." + (distinct - 1)
                        + (min >= 0 ? " (as they are, they would make " + ((long) max + 1) + " one-hot columns, "
                        + ((long) max + 1 - distinct) + " of them never used)" : "")
                        + "; if they are classes, map them with toDataset(labelMapping()), which gives "
                        + LabelMapping.fit(source, l) + "; if they are values to predict (a regression), read the "
                        + "file without a label column and take that column out with toRegressionDataset(name)");
            }
            return dataset(l, distinct);
        }

        /**
         * The mapping of this table's distinct labels, ascending, to classes {@code 0 .. K-1}; print it to
         * see which label became which class.
         *
         * @return the mapping
         * @throws InvalidDataException when the labels look like an ID column
         */
        public LabelMapping labelMapping() {
            return LabelMapping.fit(source, labels());
        }

        /**
         * A classification dataset whose classes are the labels mapped by {@code mapping}.
         *
         * @param mapping labels to classes, e.g. {@link #labelMapping()}
         * @return the dataset, with class indices as its labels
         */
        public Dataset toDataset(LabelMapping mapping) {
            Objects.requireNonNull(mapping, "mapping");
            return dataset(mapping.apply(source, labels()), mapping.classes());
        }

        /**
         * A regression dataset: the columns named {@code first} and {@code more} (in that order) are the targets,
         * the others, in file order, the features. For a table read without a label column, with a header:
         * <pre>{@code
         * Dataset all = CsvReader.numeric().withHeader(true).read(path).toRegressionDataset("target");
         * }</pre>
         *
         * @param first the first target column's header name
         * @param more  further target columns, for a model of several outputs
         * @return the dataset, {@code (rows, columns - targets)} features and {@code (rows, targets)} targets, no labels
         * @throws IllegalStateException if the table was read with a label column, or without a header
         * @throws IllegalArgumentException for a name the header does not have (or has twice), a column named twice,
         *         or targets that leave no feature column
         */
        public Dataset toRegressionDataset(String first, String... more) {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(more, "more");
            requireNoLabelColumn();   // before the names: the label column is not among them, so say why
            if (columnNames == null) {
                throw new IllegalStateException(source + " was read without a header, so its columns have no names; "
                        + "read it withHeader(true), or give the target columns' 0-based indices");
            }
            int[] indices = new int[1 + more.length];
            for (int t = 0; t < indices.length; t++) {
                String name = Objects.requireNonNull(t == 0 ? first : more[t - 1], "target column name");
                indices[t] = -1;
                for (int j = 0; j < columns; j++) {
                    if (columnNames[j].strip().equals(name.strip())) {
                        if (indices[t] >= 0) {
                            throw new IllegalArgumentException(source + ": the header names " + indices[t] + " and "
                                    + j + " both '" + name + "'; give the target column's 0-based index instead");
                        }
                        indices[t] = j;
                    }
                }
                if (indices[t] < 0) {
                    throw new IllegalArgumentException(source + ": no column named '" + name + "'; the header has "
                            + listedNames(columnNames, columns));
                }
            }
            return regression(indices);
        }

        /**
         * A regression dataset: the 0-based columns {@code first} and {@code more} (in that order; negative counts
         * from the end, -1 is the last) are the targets, the others, in file order, the features.
         *
         * @param first the first target column
         * @param more  further target columns, for a model of several outputs
         * @return the dataset, {@code (rows, columns - targets)} features and {@code (rows, targets)} targets, no labels
         * @throws IllegalStateException if the table was read with a label column
         * @throws IllegalArgumentException for a column out of range, a column named twice, or targets that leave no
         *         feature column
         */
        public Dataset toRegressionDataset(int first, int... more) {
            Objects.requireNonNull(more, "more");
            int[] indices = new int[1 + more.length];
            for (int t = 0; t < indices.length; t++) {
                int c = t == 0 ? first : more[t - 1];
                int at = c < 0 ? columns + c : c;
                if (at < 0 || at >= columns) {
                    throw new IllegalArgumentException(source + ": target column " + c + " does not exist in a table of "
                            + columns + (columns == 1 ? " column" : " columns"));
                }
                indices[t] = at;
            }
            return regression(indices);
        }

        /**
         * The values of the feature column called {@code name}, one per row, in row order (a copy): a column that is
         * not a feature, such as each row's weight in the loss ({@link dev.nnj.api.train.Trainer.Builder#sampleWeights}).
         * Take it out of the features with {@link #withoutColumn}.
         *
         * @param name the column's header name (surrounding spaces ignored)
         * @return the column's {@link #rows()} values
         * @throws IllegalStateException if the table was read without a header
         * @throws IllegalArgumentException for a name the header does not have among the feature columns, or has twice
         */
        public float[] column(String name) {
            return column(columnIndex(name));
        }

        /**
         * The values of feature column {@code index} (from 0, among the feature columns), one per row: as {@link
         * #column(String)}, for a table read without a header.
         *
         * @param index the column, {@code 0 <= index < columns()}
         * @return the column's {@link #rows()} values
         * @throws IndexOutOfBoundsException for an index outside the feature columns, naming their count
         */
        public float[] column(int index) {
            int c = requireColumn(index);
            int rows = rows();
            float[] out = new float[rows];
            for (int i = 0; i < rows; i++) {
                out[i] = values[i * columns + c];
            }
            return out;
        }

        /**
         * This table without the feature column called {@code name}: the other features in file order, their names,
         * and the labels and class names as they were. For a column that is not a feature, such as a row weight
         * read with {@link #column}.
         *
         * @param name the column's header name (surrounding spaces ignored)
         * @return a new table of {@code columns() - 1} feature columns
         * @throws IllegalStateException if the table was read without a header
         * @throws IllegalArgumentException for a name the header does not have among the feature columns, or has twice,
         *         or for the table's only feature column
         */
        public Table withoutColumn(String name) {
            int c = columnIndex(name);
            if (columns == 1) {
                throw new IllegalArgumentException(source + ": '" + name.strip() + "' is its only feature column; "
                        + "without it no features are left");
            }
            return withoutColumn(c);
        }

        /**
         * This table without feature column {@code index} (from 0): as {@link #withoutColumn(String)}, for a table
         * read without a header.
         *
         * @param index the column, {@code 0 <= index < columns()}
         * @return a new table of {@code columns() - 1} feature columns
         * @throws IndexOutOfBoundsException for an index outside the feature columns, naming their count
         * @throws IllegalArgumentException for the table's only feature column
         */
        public Table withoutColumn(int index) {
            int c = requireColumn(index);
            if (columns == 1) {
                throw new IllegalArgumentException(source + ": column " + c + " is its only feature column; without "
                        + "it no features are left");
            }
            int rows = rows();
            int kept = columns - 1;
            float[] x = new float[rows * kept];
            for (int i = 0; i < rows; i++) {
                System.arraycopy(values, i * columns, x, i * kept, c);
                System.arraycopy(values, i * columns + c + 1, x, i * kept + c, kept - c);
            }
            String[] names = null;
            if (columnNames != null) {
                names = new String[kept];
                System.arraycopy(columnNames, 0, names, 0, c);
                System.arraycopy(columnNames, c + 1, names, c, kept - c);
            }
            return new Table(source, x, kept, labels, names, labelName, classNames, nonFinite, categories,
                    ignoredColumns);
        }

        /** {@code index}, checked against the feature columns. */
        private int requireColumn(int index) {
            if (index < 0 || index >= columns) {
                throw new IndexOutOfBoundsException(source + ": no feature column " + index + "; it has " + columns
                        + " (0 to " + (columns - 1) + ")");
            }
            return index;
        }

        /** The feature column called {@code name}, or an error naming the header's columns. */
        private int columnIndex(String name) {
            Objects.requireNonNull(name, "name");
            if (columnNames == null) {
                throw new IllegalStateException(source + " was read without a header, so its columns have no names; "
                        + "read it withHeader(true)");
            }
            int found = -1;
            for (int j = 0; j < columns; j++) {
                if (columnNames[j].strip().equals(name.strip())) {
                    if (found >= 0) {
                        throw new IllegalArgumentException(source + ": the header names more than one column '"
                                + name.strip() + "'; give each column its own name");
                    }
                    found = j;
                }
            }
            if (found < 0) {
                String label = labelName != null && labelName.strip().equals(name.strip())
                        ? " ('" + name.strip() + "' is the label column)" : "";
                throw new IllegalArgumentException(source + ": no feature column named '" + name.strip() + "'" + label
                        + "; the header has " + listedNames(columnNames, columns));
            }
            return found;
        }

        /** Refuses a regression of a table read with a label column, which holds classes and is not a column. */
        private void requireNoLabelColumn() {
            if (labels != null) {
                throw new IllegalStateException(source + " was read with a label column"
                        + (labelName == null ? "" : " ('" + labelName.strip() + "')") + ", which is not among its "
                        + "columns; for a regression read it without one (withoutLabelColumn()) and name the target "
                        + "column here");
            }
        }

        /** Splits the target columns {@code indices} off the others. */
        private Dataset regression(int[] indices) {
            requireNoLabelColumn();
            boolean[] target = new boolean[columns];
            for (int c : indices) {
                if (target[c]) {
                    throw new IllegalArgumentException(source + ": target column " + c + " is named twice");
                }
                target[c] = true;
            }
            int targetCount = indices.length;
            int featureCount = columns - targetCount;
            if (featureCount == 0) {
                throw new IllegalArgumentException(source + ": the " + targetCount + " target columns are all of its "
                        + "columns, which leaves no features");
            }
            int rows = rows();
            float[] x = new float[rows * featureCount];
            float[] y = new float[rows * targetCount];
            for (int i = 0; i < rows; i++) {
                int base = i * columns;
                for (int j = 0, k = i * featureCount; j < columns; j++) {
                    if (!target[j]) {
                        x[k++] = values[base + j];
                    }
                }
                for (int t = 0; t < targetCount; t++) {
                    y[i * targetCount + t] = values[base + indices[t]];
                }
            }
            return nonFinite ? Dataset.allowingNonFinite(x, featureCount, y, targetCount, null)
                    : new Dataset(x, featureCount, y, targetCount);
        }

        private Dataset dataset(int[] classIndices, int classes) {
            float[] oneHot = OneHotEncoder.ofClasses(classes).transform(classIndices);
            return nonFinite ? Dataset.allowingNonFinite(values, columns, oneHot, classes, classIndices)
                    : new Dataset(values, columns, oneHot, classes, classIndices);
        }

        private static int distinctCount(int[] labels) {
            int[] sorted = labels.clone();
            Arrays.sort(sorted);
            int distinct = sorted.length == 0 ? 0 : 1;
            for (int i = 1; i < sorted.length; i++) {
                if (sorted[i] != sorted[i - 1]) {
                    distinct++;
                }
            }
            return distinct;
        }

        @Override
        public String toString() {
            return "Table[" + source + ": " + rows() + " rows x " + columns + " columns"
                    + (labels != null ? " + labels" : "") + "]";
        }
    }

    /**
     * The column indices a line of {@code columns} fields has, as messages give them: {@code "5 columns (0 to 4, or -5
     * to -1 from the end)"}. Public for the command line's own messages about a label index.
     *
     * @param columns the number of columns, at least 1
     * @return the phrase
     */
    public static String columnRange(int columns) {
        return columns == 1 ? "1 column (0, or -1 from the end)" : columns + " columns (0 to " + (columns - 1)
                + ", or -" + columns + " to -1 from the end)";
    }
}
