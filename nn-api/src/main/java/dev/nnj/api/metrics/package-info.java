/**
 * Classification metrics on predicted labels: the {@link dev.nnj.api.metrics.ConfusionMatrix}, a
 * {@link dev.nnj.api.metrics.ClassificationReport} (per-class precision, recall, F1 and support, macro and
 * weighted averages, accuracy, printed like scikit-learn's {@code classification_report}), and
 * {@link dev.nnj.api.metrics.TopKAccuracy}, balanced accuracy, and the metrics of the outputs themselves:
 * {@link dev.nnj.api.metrics.LogLoss}, {@link dev.nnj.api.metrics.RocAuc} (binary, or one-vs-rest macro and
 * weighted) and {@link dev.nnj.api.metrics.AveragePrecision}. {@link dev.nnj.api.metrics.Predictions} computes
 * a model's predictions on a data set, from which all of them follow:
 * <pre>{@code
 * Predictions p = Predictions.of(model, test);
 * System.out.println(p.report());                 // the text report
 * int[][] counts = p.confusionMatrix().counts();  // rows: true class, columns: predicted class
 * double top3 = p.topKAccuracy(3);
 * double balanced = p.balancedAccuracy();         // mean recall: 1/K for always the majority class
 * double logLoss = p.logLoss();                   // scikit-learn's log_loss, its float64 clipping
 * double auc = p.rocAuc().score();                // binary AUC, or one-vs-rest macro
 * }</pre>
 * Every value equals scikit-learn's on the same labels and scores (golden tests compare them); a ratio whose
 * denominator is zero (precision of a class never predicted, recall of a class absent from the true labels)
 * is 0, scikit-learn's {@code zero_division=0} (its default {@code "warn"} gives the same 0 with a warning).
 * With a weight per row ({@code p.withSampleWeights(w)}, or each metric's {@code sampleWeights} argument) every
 * metric, and the {@link dev.nnj.api.metrics.RegressionReport}, equals scikit-learn's with {@code sample_weight=w}.
 * Math: {@code docs/math.md#9-classification-metrics}.
 */
package dev.nnj.api.metrics;
