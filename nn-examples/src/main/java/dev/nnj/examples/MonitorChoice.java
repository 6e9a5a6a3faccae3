package dev.nnj.examples;

import dev.nnj.api.metrics.ClassificationReport;
import dev.nnj.api.metrics.Predictions;
import dev.nnj.api.train.EarlyStopping;
import dev.nnj.api.train.ValidationMetric;
import java.util.Locale;

/**
 * What early stopping, {@code --checkpoint-dir}'s best file and the plateau schedule watch on the validation rows
 * ({@code --monitor}), as Keras's {@code monitor='val_loss'} or {@code 'val_accuracy'}: the loss by default, or a
 * classifier's figure that stays meaningful where the loss does not, such as the balanced accuracy of a run with
 * {@code --class-weight} (whose unweighted validation loss can rise while the minority class is learnt).
 */
enum MonitorChoice {
    /** The validation loss, lower is better (the trainer's own {@code VALIDATION_LOSS}). */
    LOSS(null, false),
    /** The validation accuracy, higher is better (the trainer's own {@code VALIDATION_ACCURACY}). */
    ACCURACY(null, true),
    /** scikit-learn's {@code balanced_accuracy_score}: the mean of the classes' recalls. */
    BALANCED_ACCURACY("balanced_accuracy", true),
    /** The unweighted mean of the classes' F1 scores ({@code f1_score(average='macro')}). */
    MACRO_F1("macro_f1", true),
    /** {@code roc_auc_score}: the positive class's for two classes ({@code --pos-label}), one-vs-rest macro for more. */
    ROC_AUC("roc_auc", true),
    /** {@code average_precision_score}: the positive class's for two classes, one-vs-rest macro for more. */
    AVERAGE_PRECISION("average_precision", true);

    /** The validation metric's name ({@code val_} + it in the history), or null for the trainer's own figures. */
    final String metric;
    final boolean higherIsBetter;

    MonitorChoice(String metric, boolean higherIsBetter) {
        this.metric = metric;
        this.higherIsBetter = higherIsBetter;
    }

    /** {@return what early stopping, the best checkpoint and the plateau rule watch} */
    EarlyStopping.Monitor monitor() {
        return switch (this) {
            case LOSS -> EarlyStopping.Monitor.VALIDATION_LOSS;
            case ACCURACY -> EarlyStopping.Monitor.VALIDATION_ACCURACY;
            default -> EarlyStopping.Monitor.validationMetric(metric, higherIsBetter);
        };
    }

    /**
     * The figure computed on the validation rows after each epoch, for the trainer to record under {@link #metric}:
     * NaN where it is not defined (a ranking figure on rows without a class), which never counts as an improvement.
     *
     * @param positive the positive class of a two-class run ({@code --pos-label}'s index)
     * @return the metric, or null for {@link #LOSS} and {@link #ACCURACY}, which the trainer computes itself
     */
    ValidationMetric validationMetric(int positive) {
        if (metric == null) {
            return null;
        }
        return (model, validation) -> {
            Predictions p = Predictions.of(model, validation);
            ClassificationReport report = p.report();
            return switch (this) {
                case BALANCED_ACCURACY -> report.balancedAccuracy();
                case MACRO_F1 -> report.macroAverage().f1();
                default -> {
                    String[] names = new String[p.classes()];
                    for (int c = 0; c < names.length; c++) {
                        names[c] = Integer.toString(c);
                    }
                    RankingFigures r = RankingFigures.of(p, report, names, "rows", positive);
                    Double figure = this == ROC_AUC ? r.rocAuc() : r.averagePrecision();
                    yield figure == null ? Double.NaN : figure;
                }
            };
        };
    }

    /** {@return the figure as the trainer's lines name it: {@code loss}, {@code balanced accuracy}, ...} */
    String words() {
        return toString().replace('-', ' ');
    }

    /** The command line's name: {@code loss}, {@code balanced-accuracy}, ... */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
