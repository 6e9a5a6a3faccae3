package dev.nnj.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link TrainTestSplit#kFold} and {@link TrainTestSplit#stratifiedKFold}: each row in exactly one test fold,
 * training parts the complements, and the per-fold class counts scikit-learn 1.2.1's StratifiedKFold gives on
 * the same labels (its allocation does not depend on the shuffle), printed once with
 * <pre>
 *   y = np.repeat(np.arange(len(counts)), counts)
 *   [np.bincount(y[t], minlength=len(counts)).tolist() for _, t in StratifiedKFold(k).split(np.zeros(len(y)), y)]
 * </pre>
 */
class KFoldTest {
    private static int[] labels(int... counts) {
        int n = 0;
        for (int c : counts) {
            n += c;
        }
        int[] y = new int[n];
        for (int c = 0, i = 0; c < counts.length; c++) {
            for (int t = 0; t < counts[c]; t++) {
                y[i++] = c;
            }
        }
        // Interleave the classes so that the row order is not the sorted order the allocation starts from.
        TrainTestSplit.shuffle(y, new java.util.Random(5));
        return y;
    }

    private static void assertPartition(List<IndexSplit> folds, int rows) {
        int[] seen = new int[rows];
        for (IndexSplit s : folds) {
            assertEquals(rows, s.size());
            s.validate(rows);   // no row twice, none outside
            for (int r : s.test()) {
                seen[r]++;
            }
            for (int i = 1; i < s.test().length; i++) {
                assertTrue(s.test()[i - 1] < s.test()[i], "ascending");
            }
        }
        for (int i = 0; i < rows; i++) {
            assertEquals(1, seen[i], "row " + i + " is in one test fold");
        }
    }

    private static int[][] classCounts(List<IndexSplit> folds, int[] y, int classes) {
        int[][] out = new int[folds.size()][classes];
        for (int f = 0; f < folds.size(); f++) {
            for (int r : folds.get(f).test()) {
                out[f][y[r]]++;
            }
        }
        return out;
    }

    @Test
    void stratifiedFoldsHaveScikitLearnsClassCounts() {
        int[][] counts = {{378, 22}, {5, 3, 7}, {50, 50, 50}};
        int[] ks = {5, 3, 5};
        int[][][] sklearn = {
            {{76, 4}, {76, 4}, {76, 4}, {75, 5}, {75, 5}},
            {{2, 1, 2}, {2, 1, 2}, {1, 1, 3}},
            {{10, 10, 10}, {10, 10, 10}, {10, 10, 10}, {10, 10, 10}, {10, 10, 10}}};
        for (int i = 0; i < counts.length; i++) {
            int[] y = labels(counts[i]);
            for (long seed : new long[] {0, 42}) {
                List<IndexSplit> folds = TrainTestSplit.stratifiedKFold(y, ks[i], seed);
                assertEquals(ks[i], folds.size());
                assertPartition(folds, y.length);
                assertArrayEquals(sklearn[i], classCounts(folds, y, counts[i].length), "case " + i + " seed " + seed);
            }
        }
    }

    @Test
    void foldsAreSeeded() {
        int[] y = labels(30, 20);
        assertEquals(TrainTestSplit.stratifiedKFold(y, 5, 7), TrainTestSplit.stratifiedKFold(y, 5, 7));
        assertNotEquals(TrainTestSplit.stratifiedKFold(y, 5, 7), TrainTestSplit.stratifiedKFold(y, 5, 8));
        assertEquals(TrainTestSplit.kFold(50, 5, 7), TrainTestSplit.kFold(50, 5, 7));
        assertNotEquals(TrainTestSplit.kFold(50, 5, 7), TrainTestSplit.kFold(50, 5, 8));
    }

    @Test
    void plainFoldsHaveKFoldsSizes() {
        // KFold(3) on 10 rows: 4, 3, 3 (the first n % k folds one longer).
        List<IndexSplit> folds = TrainTestSplit.kFold(10, 3, 1);
        assertPartition(folds, 10);
        assertEquals(4, folds.get(0).test().length);
        assertEquals(3, folds.get(1).test().length);
        assertEquals(3, folds.get(2).test().length);
        assertEquals(6, folds.get(0).train().length);
    }

    @Test
    void aClassSmallerThanKIsRefused() {
        // scikit-learn warns here ("The least populated class in y has only 1 members, which is less than
        // n_splits=4") and gives folds with no row of class 0, training without it once.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainTestSplit.stratifiedKFold(labels(1, 9, 4), 4, 0));
        assertEquals("stratified 4-fold cross-validation needs at least 4 rows of every class, and class 0 has only 1"
                + " (scikit-learn warns: \"The least populated class in y has only 1 members, which is less than"
                + " n_splits=4\"); no k stratifies a class of one row: use kFold for unstratified folds", e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainTestSplit.stratifiedKFold(labels(3, 9), 4, 0))
                .getMessage().endsWith("; use k <= 3, or kFold for unstratified folds"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainTestSplit.kFold(3, 4, 0)).getMessage()
                .contains("n_splits=4 greater than the number of samples: n_samples=3"));
        assertThrows(IllegalArgumentException.class, () -> TrainTestSplit.kFold(10, 1, 0));
        // A class index with no rows (labels 0 and 2) is no class: it does not count as the smallest.
        assertEquals(2, TrainTestSplit.stratifiedKFold(new int[] {0, 2, 0, 2}, 2, 0).size());
    }
}
