package dev.nnj.examples;

import dev.nnj.api.data.Dataset;
import dev.nnj.api.io.Preprocessing;
import java.util.List;

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
 */
public record TrainingData(Dataset train, Dataset validation, Dataset test, String[] classNames, int imageWidth,
                           List<String> description, Preprocessing preprocessing, float[] trainWeights,
                           float[] testWeights) {

    /** {@return the number of features of a row} */
    public int features() {
        return train.featureCount();
    }

    /** {@return the number of classes} */
    public int classes() {
        return classNames.length;
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
