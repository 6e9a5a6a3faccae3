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
     * @param labels the target columns: header names, or 0-based positions among the columns as read
     * @return the features' table and the true values
     * @throws ParameterException for a file without a header, or a column it does not have
     * @throws IllegalArgumentException for a row without a true value
     */
    static TargetValues take(CommandSpec spec, CsvReader.Table table, List<String> labels) {
        String[] names = table.columnNames();
        if (names == null) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--label': "
                    + String.join(",", labels) + " names " + labels.size() + " target columns, which predict finds by "
                    + "the header's names: add --header (the file needs its header line)");
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
                if (!Float.isFinite(values[i])) {
                    throw new IllegalArgumentException("Invalid value for option '--label': column '" + name + "' of "
                            + table.source() + " has no true value in data row " + (i + 1) + " (" + values[i]
                            + "): a row without its true value cannot be scored; fill it in or leave the row out");
                }
                truth[i * k + t] = values[i];
            }
            rest = rest.withoutColumn(name);
        }
        return new TargetValues(rest, truth);
    }

    private static String columnName(CommandSpec spec, CsvReader.Table table, List<String> header, String label) {
        if (header.contains(label)) {
            return label;
        }
        Integer index = DataOptions.columnIndex(label);
        int at = index == null ? -1 : index < 0 ? header.size() + index : index;
        if (at < 0 || at >= header.size()) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--label': " + table.source()
                    + " has no column " + (index == null ? "named '" + label + "'" : index + " (it has "
                    + header.size() + ", 0 to " + (header.size() - 1) + ")") + "; its header has "
                    + String.join(", ", header));
        }
        return header.get(at);
    }
}
