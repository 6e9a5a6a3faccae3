package dev.nnj.api.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnj.api.Activation;
import dev.nnj.api.Tensor;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.io.Preprocessing;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.layers.Dropout;
import dev.nnj.api.layers.Sigmoid;
import dev.nnj.api.layers.Softmax;
import dev.nnj.api.layers.Tanh;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.HostTensor;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.model.StateDictLoader;
import dev.nnj.api.optim.Sgd;
import dev.nnj.api.train.History;
import dev.nnj.api.train.Trainer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A model used the wrong way, refused where the call enters with the words a user can act on rather than an
 * error from deep inside: a cross-entropy on outputs that are not probabilities, no rows, a null argument, a
 * closed model, a model without layers. Each refusal happens before an optimizer step.
 */
public abstract class MisuseConformance extends ModelTestSupport {

    /** 3 inputs → Dense(8, tanh) → Dense(4, softmax), for {@link #quadrants} data. */
    private Sequential classifier(long seed) {
        return model(3, seed).add(new Dense(8, Activation.TANH)).add(new Dense(4, Activation.SOFTMAX));
    }

    private static Dataset quadrants(long seed) {
        return signQuadrants(random("misuse", seed), 20);
    }

    private static Trainer trainer() {
        return Trainer.builder().epochs(2).batchSize(5).build();
    }

    /** 20 rows of the quadrant features with one 0/1 target: is the first feature positive. */
    private static Dataset firstFeaturePositive(long seed) {
        Dataset q = quadrants(seed);
        float[] y = new float[q.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = q.features()[i * 3] > 0 ? 1 : 0;
        }
        return new Dataset(q.features(), 3, y, 1);
    }

    /** 20 one-hot rows of 4 classes, row r of class r % 4. */
    private static float[] oneHotRows() {
        float[] oneHot = new float[20 * 4];
        for (int r = 0; r < 20; r++) {
            oneHot[r * 4 + r % 4] = 1;
        }
        return oneHot;
    }

    /** Expects {@code fit} refused with every fragment, before a step and leaving the weights as they were. */
    private void fitRefused(Sequential m, Loss loss, Dataset data, String... fragments) {
        Map<String, float[]> before = m.stateDict();
        Sgd sgd = track(new Sgd(0.1f));
        assertThrowsSaying(IllegalArgumentException.class, () -> trainer().fit(m, loss, sgd, data, null), fragments);
        assertEquals(0, sgd.steps(), "no step was taken");
        for (Map.Entry<String, float[]> e : m.stateDict().entrySet()) {
            assertSameFloats("after the refused fit, " + e.getKey(), before.get(e.getKey()), e.getValue());
        }
    }

    // ---------------------------------------------------------------- a loss on outputs it is not defined on

    @Test
    void categoricalCrossEntropyOnAnIdentityOutputIsRefusedBeforeTraining() {
        // It used to train into "training diverged at epoch 1, batch 1 of 5: the training loss is NaN".
        Sequential m = model(3, 3).add(new Dense(8, Activation.TANH)).add(new Dense(4));
        Dataset data = quadrants(3);
        String[] fragments = {"categorical_crossentropy", "softmax", "last layer dense_2 ends in identity",
            "new Dense(4, Activation.SOFTMAX)", "Softmax layer"};
        fitRefused(m, Loss.categoricalCrossEntropy(), data, fragments);
        assertThrowsSaying(IllegalArgumentException.class,
                () -> m.evaluate(data, Loss.categoricalCrossEntropy(), 8), fragments);
        Tensor x = tensor(data.features(), data.size(), 3);
        Tensor y = tensor(data.targets(), data.size(), 4);
        assertThrowsSaying(IllegalArgumentException.class,
                () -> m.evaluate(x, y, Loss.categoricalCrossEntropy()), fragments);
        // The same outputs are fine for a loss defined on any number.
        m.evaluate(data, Loss.meanSquaredError(), 8);
    }

