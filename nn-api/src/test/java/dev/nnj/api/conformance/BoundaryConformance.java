package dev.nnj.api.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.MemoryBudgetException;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.data.InvalidDataException;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.HostTensor;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.model.StateDictLoader;
import dev.nnj.api.optim.Sgd;
import dev.nnj.api.train.Trainer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad data, impossible sizes and mismatched state dicts, each refused where it enters (fit, evaluate,
 * predict, add, loadStateDict) with the error class and a message naming the place, and each leaving the
 * model exactly as it was: the same parameters, no optimizer step taken.
 */
public abstract class BoundaryConformance extends ModelTestSupport {

    /** 3 inputs → Dense(4, relu) → Dense(2, softmax): 26 parameters. */
    private Sequential small(long seed) {
        return model(3, seed).add(new Dense(4, Activation.RELU)).add(new Dense(2, Activation.SOFTMAX));
    }

    private static float[] features(int rows) {
        float[] x = new float[rows * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 7) / 7f;
        }
        return x;
    }

    private static float[] oneHot(int rows) {
        float[] y = new float[rows * 2];
        for (int i = 0; i < rows; i++) {
            y[i * 2 + i % 2] = 1;
        }
        return y;
    }

    /** Runs {@code body}, expects {@code type} with every fragment, and checks that the model did not change. */
    private <T extends RuntimeException> T refusedLeavingModelAsIs(Sequential m, Class<T> type, Executable body,
                                                                 String... fragments) {
        Map<String, float[]> before = m.stateDict();
        T e = assertThrowsSaying(type, body, fragments);
        Map<String, float[]> after = m.stateDict();
        for (String name : before.keySet()) {
            assertSameFloats("after a refused call, " + name, before.get(name), after.get(name));
        }
        return e;
    }

    private void fit(Sequential m, Loss loss, Dataset train, Dataset validation, Sgd sgd) {
        Trainer.builder().epochs(2).batchSize(2).build().fit(m, loss, sgd, train, validation);
    }

    // ---------------------------------------------------------------- values

    @Test
    void fitRefusesNonFiniteTrainingFeaturesWithRowAndColumn() {
        Sequential m = small(1);
        float[] x = features(6);
        x[2 * 3 + 1] = Float.NaN;
        Dataset train = Dataset.allowingNonFinite(x, 3, oneHot(6), 2, null);
        Sgd sgd = track(new Sgd(0.1f));
        refusedLeavingModelAsIs(m, InvalidDataException.class,
                () -> fit(m, Loss.categoricalCrossEntropy(), train, null, sgd), "training set features", "row 2",
                "column 1", "NaN");
        assertEquals(0, sgd.steps(), "no step taken");
    }

    @Test
    void fitRefusesNaNOnlyInTheValidationSetUpFront() {
        Sequential m = small(2);
        float[] xv = features(4);
        xv[3 * 3 + 2] = Float.POSITIVE_INFINITY;
        Dataset validation = Dataset.allowingNonFinite(xv, 3, oneHot(4), 2, null);
        Sgd sgd = track(new Sgd(0.1f));
        refusedLeavingModelAsIs(m, InvalidDataException.class, () -> fit(m, Loss.categoricalCrossEntropy(),
                new Dataset(features(6), 3, oneHot(6), 2), validation, sgd), "validation set features", "row 3",
                "column 2", "Infinity");
        assertEquals(0, sgd.steps(), "refused before the first epoch");
    }

    @Test
    void categoricalCrossEntropyRefusesTargetsThatAreNotProbabilityRows() {
        Sequential m = small(3);
        Sgd sgd = track(new Sgd(0.1f));
        float[] twoHot = oneHot(6);
        twoHot[4 * 2] = 1;
        twoHot[4 * 2 + 1] = 1;    // row 4 sums to 2
        refusedLeavingModelAsIs(m, InvalidDataException.class, () -> fit(m, Loss.categoricalCrossEntropy(),
                new Dataset(features(6), 3, twoHot, 2), null, sgd), "training set targets", "row 4", "sums to 2");
        float[] negative = oneHot(6);
        negative[1] = -0.5f;
        negative[0] = 1.5f;        // sums to 1, but not probabilities
        refusedLeavingModelAsIs(m, InvalidDataException.class, () -> fit(m, Loss.categoricalCrossEntropy(),
                new Dataset(features(6), 3, negative, 2), null, sgd), "row 0", "column 0", "[0, 1]");
        // evaluate meets the loss too
        refusedLeavingModelAsIs(m, InvalidDataException.class, () -> m.evaluate(new Dataset(features(6), 3, twoHot, 2),
                Loss.categoricalCrossEntropy(), 4), "evaluation set targets", "row 4");
        assertEquals(0, sgd.steps());
        // Soft targets that are probability rows are fine, and mean squared error takes any finite target.
        float[] soft = new float[12];
        for (int i = 0; i < 6; i++) {
            soft[2 * i] = 0.25f;
            soft[2 * i + 1] = 0.75f;
        }
        fit(m, Loss.categoricalCrossEntropy(), new Dataset(features(6), 3, soft, 2), null, sgd);
        fit(m, Loss.meanSquaredError(), new Dataset(features(6), 3, negative, 2), null, track(new Sgd(0.1f)));
        assertTrue(sgd.steps() > 0);
    }

    @Test
    void binaryCrossEntropyRefusesTargetsOutsideZeroOne() {
        Sequential m = track(new Sequential(backend(), 3, 4)).add(new Dense(1, Activation.SIGMOID));
        float[] y = {0, 1, 1, 0, 2, 1};
        Sgd sgd = track(new Sgd(0.1f));
        refusedLeavingModelAsIs(m, InvalidDataException.class, () -> Trainer.builder().epochs(1).build()
                .fit(m, Loss.binaryCrossEntropy(), sgd, new Dataset(features(6), 3, y, 1), null),
                "binary cross-entropy", "row 4", "[0, 1]");
    }

    @Test
    void predictRefusesNonFiniteFeaturesWithRowAndColumn() {
        Sequential m = small(5);
        float[] x = features(3);
        x[1 * 3 + 2] = Float.NaN;
        refusedLeavingModelAsIs(m, InvalidDataException.class, () -> m.predict(x, 3), "predict", "row 1",
                "column 2", "NaN");
    }

    // ---------------------------------------------------------------- sizes

    @Test
    void aLayerBeyondOneTensorIsRefusedBeforeAllocating() {
        Sequential m = model(64, 6);
        MemoryBudgetException e = assertThrowsSaying(MemoryBudgetException.class, () -> m.add(new Dense(100_000_000)),
                "dense_1.weight", "(64, 100000000)", "6400000000 elements");
        assertEquals(-1, e.budgetBytes(), "an element limit, not a byte budget");
        assertThrowsSaying(MemoryBudgetException.class, () -> m.add(new Dense(Integer.MAX_VALUE)),
                "(64, 2147483647)", "137438953408 elements");
        assertEquals(0, m.parameters().size(), "nothing was added");
    }

    @Test
    void aLayerBeyondTheMemoryBudgetIsRefusedWithTheBytesItNeeds() {
        // 40,000 x 50,000 = 2e9 weights: one tensor can hold them, but with gradients they need 16 GB.
        long needs = 2L * (40_000L * 50_000 + 50_000) * Float.BYTES;
        assumeTrue(backend().memoryBudgetBytes() < needs, "this backend has room for 16 GB");
        Sequential m = model(40_000, 7);
        MemoryBudgetException e = assertThrowsSaying(MemoryBudgetException.class, () -> m.add(new Dense(50_000)),
                "dense_1", "needs 16.00 GB", "memory budget");
        assertEquals(needs, e.requiredBytes());
        assertTrue(e.budgetBytes() < needs);
        assertEquals(0, m.parameters().size());
    }

    @Test
    void aTrainingBatchBeyondOneTensorIsRefusedBeforeTheFirstStep() {
        Sequential m = model(2, 8).add(new Dense(100_000, Activation.RELU)).add(new Dense(2, Activation.SOFTMAX));
        int rows = 30_000;
        float[] y = new float[rows * 2];
        for (int i = 0; i < rows; i++) {
            y[2 * i] = 1;
        }
        Dataset big = new Dataset(new float[rows * 2], 2, y, 2);
        Sgd sgd = track(new Sgd(0.1f));
        refusedLeavingModelAsIs(m, MemoryBudgetException.class, () -> Trainer.builder().epochs(1).batchSize(0)
                .build().fit(m, Loss.categoricalCrossEntropy(), sgd, big, null), "training batch of 30000 rows",
                "dense_1", "3000000000 elements");
        assertEquals(0, sgd.steps());
    }

    // ---------------------------------------------------------------- loadStateDict

    @Test
    void loadStateDictIsStrictAboutKeysNullsSizesAndValues() {
        Sequential m = small(9);
        Map<String, float[]> good = small(10).stateDict();

        refusedLeavingModelAsIs(m, IllegalArgumentException.class, () -> m.loadStateDict(Map.of()),
                "missing keys", "dense_1.weight", "dense_2.bias");
        Map<String, float[]> extra = new LinkedHashMap<>(good);
        extra.put("dense_3.weight", new float[] {1});
        refusedLeavingModelAsIs(m, IllegalArgumentException.class, () -> m.loadStateDict(extra),
                "unexpected keys", "dense_3.weight");
        Map<String, float[]> withNull = new HashMap<>(good);
        withNull.put("dense_1.bias", null);
        refusedLeavingModelAsIs(m, IllegalArgumentException.class, () -> m.loadStateDict(withNull),
                "dense_1.bias", "null");
        Map<String, float[]> nan = new LinkedHashMap<>(good);
        float[] w = nan.get("dense_2.weight").clone();
        w[5] = Float.NaN;
        nan.put("dense_2.weight", w);
        refusedLeavingModelAsIs(m, IllegalArgumentException.class, () -> m.loadStateDict(nan),
                "dense_2.weight", "NaN", "index 5", "not finite");
        Map<String, float[]> shortOne = new LinkedHashMap<>(good);
        shortOne.put("dense_1.bias", new float[3]);
        refusedLeavingModelAsIs(m, IllegalArgumentException.class, () -> m.loadStateDict(shortOne),
                "dense_1.bias", "(4)", "3 values");

        // The lenient mode, named as such, takes a partial state and says what it did not match.
        StateDictLoader.Result r = m.loadStateDict(Map.of("dense_1.bias", new float[] {1, 2, 3, 4},
                "other.weight", new float[] {1}), StateDictLoader.Mode.LENIENT);
        assertEquals(List.of("dense_1.weight", "dense_2.weight", "dense_2.bias"), r.missingKeys());
        assertEquals(List.of("other.weight"), r.unexpectedKeys());
        assertSameFloats("lenient load wrote what it named", new float[] {1, 2, 3, 4},
                m.parameter("dense_1.bias").read());
        m.loadStateDict(good);   // strict and complete: accepted
        assertSameFloats("strict load", good.get("dense_2.weight"), m.parameter("dense_2.weight").read());
    }

    @Test
    void aShapedStateDictMustMatchShapesNotOnlySizes() {
        Sequential m = model(8, 11).add(new Dense(4));    // weight (8, 4)
        Map<String, HostTensor> transposed = new LinkedHashMap<>();
        transposed.put("dense_1.weight", HostTensor.of(new float[32], 4, 8));
        transposed.put("dense_1.bias", HostTensor.of(new float[4], 4));
        refusedLeavingModelAsIs(m, IllegalArgumentException.class,
                () -> m.loadShapedStateDict(transposed, StateDictLoader.Mode.STRICT), "dense_1.weight", "(8, 4)",
                "(4, 8)");
        Map<String, HostTensor> right = new LinkedHashMap<>();
        float[] w = new float[32];
        w[31] = 3;
        right.put("dense_1.weight", HostTensor.of(w, 8, 4));
        right.put("dense_1.bias", HostTensor.of(new float[] {1, 2, 3, 4}, 1, 4));   // a (1, 4) row is a (4)
        m.loadShapedStateDict(right, StateDictLoader.Mode.STRICT);
        assertSameFloats("loaded", w, m.parameter("dense_1.weight").read());
    }
}
