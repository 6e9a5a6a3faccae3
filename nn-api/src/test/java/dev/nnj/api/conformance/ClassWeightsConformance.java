package dev.nnj.api.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.data.ClassWeights;
import dev.nnj.api.data.DataChecks;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.BatchLoader;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Adam;
import dev.nnj.api.train.Trainer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Class and sample weights ({@link ClassWeights}, {@link Trainer.Builder#sampleWeights}): each row's loss gradient
 * counts its weight; class weights as Keras's
 * {@code class_weight}, {@code ∂L/∂θ = (1/N) Σ_i w_{c(i)} ∂ℓ_i/∂θ}; the batches carry their own rows' weights however
 * they are shuffled; a training with balanced weights finds a minority class that an unweighted one misses.
 */
public abstract class ClassWeightsConformance extends ModelTestSupport {

    /** The weight gradient of a softmax layer, {@code (1/N) Σ_i w_i x_iᵀ (a_i − y_i)}, against float64 by hand. */
    @Test
    void theGradientIsTheWeightedMeanOfTheRowsGradients() {
        Random r = random("class weights gradient");
        int rows = 10;
        int features = 6;
        int classes = 3;
        float[] x = uniform(r, rows * features, -1, 1);
        float[] y = oneHotRows(r, rows, classes);
        Dataset data = new Dataset(x, features, y, classes);
        ClassWeights weights = ClassWeights.of(0.5, 2, 1.25);
        Sequential model = model(features, 3).add(new Dense(classes, Activation.SOFTMAX));
        Loss loss = Loss.categoricalCrossEntropy();
        float[] a = model.predict(x, rows);
        try (BatchLoader loader = new BatchLoader(backend(), data, 0, false, 0, weights.rowWeights(data))) {
            loader.startEpoch();
            loader.load(0);
            model.forward(loader.features(), true);
            model.backward(loss, loader);
        }
        Parameter w = model.parameters().get(0);
        Parameter b = model.parameters().get(1);
        double[] expectedW = new double[features * classes];
        double[] expectedB = new double[classes];
        for (int i = 0; i < rows; i++) {
            double wi = weights.weight(DataChecks.classOfRow(y, i, classes));
            for (int c = 0; c < classes; c++) {
                double d = wi * (a[i * classes + c] - y[i * classes + c]) / rows;
                expectedB[c] += d;
                for (int f = 0; f < features; f++) {
                    expectedW[f * classes + c] += x[i * features + f] * d;
                }
            }
        }
        assertClose("weight gradient", classes, expectedW, w.readGradient(), 1e-4, 1e-6);
        assertClose("bias gradient", classes, expectedB, b.readGradient(), 1e-4, 1e-6);
    }

    /** Weights of 2 for every class double the gradient exactly: a power of two scales without rounding. */
    @Test
    void equalWeightsOfTwoDoubleTheGradientBitForBit() {
        Random r = random("class weights double");
        Dataset data = new Dataset(uniform(r, 12 * 4, -1, 1), 4, binaryRows(r, 12, 1), 1);
        float[][] plain = gradients(data, null);
        float[][] doubled = gradients(data, ClassWeights.of(2, 2));
        for (int p = 0; p < plain.length; p++) {
            for (int i = 0; i < plain[p].length; i++) {
                assertEquals(2 * plain[p][i], doubled[p][i], 0f, "parameter " + p + ", element " + i);
            }
        }
    }

    /** The gradients of a 4 → 5 → 1 sigmoid network after one full-batch backward pass, with optional weights. */
    private float[][] gradients(Dataset data, ClassWeights weights) {
        Sequential model = model(4, 9).add(new Dense(5, Activation.TANH)).add(new Dense(1, Activation.SIGMOID));
        float[] rowWeights = weights == null ? null : weights.rowWeights(data);
        try (BatchLoader loader = new BatchLoader(backend(), data, 0, false, 0, rowWeights)) {
            loader.startEpoch();
            loader.load(0);
            model.forward(loader.features(), true);
            model.backward(Loss.binaryCrossEntropy(), loader);
        }
        float[][] g = new float[model.parameters().size()][];
        for (int p = 0; p < g.length; p++) {
            g[p] = model.parameters().get(p).readGradient();
        }
        return g;
    }

    /** Every shuffled batch carries the weights of its own rows' classes, in every target column. */
    @Test
    void shuffledBatchesCarryTheirOwnRowsWeights() {
        Random r = random("class weights batches");
        int rows = 23;
        int classes = 3;
        Dataset data = new Dataset(uniform(r, rows * 2, -1, 1), 2, oneHotRows(r, rows, classes), classes);
        ClassWeights weights = ClassWeights.of(1, 3, 7);
        try (BatchLoader loader = new BatchLoader(backend(), data, 5, true, 42, weights.rowWeights(data));
             BatchLoader plain = new BatchLoader(backend(), data, 5, true, 42)) {
            for (int epoch = 0; epoch < 2; epoch++) {
                loader.startEpoch();
                for (int b = 0; b < loader.batchesPerEpoch(); b++) {
                    loader.load(b);
                    float[] y = loader.targets().toArray();
                    float[] w = loader.rowWeights().toArray();
                    assertEquals(y.length, w.length);
                    for (int i = 0; i < y.length / classes; i++) {
                        float expected = weights.weight(DataChecks.classOfRow(y, i, classes));
                        for (int c = 0; c < classes; c++) {
                            assertEquals(expected, w[i * classes + c], 0f, "epoch " + epoch + ", batch " + b + ", row " + i);
                        }
                    }
                }
            }
            plain.startEpoch();
            plain.load(0);
            assertNull(plain.rowWeights(), "a loader without class weights has none");
        }
    }

    /**
     * On a 9:1 problem whose classes overlap, an unweighted network predicts the minority class rarely; with
     * scikit-learn's balanced weights it finds most of it, at the price of some majority rows.
     */
    @Test
    void balancedWeightsRaiseTheMinorityClassRecall() {
        Random r = new Random(5);
        int rows = 400;
        float[] x = new float[rows * 2];
        float[] y = new float[rows * 2];
        for (int i = 0; i < rows; i++) {
            boolean minority = i % 10 == 0;
            x[2 * i] = (float) (r.nextGaussian() + (minority ? 0.8 : 0));
            x[2 * i + 1] = (float) (r.nextGaussian() + (minority ? 0.8 : 0));
            y[2 * i + (minority ? 1 : 0)] = 1;
        }
        Dataset data = new Dataset(x, 2, y, 2);
        ClassWeights balanced = ClassWeights.balanced(data);
        assertEquals(400.0 / (2 * 360), balanced.weight(0), 1e-6);
        assertEquals(400.0 / (2 * 40), balanced.weight(1), 1e-6);
        double plainRecall = minorityRecall(data, null);
        double weightedRecall = minorityRecall(data, balanced);
        // On the cpu backend: 0.275 unweighted (11 of 40), 0.775 balanced.
        assertTrue(weightedRecall > 0.6 && weightedRecall >= plainRecall + 0.3,
                "balanced minority recall " + weightedRecall + ", unweighted " + plainRecall);
    }

    private double minorityRecall(Dataset data, ClassWeights weights) {
        Sequential model = model(2, 1).add(new Dense(8, Activation.RELU)).add(new Dense(2, Activation.SOFTMAX));
        Trainer.builder().epochs(30).batchSize(32).seed(3).classWeights(weights).build()
                .fit(model, Loss.categoricalCrossEntropy(), track(new Adam(0.02f)), data, null);
        int[] predicted = DataChecks.classesOfRows(model.predict(data.features(), data.size()), 2);
        int found = 0;
        int minority = 0;
        for (int i = 0; i < data.size(); i++) {
            if (data.targets()[2 * i + 1] == 1) {
                minority++;
                found += predicted[i];
            }
        }
        return (double) found / minority;
    }

    /**
     * Sample weights ({@link Trainer.Builder#sampleWeights}) are each row's own: the class weights' row weights given
     * as sample weights train to the same bits, and class weights of 2 with sample weights of 0.5 train as no weights
     * at all (the product is exactly 1).
     */
    @Test
    void sampleWeightsAreEachRowsOwnAndMultiplyTheClassWeights() {
        Random r = random("sample weights");
        int rows = 40;
        Dataset data = new Dataset(uniform(r, rows * 3, -1, 1), 3, oneHotRows(r, rows, 3), 3);
        ClassWeights byClass = ClassWeights.of(0.5, 3, 1.5);
        float[][] asClasses = trained(data, Trainer.builder().classWeights(byClass));
        float[][] asSamples = trained(data, Trainer.builder().sampleWeights(byClass.rowWeights(data)));
        float[] halves = new float[rows];
        java.util.Arrays.fill(halves, 0.5f);
        float[][] cancelled = trained(data, Trainer.builder().classWeights(ClassWeights.of(2, 2, 2)).sampleWeights(halves));
        float[][] plain = trained(data, Trainer.builder());
        for (int p = 0; p < plain.length; p++) {
            assertArrayEqualsBits("parameter " + p + ", class weights as sample weights", asClasses[p], asSamples[p]);
            assertArrayEqualsBits("parameter " + p + ", weights whose product is 1", plain[p], cancelled[p]);
        }
        assertTrue(!java.util.Arrays.equals(plain[0], asClasses[0]), "the weights changed the training");
    }

    /** A 3 → 6 → 3 softmax network's parameters after 5 epochs of batch 8 with the builder's weights. */
    private float[][] trained(Dataset data, Trainer.Builder builder) {
        Sequential model = model(3, 4).add(new Dense(6, Activation.TANH)).add(new Dense(3, Activation.SOFTMAX));
        builder.epochs(5).batchSize(8).seed(2).build()
                .fit(model, Loss.categoricalCrossEntropy(), track(new Adam(0.05f)), data, null);
        float[][] values = new float[model.parameters().size()][];
        for (int p = 0; p < values.length; p++) {
            values[p] = model.parameters().get(p).read();
        }
        return values;
    }

    private static void assertArrayEqualsBits(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]), what + ", element " + i);
        }
    }

    /** Weights for another number of classes, or for targets that are not classes, are refused before training. */
    @Test
    void weightsThatDoNotFitTheDataAreRefused() {
        Random r = random("class weights refused");
        Dataset threeClasses = new Dataset(uniform(r, 6 * 2, -1, 1), 2, oneHotRows(r, 6, 3), 3);
        assertThrowsSaying(IllegalArgumentException.class,
                () -> ClassWeights.of(1, 2).rowWeights(threeClasses),
                "class weights: 2 weights for data with 3 classes");
        Dataset regression = new Dataset(uniform(r, 6 * 2, -1, 1), 2, uniform(r, 6, -5, 5), 1);
        assertThrowsSaying(IllegalArgumentException.class, () -> ClassWeights.balanced(regression),
                "class weights need class targets");
        Sequential model = model(2, 1).add(new Dense(3, Activation.SOFTMAX));
        assertThrowsSaying(IllegalArgumentException.class,
                () -> Trainer.builder().epochs(1).classWeights(ClassWeights.of(1, 1, 1, 1)).build()
                        .fit(model, Loss.categoricalCrossEntropy(), track(new Adam(0.01f)), threeClasses, null),
                "4 weights for data with 3 classes");
        assertThrowsSaying(IllegalArgumentException.class,
                () -> Trainer.builder().epochs(1).sampleWeights(new float[5]).build()
                        .fit(model, Loss.categoricalCrossEntropy(), track(new Adam(0.01f)), threeClasses, null),
                "fit: 5 sample weights for 6 training rows; give one per row");
        // All 0, alone or once multiplied by the class weights: no row counts, and training would change nothing.
        assertThrowsSaying(IllegalArgumentException.class,
                () -> Trainer.builder().epochs(1).sampleWeights(new float[6]).build()
                        .fit(model, Loss.categoricalCrossEntropy(), track(new Adam(0.01f)), threeClasses, null),
                "fit: every training row's weight is 0 (its sample weight)", "give some rows a weight above 0");
        float[] onlyWhereTheClassWeighsNothing = new float[6];
        float[] oneHot = threeClasses.targets();
        for (int i = 0; i < 6; i++) {
            onlyWhereTheClassWeighsNothing[i] = oneHot[i * 3] == 1 ? 1 : 0;   // the rows of class 0 alone
        }
        assertThrowsSaying(IllegalArgumentException.class,
                () -> Trainer.builder().epochs(1).classWeights(ClassWeights.of(0, 1, 1))
                        .sampleWeights(onlyWhereTheClassWeighsNothing).build()
                        .fit(model, Loss.categoricalCrossEntropy(), track(new Adam(0.01f)), threeClasses, null),
                "its sample weight times its class weight");
        float[] negative = {1, 1, 1, -1, 1, 1};
        assertThrowsSaying(IllegalArgumentException.class,
                () -> new BatchLoader(backend(), threeClasses, 2, true, 0, negative),
                "row weights: row 3's weight is -1.0; weights must be finite and at least 0");
        assertThrowsSaying(IllegalArgumentException.class, () -> ClassWeights.of(1, -0.5),
                "the weight of class 1 must be a finite number of at least 0, got -0.5");
        assertThrowsSaying(IllegalArgumentException.class, () -> ClassWeights.of(1, Double.NaN), "class 1");
        assertThrowsSaying(IllegalArgumentException.class, () -> ClassWeights.of(1, 1e39),
                "the weight of class 1, 1.0E39, is beyond the float range");
        assertThrowsSaying(IllegalArgumentException.class, () -> ClassWeights.of(0, 0), "at least one must be above 0");
        assertThrowsSaying(IllegalArgumentException.class, () -> ClassWeights.of(1), "at least 2");
    }

    /**
     * Weights all of 1e30 would train as weights of 1 do under Adam, which is blind to the gradient's scale, but the
     * squared gradients overflow float32 and every step is 0: the run reported its epochs and learned nothing. Weights
     * beyond 1e15, or all below 1e-15, are refused before training; 1e15 itself still trains.
     */
    @Test
    void weightsBeyondWhatFloat32TrainsWithAreRefused() {
        Random r = random("weights out of scale");
        Dataset data = new Dataset(uniform(r, 6 * 2, -1, 1), 2, oneHotRows(r, 6, 3), 3);
        Sequential model = model(2, 1).add(new Dense(3, Activation.SOFTMAX));
        float[] huge = new float[6];
        java.util.Arrays.fill(huge, 1e30f);
        assertThrowsSaying(IllegalArgumentException.class,
                () -> Trainer.builder().epochs(1).sampleWeights(huge).build()
                        .fit(model, Loss.categoricalCrossEntropy(), track(new Adam(0.01f)), data, null),
                "fit: the largest training row weight is 1.00e+30; a weight multiplies its row's gradient, and "
                        + "training in float32 needs the largest between 1e-15 and 1e+15 (beyond it Adam's, RMSprop's "
                        + "and Adagrad's squared gradients overflow and every step is 0); divide the weights by their "
                        + "mean, which keeps their proportions");
        assertThrowsSaying(IllegalArgumentException.class,
                () -> Trainer.builder().epochs(1).classWeights(ClassWeights.of(1e-40, 1e-40, 1e-40)).build()
                        .fit(model, Loss.categoricalCrossEntropy(), track(new Adam(0.01f)), data, null),
                "below it the gradients vanish");
        float[] before = model.parameters().get(0).read();
        float[] large = new float[6];
        java.util.Arrays.fill(large, 1e15f);
        Trainer.builder().epochs(2).batchSize(3).sampleWeights(large).build()
                .fit(model, Loss.categoricalCrossEntropy(), track(new Adam(0.01f)), data, null);
        assertTrue(!java.util.Arrays.equals(before, model.parameters().get(0).read()), "weights of 1e15 still train");
    }
}
