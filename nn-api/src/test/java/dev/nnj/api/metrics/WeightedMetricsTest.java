package dev.nnj.api.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.conformance.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every metric with sample weights against scikit-learn 1.2.1 given {@code sample_weight=w} on the same numbers
 * (the {@code "weighted"} entries of golden/metrics_golden.json and golden/score_metrics_golden.json, made by
 * scripts/golden/make_metrics_golden.py and make_score_metrics_golden.py), within the unweighted tests' 1e-12;
 * weights of 1 against the unweighted calls, to the bit; and the checks of the weights. The weights hold zeros,
 * fractions that are not dyadic and weights above 1; the cases hold tied scores, saturated probabilities, a class
 * predicted but never true and a class whose rows all weigh 0. (The regression report's weights are tested in
 * {@link RegressionReportTest}.)
 */
class WeightedMetricsTest {
    private static final double TOLERANCE = 1e-12;
    /** The largest difference from scikit-learn seen, printed after the tests. */
    private static double largest;
    private static String largestWhere = "";

    private static void near(double expected, double actual, String what) {
        assertEquals(expected, actual, TOLERANCE, what);
        double difference = Math.abs(expected - actual);
        if (difference > largest) {
            largest = difference;
            largestWhere = what;
        }
    }

    @AfterAll
    static void printLargestDifference() {
        System.out.println("WeightedMetricsTest: largest difference from scikit-learn " + largest + " (" + largestWhere
                + ")");
    }

    private static List<Map<String, Object>> cases(String name) {
        return Json.cases("/golden/" + name);
    }

    private static ClassificationReport reportOf(Map<String, Object> c, double[] w) {
        int[] yTrue = Json.ints(c.get("y_true"));
        int[] yPred = Json.ints(c.get("y_pred"));
        Object names = c.get("target_names");
        if (names == null) {
            return ClassificationReport.of(yTrue, yPred, (int) Json.number(c, "classes"), w);
        }
        List<String> list = new ArrayList<>();
        for (Object n : Json.array(names)) {
            list.add((String) n);
        }
        return ClassificationReport.of(yTrue, yPred, list, w);
    }

    private static void assertScores(String what, Map<String, Object> expected, ClassScores actual) {
        near(Json.number(expected, "precision"), actual.precision(), what + " precision");
        near(Json.number(expected, "recall"), actual.recall(), what + " recall");
        near(Json.number(expected, "f1-score"), actual.f1(), what + " f1-score");
        near(Json.number(expected, "support"), actual.weightedSupport(), what + " support (weighted)");
    }

    @Test
    void classificationReportEqualsScikitLearnsWithSampleWeight() {
        int cases = 0;
        for (Map<String, Object> c : cases("metrics_golden.json")) {
            String name = Json.string(c, "name") + " weighted";
            Map<String, Object> golden = Json.object(c.get("weighted"));
            double[] w = Json.doubles(golden.get("sample_weight"));
            ClassificationReport r = reportOf(c, w);
            Map<String, Object> report = Json.object(golden.get("report"));
            for (int k : r.reportedClasses()) {
                String key = r.classNames().get(k);
                assertTrue(report.containsKey(key), name + ": scikit-learn has no row " + key + ": " + report.keySet());
                assertScores(name + " class " + key, Json.object(report.get(key)), r.forClass(k));
            }
            assertEquals(r.reportedClasses().length + 3, report.size(), name + " rows " + report.keySet());
            assertScores(name + " macro avg", Json.object(report.get("macro avg")), r.macroAverage());
            assertScores(name + " weighted avg", Json.object(report.get("weighted avg")), r.weightedAverage());
            near(Json.number(report, "accuracy"), r.accuracy(), name + " accuracy");
            int digits = (int) Json.number(c, "digits");
            assertEquals(Json.string(golden, "text"), r.format(digits), name + " text report");
            // The counts stay counts of rows.
            assertEquals(Json.ints(c.get("y_true")).length, r.macroAverage().support(), name + " rows");
            List<Object> rows = Json.array(golden.get("confusion"));
            double[][] weights = r.confusionMatrix().weights();
            assertTrue(r.confusionMatrix().isWeighted());
            for (int i = 0; i < rows.size(); i++) {
                double[] expected = Json.doubles(rows.get(i));
                for (int j = 0; j < expected.length; j++) {
                    near(expected[j], weights[i][j], name + " confusion_matrix[" + i + "][" + j + "]");
                }
            }
            assertArrayEquals(reportOf(c, null).confusionMatrix().counts(), r.confusionMatrix().counts(), name);
            if (golden.containsKey("top_k")) {
                float[] scores = Json.floats(c.get("scores"));
                int classes = (int) Json.number(c, "classes");
                for (Map.Entry<String, Object> e : Json.object(golden.get("top_k")).entrySet()) {
                    int k = Integer.parseInt(e.getKey());
                    near((Double) e.getValue(), TopKAccuracy.of(scores, classes, Json.ints(c.get("y_true")), k, w),
                            name + " top-" + k);
                }
            }
            cases++;
        }
        assertEquals(10, cases);
    }

