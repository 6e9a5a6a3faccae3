package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.metrics.ClassificationReport;
import dev.nnj.api.metrics.Predictions;
import org.junit.jupiter.api.Test;

/**
 * The majority-class baseline learns its class from the training rows, as scikit-learn's
 * {@code DummyClassifier(strategy="most_frequent")} does, and is scored on the test rows.
 */
class TestSetReportTest {

    @Test
    void theMajorityIsTheTrainingRowsMostFrequentClassTheLowestAmongEquals() {
        assertEquals(1, TestSetReport.majorityClass(new int[] {2, 2, 1, 1, 0}, 3), "1 and 2 tie: the lower");
        assertEquals(2, TestSetReport.majorityClass(new int[] {2, 2, 1, 0, 2}, 3));
        assertEquals(0, TestSetReport.majorityClass(new int[] {0}, 4), "classes with no rows count 0");
    }

    /**
     * A model that gives every test row one class, where they hold several, is said to on standard error; one that
     * tells even two rows apart, or a test set of one class, says nothing.
     */
    @Test
    void aModelThatPredictsOneClassForEveryTestRowIsSaidTo() {
        java.io.StringWriter err = new java.io.StringWriter();
        java.io.PrintWriter to = new java.io.PrintWriter(err);
        String[] names = {"benign", "malignant"};
        float[] allMalignant = {0.4f, 0.6f, 0.3f, 0.7f, 0.45f, 0.55f};
        org.junit.jupiter.api.Assertions.assertTrue(TestSetReport.warnIfOneClass(
                Predictions.of(allMalignant, 2, new int[] {0, 1, 1}), names, "seed 3  ", "test rows", to));
        assertEquals("digits: warning: seed 3: the model predicts 'malignant' for all 3 test rows, which hold 2 "
                + "classes: it tells no class from another (a learning rate too high, features left unscaled, or too "
                + "few epochs can end so)", err.toString().strip());
        err.getBuffer().setLength(0);
        float[] oneBenign = {0.6f, 0.4f, 0.3f, 0.7f, 0.45f, 0.55f};
        org.junit.jupiter.api.Assertions.assertFalse(TestSetReport.warnIfOneClass(
                Predictions.of(oneBenign, 2, new int[] {0, 1, 1}), names, "", "test rows", to));
        org.junit.jupiter.api.Assertions.assertFalse(TestSetReport.warnIfOneClass(
                Predictions.of(allMalignant, 2, new int[] {1, 1, 1}), names, "", "test rows", to),
                "one class in the test rows");
        assertEquals("", err.toString());
        TestSetReport.warnIfOneClass(Predictions.of(allMalignant, 2, new int[] {0, 1, 1}), names, "fold 2/5  ",
                "rows it holds out", to);
        assertTrue(err.toString().startsWith("digits: warning: fold 2/5: the model predicts 'malignant' for all 3 "
                + "rows it holds out, which hold 2 classes"), err.toString());
    }

    /** Training rows mostly class 0, test rows mostly class 2: the baseline predicts 0 and scores 1/5 there. */
    @Test
    void theBaselineIsScoredOnTheTestRowsWithTheTrainingMajority() {
        int majority = TestSetReport.majorityClass(new int[] {0, 0, 0, 1, 2}, 3);
        int[] testTruth = {2, 2, 2, 1, 0};
        ClassificationReport report = ClassificationReport.of(testTruth, testTruth, 3);
        ClassificationReport baseline = TestSetReport.majorityBaseline(report, majority);
        assertEquals(0.2, baseline.accuracy(), 1e-12);
        assertEquals(1.0 / 3, baseline.balancedAccuracy(), 1e-12);
        assertEquals("(always \"a\"): accuracy 0.2000, macro-F1 0.1111, balanced accuracy 0.3333",
                TestSetReport.baseline(report, majority, new String[] {"a", "b", "c"}));
    }
}
