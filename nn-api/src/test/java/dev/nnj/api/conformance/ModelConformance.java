package dev.nnj.api.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.Tensor;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.layers.Dropout;
import dev.nnj.api.layers.Layer;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.layers.ReLU;
import dev.nnj.api.layers.Softmax;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.metrics.Predictions;
import dev.nnj.api.model.Evaluation;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.model.StateDictLoader;
import dev.nnj.api.optim.Adam;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.optim.Sgd;
import dev.nnj.api.train.EarlyStopping;
import dev.nnj.api.train.History;
import dev.nnj.api.train.Trainer;
import dev.nnj.api.train.ValidationMetric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The model API on the backend under test: {@link Sequential}'s naming, parameter access, state dicts, summary,
 * seeding, evaluation, errors and {@code close()}, and {@link Trainer}'s loop — full batch and mini-batch against
 * the same steps taken by hand, the history it records, a small problem actually learned, and early stopping that
 * stops after {@code patience} epochs and puts back the weights of the best epoch.
 *
 * <p>Where the trainer is compared with hand-taken steps, both run the same float32 ops in the same order on the
 * same backend; the comparison still allows {@code 1e-5} relative (plus {@code 1e-6}) so that a backend whose
 * reductions are not bit-reproducible run to run (atomics on a GPU) passes.
 */
public abstract class ModelConformance extends ModelTestSupport {

    /** in 4 → dense_1 (3, tanh) → relu_1 → dropout_1 → dense_2 (5) → softmax_1. */
    private Sequential fiveLayers(long seed) {
        return model(4, seed)
                .add(new Dense(3, Activation.TANH))
                .add(new ReLU())
                .add(new Dropout(0.5f))
                .add(new Dense(5))
                .add(new Softmax());
    }

    // ---------------------------------------------------------------- naming, parameters, state

    @Test
    void layersAndParametersAreNamedByTypeAndCount() {
        Sequential m = fiveLayers(1);
        List<String> names = new ArrayList<>();
        for (Layer l : m.layers()) {
            names.add(l.name());
        }
        assertEquals(List.of("dense_1", "relu_1", "dropout_1", "dense_2", "softmax_1"), names, "layer names");
        List<String> params = new ArrayList<>();
        for (Parameter p : m.parameters()) {
            params.add(p.name());
        }
        assertEquals(List.of("dense_1.weight", "dense_1.bias", "dense_2.weight", "dense_2.bias"), params,
                "parameter names, in layer order, weight before bias");
        assertShape("dense_1.weight (in, out)", new int[] {4, 3}, m.parameter("dense_1.weight").shape());
        assertShape("dense_1.bias", new int[] {3}, m.parameter("dense_1.bias").shape());
        assertShape("dense_2.weight (in, out)", new int[] {3, 5}, m.parameter("dense_2.weight").shape());
        assertShape("dense_2.bias", new int[] {5}, m.parameter("dense_2.bias").shape());
        for (Parameter p : m.parameters()) {
            assertShape(p.name() + " gradient", p.shape(), p.gradient().shape());
        }
        assertEquals(4 * 3 + 3 + 3 * 5 + 5, m.parameterCount(), "parameter count");
        assertEquals(4, m.inputWidth(), "input width");
        assertEquals(5, m.outputWidth(), "output width");
        assertThrows(UnsupportedOperationException.class, () -> m.parameters().add(m.parameters().get(0)),
                "parameters() is read-only");
        assertThrows(UnsupportedOperationException.class, () -> m.layers().add(new ReLU()), "layers() is read-only");
    }

    @Test
    void parametersAreReadAndWrittenAsCopies() {
        Sequential m = fiveLayers(2);
        Parameter w = m.parameter("dense_2.weight");
        float[] values = new float[15];
        for (int i = 0; i < values.length; i++) {
            values[i] = i - 7.5f;
        }
        w.write(values);
        float[] read = w.read();
        assertSameFloats("read after write", values, read);
        read[0] = 99;
        values[1] = 99;
        assertEquals(-7.5f, w.read()[0], "read() returns a copy");
        assertEquals(-6.5f, w.read()[1], "write() copies its argument");
        assertThrowsSaying(IllegalArgumentException.class, () -> w.write(new float[14]), "dense_2.weight", "(3, 5)",
                "15", "14");
        float[] poisoned = w.read();
        poisoned[7] = Float.NaN;
        assertThrowsSaying(IllegalArgumentException.class, () -> w.write(poisoned), "dense_2.weight", "value 7",
                "NaN", "finite");
        assertEquals(-0.5f, w.read()[7], "a refused write writes nothing");
        assertThrowsSaying(IllegalArgumentException.class, () -> m.parameter("dense_3.weight"), "dense_3.weight",
                "dense_1.weight");
    }

