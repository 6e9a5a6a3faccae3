package dev.nnj.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TrainTestSplitTest {

    @Test
    void testSizeIsTheCeilingLikeScikitLearn() {
        assertEquals(360, TrainTestSplit.testCount(1797, 0.2)); // 359.4 -> 360, the article's 1437/360
        assertEquals(3, TrainTestSplit.testCount(10, 0.25));
        assertThrows(IllegalArgumentException.class, () -> TrainTestSplit.testCount(10, 0));
        assertThrows(IllegalArgumentException.class, () -> TrainTestSplit.testCount(10, 1));
        assertThrows(IllegalArgumentException.class, () -> TrainTestSplit.testCount(1, 0.5));
        assertEquals(1, TrainTestSplit.testCount(1437, 1e-9), "any fraction above 0 holds out a row");
    }

    @Test
    void theLargestTestFractionIsShortAndLeavesExactlyTheTrainingRowsAskedFor() {
        assertEquals(0.98, TrainTestSplit.largestTestFraction(150, 3).getAsDouble());     // 147 test, 3 train
        assertEquals(0.993, TrainTestSplit.largestTestFraction(1437, 10).getAsDouble());  // 1427 validation, 10 train
        assertEquals(0.5, TrainTestSplit.largestTestFraction(2, 1).getAsDouble());
        assertTrue(TrainTestSplit.largestTestFraction(2, 2).isEmpty(), "no room for a test row");
        assertTrue(TrainTestSplit.largestTestFraction(3, 5).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> TrainTestSplit.largestTestFraction(10, 0));
        for (int rows = 2; rows <= 400; rows++) {
            for (int train = 1; train < rows; train++) {
                double f = TrainTestSplit.largestTestFraction(rows, train).getAsDouble();
                assertEquals(rows - train, TrainTestSplit.testCount(rows, f), rows + " rows, " + train + " train: " + f);
            }
        }
    }

    @Test
    void stratifiedSplitKeepsATrainingRowOfEveryClass() {
        // One row of class 0 among 99 of class 1, half held out: both classes' exact shares (0.5 and 49.5) have
        // the remainder 0.5, and the last test row would go to class 0 whenever the random tie-break favours it.
        int[] labels = new int[100];
        Arrays.fill(labels, 1, 100, 1);
        for (long seed = 0; seed < 40; seed++) {
            IndexSplit s = TrainTestSplit.stratified(labels, 0.5, seed);
            assertArrayEquals(new int[] {1, 49}, countClasses(labels, s.train(), 2), "seed " + seed);
        }
        // 50 of each of 3 classes, 98 % held out: 147 test rows and one training row of each class.
        int[] three = new int[150];
        for (int i = 0; i < 150; i++) {
            three[i] = i / 50;
        }
        for (long seed = 0; seed < 10; seed++) {
            IndexSplit s = TrainTestSplit.stratified(three, 0.98, seed);
            assertArrayEquals(new int[] {1, 1, 1}, countClasses(three, s.train(), 3), "seed " + seed);
        }
    }

    @Test
    void stratifiedSplitRefusesFewerTrainingRowsThanClasses() {
        int[] three = new int[150];
        for (int i = 0; i < 150; i++) {
            three[i] = i / 50;
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainTestSplit.stratified(three, 0.99, 42));
        assertEquals("a stratified split keeps a training row of each class, and a test fraction of 0.99 on 150 "
                + "rows leaves 149 test rows and 1 training row for 3 classes; the largest test fraction that keeps "
                + "one of each is 0.98", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainTestSplit.stratified(new int[] {0, 1, 2}, 0.1, 1));
        assertTrue(e.getMessage().endsWith("3 rows cannot give every class a training row and leave a test row"),
                e.getMessage());
        // A class that is absent (label 1 here) needs no training row: two classes, three rows, one held out.
        IndexSplit s = TrainTestSplit.stratified(new int[] {0, 2, 2}, 0.2, 3);
        assertArrayEquals(new int[] {1, 0, 1}, countClasses(new int[] {0, 2, 2}, s.train(), 3));
    }

    @Test
    void shuffledSplitIsAPartitionAndDependsOnlyOnTheSeed() {
        IndexSplit a = TrainTestSplit.shuffled(1797, 0.2, 42);
        assertEquals(1437, a.train().length);
        assertEquals(360, a.test().length);
        a.validate(1797); // every row exactly once
        assertEquals(a, TrainTestSplit.shuffled(1797, 0.2, 42));
        assertNotEquals(a, TrainTestSplit.shuffled(1797, 0.2, 43));
        int[] sorted = a.test().clone();
        Arrays.sort(sorted);
        assertFalse(Arrays.equals(sorted, a.test()), "the test part should come out shuffled");
    }

    @Test
    void stratifiedSplitKeepsClassProportions() {
        // 100 rows: 50 of class 0, 30 of class 1, 20 of class 2, interleaved.
        int[] labels = new int[100];
        for (int i = 0; i < 100; i++) {
            labels[i] = i % 10 < 5 ? 0 : i % 10 < 8 ? 1 : 2;
        }
        IndexSplit s = TrainTestSplit.stratified(labels, 0.2, 7);
        s.validate(100);
        assertArrayEquals(new int[] {10, 6, 4}, countClasses(labels, s.test(), 3));
        assertArrayEquals(new int[] {40, 24, 16}, countClasses(labels, s.train(), 3));
    }

    @Test
    void stratifiedSplitDistributesRemaindersToTheLargestFractions() {
        // 7 + 7 + 6 rows, 30% test -> 6 test rows: exact shares 2.1, 2.1, 1.8 -> floors 2, 2, 1 and the
        // one left goes to class 2 (remainder 0.8).
        int[] labels = new int[20];
        for (int i = 0; i < 20; i++) {
            labels[i] = i < 7 ? 0 : i < 14 ? 1 : 2;
        }
        for (long seed = 0; seed < 5; seed++) {
            IndexSplit s = TrainTestSplit.stratified(labels, 0.3, seed);
            assertArrayEquals(new int[] {2, 2, 2}, countClasses(labels, s.test(), 3));
        }
    }

    @Test
    void stratifiedProportionsOnAnUnevenDataset() {
        int[] labels = new int[1000];
        int[] perClass = {500, 300, 150, 50};
        for (int i = 0, c = 0, k = 0; i < labels.length; i++, k++) {
            if (k == perClass[c]) {
                c++;
                k = 0;
            }
            labels[i] = c;
        }
        IndexSplit s = TrainTestSplit.stratified(labels, 0.25, 1);
        int[] test = countClasses(labels, s.test(), 4);
        for (int c = 0; c < 4; c++) {
            assertEquals(perClass[c] * 0.25, test[c], 1.0, "class " + c);
        }
        assertEquals(250, s.test().length);
    }

    @Test
    void datasetSplitCarriesRowsAndLabels() {
        float[] f = new float[20];
        int[] labels = new int[10];
        for (int i = 0; i < 10; i++) {
            f[2 * i] = i;
            f[2 * i + 1] = -i;
            labels[i] = i % 2;
        }
        Dataset d = Dataset.ofLabels(f, 2, labels, 2);
        IndexSplit.Datasets parts = TrainTestSplit.split(d, 0.2, 5, true);
        assertEquals(8, parts.train().size());
        assertEquals(2, parts.test().size());
        for (int i = 0; i < parts.test().size(); i++) {
            int row = (int) parts.test().features()[2 * i];
            assertEquals(row % 2, parts.test().labels()[i]);
        }
        assertEquals(1, parts.test().labels()[0] + parts.test().labels()[1], "one of each class");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainTestSplit.split(new Dataset(f, 2, new float[10], 1), 0.2, 5, true));
        assertTrue(e.getMessage().contains("needs class labels"), e.getMessage());
    }

    private static int[] countClasses(int[] labels, int[] rows, int classes) {
        int[] c = new int[classes];
        for (int r : rows) {
            c[labels[r]]++;
        }
        return c;
    }
}
