package dev.nnj.api.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.conformance.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link ClassificationReport}, {@link ConfusionMatrix} and {@link TopKAccuracy} against scikit-learn on the same
 * labels (golden/metrics_golden.json, made by scripts/golden/make_metrics_golden.py): every number of
 * {@code classification_report(output_dict=True)} within 1e-12, the text report character for character, the
 * confusion matrix and top-k accuracy exactly. A small case computed by hand below checks the formulas
 * themselves, so a wrong golden file could not pass unnoticed.
 */
class ClassificationReportTest {

    private static List<Map<String, Object>> cases() {
        List<Map<String, Object>> cases = Json.cases("/golden/metrics_golden.json");
        assertTrue(cases.size() >= 5, "golden cases: " + cases.size());
        return cases;
    }

    private static ClassificationReport reportOf(Map<String, Object> c) {
        int[] yTrue = Json.ints(c.get("y_true"));
        int[] yPred = Json.ints(c.get("y_pred"));
        int classes = (int) Json.number(c, "classes");
        Object names = c.get("target_names");
        if (names == null) {
            return ClassificationReport.of(yTrue, yPred, classes);
        }
        List<String> list = new ArrayList<>();
        for (Object n : Json.array(names)) {
            list.add((String) n);
        }
        return ClassificationReport.of(yTrue, yPred, list);
    }

    private static void assertScores(String what, Map<String, Object> expected, ClassScores actual) {
        assertEquals(Json.number(expected, "precision"), actual.precision(), 1e-12, what + " precision");
        assertEquals(Json.number(expected, "recall"), actual.recall(), 1e-12, what + " recall");
        assertEquals(Json.number(expected, "f1-score"), actual.f1(), 1e-12, what + " f1-score");
        assertEquals((int) Json.number(expected, "support"), actual.support(), what + " support");
    }

    @Test
    void scoresEqualScikitLearnsOutputDict() {
        for (Map<String, Object> c : cases()) {
            String name = Json.string(c, "name");
            ClassificationReport r = reportOf(c);
            Map<String, Object> golden = Json.object(c.get("report"));
            List<String> rows = new ArrayList<>();
            for (int k : r.reportedClasses()) {
                String key = r.classNames().get(k);
                rows.add(key);
                assertTrue(golden.containsKey(key), name + ": scikit-learn has no row " + key + ": " + golden.keySet());
                assertScores(name + " class " + key, Json.object(golden.get(key)), r.forClass(k));
            }
            // scikit-learn's keys: one per reported class, then accuracy and the two averages.
            assertEquals(rows.size() + 3, golden.size(), name + " rows " + rows + " vs " + golden.keySet());
            assertScores(name + " macro avg", Json.object(golden.get("macro avg")), r.macroAverage());
            assertScores(name + " weighted avg", Json.object(golden.get("weighted avg")), r.weightedAverage());
            assertEquals(Json.number(golden, "accuracy"), r.accuracy(), 1e-15, name + " accuracy");
        }
    }

    @Test
    void textEqualsScikitLearnsReportCharacterForCharacter() {
        for (Map<String, Object> c : cases()) {
            ClassificationReport r = reportOf(c);
            int digits = (int) Json.number(c, "digits");
            assertEquals(Json.string(c, "text"), r.format(digits), Json.string(c, "name") + " text report");
            if (digits == 2) {
                assertEquals(Json.string(c, "text"), r.toString(), "toString() is format(2)");
            }
        }
    }

