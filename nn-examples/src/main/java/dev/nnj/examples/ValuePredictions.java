package dev.nnj.examples;

import dev.nnj.api.data.CsvReader;
import dev.nnj.api.data.DataChecks;
import dev.nnj.api.data.StandardScaler;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.metrics.RegressionReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code digits predict}'s words for a model whose outputs are values, not classes ({@link
 * SavedModel#whyNotAClassifier}): a regression saved with its target scaler, whose {@link SavedModel#predict} gives
 * values in the target's units, or a single output with no sigmoid and no target scaler (a regression exported from
 * PyTorch), whose values are the model's raw output. Prints the rows, scores them against a numeric label column and
 * writes them as CSV; {@link PredictCommand} reads the file and writes where {@code --output} says.
 */
final class ValuePredictions {
    /**
     * The most common PyTorch binary classifier ends in a Linear trained with BCEWithLogitsLoss: one logit, which a
     * sigmoid added before export turns into the probability predict reads as a class.
     */
    static final String LOGIT_HINT = "a binary classifier trained on logits (PyTorch's BCEWithLogitsLoss) "
            + "classifies once exported with a sigmoid last: nn.Sequential(model, nn.Sigmoid())";

    private final SavedModel saved;
    private final int outputs;
    /** The target column's name as the trainer recorded it, or null. */
    private final String target;
    /** Several targets' names as the trainer recorded them ({@code --label y1,y2}), in output order; or null. */
    private final List<String> targets;

    ValuePredictions(SavedModel saved) {
        this.saved = saved;
        this.outputs = saved.model().outputWidth();
        String recorded = saved.metadata().get(DataRecord.LABEL_KEY);
        this.target = recorded == null || recorded.isBlank() ? null : recorded.strip();
        List<String> several = outputs > 1 ? DataRecord.targets(saved.metadata()) : List.of();
        this.targets = several.size() == outputs ? several : null;
    }

    /** Whether the values are the model's raw output: one output, no sigmoid and no target scaler. */
    boolean rawOutput() {
        return saved.preprocessing().targets() < 0;
    }

    /** What the model predicts, for the "Model ..." line and the refusals: "a regression of 'price' ...". */
    String describe() {
        if (rawOutput()) {
            return "one output that is not a probability (no sigmoid, no target scaler saved with it): read as a "
                    + "value, the model's raw output";
        }
        String of = outputs > 1 ? outputs + " targets" + (targets == null ? "" : " (" + String.join(", ", targets)
                + ")") : target != null ? "'" + target + "'" : "one target";
        return "a regression of " + of + " (its target scaler saved with it: values in the target's units)";
    }

    /** The header line above the printed rows. */
    String heading() {
        String what = outputs > 1 ? "values of the " + outputs + " targets" : target != null ? target : "value";
        return "Predicted " + what + (rawOutput() ? " (the model's raw output):" : " (in the target's units):");
    }

