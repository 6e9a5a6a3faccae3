package dev.nnj.api.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.conformance.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Balanced accuracy, {@link LogLoss}, {@link RocAuc} and {@link AveragePrecision} against scikit-learn 1.2.1 on
 * the same float32 outputs (golden/score_metrics_golden.json, made by
 * scripts/golden/make_score_metrics_golden.py), within 1e-12; small cases worked by hand below check the
 * formulas themselves, so a wrong golden file could not pass unnoticed.
 */
class ScoreMetricsTest {
    private static final double TOLERANCE = 1e-12;

    private static List<Map<String, Object>> cases() {
        List<Map<String, Object>> cases = Json.cases("/golden/score_metrics_golden.json");
        assertEquals(5, cases.size(), "golden cases");
        return cases;
    }

    private static Predictions predictionsOf(Map<String, Object> c) {
        return Predictions.of(Json.floats(c.get("scores")), (int) Json.number(c, "outputs"),
                Json.ints(c.get("y_true")));
    }

    @Test
    void scoresPrintAsOneLine() {
        float[] binary = {0.1f, 0.8f, 0.3f, 0.9f};
        int[] truth = {0, 1, 1, 1};
        assertEquals("ROC AUC 1.0000 (class 1 against class 0)", RocAuc.of(binary, 1, truth).toString());
        assertEquals("average precision 1.0000 (class 1 against class 0)",
                AveragePrecision.of(binary, 1, truth).toString());
        float[] three = {0.8f, 0.1f, 0.1f, 0.2f, 0.7f, 0.1f, 0.1f, 0.2f, 0.7f, 0.6f, 0.3f, 0.1f};
        assertEquals("ROC AUC 1.0000 macro, 1.0000 weighted (one-vs-rest over 3 classes)",
                RocAuc.of(three, 3, new int[] {0, 1, 2, 0}).toString());
    }

    @Test
    void balancedAccuracyEqualsScikitLearns() {
        for (Map<String, Object> c : cases()) {
            Predictions p = predictionsOf(c);
            String name = Json.string(c, "name");
            assertArrayEquals(Json.ints(c.get("y_pred")), p.predictedLabels(), name + " predicted classes");
            assertEquals(Json.number(c, "balanced_accuracy"), p.balancedAccuracy(), TOLERANCE,
                    name + " balanced_accuracy_score");
        }
    }

    @Test
    void logLossEqualsScikitLearnsAtEachEps() {
        Map<String, Double> eps = Map.of("float64", LogLoss.FLOAT64_EPS, "float32", LogLoss.FLOAT32_EPS,
                "1e-7", 1e-7, "1e-12", 1e-12);
        for (Map<String, Object> c : cases()) {
            Predictions p = predictionsOf(c);
            Map<String, Object> golden = Json.object(c.get("log_loss"));
            assertEquals(eps.keySet(), golden.keySet());
            for (Map.Entry<String, Double> e : eps.entrySet()) {
                assertEquals(Json.number(golden, e.getKey()), p.logLoss(e.getValue()), TOLERANCE,
                        Json.string(c, "name") + " log_loss eps=" + e.getKey());
            }
            assertEquals(Json.number(golden, "float64"), p.logLoss(), TOLERANCE, "the default is float64's eps");
        }
        assertEquals(0x1p-52, Math.ulp(1.0), 0, "numpy's finfo(float64).eps");
        assertEquals(0x1p-23, Math.ulp(1f), 0, "numpy's finfo(float32).eps");
    }