    /** A class whose rows all weigh 0 keeps its row and its 0 in the macro average, as in scikit-learn. */
    @Test
    void aClassWeighingNothingKeepsItsRow() {
        Map<String, Object> c = cases("metrics_golden.json").get(9);
        assertEquals("class-weighing-nothing", Json.string(c, "name"));
        ClassificationReport r = reportOf(c, Json.doubles(Json.object(c.get("weighted")).get("sample_weight")));
        assertArrayEquals(new int[] {0, 1, 2, 3}, r.reportedClasses());
        assertEquals(0.0, r.forClass(1).weightedSupport(), 0);
        assertTrue(r.forClass(1).support() > 0, "its rows are still counted");
        assertTrue(r.format(3).contains("           1      0.000     0.000     0.000       0.0\n"), r.format(3));
        // balanced_accuracy_score leaves out its 0/0 recall, and class 3's (predicted, never true).
        double expected = (r.forClass(0).recall() + r.forClass(2).recall()) / 2;
        assertEquals(expected, r.balancedAccuracy(), 0);
    }

    private static Predictions weighted(Map<String, Object> c) {
        return Predictions.of(Json.floats(c.get("scores")), (int) Json.number(c, "outputs"), Json.ints(c.get("y_true")))
                .withSampleWeights(Json.doubles(Json.object(c.get("weighted")).get("sample_weight")));
    }

    @Test
    void scoreMetricsEqualScikitLearnsWithSampleWeight() {
        Map<String, Double> eps = Map.of("float64", LogLoss.FLOAT64_EPS, "float32", LogLoss.FLOAT32_EPS,
                "1e-7", 1e-7, "1e-12", 1e-12);
        int ranked = 0;
        for (Map<String, Object> c : cases("score_metrics_golden.json")) {
            String name = Json.string(c, "name") + " weighted";
            Map<String, Object> golden = Json.object(c.get("weighted"));
            Predictions p = weighted(c);
            assertTrue(p.hasSampleWeights());
            near(Json.number(golden, "balanced_accuracy"), p.balancedAccuracy(), name + " balanced_accuracy_score");
            Map<String, Object> logLoss = Json.object(golden.get("log_loss"));
            for (Map.Entry<String, Double> e : eps.entrySet()) {
                near(Json.number(logLoss, e.getKey()), p.logLoss(e.getValue()), name + " log_loss eps=" + e.getKey());
            }
            near(Json.number(logLoss, "float64"), p.logLoss(), name + " log_loss");
            if (golden.containsKey("top_k")) {
                for (Map.Entry<String, Object> e : Json.object(golden.get("top_k")).entrySet()) {
                    near((Double) e.getValue(), p.topKAccuracy(Integer.parseInt(e.getKey())), name + " top-"
                            + e.getKey());
                }
            }
            if (!golden.containsKey("roc_auc")) {
                continue;
            }
            RocAuc auc = p.rocAuc();
            AveragePrecision ap = p.averagePrecision();
            Map<String, Object> a = Json.object(golden.get("roc_auc"));
            Map<String, Object> g = Json.object(golden.get("average_precision"));
            near(Json.number(a, "score"), auc.score(), name + " roc_auc_score");
            near(Json.number(a, "macro"), auc.macroAverage(), name + " AUC macro");
            near(Json.number(a, "weighted"), auc.weightedAverage(), name + " AUC weighted");
            if (a.containsKey("ovr_macro")) {
                near(Json.number(a, "ovr_macro"), auc.macroAverage(), name + " ovr macro");
                near(Json.number(a, "ovr_weighted"), auc.weightedAverage(), name + " ovr weighted");
            }
            near(Json.number(g, "score"), ap.score(), name + " average_precision_score");
            near(Json.number(g, "macro"), ap.macroAverage(), name + " AP macro");
            near(Json.number(g, "weighted"), ap.weightedAverage(), name + " AP weighted");
            double[] aucs = Json.doubles(a.get("per_class"));
            double[] aps = Json.doubles(g.get("per_class"));
            for (int k = 0; k < aucs.length; k++) {
                near(aucs[k], auc.forClass(k), name + " AUC of class " + k);
                near(aps[k], ap.forClass(k), name + " AP of class " + k);
            }
            ranked++;
        }
        assertEquals(4, ranked, "cases with every class in the true labels");
    }