    /**
     * The first row (from 0) of a table read with a text label column whose label is not a finite float, or -1 when
     * every one is: a regression compares its predictions with numbers.
     */
    static int firstNonNumeric(CsvReader.Table table) {
        String[] names = table.classNames();
        int[] labels = table.labels();
        for (int i = 0; i < labels.length; i++) {
            if (!Float.isFinite(valueOf(names[labels[i]]))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Why row {@code row}'s label (see {@link #firstNonNumeric}) is not a value: "holds 'n/a' (data row 3), not a
     * number", or beyond the float range; for a part of a file read in parts, the row and the rows counted in the
     * file.
     *
     * @param firstRow  the part's first row in the file, from 0
     * @param totalRows the file's rows
     */
    static String notANumber(CsvReader.Table table, int row, long firstRow, long totalRows) {
        String text = labelText(table, row);
        String column = table.labelName() != null ? "'" + table.labelName() + "'" : "the label column";
        String hint = CsvReader.notANumberHint(text.strip());
        if (hint.startsWith(" (a missing value?")) {
            // The reader's advice names its library options; a row to score needs its true value.
            hint = " (a missing value: a row without its true value cannot be scored; fill it in or leave the row out)";
        }
        return column + " of " + table.source() + " holds '" + text + "' (data row " + (firstRow + row + 1) + " of "
                + totalRows + "), " + (CsvReader.numericValue(text) == null ? "not a number" + hint
                : "a number beyond the float range (±3.4e38)");
    }

    /**
     * Why true values of this mean and spread are too coarse as float32 to score against ({@link
     * DataChecks#float32Coarse}: 1e8 + y in steps of 8), or null.
     *
     * @param truth the true values, as read
     * @return the reason, worded to follow the column's name, or null
     */
    static String coarse(float[] truth) {
        double[][] moments = DataChecks.columnMoments(truth, truth.length, 1, 1);
        return DataChecks.float32Coarse(moments[0][0], Math.sqrt(moments[1][0]));
    }

    /** Each row's label as a float; every label a finite number ({@link #firstNonNumeric} is -1). */
    static float[] values(CsvReader.Table table) {
        String[] names = table.classNames();
        // One parse per distinct value: the reader has already gathered equal values (1, 1.0) into one name.
        float[] byName = new float[names.length];
        for (int c = 0; c < names.length; c++) {
            byName[c] = valueOf(names[c]);
        }
        int[] labels = table.labels();
        float[] values = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            values[i] = byName[labels[i]];
        }
        return values;
    }

    /** A label as a float: NaN when it is not a finite number, infinite beyond the float range. */
    private static float valueOf(String text) {
        return CsvReader.numericValue(text) == null ? Float.NaN : Float.parseFloat(text.strip());
    }

    private static String labelText(CsvReader.Table table, int row) {
        return table.classNames()[table.labels()[row]];   // a copy of the names: once, not in a loop over rows
    }

    /**
     * Prints the first {@code limit} rows, numbered from 1 as errors count a file's data rows ("data row 1"): each
     * row's value (all of them for several targets), and beside a label its true value and the error (predicted
     * minus true).
     *
     * @param truth each row's label, or null without {@code --label}
     */
    void printRows(float[] predicted, float[] truth, int limit, PrintWriter out) {
        out.println(heading());
        for (int i = 0; i < limit; i++) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "row %d: ", i + 1));
            if (outputs == 1) {
                sb.append(number(predicted[i]));
            } else {
                sb.append('[');
                for (int k = 0; k < outputs; k++) {
                    sb.append(k == 0 ? "" : ", ").append(number(predicted[i * outputs + k]));
                }
                sb.append(']');
            }
            if (truth != null && outputs > 1) {
                StringBuilder labels = new StringBuilder();
                StringBuilder errors = new StringBuilder();
                for (int k = 0; k < outputs; k++) {
                    int at = i * outputs + k;
                    labels.append(k == 0 ? "" : ", ").append(number(truth[at]));
                    errors.append(k == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%+.6g",
                            (double) predicted[at] - truth[at]));
                }
                sb.append("  labels [").append(labels).append("], errors [").append(errors).append(']');
            } else if (truth != null) {
                sb.append(String.format(Locale.ROOT, "  label %s, error %+.6g", number(truth[i]),
                        (double) predicted[i] - truth[i]));
            }
            out.println(sb);
        }
    }

    /** A value as the rows print it: six significant digits, whatever its scale. */
    static String number(double value) {
        return String.format(Locale.ROOT, "%.6g", value);
    }

    /**
     * The figures of a labelled file ({@link RegressionReport}, scikit-learn's metrics), and for a target scaled by a
     * {@link StandardScaler} those of the mean baseline: scikit-learn's {@code DummyRegressor(strategy="mean")}
     * predicts the training rows' mean, which that scaler holds. An R² near the baseline's (about 0) says the model
     * learnt little; the baseline's RMSE and MAE are the errors to beat.
     *
     * @param report   the predictions' figures ({@link #report})
     * @param baseline the mean baseline's ({@link #baseline}); null for a model without a target scaler
     * @param csv      the file, for the first line
     * @param out      where to print
     */
    void printReport(RegressionReport report, RegressionReport baseline, Path csv, PrintWriter out) {
        if (outputs > 1) {
            printReportOfSeveral(report, baseline, csv, out);
            return;
        }
        out.printf(Locale.ROOT, "%s: %s, MSE %s, RMSE %s, MAE %s, R2 %s, explained variance %s%n", csv,
                DataOptions.count(report.rows(), "row"), number(report.meanSquaredError()), number(report.rootMeanSquaredError()),
                number(report.meanAbsoluteError()), RegressionResults.score(report.r2()),
                RegressionResults.score(report.explainedVariance()));
        if (baseline != null) {
            out.printf(Locale.ROOT, "  mean baseline (always the training mean %s, as scikit-learn's "
                    + "DummyRegressor(strategy=\"mean\")): R2 %s, RMSE %s, MAE %s%n",
                    number(saved.preprocessing().targetStandardScaler().mean()[0]),
                    RegressionResults.score(baseline.r2()),
                    number(baseline.rootMeanSquaredError()), number(baseline.meanAbsoluteError()));
        }
        out.flush();
    }

    /**
     * The figures of {@code predicted} against {@code truth}, in the targets' units.
     *
     * @param predicted the predictions, row-major {@code (rows, outputs)}
     * @param truth     the true values, the same shape
     * @return the figures
     */
    RegressionReport report(float[] predicted, float[] truth) {
        return RegressionReport.of(predicted, truth, outputs);
    }

    /**
     * The figures of the training mean predicted for every row (scikit-learn's {@code DummyRegressor}), from the
     * model's target scaler; null for a model without one, which records no training mean.
     *
     * @param truth the true values, row-major {@code (rows, outputs)}
     * @return the baseline's figures, or null
     */
    RegressionReport baseline(float[] truth) {
        StandardScaler scaler = saved.preprocessing().targetStandardScaler();
        if (scaler == null) {
            return null;
        }
        float[] constant = new float[truth.length];
        for (int i = 0; i < constant.length; i++) {
            constant[i] = (float) scaler.mean()[i % outputs];
        }
        return RegressionReport.of(constant, truth, outputs);
    }

    /**
     * The targets' names for a file of figures, in output order: those the model records, else those {@code --label}
     * named, else {@code target 0}, {@code target 1}, ...
     *
     * @param labels the targets {@code --label} named, in the model's order; null for none
     * @return one name per output
     */
    List<String> targetNames(List<String> labels) {
        if (outputs == 1 && target != null) {
            return List.of(target);
        }
        if (targets != null) {
            return targets;
        }
        if (labels != null && labels.size() == outputs) {
            return labels;
        }
        return java.util.stream.IntStream.range(0, outputs).mapToObj(k -> "target " + k).toList();
    }

    /**
     * {@link #printReport} for several targets: their averages as scikit-learn's metrics give them by default, then
     * each target's figures in its units beside its mean baseline.
     */
    private void printReportOfSeveral(RegressionReport report, RegressionReport baseline, Path csv, PrintWriter out) {
        out.printf(Locale.ROOT, "%s: %s, %s: MSE %s, RMSE %s, MAE %s, R2 %s, explained variance %s%n", csv,
                DataOptions.count(report.rows(), "row"), String.format(Locale.ROOT, TargetsReport.AVERAGED, outputs),
                number(report.meanSquaredError()), number(report.rootMeanSquaredError()),
                number(report.meanAbsoluteError()), RegressionResults.score(report.r2()),
                RegressionResults.score(report.explainedVariance()));
        List<String> names = new java.util.ArrayList<>();
        for (int k = 0; k < outputs; k++) {
            names.add(targets != null ? "'" + targets.get(k) + "'" : "target " + k);
        }
        out.println("  each target in its units" + (baseline == null ? "" : ", beside the mean baseline (always the "
                + "training mean, as scikit-learn's DummyRegressor(strategy=\"mean\"))") + ":");
        for (String line : TargetsReport.table(names, report, baseline).split("\n")) {
            out.println("    " + line.stripTrailing());
        }
        out.flush();
    }

    /** The model's outputs: values a row. */
    int outputs() {
        return outputs;
    }

    /**
     * {@code --output}'s header line: a column per output, {@code predicted_} and the target's name ({@code prediction}
     * for one unnamed output, {@code prediction_0 ..} for several), then the true values' columns: for several targets
     * scored against their true values, each under its target column's own name; for one, {@code label}.
     *
     * @param labels the target columns as {@code --label} names them, or null without {@code --label}
     * @return the line, without its line break
     */
    String header(List<String> labels) {
        List<String> header = new java.util.ArrayList<>();
        if (labels != null && labels.size() > 1) {
            for (int k = 0; k < outputs; k++) {
                header.add("predicted_" + (targets != null ? targets.get(k) : labels.get(k)));
            }
            header.addAll(labels);
        } else if (outputs == 1) {
            // "predicted_price" rather than "price": beside the label, a column named as the target reads as the truth.
            header.add(target != null ? "predicted_" + target : "prediction");
        } else {
            for (int k = 0; k < outputs; k++) {
                // The trainer's names where it recorded them (--label y1,y2), else the outputs' positions.
                header.add(targets != null ? "predicted_" + targets.get(k) : "prediction_" + k);
            }
        }
        if (labels != null && labels.size() == 1) {
            header.add("label");   // last, so that the columns before it are where they are for unlabelled rows
        }
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < header.size(); c++) {
            sb.append(c == 0 ? "" : ",").append(PredictCommand.csvField(header.get(c)));
        }
        return sb.toString();
    }

    /**
     * {@code --output}'s line for each row, under {@link #header}: the predictions, each the shortest decimal that
     * reads back as the same float32, then several targets' true values, or one target's label as the file spells it.
     *
     * @param predicted the predictions, row-major {@code (rows, outputs)}
     * @param truth     several targets' true values, the same shape; or null
     * @param spellings each row's label as the file spells it (its first spelling of the value:
     *                  {@link PartStages.Spellings}); or null
     */
    void appendRows(StringBuilder sb, float[] predicted, float[] truth, String[] spellings) {
        int rows = predicted.length / outputs;
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < outputs; k++) {
                sb.append(k == 0 ? "" : ",").append(predicted[i * outputs + k]);
            }
            for (int k = 0; truth != null && k < outputs; k++) {
                sb.append(',').append(truth[i * outputs + k]);
            }
            if (spellings != null) {
                sb.append(',').append(PredictCommand.csvField(spellings[i]));
            }
            sb.append('\n');
        }
    }
}
