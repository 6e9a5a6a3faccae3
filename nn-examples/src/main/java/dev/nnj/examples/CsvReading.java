package dev.nnj.examples;

import static dev.nnj.examples.DataOptions.WHITESPACE;

import dev.nnj.api.data.CsvReader;
import dev.nnj.api.data.InvalidDataException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Reads a CSV file as the command line's options ask ({@code --csv}, {@code --header}, {@code --label},
 * {@code --delimiter}, {@code --ignore}, {@code --categorical}, {@code --impute}), for the trainer and for
 * {@code predict}, and puts what the library's {@link CsvReader} refuses in the command line's terms: a label column
 * that is not there is a usage error on {@code --label}; a reader option named in its hint becomes the option that
 * sets it; and a failed file's first lines are looked at again for the likely cause (separated by blanks, a trailing
 * separator, a word in a column of numbers: the class column not named, or a column that is no feature).
 */
final class CsvReading {
    private CsvReading() {
    }

    /**
     * A file's first record, split as {@code --delimiter} splits it, each field stripped: its header's names, for a
     * message that names a column the reader counted.
     *
     * @param file      the file
     * @param delimiter the field separator ({@link #WHITESPACE} for runs of blanks), or null for a comma
     * @return the fields; null for a file that is not a regular one (a pipe would lose its line)
     */
    static List<String> firstRecord(Path file, Character delimiter) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        CsvReader reader = CsvReader.numeric();
        if (delimiter != null) {
            reader = delimiter == WHITESPACE ? reader.withWhitespaceDelimiter() : reader.withDelimiter(delimiter);
        }
        return reader.header(file).stream().map(String::strip).toList();
    }

    /** Files from this size on (gzipped ones from a tenth of it) are named on stderr before they are read. */
    static final long LARGE_FILE_BYTES = 50L << 20;

    /**
     * One line on stderr before a large file is read: the file is read (and predict's rows predicted, a part at a time)
     * before anything else is printed, and 172 MB take about 3 s, a gzipped file of 10^9 values far longer, in
     * silence. On stderr, so that predict's {@code --output -} on stdout stays data.
     */
    private static void sayReading(CommandSpec spec, Path csv) {
        long bytes;
        try {
            bytes = Files.size(csv);
        } catch (IOException e) {
            return;   // the reader names the file and the problem
        }
        boolean gzipped = csv.toString().endsWith(".gz");
        // A gzipped file holds several times its size: 19 MB of gzipped numbers held 2e9 values, read for 40 s.
        if (bytes >= (gzipped ? LARGE_FILE_BYTES / 10 : LARGE_FILE_BYTES)) {
            PrintWriter err = spec.commandLine().getErr();
            err.printf(Locale.ROOT, "digits: reading %s (%d MB%s)...%n", csv.getFileName(), bytes / 1_000_000,
                    gzipped ? " gzipped" : "");
            err.flush();
        }
    }

    /**
     * Reads a CSV file as {@code --csv}, {@code --header}, {@code --label} and {@code --delimiter} ask (the trainer's
     * and {@code predict}'s), turning the reader's errors into this program's: a label column that is not there is
     * a usage error on {@code --label}, and the reader's hints for a header read as data or for a file separated by
     * another character name {@code --header} and {@code --delimiter}.
     *
     * @param spec         the command, for usage errors
     * @param csv          the file
     * @param header       whether its first line holds column names
     * @param label        the class column (a name, or an index, -1 for the last), or null for none
     * @param delimiter    the field separator, or null for a comma
     * @param categorical  the columns read as categories, with their categories where known
     * @param ignoring     a reader with its ignored columns and missing values set ({@code DataOptions.columnsReader})
     * @param modelClasses the model's class names, for predict; null for the trainer
     * @return the table, with text labels when there is a class column
     */
    static CsvReader.Table readCsv(CommandSpec spec, Path csv, boolean header, String label,
                                   Character delimiter, Map<String, List<String>> categorical,
                                           CsvReader ignoring, Collection<String> modelClasses) {
        CsvReader reader = configured(spec, csv, header, label, delimiter, categorical, ignoring);
        sayReading(spec, csv);
        CsvReader.Table[] table = new CsvReader.Table[1];
        explained(spec, csv, header, label, delimiter, modelClasses, () -> table[0] = reader.read(csv));
        return table[0];
    }

    /** The reader {@code --header}, {@code --label}, {@code --delimiter} and the categorical columns ask for. */
    private static CsvReader configured(CommandSpec spec, Path csv, boolean header, String label, Character delimiter,
                                        Map<String, List<String>> categorical, CsvReader ignoring) {
        if (!header && !categorical.isEmpty()) {
            throw new ParameterException(spec.commandLine(), csv + ": the columns " + categorical.keySet()
                    + " are read as categories, which are named by the header line: add --header");
        }
        CsvReader reader = ignoring.withHeader(header);
        for (Map.Entry<String, List<String>> c : categorical.entrySet()) {
            reader = c.getValue() == null ? reader.withCategoricalColumns(c.getKey())
                    : reader.withCategories(c.getKey(), c.getValue());
        }
        if (delimiter != null) {
            reader = delimiter == WHITESPACE ? reader.withWhitespaceDelimiter() : reader.withDelimiter(delimiter);
        }
        if (label == null) {
            reader = reader.withoutLabelColumn();
        } else {
            Integer index = DataOptions.columnIndex(label);
            reader = reader.withTextLabels(true);
            // With a header, a number is a column's name first (a header of numbers), its index only if none is.
            reader = index != null && !header ? reader.withLabelColumn(index) : reader.withLabelColumn(label.strip());
        }
        return reader;
    }

    /**
     * {@link #readCsv(CommandSpec, Path, boolean, String, Character, Map, CsvReader, Collection)} for
     * {@code predict}, which knows the model, a part at a time ({@link CsvReader#readParts}), so that a file larger
     * than the heap can be predicted: each part goes to {@code part} as it is read, and the reader's errors are this
     * program's as a whole read's are. A word in the first line of a file read without a header is taken for the
     * class column when it is one of the model's classes (the rest of the line numbers), and for a header otherwise;
     * the columns the model was trained without are left out where the header has them (a file to predict may come
     * without its identifiers). An exception {@code part} throws reaches the caller as it is, not taken for the
     * file's.
     *
     * @param ignored      the columns the model's run left out ({@code --ignore}), where the file has them
     * @param asked        the columns predict's own {@code --ignore} leaves out, which the file must have
     * @param missing      whether a missing feature value is read as NaN, for the model's imputer
     * @param modelClasses the model's class names
     * @param partRows the most rows of a part
     * @param part     called with each part in turn
     * @return the file's data rows
     */
    static long readCsvParts(CommandSpec spec, Path csv, boolean header, String label, Character delimiter,
                             Map<String, List<String>> categorical, List<String> ignored, List<String> asked,
                             boolean missing, Collection<String> modelClasses, int partRows,
                             Consumer<CsvReader.Table> part) {
        CsvReader ignoring = header ? CsvReader.numeric().withIgnoredColumnsIfPresent(ignored.toArray(new String[0]))
                .withIgnoredColumns(asked.toArray(new String[0])) : CsvReader.numeric();
        // Its labels are matched against the model's classes: warnings of the file's own would be false.
        CsvReader reader = configured(spec, csv, header, label, delimiter, categorical,
                ignoring.withMissingValues(missing).withClassWarnings(false));
        sayReading(spec, csv);
        long[] rows = new long[1];
        try {
            explained(spec, csv, header, label, delimiter, modelClasses, () -> rows[0] = reader.readParts(csv,
                    partRows, table -> {
                        try {
                            part.accept(table);
                        } catch (RuntimeException e) {
                            throw new PartFailed(e);
                        }
                    }));
        } catch (PartFailed e) {
            throw (RuntimeException) e.getCause();
        }
        return rows[0];
    }

    /** The caller's own exception, carried past {@link #explained}, which would take it for the file's. */
    private static final class PartFailed extends RuntimeException {
        PartFailed(RuntimeException cause) {
            super(cause);
        }
    }

    /**
     * Runs a read, turning the reader's errors into this program's (the options that set what the reader was told,
     * and what a failed file's first lines say of the likely cause).
     */
    private static void explained(CommandSpec spec, Path csv, boolean header, String label, Character delimiter,
                                  Collection<String> modelClasses, Runnable read) {
        try {
            read.run();
        } catch (IllegalArgumentException e) {
            char separator = delimiter != null ? delimiter : ',';
            // The file's first lines, read again once for both looks (a file read by runs of blanks has neither).
            String[] head = separator == WHITESPACE ? null : headLines(csv);
            String blankSeparated = blankSeparatedFirstLine(csv, head, separator);
            if (blankSeparated != null) {
                // Before the reader's own complaint: with the wrong separator each line is one field, so the label
                // column "does not exist", or a tab among the blanks is taken for the separator.
                throw new InvalidDataException(blankSeparated, e);
            }
            String trailing = trailingDelimiter(csv, head, separator);
            if (trailing != null) {
                // The reader saw an empty value ("a missing value?") or, for --label -1, a label where numbers go.
                throw new InvalidDataException(trailing, e);
            }
            // The reader's options for a missing value, in this program's terms, whatever else the message says.
            String m = String.valueOf(e.getMessage()).replace(MISSING_VALUE_HINT, modelClasses == null
                    ? " (a missing value? fill it in or drop the row, or --impute mean fills it in with the training "
                    + "rows' mean)"
                    : " (a missing value? the model was trained without --impute, so it has no value to fill in: fill "
                    + "it in or drop the row)");
            m = m.replace(CATEGORY_HINT, modelClasses == null
                    ? " (a missing value? fill it in or drop the row, or give --impute mean, with which a gap in a "
                    + "--categorical column is no category: its one-hot columns are all 0)"
                    : " (a missing value? the model was trained without --impute, with which a gap would be no "
                    + "category: fill it in or drop the row)");
            boolean reworded = !m.equals(String.valueOf(e.getMessage()));
            // The reader's hint of its own options for a column of text: this program's are said below, or none.
            Matcher textColumn = TEXT_COLUMN_HINT.matcher(m);
            boolean textHint = textColumn.find();
            if (textHint) {
                m = m.substring(0, textColumn.start());
            }
            if (m.contains("' to ignore; ") || m.endsWith("cannot also be ignored")) {   // a bad --ignore
                if (!ModelOptions.given(spec, "--ignore")) {
                    // Not typed: a resumed checkpoint's, which this file does not fit.
                    throw new IllegalArgumentException("the run resumed left out columns (its --ignore) that " + csv
                            + " does not have: " + m + "; resume with the file it trained on");
                }
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--ignore': " + m);
            }
            if (m.contains("label column")) {   // the column is not there: a bad --label, not a bad file
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--label': " + m);
            }
            if (m.contains("to read as categories")) {   // likewise a bad --categorical
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--categorical': " + m);
            }

            if (!header && m.endsWith("read it as a header")) {   // the reader's hints, in this program's terms
                String[] word = modelClasses != null && label == null && separator != WHITESPACE
                        ? textColumnOfNumbers(m, head, separator) : null;
                if (word != null) {
                    // Every other field of that line is a number: a data row whose class column predict was not
                    // told of, unless the word names a column (a header of numbers and "label", as pandas writes).
                    int column = Integer.parseInt(word[0]);
                    String asLabel = "name it with --label " + (column - 1) + " (0-based), and predict scores the "
                            + "rows against it";
                    throw new InvalidDataException(modelClasses.contains(word[1])
                            ? m.substring(0, m.indexOf("; if line ")) + "; if column " + column + " is the class, "
                            + asLabel
                            : m + " (--header); if column " + column + " holds the rows' classes instead, " + asLabel
                            + " (though '" + word[1] + "' is not one of the model's classes)", e);
                }
                throw new InvalidDataException(m + " (--header)", e);
            }
            if (reworded) {
                throw new InvalidDataException(m, e);
            }
            if (m.endsWith(NON_FINITE_HINT)) {   // a library option this program does not offer
                throw new InvalidDataException(m.substring(0, m.length() - NON_FINITE_HINT.length())
                        + "; fill in or drop that value", e);
            }
            Matcher at = VALUE_AT.matcher(m);
            if (m.contains(IGNORE_HINT) && at.find()) {   // the reader's option, in this program's terms
                String name = header ? headerField(head, separator, Integer.parseInt(at.group(2))) : null;
                throw new InvalidDataException(m.replace(IGNORE_HINT, name != null ? " with --ignore "
                        + ModelOptions.shellWord(name) : " of the file"), e);
            }
            Matcher word = WORD_NOT_A_NUMBER.matcher(m);
            boolean training = !"predict".equals(spec.name());
            if (header && separator != WHITESPACE && word.find()
                    && Integer.parseInt(word.group(1)) == firstDataLine(head)) {
                // A word in the first row: the class column not named as such, a column that is not a feature (an
                // identifier, a note), or (training) a column of categories, which the trainer can encode. (A word
                // further down is a stray value, said as it is; predict reads a model's categories as recorded, so
                // has no hint of them.)
                String name = headerField(head, separator, Integer.parseInt(word.group(2)));
                if (name != null && namedMoreThanOnce(head, separator, name)) {
                    // Every option names columns by their header name, which would be refused as ambiguous.
                    throw new InvalidDataException(m + "; the header names more than one column '" + name + "', so "
                            + "no option can name it: give each column its own name", e);
                }
                String column = name != null ? "'" + name + "'" : word.group(2);
                String as = name != null ? ModelOptions.shellWord(name) : word.group(2);
                String asClass = label == null ? "; if column " + column + " is the class, name it with --label " + as
                        : "";
                String otherwise = training ? " if column " + column + " holds categories, one-hot encode it with "
                        + "--categorical " + as + "; if it is not a feature (an identifier, a date, a note), leave it "
                        + "out with --ignore " + as
                        : " if it is not one of the model's features, leave it out with --ignore " + as;
                throw new InvalidDataException(m + asClass + (!asClass.isEmpty() && training ? ", or" : ";")
                        + otherwise, e);
            }
            Matcher other = WITH_DELIMITER.matcher(m);
            if (other.find()) {
                throw new InvalidDataException(m.substring(0, other.start()) + "(--delimiter '" + other.group(1) + "')",
                        e);
            }
            if (textHint) {
                throw new InvalidDataException(m, e);
            }
            throw e;
        }
    }

    /** Separators the reader names when a line is one field; a field separated by blanks is judged against them. */
    private static final String OTHER_SEPARATORS = ";\t|,";

    /**
     * Why a file whose reading failed looks separated by runs of blanks, or null when it does not: its first
     * non-blank line holds no {@code delimiter}, falls into two or more fields at runs of spaces and tabs, and no
     * other separator in it splits it into fields without blanks inside (a tab-separated file is the reader's to
     * name).
     *
     * @param csv       the file, named in the message
     * @param lines     its first lines ({@link #headLines}), or null when they could not be read again
     * @param delimiter the separator the file was read with
     * @return the message naming {@code --delimiter whitespace}, or null
     */
    static String blankSeparatedFirstLine(Path csv, String[] lines, char delimiter) {
        if (lines == null) {
            return null;
        }
        // The first line (perhaps a header, whose names may hold spaces) and the next, which is data either way.
        int first = -1;
        int data = -1;
        for (int i = 0; i < lines.length && data < 0; i++) {
            if (!lines[i].isBlank()) {
                data = first >= 0 ? i : -1;
                first = first >= 0 ? first : i;
            }
        }
        if (first < 0) {
            return null;
        }
        String line = lines[first].strip();
        String values = lines[data >= 0 ? data : first].strip();
        if (line.indexOf(delimiter) >= 0 || values.indexOf(delimiter) >= 0 || values.split("[ \t]+").length < 2) {
            return null;
        }
        for (char other : OTHER_SEPARATORS.toCharArray()) {
            if (other != delimiter && values.indexOf(other) >= 0 && !blanksBetweenNumbers(values, other)) {
                return null;   // that separator explains the line (a tab-separated file): the reader names it
            }
        }
        String name = csv.getFileName().toString();
        String shown = line.length() > 40 ? line.substring(0, 40) + "…" : line;
        return name + " line " + (first + 1) + " is one field, '" + shown.replace("\t", "\\t") + "', without a '"
                + (delimiter == '\t' ? "\\t" : String.valueOf(delimiter)) + "' between fields: the file may be "
                + "separated by runs of spaces (--delimiter whitespace)";
    }

    /**
     * Why a file whose reading failed has an empty last column, or null when it has none: every line (the header's
     * too) ends with {@code delimiter}, as some exports write them. The reader takes the empty field after it for a
     * missing value, or the label column {@code -1} for it; the message says what the file is instead.
     *
     * @param csv       the file, named in the message
     * @param lines     its first lines ({@link #headLines}), or null when they could not be read again
     * @param delimiter the separator the file was read with
     * @return the message, or null
     */
    static String trailingDelimiter(Path csv, String[] lines, char delimiter) {
        if (lines == null || delimiter == WHITESPACE) {
            return null;
        }
        int nonBlank = 0;
        for (String line : lines) {
            // Blanks stripped, but for the separator itself: String.strip took a tab at the end with the others.
            int end = line.length();
            while (end > 0 && line.charAt(end - 1) != delimiter && Character.isWhitespace(line.charAt(end - 1))) {
                end--;
            }
            if (end == 0) {
                continue;
            }
            if (line.charAt(end - 1) != delimiter) {
                return null;
            }
            nonBlank++;
        }
        if (nonBlank < 2) {
            return null;
        }
        String d = delimiter == '\t' ? "\\t" : String.valueOf(delimiter);
        return csv.getFileName() + ": every line ends with '" + d + "', which makes an empty last column; remove the '"
                + d + "' at the end of each line";
    }

    /**
     * The complete lines at the start of a regular file (gunzipped; up to 64 KiB, a byte-order mark left out), for
     * a second look after reading it failed; null for a pipe, which cannot be read again, or a file that cannot.
     */
    private static String[] headLines(Path csv) {
        if (!Files.isRegularFile(csv) || csv.getFileName() == null) {
            return null;
        }
        byte[] head;
        boolean cut = false;
        try (java.io.InputStream file = new java.io.BufferedInputStream(Files.newInputStream(csv))) {
            file.mark(2);
            boolean gzip = file.read() == 0x1f && file.read() == 0x8b;
            file.reset();
            java.io.InputStream in = gzip ? new java.util.zip.GZIPInputStream(file) : file;
            head = in.readNBytes(1 << 16);
            cut = in.read() >= 0;
        } catch (java.io.EOFException truncated) {
            return null;   // a gzip file cut short: the reader's own message says so
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
        String text = new String(head, java.nio.charset.StandardCharsets.UTF_8).replace("\uFEFF", "");
        if (cut) {
            text = text.substring(0, Math.max(0, text.lastIndexOf('\n')));   // the last line may go on
        }
        return text.split("\n");
    }

    /** A number as a field holds it: {@code 5.1}, {@code -3}, {@code .5}, {@code 1e-3}. */
    private static final Pattern NUMBER = Pattern.compile("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?");

    /**
     * Whether a field {@code separator} cuts {@code line} into holds two numbers with blanks between them: then the
     * blanks separate values, not the separator ({@code "5.1   3.5 1.4\t 0.2"}); a header's {@code "petal length"} or
     * a label {@code "Iris setosa"} is one value with a space in it.
     */
    private static boolean blanksBetweenNumbers(String line, char separator) {
        for (String field : line.split(Pattern.quote(String.valueOf(separator)))) {
            String[] tokens = field.strip().split("[ \t]+");
            for (int i = 1; i < tokens.length; i++) {
                if (NUMBER.matcher(tokens[i - 1]).matches() && NUMBER.matcher(tokens[i]).matches()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The reader's hint for a value that is not finite, which names a library option the trainer cannot take. */
    private static final String NON_FINITE_HINT = " (CsvReader.withNonFiniteValues(true) reads them)";
    /** The reader's hint for a missing value, which names its options this program calls --impute. */
    private static final String MISSING_VALUE_HINT = " (a missing value? fill it in or drop the row, or read it as "
            + "NaN with withMissingValues(true) and fill it in with a SimpleImputer)";
    /** The reader's hint for an empty category, which names its option this program calls --impute. */
    private static final String CATEGORY_HINT = " (a missing value? fill it in or drop the row, or read it as missing "
            + "with withMissingValues(true): its one-hot columns are then all 0)";
    /** The reader's hint naming its option that leaves a column out, which this program calls --ignore. */
    private static final String IGNORE_HINT = " (withIgnoredColumns)";
    /** Where the reader places a value it refuses: its 1-based line (first) and column (second). */
    private static final Pattern VALUE_AT = Pattern.compile(" line (\\d+), column (\\d+): ");

    /** The reader's hint for a word in a column of numbers' first data row, naming its own options, to its end. */
    private static final Pattern TEXT_COLUMN_HINT = Pattern.compile(
            " \\(a column of text\\? withCategoricalColumns\\(.*$");

    /** The reader's hint naming another separator, {@code (withDelimiter(';'))}, at the end of its message. */
    private static final Pattern WITH_DELIMITER = Pattern.compile("\\(withDelimiter\\('(.{1,2})'\\)\\)$");
    /** The reader's complaint of a word where a number goes, with no hint of its own: its line and column, 1-based. */
    private static final Pattern WORD_NOT_A_NUMBER = Pattern.compile(
            " line (\\d+), column (\\d+): '\\p{L}[^']*' is not a number$");

    /**
     * The 1-based column (first) and the text (second) of the word the reader refused in a file's first line, when
     * every other field of that line is a number: a data row with its class column, or a header of numbers ending in
     * a column's name, as pandas writes for an array; null otherwise.
     */
    private static String[] textColumnOfNumbers(String message, String[] head, char separator) {
        Matcher word = WORD_IN_FIRST_LINE.matcher(message);
        int first = firstNonBlank(head);
        if (!word.find() || first < 0 || Integer.parseInt(word.group(1)) != first + 1) {
            return null;
        }
        String[] fields = firstLineFields(head, separator);
        int column = Integer.parseInt(word.group(2));
        if (fields.length < 2 || column > fields.length) {
            return null;
        }
        for (int j = 0; j < fields.length; j++) {
            if (j != column - 1 && CsvReader.numericValue(fields[j].strip()) == null) {
                return null;
            }
        }
        return new String[] {word.group(2), fields[column - 1].strip()};
    }

    /** The reader's complaint of a word in a file read without a header, with its hint to read one. */
    private static final Pattern WORD_IN_FIRST_LINE = Pattern.compile(
            " line (\\d+), column (\\d+): '\\p{L}[^']*' is not a number; if line \\d+ holds column names");

    /** The 1-based line after the header, the first non-blank line; -1 when the lines could not be read again. */
    private static int firstDataLine(String[] head) {
        int header = firstNonBlank(head);
        return header < 0 ? -1 : header + 2;
    }

    /** The index of the first line that is not blank, -1 when there is none or the lines could not be read again. */
    private static int firstNonBlank(String[] lines) {
        for (int i = 0; lines != null && i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The header's names as the reader gives them ({@link CsvReader#headerNames}: quotes and blanks taken off, an
     * empty one {@code Unnamed: j}), a name holding a quote null (this split cannot tell where such a field ends);
     * null when the first lines could not be read again.
     */
    private static String[] headerNames(String[] head, char separator) {
        if (firstNonBlank(head) < 0) {
            return null;
        }
        String[] fields = firstLineFields(head, separator);
        for (int j = 0; j < fields.length; j++) {
            String name = fields[j].strip();
            if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                name = name.substring(1, name.length() - 1).strip();
            }
            fields[j] = name;
        }
        String[] names = CsvReader.headerNames(fields);
        for (int j = 0; j < names.length; j++) {
            names[j] = names[j].indexOf('"') >= 0 ? null : names[j];
        }
        return names;
    }

    /** The header's name of field {@code column} (1-based), as {@link #headerNames} gives it; null for none. */
    private static String headerField(String[] head, char separator, int column) {
        String[] names = headerNames(head, separator);
        return names == null || column < 1 || column > names.length ? null : names[column - 1];
    }

    /** Whether the header names more than one column {@code name} (as {@link #headerNames} reads the names). */
    private static boolean namedMoreThanOnce(String[] head, char separator, String name) {
        String[] names = headerNames(head, separator);
        return names != null && java.util.Arrays.stream(names).filter(name::equals).count() > 1;
    }

    /** The fields of the first non-blank line of {@code head} (which has one), split at {@code separator}. */
    private static String[] firstLineFields(String[] head, char separator) {
        return head[firstNonBlank(head)].strip().split(Pattern.quote(String.valueOf(separator)), -1);
    }
}