    /** Weights of 1 are no weights: every figure equals the unweighted call's, to the bit. */
    @Test
    void weightsOfOneGiveTheUnweightedFiguresToTheBit() {
        for (Map<String, Object> c : cases("metrics_golden.json")) {
            int[] yTrue = Json.ints(c.get("y_true"));
            double[] ones = new double[yTrue.length];
            Arrays.fill(ones, 1.0);
            ClassificationReport plain = reportOf(c, null);
            ClassificationReport one = reportOf(c, ones);
            String name = Json.string(c, "name");
            for (int k = 0; k < plain.classes(); k++) {
                assertEquals(plain.forClass(k), one.forClass(k), name + " class " + k);
            }
            assertEquals(plain.macroAverage(), one.macroAverage(), name);
            assertEquals(plain.weightedAverage(), one.weightedAverage(), name);
            assertEquals(plain.accuracy(), one.accuracy(), 0, name);
            assertEquals(plain.balancedAccuracy(), one.balancedAccuracy(), 0, name);
            assertArrayEquals(plain.confusionMatrix().weights(), one.confusionMatrix().weights(), name);
            assertFalse(plain.confusionMatrix().isWeighted());
            if (c.containsKey("scores")) {
                float[] scores = Json.floats(c.get("scores"));
                int classes = (int) Json.number(c, "classes");
                for (int k = 1; k < classes; k++) {
                    assertEquals(TopKAccuracy.of(scores, classes, yTrue, k),
                            TopKAccuracy.of(scores, classes, yTrue, k, ones), 0, name + " top-" + k);
                }
            }
        }
        Map<String, Object> c = cases("metrics_golden.json").get(8);
        assertEquals("weights-of-one", Json.string(c, "name"));
        assertEquals(Json.string(Json.object(c.get("weighted")), "text"),
                reportOf(c, Json.doubles(Json.object(c.get("weighted")).get("sample_weight"))).toString(),
                "scikit-learn prints weighted supports as floats (12.0), even for weights of 1");
        for (Map<String, Object> s : cases("score_metrics_golden.json")) {
            String name = Json.string(s, "name");
            Predictions plain = Predictions.of(Json.floats(s.get("scores")), (int) Json.number(s, "outputs"),
                    Json.ints(s.get("y_true")));
            Predictions one = plain.withSampleWeights(plain.sampleWeights());
            assertFalse(plain.hasSampleWeights());
            assertEquals(plain.balancedAccuracy(), one.balancedAccuracy(), 0, name);
            for (double eps : new double[] {LogLoss.FLOAT64_EPS, LogLoss.FLOAT32_EPS, 1e-7, 0}) {
                assertEquals(plain.logLoss(eps), one.logLoss(eps), 0, name + " log loss eps " + eps);
            }
            for (int k = 1; k <= plain.classes(); k++) {
                assertEquals(plain.topKAccuracy(k), one.topKAccuracy(k), 0, name + " top-" + k);
            }
            if (!s.containsKey("roc_auc")) {
                continue;
            }
            for (int k = 0; k < plain.classes(); k++) {
                assertEquals(plain.rocAuc().forClass(k), one.rocAuc().forClass(k), 0, name + " AUC " + k);
                assertEquals(plain.averagePrecision().forClass(k), one.averagePrecision().forClass(k), 0, name);
            }
            assertEquals(plain.rocAuc().weightedAverage(), one.rocAuc().weightedAverage(), 0, name);
            assertEquals(plain.averagePrecision().weightedAverage(), one.averagePrecision().weightedAverage(), 0);
        }
    }

