package dev.nnj.api.train;

import dev.nnj.api.data.DataChecks;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.data.TrainTestSplit;
import dev.nnj.api.model.BatchLoader;
import java.util.Arrays;

/**
 * The rows {@link Trainer.Builder#validationSplit} holds out of the training set, as scikit-learn's
 * {@code MLPClassifier(early_stopping=True, validation_fraction=f)} does: {@code ceil(f · n)} rows drawn at random
 * with the trainer's seed, stratified when the targets are classes ({@link TrainTestSplit#stratified}: each class
 * keeps its share, and at least one training row), shuffled otherwise ({@link TrainTestSplit#shuffled}). Both parts
 * keep the rows' order in the data set, so that {@code shuffle(false)} trains on them in that order, and a sample
 * weight follows its row.
 */
final class ValidationSplit {
    private ValidationSplit() {
    }

    /**
     * The rows one run trains and validates on.
     *
     * @param train         the rows trained on
     * @param validation    the rows evaluated after each epoch, or null for none
     * @param sampleWeights the weights of {@code train}'s rows, or null for none
     */
    record Parts(Dataset train, Dataset validation, float[] sampleWeights) {
    }

    /**
     * Holds out {@code fraction} of {@code train}.
     *
     * @param train         the training set {@code fit} was given, not empty
     * @param sampleWeights one weight per row of {@code train}, or null
     * @param fraction      the share held out, in {@code (0, 1)}
     * @param seed          the trainer's seed
     * @return the rows left to train on, with their weights, and the rows held out
     * @throws IllegalArgumentException if the split leaves no row on a side, or (stratified) a class no training row,
     *         or the sample weights are not one per row
     */
    static Parts carve(Dataset train, float[] sampleWeights, double fraction, long seed) {
        Trainer.requireSampleWeightCount(sampleWeights, train);
        if (sampleWeights != null) {
            // Here, on the rows given, as the batch loader would check them on the part: a bad weight named by its row.
            BatchLoader.requireRowWeights(sampleWeights, sampleWeights.length);
        }
        IndexSplit split;
        try {
            split = train.hasClassTargets()
                    ? TrainTestSplit.stratified(DataChecks.classesOfRows(train.targets(), train.targetCount()),
                            fraction, seed)
                    : TrainTestSplit.shuffled(train.size(), fraction, seed);
        } catch (IllegalArgumentException e) {
            // The split's own words say "test" for the part held out: here that part is the validation set.
            throw new IllegalArgumentException("fit: validationSplit(" + fraction + ") holds out part of the "
                    + train.size() + " training rows as the validation set (the \"test\" part here): "
                    + e.getMessage(), e);
        }
        int[] kept = split.train().clone();
        int[] heldOut = split.test().clone();
        Arrays.sort(kept);
        Arrays.sort(heldOut);
        float[] keptWeights = null;
        if (sampleWeights != null) {
            keptWeights = new float[kept.length];
            for (int i = 0; i < kept.length; i++) {
                keptWeights[i] = sampleWeights[kept[i]];
            }
        }
        return new Parts(train.subset(kept), train.subset(heldOut), keptWeights);
    }
}