    @Test
    void rankingMetricsEqualScikitLearns() {
        int checked = 0;
        for (Map<String, Object> c : cases()) {
            if (!c.containsKey("roc_auc")) {
                continue;
            }
            Predictions p = predictionsOf(c);
            String name = Json.string(c, "name");
            RocAuc auc = p.rocAuc();
            AveragePrecision ap = p.averagePrecision();
            Map<String, Object> a = Json.object(c.get("roc_auc"));
            Map<String, Object> g = Json.object(c.get("average_precision"));
            assertEquals(Json.number(a, "score"), auc.score(), TOLERANCE, name + " roc_auc_score");
            assertEquals(Json.number(a, "macro"), auc.macroAverage(), TOLERANCE, name + " AUC macro");
            assertEquals(Json.number(a, "weighted"), auc.weightedAverage(), TOLERANCE, name + " AUC weighted");
            if (a.containsKey("ovr_macro")) {
                assertEquals(Json.number(a, "ovr_macro"), auc.macroAverage(), TOLERANCE, name + " ovr macro");
                assertEquals(Json.number(a, "ovr_weighted"), auc.weightedAverage(), TOLERANCE, name + " ovr weighted");
            }
            assertEquals(Json.number(g, "score"), ap.score(), TOLERANCE, name + " average_precision_score");
            assertEquals(Json.number(g, "macro"), ap.macroAverage(), TOLERANCE, name + " AP macro");
            assertEquals(Json.number(g, "weighted"), ap.weightedAverage(), TOLERANCE, name + " AP weighted");
            double[] aucs = Json.doubles(a.get("per_class"));
            double[] aps = Json.doubles(g.get("per_class"));
            assertEquals(p.classes(), aucs.length);
            for (int k = 0; k < aucs.length; k++) {
                assertEquals(aucs[k], auc.forClass(k), TOLERANCE, name + " AUC of class " + k);
                assertEquals(aps[k], ap.forClass(k), TOLERANCE, name + " AP of class " + k);
            }
            checked++;
        }
        assertEquals(4, checked, "cases with every class in the true labels");
    }

    /** scikit-learn's documented examples and small cases worked by hand. */
    @Test
    void handComputedCases() {
        // roc_auc_score / average_precision_score docs: y [0, 0, 1, 1], scores [0.1, 0.4, 0.35, 0.8].
        // AUC: of the 4 (positive, negative) pairs, 3 are ordered right. AP: thresholds 0.8 (P 1, R 1/2),
        // 0.4 (P 1/2, R 1/2), 0.35 (P 2/3, R 1), 0.1: 1/2 · 1 + 0 + 1/2 · 2/3 = 5/6.
        float[] s = {0.1f, 0.4f, 0.35f, 0.8f};
        int[] y = {0, 0, 1, 1};
        assertEquals(0.75, RocAuc.of(s, 1, y).score(), 1e-15);
        assertEquals(5.0 / 6, AveragePrecision.of(s, 1, y).score(), 1e-15);
        // A tie between a positive and a negative counts one half.
        assertEquals(0.5, RocAuc.of(new float[] {0.5f, 0.5f}, 1, new int[] {0, 1}).score(), 0);
        assertEquals(0.75, RocAuc.of(new float[] {0.2f, 0.5f, 0.5f}, 1, new int[] {0, 0, 1}).score(), 0);
        // Balanced accuracy: recalls 1/2 (class 0) and 1 (class 1); class 2 is predicted, never true: left out.
        ClassificationReport r = ClassificationReport.of(new int[] {0, 0, 1}, new int[] {0, 2, 1}, 3);
        assertEquals(0.75, r.balancedAccuracy(), 1e-15);
        assertEquals(0.5, r.macroAverage().recall(), 1e-15, "the macro recall counts class 2 as 0");
        // Always the majority class of 19 + 1 rows: accuracy 0.95, balanced accuracy 1/2.
        int[] truth = new int[20];
        truth[19] = 1;
        assertEquals(0.5, ClassificationReport.of(truth, new int[20], 2).balancedAccuracy(), 0);
        // Log loss: −(ln 0.8 + ln 0.6) / 2, no clipping in play; a sigmoid's 0.3 for class 0 is 1 − 0.3.
        assertEquals(-(Math.log(0.8) + Math.log(0.7)) / 2,
                LogLoss.of(new float[] {0.8f, 0.3f}, 1, new int[] {1, 0}), 1e-7);
        assertEquals(-(Math.log(0.2) + Math.log(0.6)) / 2,
                LogLoss.of(new float[] {0.2f, 0.8f, 0.4f, 0.6f}, 2, new int[] {0, 1}), 1e-7);
        // Clipping: p(true) = 0 counts −ln ε; without clipping it is infinite.
        assertEquals(-Math.log(LogLoss.FLOAT64_EPS), LogLoss.of(new float[] {0f}, 1, new int[] {1}), 1e-12);
        assertEquals(36.04365338911715, LogLoss.of(new float[] {0f, 1f}, 2, new int[] {0}), 1e-9);
        assertEquals(Double.POSITIVE_INFINITY, LogLoss.of(new float[] {0f}, 1, new int[] {1}, 0));
        // Renormalised rows: (0.2, 0.2) reads as (1/2, 1/2).
        assertEquals(Math.log(2), LogLoss.of(new float[] {0.2f, 0.2f}, 2, new int[] {1}), 1e-12);
    }