    @Test
    void crossEntropiesNeedTheirOwnActivationAtTheEnd() {
        Dataset classes = quadrants(4);
        Dataset binary = firstFeaturePositive(4);
        fitRefused(model(3, 4).add(new Dense(4, Activation.SIGMOID)), Loss.categoricalCrossEntropy(), classes,
                "categorical_crossentropy", "dense_1 ends in sigmoid");
        fitRefused(model(3, 5).add(new Dense(1, Activation.RELU)), Loss.binaryCrossEntropy(), binary,
                "binary_crossentropy", "probabilities in (0, 1)", "dense_1 ends in relu",
                "new Dense(1, Activation.SIGMOID)", "Sigmoid layer");
        // An activation of its own as the last layer counts like a Dense's.
        fitRefused(model(3, 6).add(new Dense(1)).add(new Tanh()), Loss.binaryCrossEntropy(), binary,
                "binary_crossentropy", "tanh_1 ends in tanh");
        // Dropout after the softmax scales the training outputs by 1 / (1 − rate): no longer a distribution.
        fitRefused(model(3, 7).add(new Dense(4, Activation.SOFTMAX)).add(new Dropout(0.5f)),
                Loss.categoricalCrossEntropy(), classes, "dropout_1 ends in no built-in activation");
    }

    @Test
    void categoricalCrossEntropyOnOneOutputPointsToTheBinaryLoss() {
        // It used to suggest new Dense(1, Activation.SOFTMAX): a softmax over one output, always 1.
        fitRefused(model(3, 12).add(new Dense(1, Activation.SIGMOID)), Loss.categoricalCrossEntropy(),
                firstFeaturePositive(12), "needs one output per class, and the model has one output",
                "binary cross-entropy and a sigmoid");
    }

    @Test
    void aPlateauRuleBesideAScheduleIsRefused() {
        // The schedule set the rate before every epoch, undoing each reduction the plateau rule logged.
        Sequential m = classifier(13);
        Sgd sgd = track(new Sgd(0.1f));
        Trainer both = Trainer.builder().epochs(3).batchSize(5)
                .schedule(dev.nnj.api.train.LearningRateSchedule.exponential(0.9))
                .listener(dev.nnj.api.train.ReduceLROnPlateau.on(dev.nnj.api.train.EarlyStopping.Monitor.TRAINING_LOSS))
                .build();
        assertThrowsSaying(IllegalArgumentException.class, () -> both.fit(m, Loss.categoricalCrossEntropy(), sgd,
                quadrants(13), null), "ReduceLROnPlateau and the learning-rate schedule", "use one");
        assertEquals(0, sgd.steps(), "no step was taken");
    }

    @Test
    void aSeparateSoftmaxOrSigmoidLayerIsAccepted() {
        History h = trainer().fit(model(3, 8).add(new Dense(4)).add(new Softmax()), Loss.categoricalCrossEntropy(),
                track(new Sgd(0.1f)), quadrants(8), null);
        assertEquals(2, h.epochs(), "epochs run");
        h = trainer().fit(model(3, 9).add(new Dense(1)).add(new Sigmoid()), Loss.binaryCrossEntropy(),
                track(new Sgd(0.1f)), firstFeaturePositive(9), null);
        assertEquals(2, h.epochs(), "epochs run");
    }

    // ---------------------------------------------------------------- no rows

