package dev.nnj.examples;

import dev.nnj.api.data.Dataset;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.io.Preprocessing;
import java.util.List;
import java.util.function.Function;

/**
 * The data of one trainer run, split three ways: the rows it trains on, the rows it checks after every
 * epoch to choose when to stop, and the test rows it reports once at the end.
 *
 * @param train       training rows
 * @param validation  rows held out of training for early stopping, or null: then the test rows are checked
 *                    after every epoch, as in the article
 * @param test        test rows, {@code (rows, features)} with labels
 * @param classNames  a name per class index
 * @param imageWidth  width of an image when each row is one (8 for the digits), else 0
 * @param description lines that say where the data came from and how it was split and scaled
 * @param preprocessing what a saved model needs to take raw rows: the scaler fitted for this run (the
 *                      digits' on all images, a CSV file's on its training rows, or none) and the class names
 * @param trainWeights  each training row's weight in the loss, in {@code train}'s order ({@code --weight-column}),
 *                      or null for none
 * @param testWeights   each test row's weight from the same column, in {@code test}'s order, for the weighted
 *                      figures of the test report; null without {@code --weight-column}
 * @param foldFitting   for {@code --cv}, a fold's rows from the training rows as read, with the imputer and scaler
 *                      fitted on the fold's own training rows (so that nothing of its held-out rows leaks into them);
 *                      null when the rows need no fitting per fold (the digits' scaling is the article's, on all
 *                      images), and the folds are cut from {@code train}
 * @param positiveClass the class the two-class ROC and precision-recall figures take as positive
 *                      ({@code --pos-label}; 1, the second class name, by default)
 * @param regression    a regression's targets ({@code --task regression}): the rows above hold them standardized, this
 *                      their scaler and the values as read; null for a classifier, whose {@code classNames} then name
 *                      its outputs (a regression has none)
 */
public record TrainingData(Dataset train, Dataset validation, Dataset test, String[] classNames, int imageWidth,
                           List<String> description, Preprocessing preprocessing, float[] trainWeights,
                           float[] testWeights, Function<IndexSplit, IndexSplit.Datasets> foldFitting,
                           int positiveClass, RegressionTargets regression) {

    /**
     * A fold of the training rows: its own fitting ({@link #foldFitting}) where there is one, else cut from
     * {@code train}.
     *
     * @param fold the fold's row indices into {@code train}
     * @return its training and held-out rows, ready to train and score
     */
    public IndexSplit.Datasets fold(IndexSplit fold) {
        return foldFitting != null ? foldFitting.apply(fold) : fold.apply(train);
    }

    /** {@return the number of features of a row} */
    public int features() {
        return train.featureCount();
    }

    /** {@return the number of classes; 0 for a regression} */
    public int classes() {
        return classNames.length;
    }

    /** {@return the network's outputs: one per class, or one per regression target} */
    public int outputs() {
        return regression != null ? regression.count() : classNames.length;
    }

    /** {@return the rows checked after every epoch: the validation rows, or the test rows without them} */
    public Dataset checked() {
        return validation != null ? validation : test;
    }

    /** {@return how the output names the rows checked after every epoch: {@code "val"} or {@code "test"}} */
    public String checkedName() {
        return validation != null ? "val" : "test";
    }
}
