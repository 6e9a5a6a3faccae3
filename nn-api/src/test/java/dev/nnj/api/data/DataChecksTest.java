package dev.nnj.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.LossKind;
import dev.nnj.api.MemoryBudgetException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Data sets, scalers, the one-hot encoder and label mappings on bad values and absurd sizes. */
class DataChecksTest {

    private static <T extends RuntimeException> T refused(Class<T> type, Executable body, String... fragments) {
        T e = assertThrows(type, body);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message should mention '" + f + "': " + e.getMessage());
        }
        return e;
    }

    @Test
    void aDatasetRefusesNonFiniteFeaturesAndTargetsWithRowAndColumn() {
        float[] x = {0, 1, 2, 3, 4, Float.NaN};
        refused(InvalidDataException.class, () -> new Dataset(x, 2, new float[] {1, 0, 1}, 1),
                "features: row 2, column 1 is NaN");
        float[] y = {1, Float.NEGATIVE_INFINITY, 0};
        refused(InvalidDataException.class, () -> new Dataset(new float[6], 2, y, 1), "targets: row 1, column 0",
                "-Infinity");
        float[] many = {Float.NaN, Float.NaN, 1, Float.POSITIVE_INFINITY};
        refused(InvalidDataException.class, () -> new Dataset(many, 2, new float[2], 1), "row 0, column 0",
                "3 non-finite values in all");
    }

    @Test
    void theOptOutKeepsNonFiniteValuesAndSaysSo() {
        Dataset d = Dataset.allowingNonFinite(new float[] {Float.NaN, 1}, 1, new float[] {1, 0}, 1, null);
        assertTrue(d.allowsNonFinite());
        assertTrue(d.subset(new int[] {0}).allowsNonFinite(), "derived data sets keep the choice");
        assertTrue(d.toString().contains("non-finite allowed"));
        refused(InvalidDataException.class, () -> d.requireUsableWith("training set", LossKind.MSE),
                "training set features: row 0, column 0 is NaN");
    }

    @Test
    void labelsMustBeClassIndicesOfTheTargets() {
        refused(InvalidDataException.class, () -> new Dataset(new float[2], 1, new float[] {1, 0, 0, 1}, 2,
                new int[] {0, 2}), "row 1 has class 2", "[0, 2)");
        // one target column: a binary classifier's labels 0 and 1
        new Dataset(new float[2], 1, new float[] {1, 0}, 1, new int[] {1, 0});
    }

    @Test
    void labelsThatContradictTheirTargetRowsAreRefusedWithTheRow() {
        // Every target row one-hot class 0, the labels 0, 1, 2, 0, ...: evaluate's accuracy (from the targets)
        // and the classification report's (from the labels) would disagree, so the data set is refused.
        int n = 6;
        float[] allClass0 = new float[n * 3];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            allClass0[i * 3] = 1;
            labels[i] = i % 3;
        }
        refused(InvalidDataException.class, () -> new Dataset(new float[n], 1, allClass0, 3, labels),
                "labels: row 1 has label 1", "its target (1.0, 0.0, 0.0) is class 0");
        // One target column: class 1 above 0.5, as accuracy reads it.
        refused(InvalidDataException.class, () -> new Dataset(new float[2], 1, new float[] {1, 0}, 1,
                new int[] {1, 1}), "row 1 has label 1", "its target 0.0 is class 0");
        refused(InvalidDataException.class, () -> Dataset.allowingNonFinite(new float[2], 1, new float[] {0, 1, 1, 0},
                2, new int[] {1, 1}), "row 1 has label 1");
        // Soft rows that peak at their label agree; a non-finite row names no class and is left to training.
        new Dataset(new float[2], 1, new float[] {0.1f, 0.9f, 0.7f, 0.3f}, 2, new int[] {1, 0});
        Dataset.allowingNonFinite(new float[2], 1, new float[] {Float.NaN, 0, 0, 1}, 2, new int[] {1, 1});
    }

    @Test
    void whetherTheTargetsAreClassesIsKnownFromConstruction() {
        assertTrue(Dataset.ofLabels(new float[3], 1, new int[] {2, 0, 1}, 3).hasClassTargets(), "one-hot");
        assertTrue(new Dataset(new float[3], 1, new float[] {0, 1, 1, 0, 1, 0}, 2).hasClassTargets(),
                "one-hot rows without labels");
        assertTrue(new Dataset(new float[3], 1, new float[] {0, 1, 1}, 1).hasClassTargets(), "0/1, one column");
        assertFalse(new Dataset(new float[3], 1, new float[] {0, 1, 0.5f}, 1).hasClassTargets(), "a real value");
        assertFalse(new Dataset(new float[2], 1, new float[] {1, 1, 0, 1}, 2).hasClassTargets(), "two-hot");
        assertFalse(new Dataset(new float[2], 1, new float[] {1, 0, 0.25f, 0.75f}, 2).hasClassTargets(),
                "a soft row without labels");
        assertTrue(new Dataset(new float[2], 1, new float[] {1, 0, 0.25f, 0.75f}, 2, new int[] {0, 1})
                .hasClassTargets(), "soft rows whose labels agree");
        assertEquals(2, DataChecks.firstNonClassRow(new float[] {0, 1, 1, 0, 3, 0}, 2));
        assertEquals(-1, DataChecks.firstNonClassRow(new float[] {0, 1, 1}, 1));
        Dataset regression = new Dataset(new float[3], 1, new float[] {0, 2.5f, 1}, 1);
        assertFalse(regression.hasClassTargets());
        assertTrue(regression.subset(new int[] {0, 2}).hasClassTargets(), "a subset is judged on its own rows");
    }

    @Test
    void crossEntropyTargetsAreCheckedOnceAndRemembered() {
        Dataset good = new Dataset(new float[2], 1, new float[] {0.25f, 0.75f, 1, 0}, 2);
        good.requireUsableWith("training set", LossKind.CATEGORICAL_CROSS_ENTROPY);
        good.requireUsableWith("training set", LossKind.CATEGORICAL_CROSS_ENTROPY);
        Dataset bad = new Dataset(new float[2], 1, new float[] {0.5f, 0.4f, 1, 0}, 2);
        refused(InvalidDataException.class, () -> bad.requireUsableWith("validation set",
                LossKind.CATEGORICAL_CROSS_ENTROPY), "validation set targets: row 0 sums to 0.9");
        bad.requireUsableWith("validation set", LossKind.BINARY_CROSS_ENTROPY);   // [0, 1] is all BCE needs
        bad.requireUsableWith("validation set", LossKind.MSE);
        Dataset single = new Dataset(new float[2], 1, new float[] {0, 1}, 1);
        refused(InvalidDataException.class, () -> single.requireUsableWith("training set",
                LossKind.CATEGORICAL_CROSS_ENTROPY), "row 0 sums to 0", "binary cross-entropy");
    }

    @Test
    void scalersRefuseNonFiniteColumnsWithTheColumn() {
        float[] data = {1, 2, Float.NaN, 4, Float.NaN, 6, 7, 8};   // (4, 2): column 0 has NaN at rows 1 and 2
        refused(InvalidDataException.class, () -> new StandardScaler().fit(data, 2),
                "StandardScaler.fit: column 0 holds NaN at row 1", "2 non-finite values in that column");
        refused(InvalidDataException.class, () -> new MinMaxScaler().fit(data, 2), "MinMaxScaler.fit: column 0");
        StandardScaler fitted = new StandardScaler().fit(new float[] {1, 2, 3, 4}, 2);
        refused(InvalidDataException.class, () -> fitted.transform(new float[] {1, Float.POSITIVE_INFINITY}, 2),
                "StandardScaler.transform: column 1 holds Infinity at row 0");
        assertTrue(Float.isFinite(fitted.transform(new float[] {1, 2}, 2)[0]));
    }

    @Test
    void oneHotTablesAreSizedInLongArithmeticBeforeAllocating() {
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            OneHotEncoder huge = OneHotEncoder.ofClasses(1_000_000_000);   // no 4 GB category table
            assertEquals(1_000_000_000, huge.classes());
            refused(MemoryBudgetException.class, () -> huge.transform(new int[] {0, 999_999_999, 5}),
                    "one-hot table of 3 rows x 1000000000 classes", "3000000000 elements");
        });
        refused(InvalidDataException.class, () -> OneHotEncoder.ofClasses(3).transform(new int[] {0, 3}),
                "label 3 at position 1");
    }

    @Test
    void aLabelMappingMapsAndReadsBack() {
        LabelMapping m = LabelMapping.fit("x", new int[] {10, -2, 10, 7});
        assertEquals(3, m.classes());
        assertArrayEquals(new int[] {-2, 7, 10}, m.labels());
        assertArrayEquals(new int[] {2, 0, 2, 1}, m.apply("x", new int[] {10, -2, 10, 7}));
        assertEquals(10, m.labelOf(2));
        assertEquals(-1, m.classOf(8));
        refused(InvalidDataException.class, () -> m.apply("y", new int[] {7, 8}), "y: row 1 has label 8");
        assertTrue(LabelMapping.fit("z", new int[] {0, 1, 2}).isIdentity());
        int[] many = new int[30];
        for (int i = 0; i < many.length; i++) {
            many[i] = i * 2;
        }
        assertEquals("{0→0, 2→1, 4→2, 6→3, 8→4, …, 50→25, 52→26, 54→27, 56→28, 58→29}",
                LabelMapping.fit("w", many).toString());
    }

    @Test
    void aSingleOutputReadsAsTwoClassesWithComplementaryProbabilities() {
        float[] oneColumn = {0.2f, 0.5f, 0.9f};
        assertEquals(2, DataChecks.classCount(1));
        assertEquals(0, DataChecks.classOfRow(oneColumn, 0, 1));
        assertEquals(0, DataChecks.classOfRow(oneColumn, 1, 1), "0.5 is class 0, as scikit-learn and Keras read it");
        assertEquals(0.8f, DataChecks.classProbability(oneColumn, 0, 1, 0));
        assertEquals(0.2f, DataChecks.classProbability(oneColumn, 0, 1, 1));
        assertEquals(0.9f, DataChecks.classProbability(oneColumn, 2, 1, 1));

        float[] threeColumns = {0.1f, 0.7f, 0.2f, 0.5f, 0.25f, 0.25f};
        assertEquals(3, DataChecks.classCount(3));
        assertEquals(1, DataChecks.classOfRow(threeColumns, 0, 3));
        assertEquals(0, DataChecks.classOfRow(threeColumns, 1, 3));
        assertEquals(0.25f, DataChecks.classProbability(threeColumns, 1, 3, 2));
    }

    /** The scale rules fit's warning applies: a column beyond 300 in mean or spread, or all within 1e-3 of 0. */
    @Test
    void featuresFarFromUnitScaleAreFound() {
        assertEquals(1, DataChecks.firstUnscaledFeature(new double[] {0.5, 747, 1e6}, new double[] {0.3, 315, 1}),
                "the first such column: wine's proline");
        assertEquals(2, DataChecks.firstUnscaledFeature(new double[] {0, 0, 0}, new double[] {1, 1, 301}), "a spread");
        assertEquals(-1, DataChecks.firstUnscaledFeature(new double[] {127, -3}, new double[] {100, 1}),
                "raw pixels and scaled columns");
        assertTrue(DataChecks.featuresVanish(new double[] {1e-30, 0}, new double[] {3e-31, 0}));
        assertFalse(DataChecks.featuresVanish(new double[] {0, 0}, new double[] {0, 0}), "constant: nothing varies");
        assertFalse(DataChecks.featuresVanish(new double[] {1e-30, 0}, new double[] {3e-31, 0.2}), "one column counts");
    }
}
