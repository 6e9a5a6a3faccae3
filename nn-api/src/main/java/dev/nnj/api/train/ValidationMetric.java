package dev.nnj.api.train;

import dev.nnj.api.data.Dataset;
import dev.nnj.api.model.Sequential;

/**
 * A figure of the model on the validation set, computed after every epoch beside the validation loss and accuracy
 * ({@link Trainer.Builder#validationMetric}), recorded in {@link EpochStats}, {@link History} and
 * {@link CsvLogger}, and watched like them by {@link EarlyStopping}, {@link ModelCheckpoint} and
 * {@link ReduceLROnPlateau} through {@link EarlyStopping.Monitor#validationMetric}: Keras's
 * {@code metrics=[AUC(name='prc', curve='PR')]} with {@code monitor='val_prc', mode='max'}. For example, the area
 * under the precision-recall curve of an imbalanced binary task, where the validation loss of a run trained with
 * class weights says little:
 * <pre>{@code
 * Trainer trainer = Trainer.builder().epochs(100).classWeights(ClassWeights.balanced(train))
 *         .validationMetric("prc", (model, validation) -> Predictions.of(model, validation).averagePrecision()
 *                 .score())
 *         .earlyStopping(new EarlyStopping(EarlyStopping.Monitor.validationMetric("prc", true), 10, 0, true))
 *         .build();
 * }</pre>
 * Each metric predicts the validation set itself, a forward pass of its own per epoch.
 */
@FunctionalInterface
public interface ValidationMetric {
    /**
     * The metric of {@code model} as it stands after an epoch.
     *
     * @param model      the model being trained: predict with it on the calling thread (another thread is refused
     *                   while it trains), and do not train it
     * @param validation the run's validation set (held out by {@code validationSplit}, or given to {@code fit})
     * @return the figure; NaN when it is undefined (a metric of one class, say), which never counts as an
     *         improvement
     * @throws RuntimeException as the metric does: {@code fit} ends with an {@code IllegalStateException} naming the
     *         metric and the epoch, this exception as its cause
     */
    double measure(Sequential model, Dataset validation);
}