    @Test
    void stateDictRoundTripsAndLoadingChecksEverythingFirst() {
        Sequential a = fiveLayers(3);
        Sequential b = fiveLayers(4);
        Map<String, float[]> state = a.stateDict();
        assertEquals(List.of("dense_1.weight", "dense_1.bias", "dense_2.weight", "dense_2.bias"),
                new ArrayList<>(state.keySet()), "state dict keys in layer order");
        for (Parameter p : a.parameters()) {
            assertSameFloats("state of " + p.name(), p.read(), state.get(p.name()));
        }
        state.get("dense_1.weight")[0] += 1;   // a copy: the model is untouched
        assertEquals(a.parameter("dense_1.weight").read()[0] + 1, state.get("dense_1.weight")[0], 0f,
                "stateDict() returns copies");
        state.get("dense_1.weight")[0] -= 1;

        float[] x = normal(random("state"), 7 * 4, 1);
        b.loadStateDict(state);
        for (Parameter p : b.parameters()) {
            assertSameFloats("loaded " + p.name(), state.get(p.name()), p.read());
        }
        assertSameFloats("same parameters, same predictions", a.predict(x, 7), b.predict(x, 7));

        // A partial dict is an error by default; in lenient mode it writes only what it names.
        Sequential c = fiveLayers(5);
        Map<String, float[]> before = c.stateDict();
        assertThrowsSaying(IllegalArgumentException.class,
                () -> c.loadStateDict(Map.of("dense_2.bias", new float[] {1, 2, 3, 4, 5})), "missing keys",
                "dense_1.weight", "LENIENT");
        StateDictLoader.Result r = c.loadStateDict(Map.of("dense_2.bias", new float[] {1, 2, 3, 4, 5}),
                StateDictLoader.Mode.LENIENT);
        assertEquals(List.of("dense_1.weight", "dense_1.bias", "dense_2.weight"), r.missingKeys());
        assertEquals(List.of(), r.unexpectedKeys());
        assertSameFloats("named parameter written", new float[] {1, 2, 3, 4, 5}, c.parameter("dense_2.bias").read());
        assertSameFloats("other parameters untouched", before.get("dense_1.weight"),
                c.parameter("dense_1.weight").read());

        // An unknown name or a wrong size anywhere rejects the whole dict before anything is written.
        Map<String, float[]> unknown = new LinkedHashMap<>();
        unknown.put("dense_1.bias", new float[] {7, 7, 7});
        unknown.put("dense_9.weight", new float[] {1});
        assertThrowsSaying(IllegalArgumentException.class, () -> c.loadStateDict(unknown), "dense_9.weight");
        Map<String, float[]> wrongSize = new LinkedHashMap<>();
        wrongSize.put("dense_1.bias", new float[] {7, 7, 7});
        wrongSize.put("dense_2.weight", new float[14]);
        assertThrowsSaying(IllegalArgumentException.class, () -> c.loadStateDict(wrongSize), "dense_2.weight",
                "(3, 5)", "14");
        assertSameFloats("a rejected dict writes nothing", before.get("dense_1.bias"),
                c.parameter("dense_1.bias").read());
    }

    @Test
    void summaryListsLayersShapesAndParameterCounts() {
        Sequential m = fiveLayers(6);
        String s = m.summary();
        for (String part : new String[] {"dense_1", "relu_1", "dropout_1", "dense_2", "softmax_1", "(N, 3)",
            "(N, 5)", "15", "20", "Total parameters: 35", backend().name()}) {
            assertTrue(s.contains(part), "summary should contain '" + part + "':\n" + s);
        }
        // One line per layer, with its own parameter count: dense_1 has 4·3 + 3 = 15, dense_2 has 3·5 + 5 = 20.
        for (String line : s.split("\n")) {
            if (line.startsWith("dense_1 ")) {
                assertTrue(line.matches(".*\\b15\\b.*"), "dense_1 line: " + line);
            } else if (line.startsWith("dense_2 ")) {
                assertTrue(line.matches(".*\\b20\\b.*"), "dense_2 line: " + line);
            } else if (line.startsWith("relu_1 ")) {
                assertTrue(line.matches(".*\\b0\\b.*"), "relu_1 line: " + line);
            }
        }
        // toString is the one-line form, for logs (a SavedModel's record printed Sequential@1b2c3d).
        String line = m.toString();
        assertTrue(line.startsWith("Sequential(4 inputs: dense_1(units=3, "), line);
        assertTrue(line.endsWith("; 35 parameters on " + backend().name() + ")"), line);
        for (String part : new String[] {"relu_1", "dropout_1", "dense_2(units=5", "softmax_1"}) {
            assertTrue(line.contains(part), "toString should contain '" + part + "': " + line);
        }
        m.close();
        assertTrue(m.toString().endsWith(", closed)"), m.toString());
    }

    @Test
    void theSeedDeterminesTheInitialWeights() {
        Map<String, float[]> a = fiveLayers(42).stateDict();
        Map<String, float[]> b = fiveLayers(42).stateDict();
        Map<String, float[]> c = fiveLayers(43).stateDict();
        for (String name : a.keySet()) {
            assertSameFloats("same seed, " + name, a.get(name), b.get(name));
        }
        assertFalse(Arrays.equals(a.get("dense_1.weight"), c.get("dense_1.weight")), "another seed, other weights");
        // Dense's defaults are Keras': Glorot-uniform weights in ±√(6 / (in + out)), zero biases.
        double limit1 = Math.sqrt(6.0 / (4 + 3));
        for (float v : a.get("dense_1.weight")) {
            assertTrue(Math.abs(v) <= limit1, "dense_1.weight within ±" + limit1 + ": " + v);
        }
        assertSameFloats("dense_1.bias starts at zero", new float[3], a.get("dense_1.bias"));
    }

    // ---------------------------------------------------------------- evaluation