    @Test
    void noRowsAreRefusedByPredictEvaluateAndFitAlike() {
        Sequential m = classifier(10);
        // It used to say "predict: expected 0 x 3 = 0 features, got 0", which reads as a contradiction.
        IllegalArgumentException e = assertThrowsSaying(IllegalArgumentException.class,
                () -> m.predict(new float[0], 0), "predict");
        assertEquals("predict: rows must be at least 1, got 0", e.getMessage());
        assertThrowsSaying(IllegalArgumentException.class, () -> m.predict(new float[3], -1),
                "rows must be at least 1, got -1");
        assertThrowsSaying(IllegalArgumentException.class, () -> m.predict(new float[5], 2),
                "predict: expected 2 x 3 = 6 features, got 5");
        Dataset empty = new Dataset(new float[0], 3, new float[0], 4);
        // It used to return a loss and an accuracy of NaN over 0 samples.
        assertThrowsSaying(IllegalArgumentException.class,
                () -> m.evaluate(empty, Loss.categoricalCrossEntropy(), 8), "evaluation set is empty");
        Sgd sgd = track(new Sgd(0.1f));
        assertThrowsSaying(IllegalArgumentException.class,
                () -> trainer().fit(m, Loss.categoricalCrossEntropy(), sgd, empty, null), "training set is empty");
    }

    // ---------------------------------------------------------------- null arguments

    @Test
    void aNullArgumentIsNamedByTheCallItWasPassedTo() {
        Sequential m = classifier(11);
        Dataset data = quadrants(11);
        Loss cce = Loss.categoricalCrossEntropy();
        Sgd sgd = track(new Sgd(0.1f));
        Tensor x = tensor(new float[15], 5, 3);
        Tensor y = tensor(new float[20], 5, 4);
        SavedModel saved = new SavedModel(m, Preprocessing.none(), Map.of());
        Map<String, Executable> calls = new LinkedHashMap<>();
        // fit with a null optimizer used to fail at LearningRates.<init>, the others as deep inside
        calls.put("fit: argument 'model' is null", () -> trainer().fit(null, cce, sgd, data, null));
        calls.put("fit: argument 'loss' is null", () -> trainer().fit(m, null, sgd, data, null));
        calls.put("fit: argument 'optimizer' is null", () -> trainer().fit(m, cce, null, data, null));
        calls.put("fit: argument 'train' is null", () -> trainer().fit(m, cce, sgd, null, null));
        calls.put("predict: argument 'features' is null", () -> m.predict((float[]) null, 2));
        calls.put("predict: argument 'x' is null", () -> m.predict((Tensor) null));
        calls.put("predict: argument 'out' is null", () -> m.predict(x, null));
        calls.put("predict: argument 'rawFeatures' is null", () -> saved.predict(null, 2));
        calls.put("evaluate: argument 'data' is null", () -> m.evaluate(null, cce, 8));
        calls.put("evaluate: argument 'loss' is null", () -> m.evaluate(data, null, 8));
        calls.put("evaluate: argument 'y' is null", () -> m.evaluate(x, null, cce));
        calls.put("forward: argument 'x' is null", () -> m.forward(null, true));
        calls.put("backward: argument 'loss' is null", () -> m.backward(null, y));
        calls.put("add: argument 'layer' is null", () -> m.add(null));
        calls.put("loadStateDict: argument 'mode' is null", () -> m.loadStateDict(m.stateDict(), null));
        calls.put("Sequential: argument 'backend' is null", () -> new Sequential(null, 3, 1));
        calls.put("Dataset: argument 'features' is null", () -> new Dataset(null, 3, new float[4], 4));
        calls.put("Dense: argument 'activation' is null", () -> new Dense(3, (Activation) null));
        calls.put("copyFrom: argument 'src' is null", () -> x.copyFrom(null));
        calls.put("copyTo: argument 'dst' is null", () -> x.copyTo(null, 0));
        calls.put("Backends: argument 'name' is null", () -> dev.nnj.api.Backends.get(null));
        java.nio.file.Path nowhere = java.nio.file.Path.of("target", "no-such-checkpoint.safetensors");
        calls.put("restore: argument 'file' is null", () -> dev.nnj.api.io.Checkpoint.restore(null, backend(), sgd));
        calls.put("restore: argument 'optimizer' is null",
                () -> dev.nnj.api.io.Checkpoint.restore(nowhere, backend(), null));
        calls.put("ModelCheckpoint: argument 'directory' is null", () -> new dev.nnj.api.train.ModelCheckpoint(null,
                m, sgd, dev.nnj.api.train.EarlyStopping.Monitor.TRAINING_LOSS));
        calls.put("ModelCheckpoint: argument 'model' is null", () -> new dev.nnj.api.train.ModelCheckpoint(
                java.nio.file.Path.of("target"), null, sgd, dev.nnj.api.train.EarlyStopping.Monitor.TRAINING_LOSS));
        calls.put("apply: argument 'dataset' is null", () -> new dev.nnj.api.data.IndexSplit(new int[] {0},
                new int[] {1}).apply(null));
        for (Map.Entry<String, Executable> call : calls.entrySet()) {
            NullPointerException e = assertThrows(NullPointerException.class, call.getValue(), call.getKey());
            assertEquals(call.getKey(), e.getMessage());
        }
        assertEquals(0, sgd.steps(), "no step was taken");
        assertEquals(2, m.layers().size(), "nothing was added");
    }

