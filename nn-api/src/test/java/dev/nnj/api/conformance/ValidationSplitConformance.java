package dev.nnj.api.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.data.TrainTestSplit;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Adam;
import dev.nnj.api.train.EarlyStopping;
import dev.nnj.api.train.History;
import dev.nnj.api.train.Trainer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Trainer.Builder#validationSplit}: the rows it holds out are the seeded split's, stratified for classes and
 * shuffled for real targets, each part in the data set's order; a run with it trains and validates exactly as one
 * given those two parts; sample weights follow their rows; and what cannot be split is refused before training.
 */
public abstract class ValidationSplitConformance extends ModelTestSupport {
    private static final long SEED = 11;

    /** A classifier's run: the stratified split's parts, given by hand, train to the same bits. */
    @Test
    void aClassifierValidatesOnTheStratifiedSplitsRows() {
        Dataset data = signQuadrants(random("validation split classes"), 120);
        IndexSplit split = sorted(TrainTestSplit.stratified(data.labels(), 0.2, SEED));
        Trainer.Builder common = Trainer.builder().epochs(4).batchSize(16).seed(SEED);

        Run carved = train(data, null, common.validationSplit(0.2).build(), null);
        Run byHand = train(data.subset(split.train()), data.subset(split.test()),
                Trainer.builder().epochs(4).batchSize(16).seed(SEED).build(), null);

        assertEquals(24, split.test().length);
        carved.assertSameAs(byHand);
        assertTrue(carved.history.hasValidationAccuracy(), "the held-out rows are classes: accuracy is measured");
    }

    /** Real-valued targets are split unstratified, as {@link TrainTestSplit#shuffled}. */
    @Test
    void aRegressionValidatesOnTheShuffledSplitsRows() {
        Random r = random("validation split regression");
        int rows = 50;
        float[] x = uniform(r, rows * 3, -1, 1);
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = 0.5f * x[i * 3] - x[i * 3 + 2] + 0.1f;
        }
        Dataset data = new Dataset(x, 3, y, 1);
        IndexSplit split = sorted(TrainTestSplit.shuffled(rows, 0.3, SEED));

        Run carved = train(data, null, Trainer.builder().epochs(3).batchSize(8).seed(SEED).validationSplit(0.3)
                .build(), null);
        Run byHand = train(data.subset(split.train()), data.subset(split.test()),
                Trainer.builder().epochs(3).batchSize(8).seed(SEED).build(), null);

