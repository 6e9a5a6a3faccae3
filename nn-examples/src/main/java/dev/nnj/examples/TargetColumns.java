package dev.nnj.examples;

import dev.nnj.api.data.CsvReader;
import dev.nnj.api.data.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * A regression's target columns: one {@code --label} column or several ({@code --label y1,y2}), each a {@link
 * RegressionTarget}, taken out of a file's rows together as targets {@code (rows, k)} in the order {@code --label}
 * lists them, the features being every other column in file order. Unlike a feature, a target cannot be filled in:
 * a row without one is refused.
 *
 * @param targets     the columns, in the order given; at least one
 * @param headerNames their header names, stripped, in the same order; null for a file without a header
 */
record TargetColumns(List<RegressionTarget> targets, List<String> headerNames) {

    /**
     * Finds the target columns in a table read without a label column ({@link RegressionTarget#find} for each).
     *
     * @param spec   the command, for usage errors on {@code --label}
     * @param table  the file, read with every column numeric
     * @param labels each target as {@code --label} gives it (the whole value for one), or its header name
     * @return the targets
     * @throws ParameterException for a column that is not there, one named twice (by a name and a position), or no
     *         column left to be a feature
     */
    static TargetColumns find(CommandSpec spec, CsvReader.Table table, List<String> labels) {
        List<RegressionTarget> found = new ArrayList<>();
        for (String label : labels) {
            RegressionTarget t = RegressionTarget.find(spec, table, label);
            for (RegressionTarget earlier : found) {
                if (earlier.column() == t.column()) {
                    throw new ParameterException(spec.commandLine(), "Invalid value for option '--label': '"
                            + label.strip() + "' is " + earlier.described() + ", which --label names already; each "
                            + "target column once");
                }
            }
            found.add(t);
        }
        if (found.size() > 1 && found.size() >= table.columns()) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--label': " + table.source()
                    + " has " + table.columns() + " columns, and " + found.size() + " targets leave no features "
                    + "beside them");
        }
        String[] names = table.columnNames();
        List<String> header = names == null ? null
                : found.stream().map(t -> names[t.column()].strip()).toList();
        return new TargetColumns(List.copyOf(found), header);
    }

    /** {@return the number of targets: the network's outputs} */
    int count() {
        return targets.size();
    }

    /** {@return each target as messages name it: {@code 'price'} or {@code column 3}} */
    List<String> names() {
        return targets.stream().map(RegressionTarget::name).toList();
    }

    /** {@return the targets as messages name them, comma-separated} */
    String name() {
        return String.join(", ", names());
    }

    /** {@return the targets after "target": {@code column 'price'}, {@code columns 'y1', 'y2'}} */
    String described() {
        if (count() == 1) {
            return targets.get(0).described();
        }
        boolean named = targets.stream().allMatch(t -> t.name().startsWith("'"));
        return named ? "columns " + name() : targets.stream().map(RegressionTarget::described)
                .collect(Collectors.joining(", "));
    }

    /**
     * The metadata's record of the targets' header names ({@link DataRecord#LABEL_KEY}): one name, or several
     * comma-separated; null without a header.
     *
     * @param columnNames the table's header names, or null
     * @return the record, or null
     */
    String headerNames(String[] columnNames) {
        return columnNames == null || headerNames == null ? null : String.join(",", headerNames);
    }

    /**
     * The first target a test file's header lacks, for a refusal that names it before the columns are compared.
     *
     * @param columnNames the test file's header names, or null without a header
     * @return the target's header name, or null when the file has them all (or either file has no header)
     */
    String absentFrom(String[] columnNames) {
        if (columnNames == null || headerNames == null) {
            return null;
        }
        List<String> present = Arrays.stream(columnNames).map(String::strip).toList();
        return headerNames.stream().filter(n -> !present.contains(n)).findFirst().orElse(null);
    }

    /**
     * The feature columns' names: the header's without the targets'.
     *
     * @param columnNames the table's header names, or null
     * @return the rest, in file order, or null without a header
     */
    String[] featureNames(String[] columnNames) {
        if (columnNames == null) {
            return null;
        }
        List<String> rest = new ArrayList<>();
        for (int j = 0; j < columnNames.length; j++) {
            if (!isTarget(j)) {
                rest.add(columnNames[j]);
            }
        }
        return rest.toArray(new String[0]);
    }

    private boolean isTarget(int column) {
        return targets.stream().anyMatch(t -> t.column() == column);
    }

    /**
     * A file's rows as a regression dataset: every column but the targets is a feature, in file order.
     *
     * @param values         {@code (rows, columns)} row-major, as read (not changed)
     * @param columns        the file's columns, the targets' included
     * @param source         the file, for messages
     * @param missingAllowed whether features may be NaN (missing, for {@code --impute} to fill in)
     * @return features {@code (rows, columns - k)} and targets {@code (rows, k)}, no labels
     * @throws IllegalArgumentException for a row without a target value, naming the row and the column
     */
    Dataset rows(float[] values, int columns, String source, boolean missingAllowed) {
        int k = count();
        int rows = values.length / columns;
        int features = columns - k;
        float[] x = new float[rows * features];
        float[] y = new float[rows * k];
        boolean[] target = new boolean[columns];
        targets.forEach(t -> target[t.column()] = true);
        for (int i = 0; i < rows; i++) {
            int base = i * columns;
            for (int t = 0; t < k; t++) {
                float value = values[base + targets.get(t).column()];
                if (Float.isNaN(value)) {
                    // Only --impute reads gaps as NaN, and it fills in features: a guessed target would be trained on.
                    throw new IllegalArgumentException(source + ": data row " + (i + 1) + " has no value in the "
                            + "target " + targets.get(t).described() + "; --impute fills in features only, as a "
                            + "regression learns nothing from a target made up: leave such rows out of the file");
                }
                y[i * k + t] = value;
            }
            for (int j = 0, f = 0; j < columns; j++) {
                if (!target[j]) {
                    x[i * features + f++] = values[base + j];
                }
            }
        }
        return missingAllowed ? Dataset.allowingNonFinite(x, features, y, k, null) : new Dataset(x, features, y, k);
    }
}