    // ---------------------------------------------------------------- a closed model

    @Test
    void everyCallOnAClosedModelSaysTheModelIsClosed() {
        Sequential m = classifier(1);
        Map<String, float[]> state = m.stateDict();
        Map<String, HostTensor> shaped = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : state.entrySet()) {
            shaped.put(e.getKey(), HostTensor.of(e.getValue(), m.parameter(e.getKey()).shape()));
        }
        Dataset data = quadrants(1);
        Tensor x = tensor(new float[15], 5, 3);
        Tensor y = tensor(new float[20], 5, 4);
        Sgd sgd = track(new Sgd(0.1f));
        m.close();

        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("fit", () -> trainer().fit(m, Loss.categoricalCrossEntropy(), sgd, data, null));
        calls.put("evaluate(Dataset)", () -> m.evaluate(data, Loss.categoricalCrossEntropy(), 8));
        calls.put("evaluate(Tensor)", () -> m.evaluate(x, y, Loss.categoricalCrossEntropy()));
        calls.put("predict(float[])", () -> m.predict(new float[15], 5));
        calls.put("predict(Tensor)", () -> m.predict(x));
        calls.put("summary", m::summary);
        calls.put("stateDict", m::stateDict);
        calls.put("loadStateDict", () -> m.loadStateDict(state));
        calls.put("loadStateDict(lenient)", () -> m.loadStateDict(state, StateDictLoader.Mode.LENIENT));
        calls.put("loadShapedStateDict", () -> m.loadShapedStateDict(shaped, StateDictLoader.Mode.STRICT));
        calls.put("forward", () -> m.forward(x, true));
        calls.put("add", () -> m.add(new Dense(2)));
        for (Map.Entry<String, Executable> call : calls.entrySet()) {
            IllegalStateException e = assertThrowsSaying(IllegalStateException.class, call.getValue(),
                    "model is closed");
            assertEquals("model is closed", e.getMessage(), call.getKey());
        }
        assertEquals(0, sgd.steps(), "no step was taken");
    }

    // ---------------------------------------------------------------- a model without layers

    @Test
    void aModelWithoutLayersSaysSoInsteadOfAWidthMismatch() {
        // Its output width is its input width, 3, so a width check would blame the data's one target column.
        Sequential m = model(3, 2);
        Dataset oneTarget = new Dataset(new float[12], 3, new float[4], 1);
        Sgd sgd = track(new Sgd(0.1f));
        assertThrowsSaying(IllegalStateException.class,
                () -> trainer().fit(m, Loss.meanSquaredError(), sgd, oneTarget, null), "the model has no layers");
        assertThrowsSaying(IllegalStateException.class,
                () -> m.evaluate(oneTarget, Loss.meanSquaredError(), 4), "the model has no layers");
        assertThrowsSaying(IllegalStateException.class, () -> m.predict(new float[12], 4), "the model has no layers");
        assertEquals(0, sgd.steps(), "no step was taken");
    }

    // ---------------------------------------------------------------- a hand-written loop's backward

    /**
     * A hand-written loop that refills its batch tensor ({@code copyFrom}) between forward and backward: backward
     * would read the new rows' {@code x} beside the old rows' activations, a gradient of no batch (a trial measured
     * {@code [0.686, 0.113, ...]} against the true {@code [-0.229, -0.038, ...]}), so it is refused. Refilled the
     * right way round, after backward, the next step is as a fresh tensor's.
     */
    @Test
    void anInputRefilledBeforeBackwardIsRefused() {
        Sequential m = classifier(6);
        float[] first = quadrants(6).features();
        float[] second = quadrants(7).features();
        Tensor x = tensor(first, 20, 3);
        float[] oneHot = oneHotRows();
        Tensor y = tensor(oneHot, 20, 4);
        m.forward(x, true);
        x.copyFrom(second);
        assertThrowsSaying(IllegalStateException.class, () -> m.backward(Loss.categoricalCrossEntropy(), y),
                "dense_1.backward: its input (20, 3) was written again (copyFrom, or an op's output) after the forward "
                + "pass", "Call backward before refilling");
        // Refilled on the backend (a data set kept on the device, copied a batch at a time): the same.
        x.copyFrom(first);
        m.forward(x, true);
        backend().copy(tensor(second, 20, 3), x);
        assertThrowsSaying(IllegalStateException.class, () -> m.backward(Loss.categoricalCrossEntropy(), y),
                "dense_1.backward: its input (20, 3) was written again");
        m.forward(x, true);   // forward on the new values: backward goes on
        m.backward(Loss.categoricalCrossEntropy(), y);
        Sequential fresh = classifier(6);
        fresh.forward(tensor(second, 20, 3), true);
        fresh.backward(Loss.categoricalCrossEntropy(), tensor(oneHot, 20, 4));
        for (int p = 0; p < m.parameters().size(); p++) {
            assertSameFloats(m.parameters().get(p).name(), fresh.parameters().get(p).readGradient(),
                    m.parameters().get(p).readGradient());
        }
    }

    /**
     * One model's output as another's input (an encoder and a head): the first model's forward pass on a new batch
     * writes that output again before the second's backward, which would read the new rows beside its old
     * activations; refused, naming the second model's layer.
     */
    @Test
    void anInputAnotherModelWroteAgainIsRefused() {
        Sequential encoder = model(3, 9).add(new Dense(5, Activation.TANH));
        Sequential head = model(5, 10).add(new Dense(4, Activation.SOFTMAX));
        Tensor x = tensor(quadrants(9).features(), 20, 3);
        Tensor y = tensor(oneHotRows(), 20, 4);
        head.forward(encoder.forward(x, true), true);
        head.backward(Loss.categoricalCrossEntropy(), y);   // in order: accepted
        head.forward(encoder.forward(x, true), true);
        encoder.forward(tensor(quadrants(10).features(), 20, 3), true);
        assertThrowsSaying(IllegalStateException.class, () -> head.backward(Loss.categoricalCrossEntropy(), y),
                "backward: its input (20, 5) was written again");
    }

    /**
     * The targets are checked once per tensor, not every step; a tensor refilled with new rows is checked again, where
     * the first batch's check used to pass every later one (rows of two ones then got the fused gradient {@code a − y},
     * which is not their loss's).
     */
    @Test
    void refilledTargetsAreCheckedAgain() {
        Sequential m = classifier(8);
        Tensor x = tensor(quadrants(8).features(), 20, 3);
        float[] oneHot = oneHotRows();
        Tensor y = tensor(oneHot, 20, 4);
        Loss loss = Loss.categoricalCrossEntropy();   // one loss for the loop, as a loop keeps it
        m.forward(x, true);
        m.backward(loss, y);
        float[] twoOnes = oneHot.clone();
        twoOnes[3 * 4] = 1;   // row 3: classes 3 and 0
        y.copyFrom(twoOnes);
        m.forward(x, true);
        assertThrowsSaying(dev.nnj.api.data.InvalidDataException.class, () -> m.backward(loss, y),
                "backward target: row 3 sums to 2.0");
    }

    /**
     * {@code backward} in a loop of one's own checks the targets of the fused softmax + cross-entropy gradient as
     * {@code fit} checks a dataset's. Before, a multi-hot target row trained on {@code (a − y) / N}, which is the
     * cross-entropy's gradient only for rows summing to 1 (a bias gradient of −0.556 where finite differences give
     * −0.511).
     */
    @Test
    void backwardInAHandWrittenLoopRefusesTargetsTheFusedGradientIsWrongFor() {
        Sequential m = classifier(5);
        Tensor x = tensor(quadrants(5).features(), 20, 3);
        float[] multiHot = new float[20 * 4];
        for (int r = 0; r < 20; r++) {
            multiHot[r * 4] = 1;
            multiHot[r * 4 + 1 + r % 3] = 1;
        }
        Tensor twoOnes = tensor(multiHot, 20, 4);
        m.forward(x, true);
        assertThrowsSaying(dev.nnj.api.data.InvalidDataException.class,
                () -> m.backward(Loss.categoricalCrossEntropy(), twoOnes),
                "backward target: row 0 sums to 2.0", "categorical cross-entropy", "summing to 1");
        // evaluate on tensors reads the targets back anyway: it checks them as evaluate on a data set does, where
        // it used to return a loss of 1.65 for such rows, and 1.10 for a row [-1, 2, 0, 0].
        assertThrowsSaying(dev.nnj.api.data.InvalidDataException.class,
                () -> m.evaluate(x, twoOnes, Loss.categoricalCrossEntropy()), "evaluate: y: row 0 sums to 2.0");
        float[] outOfRange = new float[20 * 4];
        for (int r = 0; r < 20; r++) {
            outOfRange[r * 4] = -1;
            outOfRange[r * 4 + 1] = 2;
        }
        assertThrowsSaying(dev.nnj.api.data.InvalidDataException.class,
                () -> m.evaluate(x, tensor(outOfRange, 20, 4), Loss.categoricalCrossEntropy()),
                "evaluate: y: row 0, column 0 is -1.0", "needs targets in [0, 1]");

        float[] oneHot = oneHotRows();
        Tensor fine = tensor(oneHot, 20, 4);
        m.forward(x, true);
        m.backward(Loss.categoricalCrossEntropy(), fine);   // one-hot rows: accepted

        float[] nan = oneHot.clone();
        nan[7] = Float.NaN;
        Tensor withNaN = tensor(nan, 20, 4);
        m.forward(x, true);
        assertThrowsSaying(dev.nnj.api.data.InvalidDataException.class,
                () -> m.backward(Loss.categoricalCrossEntropy(), withNaN), "backward target: row 1, column 3 is NaN");

        // Other paths compute their loss's own gradient for any targets: the multi-hot rows under a mean squared error.
        m.forward(x, true);
        m.backward(Loss.meanSquaredError(), twoOnes);
        // Through a BatchLoader the data set is checked on the host instead, once, and no tensor is read back.
        Dataset multiHotRows = new Dataset(quadrants(5).features(), 3, multiHot, 4);
        try (dev.nnj.api.model.BatchLoader loader = new dev.nnj.api.model.BatchLoader(backend(), multiHotRows, 8,
                true, 1)) {
            loader.startEpoch();
            loader.load(0);
            m.forward(loader.features(), true);
            assertThrowsSaying(dev.nnj.api.data.InvalidDataException.class,
                    () -> m.backward(Loss.categoricalCrossEntropy(), loader), "training set targets: row 0 sums to 2.0");
        }
    }
}