    /** Small cases worked by hand, so that a wrong golden file could not pass unnoticed. */
    @Test
    void handComputedCases() {
        // Row weights 1, 0.5, 2, 0.25, 0 (the class-2 row), 1.1: class 0 has TP 1, support 1.5, predicted 1 + 0 ;
        // class 1: TP 2.25, support 2.25, predicted 0.5 + 2.25. classification_report prints these supports.
        int[] y = {0, 0, 1, 1, 2, 3};
        int[] p = {0, 1, 1, 1, 0, 3};
        double[] w = {1, 0.5, 2, 0.25, 0, 1.1};
        ClassificationReport r = ClassificationReport.of(y, p, 4, w);
        assertEquals(new ClassScores(1.0, 1 / 1.5, 0.8, 2, 1.5), r.forClass(0));
        assertEquals(2.25 / 2.75, r.forClass(1).precision(), 1e-15);
        assertEquals(new ClassScores(0, 0, 0, 1, 0.0), r.forClass(2));
        assertEquals(4.35 / 4.85, r.accuracy(), 1e-15);
        assertEquals("""
                              precision    recall  f1-score   support

                           0       1.00      0.67      0.80       1.5
                           1       0.82      1.00      0.90      2.25
                           2       0.00      0.00      0.00       0.0
                           3       1.00      1.00      1.00       1.1

                    accuracy                           0.90      4.85
                   macro avg       0.70      0.67      0.68      4.85
                weighted avg       0.92      0.90      0.89      4.85
                """, r.toString(), "what scikit-learn 1.2.1 prints");
        // AUC: positives 0.35 (w 2) and 0.8 (w 1), negatives 0.1 (w 1) and 0.4 (w 3). Ordered pairs: 0.35 > 0.1
        // (2·1), 0.8 > both (1·4): (2 + 4) / (3 · 4) = 1/2. A tie counts half the pair's weight.
        float[] s = {0.1f, 0.4f, 0.35f, 0.8f};
        int[] yb = {0, 0, 1, 1};
        assertEquals(0.5, RocAuc.of(s, 1, yb, new double[] {1, 3, 2, 1}).score(), 1e-15);
        assertEquals(0.75, RocAuc.of(new float[] {0.2f, 0.5f, 0.5f}, 1, new int[] {0, 0, 1},
                new double[] {1, 1, 1}).score(), 0);
        // Positives weigh 1, all at 0.5; negatives 0.25 at 0.2 and 0.5 at 0.5: (1 · (0.25 + 0.5 / 2)) / (1 · 0.75).
        assertEquals(2.0 / 3, RocAuc.of(new float[] {0.2f, 0.5f, 0.5f, 0.5f}, 1,
                new int[] {0, 0, 1, 1}, new double[] {0.25, 0.5, 0.75, 0.25}).score(), 1e-15);
        // AP: thresholds 0.8 (P 1, R 1/3), 0.4 (P 1/4), 0.35 (P 3/6, R 1): 1/3 · 1 + 2/3 · 1/2 = 2/3.
        assertEquals(2.0 / 3, AveragePrecision.of(s, 1, yb, new double[] {1, 3, 2, 1}).score(), 1e-15);
        // A row weighing 0 draws no threshold: the 0.9 negative changes nothing.
        assertEquals(AveragePrecision.of(s, 1, yb).score(), AveragePrecision.of(new float[] {0.1f, 0.4f, 0.35f,
                0.8f, 0.9f}, 1, new int[] {0, 0, 1, 1, 0}, new double[] {1, 1, 1, 1, 0}).score(), 0);
        // Log loss: (2 · −ln 0.8 + 1 · −ln 0.7) / 3, and a row weighing 0 with p(true) = 0 counts nothing at eps 0.
        assertEquals((-2 * Math.log(0.8) - Math.log(0.7)) / 3,
                LogLoss.of(new float[] {0.8f, 0.3f}, 1, new int[] {1, 0}, new double[] {2, 1}), 1e-7);
        assertEquals(-Math.log(0.8f), LogLoss.of(new float[] {0.8f, 0f}, 1, new int[] {1, 1}, 0,
                new double[] {1, 0}), 1e-15);
        // Top-k: the rows weigh 3 and 1; only the first has its class on top.
        assertEquals(0.75, TopKAccuracy.of(new float[] {0.9f, 0.1f, 0f, 0.1f, 0.9f, 0f}, 3, new int[] {0, 2}, 1,
                new double[] {3, 1}), 0);
        assertEquals(0.75, Predictions.of(new float[] {0.9f, 0.9f}, 1, new int[] {1, 0})
                .withSampleWeights(new float[] {3, 1}).topKAccuracy(1), 0);
    }