    @Test
    void aClassWithoutTrueRowsIsRefusedAsScikitLearnDoes() {
        Map<String, Object> c = cases().get(4);
        assertEquals("predicted-never-true", Json.string(c, "name"));
        Predictions p = predictionsOf(c);
        IllegalArgumentException auc = assertThrows(IllegalArgumentException.class, p::rocAuc);
        assertTrue(auc.getMessage().startsWith("RocAuc.of: class 2 has no rows in the true labels")
                && auc.getMessage().contains("Only one class present in y_true"), auc.getMessage());
        IllegalArgumentException ap = assertThrows(IllegalArgumentException.class, p::averagePrecision);
        assertTrue(ap.getMessage().contains("class 2 has no rows"), ap.getMessage());
        IllegalArgumentException binary = assertThrows(IllegalArgumentException.class,
                () -> RocAuc.of(new float[] {0.1f, 0.9f}, 1, new int[] {0, 0}));
        assertTrue(binary.getMessage().contains("class 1 has no rows"), binary.getMessage());
    }

    /**
     * A sigmoid of exactly 0.5 (a zero pre-activation: zero weights, a dead layer) is class 0, as scikit-learn's
     * {@code top_k_accuracy_score} and {@code LabelBinarizer.inverse_transform} (MLPClassifier.predict) and Keras'
     * {@code binary_accuracy} read it, and as a two-column tie (0.5, 0.5) is: sklearn gives 1.0 here.
     */
    /**
     * Scores from elsewhere holding a NaN or an infinity are refused, naming the first, as scikit-learn's metrics
     * refuse them ("Input contains NaN"): NaN rows were all class 0, so four NaN rows of classes 0, 0, 1, 2 scored
     * accuracy 0.5 and top-2 accuracy 1.0.
     */
    @Test
    void scoresThatAreNotFiniteAreRefused() {
        float nan = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Predictions.of(
                new float[] {nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan}, 3, new int[] {0, 0, 1, 2}));
        assertTrue(e.getMessage().contains("Predictions.of: scores: row 0, column 0 is NaN; values must be finite")
                && e.getMessage().contains("(12 non-finite values in all)"), e.getMessage());
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> Predictions.of(new float[] {0.2f, Float.POSITIVE_INFINITY}, 1, new int[] {0, 1}));
        assertTrue(one.getMessage().contains("row 1, column 0 is Infinity"), one.getMessage());
    }

    @Test
    void aSigmoidOfOneHalfIsClassZeroAsInScikitLearn() {
        Predictions p = Predictions.of(new float[] {0.5f, 0.5f, 0.9f, 0.1f}, 1, new int[] {0, 0, 1, 0});
        assertArrayEquals(new int[] {0, 0, 1, 0}, p.predictedLabels());
        assertEquals(1.0, p.report().accuracy());
        assertEquals(1.0, p.topKAccuracy(1));
        Predictions tie = Predictions.of(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, 2, new int[] {0, 1});
        assertArrayEquals(new int[] {0, 0}, tie.predictedLabels(), "two columns: the first maximum");
        // Top-1 of a binary classifier is its accuracy, ties included (it ranked class 1 first on a two-column tie,
        // and scored these rows of class 0 at 0 where their accuracy is 1).
        Predictions zeros = Predictions.of(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, 2, new int[] {0, 0});
        assertEquals(1.0, zeros.report().accuracy());
        assertEquals(1.0, zeros.topKAccuracy(1));
        assertEquals(tie.report().accuracy(), tie.topKAccuracy(1));
        assertEquals(1.0, tie.topKAccuracy(2));
    }

    @Test
    void badArgumentsAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> LogLoss.of(new float[] {0.5f}, 1, new int[] {1}, 0.5));
        assertThrows(IllegalArgumentException.class, () -> LogLoss.of(new float[] {0.5f}, 1, new int[] {1}, -1));
        assertThrows(IllegalArgumentException.class, () -> LogLoss.of(new float[] {0.5f}, 1, new int[] {2}));
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> RocAuc.of(new float[3], 2, new int[] {0, 1}));
        assertEquals("RocAuc.of: 3 scores are not 2 non-empty rows of 2 outputs", rows.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> RocAuc.of(new float[] {Float.NaN, 1}, 1, new int[] {0, 1}));
        assertThrows(IllegalArgumentException.class, () -> Predictions.of(new float[] {0.5f}, 1, new int[] {3}));
    }
}