        carved.assertSameAs(byHand);
    }

    /** Sample weights are given one per row of the whole set; each held-in row keeps its own. */
    @Test
    void sampleWeightsFollowTheirRows() {
        Dataset data = signQuadrants(random("validation split weights"), 80);
        float[] weights = uniform(random("validation split weight values"), 80, 0.1, 3);
        IndexSplit split = sorted(TrainTestSplit.stratified(data.labels(), 0.25, SEED));
        float[] kept = new float[split.train().length];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = weights[split.train()[i]];
        }

        Run carved = train(data, null, Trainer.builder().epochs(3).batchSize(10).seed(SEED).validationSplit(0.25)
                .sampleWeights(weights).build(), null);
        Run byHand = train(data.subset(split.train()), data.subset(split.test()),
                Trainer.builder().epochs(3).batchSize(10).seed(SEED).sampleWeights(kept).build(), null);

        carved.assertSameAs(byHand);
    }

    /** Early stopping on the validation loss needs no validation set of its own then. */
    @Test
    void earlyStoppingWatchesTheHeldOutRows() {
        Dataset data = signQuadrants(random("validation split early stopping"), 60);
        Trainer noSet = Trainer.builder().epochs(3).seed(SEED).earlyStopping(EarlyStopping.onValidationLoss(1, true))
                .build();
        assertThrowsSaying(IllegalArgumentException.class, () -> train(data, null, noSet, null),
                "no validation set was given", "validationSplit(0.1)");

        History h = train(data, null, Trainer.builder().epochs(3).seed(SEED).validationSplit(0.1)
                .earlyStopping(EarlyStopping.onValidationLoss(1, true)).build(), null).history;
        assertTrue(Float.isFinite(h.validationLoss()[0]), "validation loss " + Arrays.toString(h.validationLoss()));
    }

    /** A validation set beside the split, a split that leaves a class no training row, a fraction out of range. */
    @Test
    void whatCannotBeSplitIsRefusedBeforeTraining() {
        Dataset data = signQuadrants(random("validation split refusals"), 40);
        Trainer split = Trainer.builder().epochs(2).seed(SEED).validationSplit(0.2).build();
        float[][] before = new float[1][];
        assertThrowsSaying(IllegalArgumentException.class, () -> train(data, data, split, before),
                "validationSplit(0.2)", "a validation set was given too", "pass null");

        // Four classes, one row each: a held-out quarter would take some class's only row.
        Dataset tiny = data.subset(firstOfEachClass(data.labels()));
        Trainer quarter = Trainer.builder().epochs(2).seed(SEED).validationSplit(0.25).build();
        assertThrowsSaying(IllegalArgumentException.class, () -> train(tiny, null, quarter, before),
                "validationSplit(0.25)", "4 training rows", "validation set", "training row of each class");

        for (double bad : new double[] {1, -0.1, 1.5, Double.NaN}) {
            assertThrowsSaying(IllegalArgumentException.class, () -> Trainer.builder().validationSplit(bad),
                    "validation split must be in (0, 1)", String.valueOf(bad));
        }
        assertThrows(IllegalArgumentException.class, () -> train(data, null, Trainer.builder().epochs(2)
                .validationSplit(0.2).sampleWeights(new float[39]).build(), before));

        // A bad value is named by its row in the set given, not in the part it fell into: a weight, a feature, a target.
        float[] badWeights = new float[40];
        java.util.Arrays.fill(badWeights, 1);
        badWeights[29] = Float.NaN;
        assertThrowsSaying(IllegalArgumentException.class, () -> train(data, null, Trainer.builder().epochs(2)
                .seed(SEED).validationSplit(0.2).sampleWeights(badWeights).build(), before),
                "row weights: row 29's weight is NaN");
        float[] x = data.features().clone();
        x[17 * 3 + 1] = Float.NaN;
        Dataset withNaN = Dataset.allowingNonFinite(x, 3, data.targets(), 4, data.labels());
        assertThrowsSaying(IllegalArgumentException.class, () -> train(withNaN, null, split, before),
                "training set features: row 17, column 1 is NaN");
        float[] y = new float[40];
        for (int i = 0; i < 40; i++) {
            y[i] = i == 23 ? 1.5f : i % 2;
        }
        Dataset values = new Dataset(data.features(), 3, y, 1);
        Trainer onAccuracy = Trainer.builder().epochs(2).seed(SEED).validationSplit(0.2)
                .earlyStopping(new EarlyStopping(EarlyStopping.Monitor.VALIDATION_ACCURACY, 1, 0, true)).build();
        assertThrowsSaying(IllegalArgumentException.class, () -> train(values, null, onAccuracy, before),
                "the training set's targets, which validationSplit(0.2) holds the validation rows out of, are not "
                + "classes (row 23 is 1.5");
    }

    // ---------------------------------------------------------------- helpers

    /** What one run left: its history and its weights. */
    private record Run(History history, List<float[]> weights) {
        void assertSameAs(Run other) {
            assertSameFloats("training loss", other.history.trainLoss(), history.trainLoss());
            assertSameFloats("validation loss", other.history.validationLoss(), history.validationLoss());
            for (int p = 0; p < weights.size(); p++) {
                assertSameFloats("parameter " + p, other.weights.get(p), weights.get(p));
            }
        }
    }

    /**
     * Trains a fresh {@code width → 6 → outputs} network (softmax and cross-entropy for classes, MSE otherwise);
     * {@code weightsBefore[0]}, when given, gets the first weights as they were before {@code fit} was called.
     */
    private Run train(Dataset train, Dataset validation, Trainer trainer, float[][] weightsBefore) {
        boolean classes = train.hasLabels();
        Sequential model = model(train.featureCount(), SEED).add(new Dense(6, Activation.TANH))
                .add(new Dense(train.targetCount(), classes ? Activation.SOFTMAX : Activation.IDENTITY));
        if (weightsBefore != null) {
            weightsBefore[0] = model.parameters().get(0).read();
        }
        Loss loss = classes ? Loss.categoricalCrossEntropy() : Loss.meanSquaredError();
        try (Adam adam = new Adam(0.01f)) {
            History h = validation == null ? trainer.fit(model, loss, adam, train)
                    : trainer.fit(model, loss, adam, train, validation);
            return new Run(h, model.parameters().stream().map(Parameter::read).toList());
        }
    }

    private static IndexSplit sorted(IndexSplit split) {
        int[] train = split.train().clone();
        int[] test = split.test().clone();
        Arrays.sort(train);
        Arrays.sort(test);
        return new IndexSplit(train, test);
    }

    private static int[] firstOfEachClass(int[] labels) {
        int[] first = new int[4];
        Arrays.fill(first, -1);
        for (int i = 0; i < labels.length; i++) {
            if (first[labels[i]] < 0) {
                first[labels[i]] = i;
            }
        }
        return first;
    }
}