    @Test
    void evaluateMatchesTheDoublePrecisionModel() {
        Random r = random("evaluate");
        int n = 13;
        Sequential m = model(3, 8).add(new Dense(7, Activation.TANH)).add(new Dense(4, Activation.SOFTMAX));
        float[] x = normal(r, n * 3, 1);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(4);
        }
        Dataset data = Dataset.ofLabels(x, 3, labels, 4);
        ReferenceMlp ref = new ReferenceMlp()
                .add(new ReferenceMlp.Layer(3, 7, Activation.TANH, 0, m.parameter("dense_1.weight").read(),
                        m.parameter("dense_1.bias").read()))
                .add(new ReferenceMlp.Layer(7, 4, Activation.SOFTMAX, 0, m.parameter("dense_2.weight").read(),
                        m.parameter("dense_2.bias").read()));
        ReferenceMlp.Pass pass = ref.backward(x, data.targets(), n, dev.nnj.api.LossKind.CATEGORICAL_CROSS_ENTROPY);
        double[] out = pass.output();
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < 4; j++) {
                best = out[i * 4 + j] > out[i * 4 + best] ? j : best;
            }
            correct += best == labels[i] ? 1 : 0;
        }
        Loss cce = Loss.categoricalCrossEntropy();
        for (int batch : new int[] {1, 4, 13, 100}) {
            Evaluation e = m.evaluate(data, cce, batch);
            assertEquals(pass.loss, e.loss(), 1e-5 * pass.loss, "loss evaluated in batches of " + batch);
            assertEquals(correct / (double) n, e.accuracy(), 1e-6, "accuracy evaluated in batches of " + batch);
            assertEquals(n, e.samples(), "samples");
        }
        Evaluation whole = m.evaluate(tensor(x, n, 3), tensor(data.targets(), n, 4), cce);
        assertEquals(pass.loss, whole.loss(), 1e-5 * pass.loss, "loss evaluated on device tensors");
        assertClose("predict", 4, out, m.predict(x, n), 1e-4, 1e-6);
    }

    @Test
    void predictionsOfManyRowsRunInSlicesWithTheSameResults() {
        // More rows than one pass through the layers takes (4,096), with a short last slice.
        int n = 2 * 4096 + 37;
        Sequential m = model(5, 21).add(new Dense(7, Activation.TANH)).add(new Dense(3)).add(new Softmax());
        Random r = new Random(8);
        float[] x = normal(r, n * 5, 1);
        float[] all = m.predict(x, n);
        assertEquals(n * 3, all.length, "rows x outputs");
        ReferenceMlp ref = new ReferenceMlp()
                .add(new ReferenceMlp.Layer(5, 7, Activation.TANH, 0, m.parameter("dense_1.weight").read(),
                        m.parameter("dense_1.bias").read()))
                .add(new ReferenceMlp.Layer(7, 3, Activation.SOFTMAX, 0, m.parameter("dense_2.weight").read(),
                        m.parameter("dense_2.bias").read()));
        assertClose("predict, every row", 3, ref.forward(x, n).output(), all, 1e-4, 1e-6);
        // Rows on either side of a slice's edge, predicted on their own: the same numbers.
        for (int row : new int[] {0, 4095, 4096, 8191, 8192, n - 1}) {
            float[] one = m.predict(Arrays.copyOfRange(x, row * 5, row * 5 + 5), 1);
            for (int j = 0; j < 3; j++) {
                assertEquals(one[j], all[row * 3 + j], 1e-6f, "row " + row + ", output " + j);
            }
        }
    }

    @Test
    void anOverflowInsideTheModelIsRefusedNotPredicted() {
        Sequential m = model(4, 2).add(new Dense(3)).add(new Softmax());
        Map<String, float[]> weights = new LinkedHashMap<>();
        weights.put("dense_1.weight", new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
        weights.put("dense_1.bias", new float[3]);
        m.loadStateDict(weights);
        float[] fine = {1, 2, 3, 4, 3e38f, 3e38f, 3e38f, 3e38f};   // row 1 sums past float32's largest value
        assertThrowsSaying(ArithmeticException.class, () -> m.predict(fine, 2), "row 1's output 0 is NaN",
                "the largest in magnitude is 3.0E38", "overflowed float32");
        assertEquals(3, m.predict(Arrays.copyOf(fine, 4), 1).length, "row 0 alone is fine");
    }

    @Test
    void tensorsOfAnotherBackendOrClosedOnesAreNamedAsPredictsArguments() {
        Sequential m = model(4, 2).add(new Dense(3)).add(new Softmax());
        Tensor x = tensor(new float[4], 1, 4);
        x.close();
        assertThrowsSaying(IllegalStateException.class, () -> m.predict(x), "predict: tensor 'x' (1, 4) is closed");
        try (Tensor y = tensor(new float[4], 1, 4); Tensor out = tensor(new float[3], 1, 3)) {
            out.close();
            assertThrowsSaying(IllegalStateException.class, () -> m.predict(y, out),
                    "predict: tensor 'out' (1, 3) is closed");
        }
    }

    // ---------------------------------------------------------------- Trainer against hand-taken steps

    /** A small classification set: 13 rows of 3 features, 2 one-hot classes. */
    private static Dataset classification(Random r, int n) {
        float[] x = normal(r, n * 3, 1);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = x[i * 3] + 0.5f * x[i * 3 + 1] > 0 ? 1 : 0;
        }
        return Dataset.ofLabels(x, 3, labels, 2);
    }

    private Sequential classifier(long seed) {
        return model(3, seed).add(new Dense(5, Activation.TANH)).add(new Dense(2, Activation.SOFTMAX));
    }

    /**
     * The trainer's mini-batch loop without shuffling, by hand: rows {@code [0, b)}, {@code [b, 2b)}, … with a short
     * last batch; the training loss is the sum of every batch's loss before its update over the row count, and
     * validation is measured after the epoch's last update.
     */
    @ParameterizedTest(name = "batch size {0}")
    @ValueSource(ints = {0, 5, 13, 1})
    void trainerTakesTheStepsTakenByHand(int batchSize) {
        Random r = random("trainer", batchSize);
        int n = 13;
        int epochs = 4;
        Dataset train = classification(r, n);
        Dataset validation = classification(r, 6);
        Sequential trained = classifier(9);
        Sequential byHand = classifier(9);
        Loss loss = Loss.categoricalCrossEntropy();
        History h = Trainer.builder().epochs(epochs).batchSize(batchSize).shuffle(false).build()
                .fit(trained, loss, track(new Sgd(0.3f, 0.9f, false)), train, validation);

        Optimizer sgd = track(new Sgd(0.3f, 0.9f, false));
        int b = batchSize == 0 ? n : batchSize;
        double[] trainLoss = new double[epochs];
        double[] trainAccuracy = new double[epochs];
        double[] validationLoss = new double[epochs];
        double[] validationAccuracy = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            double lossSum = 0;
            int correct = 0;
            for (int from = 0; from < n; from += b) {
                int rows = Math.min(b, n - from);
                Tensor x = tensor(Arrays.copyOfRange(train.features(), from * 3, (from + rows) * 3), rows, 3);
                Tensor y = tensor(Arrays.copyOfRange(train.targets(), from * 2, (from + rows) * 2), rows, 2);
                Tensor out = byHand.forward(x, true);
                lossSum += loss.value(backend(), out, y) * rows;
                correct += countCorrect(out.toArray(), Arrays.copyOfRange(train.targets(), from * 2,
                        (from + rows) * 2));
                byHand.backward(loss, y);
                sgd.step(byHand.parameters());
            }
            trainLoss[e] = lossSum / n;
            trainAccuracy[e] = correct / (double) n;
            Evaluation v = byHand.evaluate(validation, loss, 100);
            validationLoss[e] = v.loss();
            validationAccuracy[e] = v.accuracy();
        }
        for (Parameter p : byHand.parameters()) {
            assertClose(p.name() + " after " + epochs + " epochs of batch " + batchSize, p.value().cols(),
                    toDouble(p.read()), trained.parameter(p.name()).read(), 1e-5, 1e-6);
        }
        assertEquals(epochs, h.epochs(), "epochs run");
        assertEquals(epochs, h.trainLoss().length, "training losses recorded");
        assertEquals(epochs, h.trainAccuracy().length, "training accuracies recorded");
        assertEquals(epochs, h.validationLoss().length, "validation losses recorded");
        assertEquals(epochs, h.validationAccuracy().length, "validation accuracies recorded");
        assertClose("training loss per epoch", 0, trainLoss, h.trainLoss(), 1e-5, 1e-6);
        assertClose("training accuracy per epoch", 0, trainAccuracy, h.trainAccuracy(), 0, 1e-6);
        assertClose("validation loss per epoch", 0, validationLoss, h.validationLoss(), 1e-5, 1e-6);
        assertClose("validation accuracy per epoch", 0, validationAccuracy, h.validationAccuracy(), 0, 1e-6);
        assertEquals(epochs, h.bestEpoch(), "without early stopping the best epoch is the last");
        assertFalse(h.stoppedEarly(), "stopped early");
        assertFalse(h.restoredBestWeights(), "restored best weights");
    }

    private static int countCorrect(float[] p, float[] y) {
        int correct = 0;
        for (int i = 0; i < p.length / 2; i++) {
            int predicted = p[2 * i + 1] > p[2 * i] ? 1 : 0;
            int actual = y[2 * i + 1] > y[2 * i] ? 1 : 0;
            correct += predicted == actual ? 1 : 0;
        }
        return correct;
    }

    @Test
    void historyWithoutValidationHoldsNaN() {
        Dataset train = classification(random("no-validation"), 13);
        History h = Trainer.builder().epochs(3).batchSize(4).seed(1).build()
                .fit(classifier(10), Loss.categoricalCrossEntropy(), track(new Sgd(0.1f)), train, null);
        assertEquals(3, h.epochs(), "epochs run");
        for (int e = 0; e < 3; e++) {
            assertTrue(Float.isNaN(h.validationLoss()[e]), "validation loss without a validation set is NaN");
            assertTrue(Float.isNaN(h.validationAccuracy()[e]), "validation accuracy without a validation set is NaN");
            assertTrue(Float.isFinite(h.trainLoss()[e]), "training loss is finite");
        }
    }

    @Test
    void shuffledTrainingIsReproducibleFromItsSeed() {
        Dataset train = classification(random("shuffle"), 13);
        Map<String, float[]> first = shuffledRun(train, 7);
        Map<String, float[]> again = shuffledRun(train, 7);
        Map<String, float[]> other = shuffledRun(train, 8);
        for (String name : first.keySet()) {
            assertClose("same shuffle seed, " + name, 0, toDouble(first.get(name)), again.get(name), 1e-5, 1e-6);
        }
        assertFalse(Arrays.equals(first.get("dense_1.weight"), other.get("dense_1.weight")),
                "another shuffle seed visits the batches in another order");
    }

    private Map<String, float[]> shuffledRun(Dataset train, long seed) {
        Sequential m = classifier(11);
        Trainer.builder().epochs(3).batchSize(4).shuffle(true).seed(seed).build()
                .fit(m, Loss.categoricalCrossEntropy(), track(new Sgd(0.3f)), train, null);
        return m.stateDict();
    }

    @Test
    void aSmallProblemIsLearned() {
        // XOR, the classic problem no linear model solves: 2-8-1, tanh hidden, sigmoid output, full batch.
        float[] x = {0, 0, 0, 1, 1, 0, 1, 1};
        float[] y = {0, 1, 1, 0};
        Dataset xor = new Dataset(x, 2, y, 1);
        Sequential m = model(2, 3).add(new Dense(8, Activation.TANH)).add(new Dense(1, Activation.SIGMOID));
        History h = Trainer.builder().epochs(300).batchSize(0).build()
                .fit(m, Loss.binaryCrossEntropy(), track(new Adam(0.05f)), xor, xor);
        float[] losses = h.trainLoss();
        assertTrue(losses[losses.length - 1] < 0.2 * losses[0], "the loss should fall to a fifth: first "
                + losses[0] + ", last " + losses[losses.length - 1]);
        int rises = 0;
        for (int e = 1; e < losses.length; e++) {
            rises += losses[e] > losses[e - 1] ? 1 : 0;
        }
        assertTrue(rises < losses.length / 10, "full-batch Adam at a small rate should rarely raise the loss: "
                + rises + " rises in " + losses.length + " epochs");
        assertEquals(1.0, h.validationAccuracy()[h.epochs() - 1], "XOR learned: " + Arrays.toString(m.predict(x, 4)));
    }

    // ---------------------------------------------------------------- early stopping

    /**
     * Logistic regression on one feature whose training labels switch at x = 0.5 and whose validation labels
     * switch at x = 0. Starting from a boundary at x = −1, gradient descent moves it towards 0.5: the validation
     * loss falls while the boundary approaches 0 and rises once it has passed, so the best epoch lies inside the
     * run and early stopping must end it.
     */
    private History stopEarly(Sequential m, EarlyStopping rule, List<Map<String, float[]>> snapshots,
                              Dataset[] data) {
        return stopEarly(m, rule, snapshots, data, 0);
    }

    /** {@link #stopEarly} as a run resumed after {@code initialEpoch} epochs (numbered from there on). */
    private History stopEarly(Sequential m, EarlyStopping rule, List<Map<String, float[]>> snapshots,
                              Dataset[] data, int initialEpoch) {
        return stopEarly(m, rule, snapshots, data, initialEpoch, b -> b);
    }

    /** {@link #stopEarly}, with more of the trainer's settings ({@code extra}). */
    private History stopEarly(Sequential m, EarlyStopping rule, List<Map<String, float[]>> snapshots,
                              Dataset[] data, int initialEpoch, UnaryOperator<Trainer.Builder> extra) {
        int n = 21;
        float[] x = new float[n];
        float[] yTrain = new float[n];
        float[] yValidation = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -2f + 4f * i / (n - 1);
            yTrain[i] = x[i] > 0.5f ? 1 : 0;
            yValidation[i] = x[i] > 0f ? 1 : 0;
        }
        data[0] = new Dataset(x, 1, yTrain, 1);
        data[1] = new Dataset(x.clone(), 1, yValidation, 1);
        m.add(new Dense(1, Activation.SIGMOID));
        m.parameter("dense_1.weight").write(new float[] {3f});
        m.parameter("dense_1.bias").write(new float[] {3f});
        return extra.apply(Trainer.builder().epochs(initialEpoch + 200).initialEpoch(initialEpoch).batchSize(0)
                .earlyStopping(rule)
                .listener(s -> snapshots.add(m.stateDict())))
                .build()
                .fit(m, Loss.binaryCrossEntropy(), track(new Sgd(0.5f)), data[0], data[1]);
    }

    @ParameterizedTest(name = "restore best weights: {0}")
    @ValueSource(booleans = {true, false})
    void earlyStoppingStopsAfterPatienceAndRestoresTheBestEpoch(boolean restore) {
        List<Map<String, float[]>> snapshots = new ArrayList<>();
        Dataset[] data = new Dataset[2];
        Sequential m = model(1, 0);
        History h = stopEarly(m, EarlyStopping.onValidationLoss(3, restore), snapshots, data);
        float[] val = h.validationLoss();
        int best = 0;
        for (int e = 1; e < val.length; e++) {
            best = val[e] < val[best] ? e : best;   // the first minimum: later ties do not improve
        }
        int bestEpoch = best + 1;
        assertTrue(bestEpoch > 1, "the test needs a best epoch inside the run, got " + bestEpoch + ": "
                + Arrays.toString(val));
        assertTrue(h.stoppedEarly(), "stopped early: " + h);
        assertEquals(bestEpoch, h.bestEpoch(), "best epoch is the first minimum of the validation loss "
                + Arrays.toString(val));
        assertEquals(bestEpoch + 3, h.epochs(), "stops after 3 epochs without improvement");
        assertEquals(h.epochs(), snapshots.size(), "listener called once per epoch");
        Map<String, float[]> expected = restore ? snapshots.get(bestEpoch - 1) : snapshots.get(h.epochs() - 1);
        assertEquals(restore, h.restoredBestWeights(), "restoredBestWeights()");
        for (Map.Entry<String, float[]> e : m.stateDict().entrySet()) {
            assertSameFloats(e.getKey() + (restore ? " restored from the best epoch" : " kept from the last epoch"),
                    expected.get(e.getKey()), e.getValue());
        }
        if (restore) {
            assertFalse(Arrays.equals(snapshots.get(h.epochs() - 1).get("dense_1.bias"),
                    m.parameter("dense_1.bias").read()), "the last epoch's weights were replaced");
            // The restored model measures the best validation loss again.
            Evaluation again = m.evaluate(data[1], Loss.binaryCrossEntropy(), 100);
            assertEquals(val[best], again.loss(), 1e-6 * val[best], "validation loss of the restored weights");
        }
    }

    /**
     * A resumed run numbers its epochs from {@code initialEpoch + 1}: the best epoch is such a number, and the best
     * weights come back when it lies before the run's last epoch (not before the count of epochs run, which
     * once left a resumed run on its last epoch's weights).
     */
    @Test
    void aResumedRunStopsEarlyAndRestoresItsBestEpochByNumber() {
        List<Map<String, float[]>> snapshots = new ArrayList<>();
        Sequential m = model(1, 0);
        History h = stopEarly(m, EarlyStopping.onValidationLoss(3, true), snapshots, new Dataset[2], 50);
        assertEquals(51, h.firstEpoch(), "first epoch of a run resumed after 50");
        assertEquals(50 + h.epochs(), h.lastEpoch(), "last epoch");
        assertTrue(h.stoppedEarly(), "stopped early: " + h);
        assertEquals(h.lastEpoch() - 3, h.bestEpoch(), "best epoch, three before the last");
        assertTrue(h.restoredBestWeights(), "the best epoch's weights came back: " + h);
        for (Map.Entry<String, float[]> e : m.stateDict().entrySet()) {
            assertSameFloats(e.getKey() + " of epoch " + h.bestEpoch(),
                    snapshots.get(h.bestEpoch() - h.firstEpoch()).get(e.getKey()), e.getValue());
        }
    }

    /**
     * Every monitor, with and without a minimum improvement: the trainer's decisions replayed from the history it
     * recorded. An epoch improves when it beats the best so far by more than {@code minDelta} (lower loss, higher
     * accuracy); training stops once {@code patience} epochs in a row have not; the best weights come back only if
     * the best epoch is not the last.
     */
    @ParameterizedTest(name = "{0}, minDelta {1}, patience {2}")
    @CsvSource({"VALIDATION_LOSS, 0, 3", "VALIDATION_LOSS, 0.001, 3", "VALIDATION_ACCURACY, 0, 4",
        "VALIDATION_ACCURACY, 0.01, 2", "TRAINING_LOSS, 0, 3", "TRAINING_LOSS, 0.0005, 2"})
    void earlyStoppingFollowsItsRuleForEveryMonitor(EarlyStopping.Monitor monitor, double minDelta, int patience) {
        List<Map<String, float[]>> snapshots = new ArrayList<>();
        Sequential m = model(1, 0);
        History h = stopEarly(m, new EarlyStopping(monitor, patience, minDelta, true), snapshots, new Dataset[2]);
        float[] values = monitor == EarlyStopping.Monitor.VALIDATION_LOSS ? h.validationLoss()
                : monitor == EarlyStopping.Monitor.VALIDATION_ACCURACY ? h.validationAccuracy() : h.trainLoss();
        double best = Double.NaN;
        int bestEpoch = 0;
        int since = 0;
        int stopAt = 200;
        for (int e = 1; e <= values.length; e++) {
            double v = values[e - 1];
            boolean better = Double.isNaN(best)
                    || (monitor.lowerIsBetter() ? v + minDelta < best : v - minDelta > best);   // Keras's arithmetic
            if (better) {
                best = v;
                bestEpoch = e;
                since = 0;
            } else if (++since >= patience) {
                stopAt = e;
                break;
            }
        }
        String series = monitor + " " + Arrays.toString(values);
        assertEquals(stopAt, h.epochs(), "epochs run: " + series);
        assertEquals(stopAt < 200, h.stoppedEarly(), "stopped early: " + series);
        assertEquals(bestEpoch, h.bestEpoch(), "best epoch: " + series);
        assertEquals(bestEpoch < h.epochs(), h.restoredBestWeights(), "restored: " + series);
        for (Map.Entry<String, float[]> e : m.stateDict().entrySet()) {
            assertSameFloats(e.getKey() + " of epoch " + bestEpoch, snapshots.get(bestEpoch - 1).get(e.getKey()),
                    e.getValue());
        }
    }

    /**
     * Keras's {@code baseline} and {@code start_from_epoch}, replayed on the recorded history as Keras 3's
     * {@code EarlyStopping.on_epoch_end} counts: epochs up to {@code startFromEpoch} are skipped; every watched epoch
     * adds one to the wait; an epoch better than the best becomes the best, and resets the wait only if it also beats
     * the baseline; a worse one stops the run once the wait reaches patience. An unreachable baseline (1e-6) stops the
     * run one epoch after its best, where the rule without it waits three.
     */
    @ParameterizedTest(name = "baseline {0}, start from epoch {1}")
    @CsvSource({"NaN, 0", "1e-6, 0", "0.2, 0", "NaN, 5", "1e-6, 12", "0.5, 30", "NaN, 500"})
    void earlyStoppingFollowsKerasBaselineAndStartFromEpoch(double baseline, int startFromEpoch) {
        List<Map<String, float[]>> snapshots = new ArrayList<>();
        Sequential m = model(1, 0);
        EarlyStopping rule = EarlyStopping.onValidationLoss(3, true).withBaseline(baseline)
                .startingFromEpoch(startFromEpoch);
        History h = stopEarly(m, rule, snapshots, new Dataset[2]);
        float[] values = h.validationLoss();
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int wait = 0;
        int stopAt = 200;
        for (int e = 1; e <= values.length; e++) {
            if (e <= startFromEpoch) {
                continue;
            }
            double v = values[e - 1];
            wait++;
            if (v < best) {
                best = v;
                bestEpoch = e;
                if (Double.isNaN(baseline) || v < baseline) {
                    wait = 0;
                }
                continue;
            }
            if (wait >= 3) {
                stopAt = e;
                break;
            }
        }
        String series = "baseline " + baseline + ", from " + startFromEpoch + ": " + Arrays.toString(values);
        assertEquals(stopAt, h.epochs(), "epochs run: " + series);
        assertEquals(bestEpoch, h.bestEpoch(), "best epoch: " + series);
        assertEquals(bestEpoch > 0 && bestEpoch < h.epochs(), h.restoredBestWeights(), "restored: " + series);
        int kept = bestEpoch > 0 ? bestEpoch : h.epochs();
        for (Map.Entry<String, float[]> e : m.stateDict().entrySet()) {
            assertSameFloats(e.getKey() + " of epoch " + kept, snapshots.get(kept - 1).get(e.getKey()),
                    e.getValue());
        }
        if (baseline == 1e-6 && startFromEpoch == 0) {
            assertEquals(h.bestEpoch() + 1, h.epochs(), "an unreachable baseline stops at the first worse epoch: "
                    + series);
        }
    }

    /**
     * A validation metric of the caller's is computed after every epoch, recorded in the stats, the history and the
     * CSV log, and watched by early stopping as the built-in figures are: a metric that is the validation loss
     * negated, watched with higher-is-better, stops the run where watching the loss does, restoring the same epoch.
     */
    @Test
    void earlyStoppingOnAValidationMetricDecidesAsOnTheFigureItMirrors() throws java.io.IOException {
        History onLoss = stopEarly(model(1, 0), EarlyStopping.onValidationLoss(3, true), new ArrayList<>(),
                new Dataset[2]);
        List<Map<String, float[]>> snapshots = new ArrayList<>();
        List<Double> seen = new ArrayList<>();
        java.nio.file.Path log = java.nio.file.Files.createTempFile("nnj-metric-log", ".csv");
        try {
            Sequential m = model(1, 0);
            EarlyStopping rule = new EarlyStopping(EarlyStopping.Monitor.validationMetric("neg_loss", true), 3, 0,
                    true);
            History h = stopEarly(m, rule, snapshots, new Dataset[2], 0, b -> b
                    .validationMetric("neg_loss", (model, val) -> -model.evaluate(val, Loss.binaryCrossEntropy(),
                            100).loss())
                    // ValidationMetric's and the README's example, as they show it
                    .validationMetric("prc", (model, validation) -> Predictions.of(model, validation).averagePrecision()
                            .score())
                    .listener(st -> seen.add(st.validationMetric("neg_loss")))
                    .listener(new dev.nnj.api.train.CsvLogger(log)));
            assertEquals(onLoss.epochs(), h.epochs(), "epochs run: " + Arrays.toString(h.validationLoss()));
            assertEquals(onLoss.bestEpoch(), h.bestEpoch(), "best epoch");
            assertTrue(h.stoppedEarly() && h.restoredBestWeights(), h.toString());
            assertEquals(List.of("neg_loss", "prc"), List.copyOf(h.validationMetricNames()));
            for (float ap : h.validationMetric("prc")) {
                assertTrue(ap >= 0 && ap <= 1, "an average precision: " + ap);
            }
            float[] metric = h.validationMetric("neg_loss");
            float[] loss = h.validationLoss();
            for (int e = 0; e < h.epochs(); e++) {
                assertEquals(-loss[e], metric[e], 1e-6 * Math.abs(loss[e]), "epoch " + (e + 1));
                assertEquals((float) (double) seen.get(e), metric[e], "the stats' value, epoch " + (e + 1));
            }
            for (Map.Entry<String, float[]> e : m.stateDict().entrySet()) {
                assertSameFloats(e.getKey() + " of the best epoch", snapshots.get(h.bestEpoch() - 1).get(e.getKey()),
                        e.getValue());
            }
            List<String> lines = java.nio.file.Files.readAllLines(log);
            assertEquals("epoch,train_loss,train_accuracy,val_loss,val_accuracy,val_neg_loss,val_prc,learning_rate,"
                    + "elapsed_s", lines.get(0));
            assertEquals(h.epochs() + 1, lines.size(), "a row per epoch");
            assertEquals(seen.get(0), Double.parseDouble(lines.get(1).split(",")[5]), "the first row's metric");
        } finally {
            java.nio.file.Files.deleteIfExists(log);
        }
    }

    @Test
    void validationMetricsAreRefusedWhereTheyCannotBeMeasuredOrWatched() {
        Dataset train = classification(random("metrics"), 13);
        ValidationMetric f1 = (model, val) -> 0.5;
        assertThrowsSaying(IllegalArgumentException.class, () -> Trainer.builder().epochs(2).validationMetric("f1", f1)
                .build().fit(classifier(12), Loss.categoricalCrossEntropy(), track(new Sgd(0.1f)), train, null),
                "validation metrics [f1]", "validationSplit");
        EarlyStopping onMissing = new EarlyStopping(EarlyStopping.Monitor.validationMetric("prc", true), 2, 0, true);
        assertThrowsSaying(IllegalArgumentException.class, () -> Trainer.builder().epochs(2).validationMetric("f1", f1)
                .earlyStopping(onMissing).build()
                .fit(classifier(12), Loss.categoricalCrossEntropy(), track(new Sgd(0.1f)), train, train),
                "monitors val_prc", "only f1", "validationMetric(\"prc\"");
        dev.nnj.api.train.ReduceLROnPlateau plateau = dev.nnj.api.train.ReduceLROnPlateau.on(
                EarlyStopping.Monitor.validationMetric("prc", true));
        // Refused before the first epoch, not at its end.
        List<Integer> epochsRun = new ArrayList<>();
        assertThrowsSaying(IllegalArgumentException.class, () -> Trainer.builder().epochs(2).listener(plateau)
                .listener(st -> epochsRun.add(st.epoch())).build()
                .fit(classifier(12), Loss.categoricalCrossEntropy(), track(new Sgd(0.1f)), train, train),
                "ReduceLROnPlateau monitors val_prc", "no validation metrics");
        assertEquals(List.of(), epochsRun, "no epoch trained");
        assertThrowsSaying(IllegalArgumentException.class, () -> Trainer.builder().validationMetric("acc", f1),
                "'acc' names a figure every run measures");
        assertThrowsSaying(IllegalArgumentException.class,
                () -> EarlyStopping.Monitor.validationMetric("val_prc", true), "without val_", "'prc' is logged");
        IllegalStateException failed = assertThrowsSaying(IllegalStateException.class, () -> Trainer.builder()
                .epochs(2).validationMetric("auc", (model, val) -> {
                    throw new ArithmeticException("one class only");
                }).build().fit(classifier(12), Loss.categoricalCrossEntropy(), track(new Sgd(0.1f)), train, train),
                "validation metric 'auc' failed after epoch 1", "one class only");
        assertTrue(failed.getCause() instanceof ArithmeticException, "the metric's own exception as the cause");
        assertThrowsSaying(IllegalArgumentException.class, () -> Trainer.builder().validationMetric("val-prc", f1),
                "'val-prc'");
        assertThrowsSaying(IllegalArgumentException.class,
                () -> Trainer.builder().validationMetric("f1", f1).validationMetric("f1", f1),
                "'f1' was added already");
        assertThrowsSaying(IllegalArgumentException.class, () -> EarlyStopping.Monitor.validationMetric("", true),
                "''");
        assertEquals(EarlyStopping.Monitor.validationMetric("prc", true),
                EarlyStopping.Monitor.validationMetric("prc", true), "equal by name and direction");
        assertEquals("val_prc", EarlyStopping.Monitor.validationMetric("prc", true).toString());
    }

    @Test
    void earlyStoppingRejectsAnInfiniteBaselineAndANegativeStart() {
        assertThrowsSaying(IllegalArgumentException.class,
                () -> EarlyStopping.onValidationLoss(3, true).withBaseline(Double.POSITIVE_INFINITY), "baseline");
        assertThrowsSaying(IllegalArgumentException.class,
                () -> EarlyStopping.onValidationLoss(3, true).startingFromEpoch(-1), "startFromEpoch", "-1");
    }

    @Test
    void earlyStoppingOnValidationNeedsAValidationSet() {
        Dataset train = classification(random("es"), 13);
        Trainer trainer = Trainer.builder().epochs(3).earlyStopping(EarlyStopping.onValidationLoss(2, true)).build();
        assertThrowsSaying(IllegalArgumentException.class,
                () -> trainer.fit(classifier(12), Loss.categoricalCrossEntropy(), track(new Sgd(0.1f)), train, null),
                "validation");
        // Watching the training loss needs none.
        History h = Trainer.builder().epochs(3)
                .earlyStopping(new EarlyStopping(EarlyStopping.Monitor.TRAINING_LOSS, 2, 0, true)).build()
                .fit(classifier(12), Loss.categoricalCrossEntropy(), track(new Sgd(0.1f)), train, null);
        assertTrue(h.epochs() >= 1 && h.epochs() <= 3, "epochs run: " + h.epochs());
        assertThrows(IllegalArgumentException.class, () -> EarlyStopping.onValidationLoss(0, true), "patience 0");
    }

    // ---------------------------------------------------------------- errors

    @Test
    void badInputsGiveClearErrors() {
        Sequential m = classifier(13);
        Dataset fourFeatures = new Dataset(new float[8], 4, new float[4], 2);
        Dataset threeTargets = new Dataset(new float[6], 3, new float[6], 3);
        Dataset good = classification(random("errors"), 5);
        Trainer trainer = Trainer.builder().epochs(1).build();
        Optimizer sgd = track(new Sgd(0.1f));
        Loss cce = Loss.categoricalCrossEntropy();
        assertThrowsSaying(IllegalArgumentException.class, () -> trainer.fit(m, cce, sgd, fourFeatures, null),
                "training", "4 features", "3");
        assertThrowsSaying(IllegalArgumentException.class, () -> trainer.fit(m, cce, sgd, threeTargets, null),
                "training", "3 target", "2");
        assertThrowsSaying(IllegalArgumentException.class, () -> trainer.fit(m, cce, sgd, good, fourFeatures),
                "validation", "4 features");
        assertThrowsSaying(IllegalArgumentException.class, () -> m.evaluate(fourFeatures, cce, 10), "4 features",
                "3");
        Dataset empty = new Dataset(new float[0], 3, new float[0], 2);
        assertThrowsSaying(IllegalArgumentException.class, () -> trainer.fit(m, cce, sgd, empty, null), "training",
                "empty");

        assertThrowsSaying(IllegalArgumentException.class, () -> m.forward(tensor(new float[8], 2, 4), false),
                "(N, 3)", "(2, 4)");
        assertThrowsSaying(IllegalArgumentException.class, () -> m.predict(new float[7], 2), "2 x 3", "7");
        assertThrowsSaying(IllegalStateException.class,
                () -> classifier(14).backward(cce, tensor(new float[2], 1, 2)), "before forward");
        m.forward(tensor(new float[6], 2, 3), true);
        assertThrowsSaying(IllegalArgumentException.class, () -> m.backward(cce, tensor(new float[6], 2, 3)),
                "target", "(2, 2)", "(2, 3)");
        assertThrowsSaying(IllegalStateException.class, () -> model(3, 0).forward(tensor(new float[3], 1, 3), false),
                "no layers");

        Sequential fresh = classifier(16);
        assertThrowsSaying(IllegalStateException.class,
                () -> fresh.layers().get(1).backward(tensor(new float[2], 1, 2), true), "dense_2", "before forward");

        Dense shared = new Dense(2);
        model(3, 0).add(shared);
        assertThrowsSaying(IllegalStateException.class, () -> model(3, 0).add(shared), "already built");
        assertThrowsSaying(IllegalArgumentException.class, () -> new Dense(0), "units", "0");
        assertThrowsSaying(IllegalArgumentException.class, () -> new Dropout(1f), "rate", "1.0");
        assertThrowsSaying(IllegalArgumentException.class, () -> new Sequential(backend(), 0, 1), "inputWidth", "0");
        assertThrowsSaying(IllegalArgumentException.class, () -> Trainer.builder().epochs(0), "epochs", "0");
        assertThrowsSaying(IllegalArgumentException.class, () -> Trainer.builder().batchSize(-1), "batch", "-1");
        assertThrowsSaying(IllegalArgumentException.class, () -> m.evaluate(good, cce, 0), "batchSize", "0");
    }

    // ---------------------------------------------------------------- close

    @Test
    void closeFreesEveryParameterAndIsIdempotent() {
        Sequential m = fiveLayers(15);
        m.forward(tensor(new float[4 * 3], 3, 4), true);
        List<Parameter> params = new ArrayList<>(m.parameters());
        m.close();
        for (Parameter p : params) {
            assertTrue(p.value().isClosed(), p.name() + " value closed");
            assertTrue(p.gradient().isClosed(), p.name() + " gradient closed");
        }
        m.close();
        assertThrowsSaying(IllegalStateException.class, () -> m.forward(tensor(new float[4], 1, 4), false),
                "closed");
        assertThrowsSaying(IllegalStateException.class, () -> m.add(new ReLU()), "closed");
        assertThrows(IllegalStateException.class, params.get(0)::read, "reading a closed parameter");
    }
}