    @Test
    void confusionMatrixEqualsScikitLearns() {
        for (Map<String, Object> c : cases()) {
            List<Object> rows = Json.array(c.get("confusion"));
            int[][] expected = new int[rows.size()][];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = Json.ints(rows.get(i));
            }
            int[][] actual = ConfusionMatrix.of(Json.ints(c.get("y_true")), Json.ints(c.get("y_pred")),
                    (int) Json.number(c, "classes")).counts();
            assertArrayEquals(expected, actual, Json.string(c, "name") + " confusion matrix");
            assertArrayEquals(expected, reportOf(c).confusionMatrix().counts(), "report's confusion matrix");
        }
    }

    @Test
    void topKAccuracyEqualsScikitLearnsIncludingTies() {
        int checked = 0;
        for (Map<String, Object> c : cases()) {
            if (!c.containsKey("top_k")) {
                continue;
            }
            float[] scores = Json.floats(c.get("scores"));
            int classes = (int) Json.number(c, "classes");
            int[] yTrue = Json.ints(c.get("y_true"));
            for (Map.Entry<String, Object> e : Json.object(c.get("top_k")).entrySet()) {
                int k = Integer.parseInt(e.getKey());
                assertEquals((Double) e.getValue(), TopKAccuracy.of(scores, classes, yTrue, k), 1e-15,
                        Json.string(c, "name") + " top-" + k);
                checked++;
            }
        }
        assertTrue(checked >= 10, "top-k values checked: " + checked);
    }

    /** Three classes worked by hand: class 2 is never predicted and class 1 predicted for everything else. */
    @Test
    void handComputedCase() {
        int[] yTrue = {0, 0, 1, 1, 1, 2};
        int[] yPred = {0, 1, 1, 1, 0, 1};
        ClassificationReport r = ClassificationReport.of(yTrue, yPred, 3);
        // class 0: TP 1, predicted 2, support 2 -> p 1/2, r 1/2, f1 1/2
        // class 1: TP 2, predicted 4, support 3 -> p 1/2, r 2/3, f1 2·(1/2)(2/3)/(7/6) = 4/7
        // class 2: TP 0, predicted 0, support 1 -> p 0 (zero division), r 0, f1 0
        assertEquals(new ClassScores(0.5, 0.5, 0.5, 2), r.forClass(0));
        assertEquals(0.5, r.forClass(1).precision(), 0);
        assertEquals(2.0 / 3, r.forClass(1).recall(), 1e-15);
        assertEquals(4.0 / 7, r.forClass(1).f1(), 1e-15);
        assertEquals(new ClassScores(0, 0, 0, 1), r.forClass(2));
        assertEquals(0.5, r.accuracy(), 0);
        assertEquals((0.5 + 4.0 / 7) / 3, r.macroAverage().f1(), 1e-15);
        assertEquals((2 * 0.5 + 3 * 4.0 / 7) / 6, r.weightedAverage().f1(), 1e-15);
        assertArrayEquals(new int[][] {{1, 1, 0}, {1, 2, 0}, {0, 1, 0}}, r.confusionMatrix().counts());
        assertEquals("0.12", ClassificationReport.fixed(0.125, 2), "half to even, as Python rounds");
        assertEquals("0.38", ClassificationReport.fixed(0.375, 2));
    }

    /**
     * Five named classes; class 2 occurs in neither label list and class 4 ("fox") is predicted once but never
     * true. Expected values are what Debian's scikit-learn 1.2.1 prints for
     * <pre>
     * classification_report([0,0,0,1,1,1,1,3,3], [0,1,0,1,1,1,4,3,0],
     *                       target_names=["cat", "dog", "bird", "fox"], zero_division=0, digits=4)
     * </pre>
     * (its default {@code labels=None}; it refuses all five names, as class 2 does not occur). With class 2 kept
     * as a row of zeros the macro precision would be 0.4833 rather than 0.6042.
     */
    @Test
    void classInNeitherLabelListIsLeftOutLikeScikitLearnsDefault() {
        int[] yTrue = {0, 0, 0, 1, 1, 1, 1, 3, 3};
        int[] yPred = {0, 1, 0, 1, 1, 1, 4, 3, 0};
        ClassificationReport r = ClassificationReport.of(yTrue, yPred,
                List.of("cat", "dog", "a class with no samples", "bird", "fox"));
        assertEquals("""
                              precision    recall  f1-score   support

                         cat     0.6667    0.6667    0.6667         3
                         dog     0.7500    0.7500    0.7500         4
                        bird     1.0000    0.5000    0.6667         2
                         fox     0.0000    0.0000    0.0000         0

                    accuracy                         0.6667         9
                   macro avg     0.6042    0.4792    0.5208         9
                weighted avg     0.7778    0.6667    0.7037         9
                """, r.format(4), "the absent class's row and its long name are gone");
        // output_dict=True of the same call
        assertEquals(0.6041666666666666, r.macroAverage().precision(), 1e-15);
        assertEquals(0.47916666666666663, r.macroAverage().recall(), 1e-15);
        assertEquals(0.5208333333333333, r.macroAverage().f1(), 1e-15);
        assertEquals(9, r.macroAverage().support());
        assertEquals(0.7777777777777778, r.weightedAverage().precision(), 1e-15);
        assertEquals(0.6666666666666666, r.weightedAverage().recall(), 1e-15);
        assertEquals(0.7037037037037037, r.weightedAverage().f1(), 1e-15);
        assertEquals(0.6666666666666666, r.accuracy(), 1e-15);
        assertEquals(new ClassScores(0, 0, 0, 0), r.forClass(4), "predicted, never true: a row of zeros");

        assertArrayEquals(new int[] {0, 1, 3, 4}, r.reportedClasses());
        assertEquals(5, r.classes(), "every class still counts in the matrix");
        assertEquals(5, r.confusionMatrix().classes());
        assertEquals(new ClassScores(0, 0, 0, 0), r.forClass(2));
        // The numbered report leaves out the same class.
        assertEquals(r.macroAverage(), ClassificationReport.of(yTrue, yPred, 5).macroAverage());
        String numbered = ClassificationReport.of(yTrue, yPred, 5).toString();
        assertTrue(numbered.contains("\n           3 ") && !numbered.contains("\n           2 "), numbered);
    }

    @Test
    void badInputIsRejectedWithItsName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassificationReport.of(new int[] {0, 3}, new int[] {0, 1}, 3));
        assertTrue(e.getMessage().contains("trueLabels[1] = 3") && e.getMessage().contains("[0, 3)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.of(new int[] {0, 1}, new int[] {0}, 2));
        assertTrue(e.getMessage().contains("2 entries") && e.getMessage().contains("1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TopKAccuracy.of(new float[5], 3, new int[] {0, 1}, 1));
        assertTrue(e.getMessage().contains("scores has 5 values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TopKAccuracy.of(new float[6], 3, new int[] {0, 1}, 0));
        assertTrue(e.getMessage().contains("k must be at least 1"), e.getMessage());
        // A NaN score compares false both ways: it was ranked first and counted as a hit (top-1 of 1.0 here).
        e = assertThrows(dev.nnj.api.data.InvalidDataException.class, () -> TopKAccuracy.of(
                new float[] {Float.NaN, .1f, .2f, .1f, .5f, .4f}, 3, new int[] {0, 1}, 1));
        assertTrue(e.getMessage().contains("TopKAccuracy.of: scores") && e.getMessage().contains("row 0"),
                e.getMessage());
    }

    /**
     * Names in CJK, with an emoji (a surrogate pair) and with a combining accent line up on a terminal: every row's
     * name column ends at the same column, counted as a terminal draws them (an ideograph two columns, an accent
     * none). Padded by {@code String.length()}, the CJK row would stand 7 columns out of line, the
     * others 0, 1 and 1.
     */
    @Test
    void wideAndCombiningClassNamesLineUpOnATerminal() {
        int[] yTrue = {0, 1, 2, 3, 0, 1, 2, 3};
        String ideographs = "\u732b\u72ac\u9ce5\u9b5a\u72d0\u718a\u9e7f"; // seven ideographs, 14 columns
        String emoji = "fox \uD83E\uDD8A"; // "fox 🦊": 6 code units, 6 columns
        String accent = "cafe\u0301"; // "café" with a combining acute: 5 code units, 4 columns
        ClassificationReport r = ClassificationReport.of(yTrue, yTrue, List.of("dog", ideographs, emoji, accent));
        String[] lines = r.format(2).split("\n");
        int scoresAt = -1;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String stripped = line.stripLeading();
            int nameEnds = line.length() - stripped.length() + stripped.indexOf("  ");
            int column = TerminalWidth.of(line.substring(0, nameEnds));
            if (line.endsWith("support")) {
                continue; // the header has no name
            }
            if (scoresAt < 0) {
                scoresAt = column;
            }
            assertEquals(scoresAt, column, "name column of \"" + line + "\" in\n" + r.format(2));
        }
        assertEquals(14, TerminalWidth.of(ideographs));
        assertEquals(6, TerminalWidth.of(emoji));
        assertEquals(4, TerminalWidth.of(accent));
        assertEquals(2, TerminalWidth.of("\u2764\uFE0F"), "a heart with VS16 is drawn as an emoji");
        assertEquals(2, TerminalWidth.of("\uD83D\uDC69\u200D\uD83D\uDCBB"), "woman + ZWJ + laptop: one emoji");
        assertEquals(14, scoresAt, "the widest name sets the column, wider than \"weighted avg\"");
        assertTrue(lines[2].startsWith("           dog "), lines[2]);
    }
}
