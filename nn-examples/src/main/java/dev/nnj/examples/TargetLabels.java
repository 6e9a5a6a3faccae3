package dev.nnj.examples;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * A {@code --label} value as a list of target columns: {@code y1,y2} names two (header names or positions, as one
 * {@code --label} column is named), which {@code --task regression} learns together, one network output each, as
 * scikit-learn's {@code MLPRegressor} does for a 2-D {@code y}. A value without a comma is one column, as before.
 */
final class TargetLabels {
    private TargetLabels() {
    }

    /**
     * Splits {@code --label} at its commas, unless the file's header has a column of the whole name (a header may
     * name a column {@code "a,b"}, which then stays one target, as it was before lists were read).
     *
     * @param label  the option's value
     * @param header the file's header names, or null when there is none or it cannot be read before the file is
     * @return the columns named, stripped, in the order given; one for a value without a comma
     */
    static List<String> split(String label, List<String> header) {
        String whole = label.strip();
        if (!whole.contains(",") || header != null && header.contains(whole)) {
            return List.of(whole);
        }
        List<String> parts = new ArrayList<>();
        for (String part : whole.split(",", -1)) {
            parts.add(part.strip());
        }
        return List.copyOf(parts);
    }

    /**
     * Refuses a list of targets that cannot be learnt: a classifier's (it has one class column), an empty name, a
     * name given twice, or a column that another option takes for something else.
     *
     * @param spec        the command, for the usage errors
     * @param labels      the targets, as {@link #split} gives them; several
     * @param regression  whether the run is a regression
     * @param others      each other option that names columns ({@code --ignore}, ...) and its names
     * @throws ParameterException naming the option, the column and why
     */
    static void check(CommandSpec spec, List<String> labels, boolean regression, List<Other> others) {
        String given = String.join(",", labels);
        if (!regression) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--label': '" + given
                    + "' names " + labels.size() + " columns, and a classifier learns one class column; several "
                    + "targets are for --task regression (one output per target), or name one column");
        }
        Set<String> seen = new HashSet<>();
        for (String name : labels) {
            if (name.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--label': '" + given
                        + "' has an empty column name; separate the target columns with single commas");
            }
            if (!seen.add(name)) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--label': '" + name
                        + "' is named twice in '" + given + "'; each target column once");
            }
            for (Other other : others) {
                if (other.names().contains(name)) {
                    throw new ParameterException(spec.commandLine(), "Invalid value for option '--label': '" + name
                            + "' is a target, and " + other.option() + " names it too (" + other.why() + ")");
                }
            }
        }
    }

    /**
     * Another option's columns, which a target may not be.
     *
     * @param option the option, as typed ({@code --ignore})
     * @param names  its column names, stripped
     * @param why    what the option makes of them, for the refusal
     */
    record Other(String option, List<String> names, String why) {
    }
}
