package dev.nnj.examples;

import dev.nnj.api.data.CsvReader;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code digits predict --label y1,y2}: the true values of a model of several targets, taken out of a file read
 * without a label column (the reader takes one label), so that the columns left are the features the model takes.
 *
 * @param table the file without the target columns
 * @param truth the targets, row-major {@code (rows, k)} in the order {@code --label} lists them
 */
record TargetValues(CsvReader.Table table, float[] truth) {

    /**
     * Takes the target columns out of a table.
     *
     * @param spec   the command, for usage errors on {@code --label}
     * @param table  the file as read, every column numeric
     * @param labels the target columns: header names, or 0-based positions among the columns as read (the only way
     *               to name them in a file without a header)
     * @param firstRow the table's first row in the file, from 0 (a part of a file read in parts), for the errors' row
     *                 numbers
     * @return the features' table and the true values
     * @throws ParameterException for a column the file does not have
     * @throws IllegalArgumentException for a row without a true value
     */
    static TargetValues take(CommandSpec spec, CsvReader.Table table, List<String> labels, long firstRow) {
        String[] names = table.columnNames();
        if (names == null) {
            return byPosition(spec, table, labels, firstRow);
        }
        List<String> header = Arrays.stream(names).map(String::strip).toList();
        int k = labels.size();
        int rows = table.rows();
        float[] truth = new float[rows * k];
        CsvReader.Table rest = table;
        for (int t = 0; t < k; t++) {
            String name = columnName(spec, table, header, labels.get(t));
            float[] values = rest.column(name);
            for (int i = 0; i < rows; i++) {
                requireFinite(values[i], "column '" + name + "'", table, firstRow + i);
                truth[i * k + t] = values[i];
            }
            rest = rest.withoutColumn(name);
        }
        return new TargetValues(rest, truth);
    }

    /**
     * The targets of a file without a header, by their positions among its columns (from 0, or -1 for the last), as
     * the trainer reads a headerless file's targets: a model trained so is scored on that same file.
     */
    private static TargetValues byPosition(CommandSpec spec, CsvReader.Table table, List<String> labels,
                                           long firstRow) {
        int columns = table.columns();
        int k = labels.size();
        int[] at = new int[k];
        for (int t = 0; t < k; t++) {
            Integer index = DataOptions.columnIndex(labels.get(t));
            at[t] = index == null ? -1 : index < 0 ? columns + index : index;
            if (index == null || at[t] < 0 || at[t] >= columns) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--label': "
                        + table.source() + " has no header, so its target columns are named by position (from 0, "
                        + "-1 for the last), and it has " + columns + " columns; '" + labels.get(t) + "' is not one "
                        + "of them (or add --header to name them)");
            }
        }
        int rows = table.rows();
        float[] truth = new float[rows * k];
        for (int t = 0; t < k; t++) {
            float[] values = table.column(at[t]);
            for (int i = 0; i < rows; i++) {
                requireFinite(values[i], "column " + at[t], table, firstRow + i);
                truth[i * k + t] = values[i];
            }
        }
        // Dropped from the last position down, so that each position still names the file's column.
        CsvReader.Table rest = table;
        for (int c : java.util.stream.IntStream.of(at).boxed().sorted(java.util.Comparator.reverseOrder())
                .mapToInt(Integer::intValue).toArray()) {
            rest = rest.withoutColumn(c);
        }
        return new TargetValues(rest, truth);
    }

    private static void requireFinite(float value, String column, CsvReader.Table table, long row) {
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException("Invalid value for option '--label': " + column + " of "
                    + table.source() + " has no true value in data row " + (row + 1) + " (" + value + "): a row "
                    + "without its true value cannot be scored; fill it in or leave the row out");
        }
    }

    private static String columnName(CommandSpec spec, CsvReader.Table table, List<String> header, String label) {
        if (header.contains(label)) {
            return label;
        }
        Integer index = DataOptions.columnIndex(label);
        int at = index == null ? -1 : index < 0 ? header.size() + index : index;
        if (at < 0 || at >= header.size()) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--label': " + table.source()
                    + " has no column " + (index == null ? "named '" + label + "'" : index + ": it has "
                    + CsvReader.columnRange(header.size())) + "; its header has "
                    + String.join(", ", header));
        }
        return header.get(at);
    }
}