    @Test
    void pythonPrintsFloatsAsThisDoes() {
        assertEquals("12.0", SampleWeights.pythonRepr(12));
        assertEquals("0.0", SampleWeights.pythonRepr(0));
        assertEquals("6.900000000000001", SampleWeights.pythonRepr(6.900000000000001));
        assertEquals("0.1", SampleWeights.pythonRepr(0.1));
        assertEquals("0.30000000000000004", SampleWeights.pythonRepr(0.1 + 0.2));
        assertEquals("0.0001", SampleWeights.pythonRepr(1e-4));
        assertEquals("1e-05", SampleWeights.pythonRepr(1e-5));
        assertEquals("1.5e-07", SampleWeights.pythonRepr(1.5e-7));
        assertEquals("1234567890123456.0", SampleWeights.pythonRepr(1234567890123456.0));
        assertEquals("1e+16", SampleWeights.pythonRepr(1e16));
        assertEquals("1.2345e+20", SampleWeights.pythonRepr(1.2345e20));
        assertEquals("5e-324", SampleWeights.pythonRepr(Double.MIN_VALUE));
        // numpy's pairwise sum: sum(0.1 for 10) is 0.9999999999999999 sequentially, 1.0 in numpy.
        double[] tenths = new double[10];
        Arrays.fill(tenths, 0.1);
        assertEquals(1.0, SampleWeights.numpySum(tenths, 0, 10), 0);
    }

    private static void assertRefused(String message, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(message, e.getMessage());
    }

    @Test
    void badWeightsAreRefusedNamingTheArgumentAndTheRow() {
        int[] y = {0, 1, 1};
        float[] s = {0.2f, 0.7f, 0.6f};
        assertRefused("ClassificationReport.of: sampleWeights has 2 entries but there are 3 rows; give one weight"
                + " per row", () -> ClassificationReport.of(y, y, 2, new double[] {1, 1}));
        assertRefused("ConfusionMatrix.of: sampleWeights[1] = -0.5 is not a finite number >= 0",
                () -> ConfusionMatrix.of(y, y, 2, new double[] {1, -0.5, 1}));
        assertRefused("LogLoss.of: sampleWeights[2] = NaN is not a finite number >= 0",
                () -> LogLoss.of(s, 1, y, new double[] {1, 1, Double.NaN}));
        assertRefused("RocAuc.of: sampleWeights[0] = Infinity is not a finite number >= 0",
                () -> RocAuc.of(s, 1, y, new double[] {Double.POSITIVE_INFINITY, 1, 1}));
        assertRefused("TopKAccuracy.of: all 3 sample weights are 0, so no row counts and the metric is not defined;"
                + " at least one weight must be positive", () -> TopKAccuracy.of(new float[6], 2, y, 1, new double[3]));
        assertRefused("Predictions.withSampleWeights: sampleWeights[1] = -1.0 is not a finite number >= 0",
                () -> Predictions.of(s, 1, y).withSampleWeights(new float[] {1, -1, 1}));
        assertRefused("AveragePrecision.of: the 1 row of class 0 in the true labels all weigh 0, so it has no"
                + " positives to rank against the rest and its score is not defined (scikit-learn warns and scores"
                + " it NaN or 0, which its macro average takes in and its support-weighted one leaves out); give them"
                + " weight or score without the class", () -> AveragePrecision.of(s, 1, y,
                        new double[] {0, 1, 1}));
        IllegalArgumentException auc = assertThrows(IllegalArgumentException.class,
                () -> Predictions.of(s, 1, y).withSampleWeights(new double[] {0, 1, 1}).rocAuc());
        assertTrue(auc.getMessage().startsWith("RocAuc.of: the 1 row of class 0"), auc.getMessage());
        // null is no weights.
        assertEquals(LogLoss.of(s, 1, y), LogLoss.of(s, 1, y, (double[]) null), 0);
        assertFalse(Predictions.of(s, 1, y).withSampleWeights((double[]) null).hasSampleWeights());
    }
}
