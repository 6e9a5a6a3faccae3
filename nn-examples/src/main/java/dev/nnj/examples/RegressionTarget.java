package dev.nnj.examples;

import dev.nnj.api.data.CsvReader;
import dev.nnj.api.data.Dataset;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * A {@code --label} column of a {@code --task regression} run: which of a file's numeric columns holds a number to
 * predict. A regression file is read as numbers throughout (no label column), so the targets come out of the
 * row-major values as columns ({@link TargetColumns#rows}).
 *
 * @param column its 0-based index among the table's columns (after {@code --ignore} and {@code --categorical})
 * @param name   how messages name it: its header name in quotes ({@code 'price'}), or without a header
 *               {@code column 3}
 */
record RegressionTarget(int column, String name) {

    /**
     * Finds the {@code --label} column in a table read without a label column: with a header by its name first (a
     * header of numbers names its columns by numbers), else by its 0-based index, negative from the end.
     *
     * @param spec   the command, for usage errors on {@code --label}
     * @param table  the file, read with every column numeric
     * @param label  the option's value
     * @return the target column
     * @throws ParameterException for a name the header lacks or has twice, or an index out of range
     */
    static RegressionTarget find(CommandSpec spec, CsvReader.Table table, String label) {
        String wanted = label.strip();
        String[] names = table.columnNames();
        if (table.columns() == 1) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--label': " + table.source()
                    + " has one column" + (names == null ? "" : ", '" + names[0].strip() + "'") + ", which leaves no "
                    + "features beside the target");
        }
        if (names != null) {
            int found = -1;
            for (int j = 0; j < names.length; j++) {
                if (names[j].strip().equals(wanted)) {
                    if (found >= 0) {
                        throw new ParameterException(spec.commandLine(), "Invalid value for option '--label': "
                                + table.source() + " names columns " + found + " and " + j + " both '" + wanted
                                + "'; give the target column's 0-based index instead");
                    }
                    found = j;
                }
            }
            if (found >= 0) {
                return new RegressionTarget(found, "'" + wanted + "'");
            }
        }
        Integer index = DataOptions.columnIndex(wanted);
        int columns = table.columns();
        int at = index == null ? -1 : index < 0 ? columns + index : index;
        if (index == null || at < 0 || at >= columns) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--label': " + table.source()
                    + (index == null ? " has no column named '" + wanted + "'"
                    : " has no column " + index + ": it has " + CsvReader.columnRange(columns))
                    + (names == null ? "" : "; its header has " + String.join(", ", names)));
        }
        return new RegressionTarget(at, names != null ? "'" + names[at].strip() + "'" : "column " + at);
    }

    /** {@return the target as a sentence names it after "the target": {@code column 'price'}, {@code column 3}} */
    String described() {
        return name.startsWith("'") ? "column " + name : name;
    }

    /**
     * The reader's refusal of one field: its line, its 1-based column, and an empty field, or the text it held and
     * what is wrong with it (not a number, NaN, infinite).
     */
    private static final Pattern FIELD_PROBLEM = Pattern.compile(
            "line (\\d+), column (\\d+): (?:(empty value)|'(.*?)' is (not a number|NaN|infinite))");

    /**
     * The reader's refusal of a field, reworded when the field is the target's: the reader, which takes the target
     * for one more numeric column, would offer {@code --impute} for an empty one (it fills in features only) or
     * nothing for a word.
     *
     * @param message    the reader's message
     * @param firstLine  the file's first line as the reader splits it ({@code CsvReader.header}): its column names
     *                   with a header; null when it cannot be read again
     * @param label      the {@code --label} value
     * @param header     whether the first line holds column names
     * @return the message to give instead, or null when the field is not the target's
     */
    static String rewordFieldProblem(String message, List<String> firstLine, String label, boolean header) {
        Matcher m = FIELD_PROBLEM.matcher(message == null ? "" : message);
        if (firstLine == null || !m.find()) {
            return null;
        }
        String wanted = label.strip();
        int column = header ? firstLine.indexOf(wanted) : -1;
        Integer index = column < 0 ? DataOptions.columnIndex(wanted) : null;
        if (index != null) {
            column = index < 0 ? firstLine.size() + index : index;
        }
        if (column != Integer.parseInt(m.group(2)) - 1) {
            return null;
        }
        String name = header ? "'" + wanted + "'" : Integer.toString(column);
        String at = message.substring(0, m.start()) + "line " + m.group(1) + ": the target column " + name;
        // The reader names a missing-value marker (NA, ?, null, nan, ...) as one.
        boolean missing = m.group(3) != null || "NaN".equals(m.group(5)) || message.contains("(a missing value?");
        if (missing) {
            return at + (m.group(3) != null ? " is empty" : " is missing ('" + m.group(4) + "')") + "; a regression "
                    + "learns from every row's target, so fill it in or leave the row out (--impute fills in features "
                    + "only)";
        }
        if ("infinite".equals(m.group(5))) {
            return at + " holds '" + m.group(4) + "', which is not finite; fill it in or leave the row out";
        }
        // The reader's hint for a number spelled as a spreadsheet spells it (1'234, 12.5 %), where it gave one.
        String tail = message.substring(m.end());
        String hint = tail.startsWith(" (") ? tail.substring(0, tail.indexOf(')') + 1) : "";
        return at + " holds '" + m.group(4) + "', not a number" + (!hint.isEmpty() ? hint : "; --task regression "
                + "predicts a number (leave --task out to train a classifier of its values as classes)");
    }

    /** {@return the target values of {@code rows}, a copy} */
    static float[] values(Dataset rows) {
        return Arrays.copyOf(rows.targets(), rows.size());
    }
}
