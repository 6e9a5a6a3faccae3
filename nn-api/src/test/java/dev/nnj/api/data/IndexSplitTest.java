package dev.nnj.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class IndexSplitTest {

    @Test
    void parsesTheBundledFormat() {
        IndexSplit s = IndexSplit.parse("# train_test_split(range(5), test_size=0.4, random_state=1)\n"
                + "train,4,0,2\n\ntest,1,3\n", "split.csv");
        assertArrayEquals(new int[] {4, 0, 2}, s.train());
        assertArrayEquals(new int[] {1, 3}, s.test());
        assertEquals(5, s.size());
        s.validate(5);
    }

    @Test
    void writeThenReadRoundTrips() throws IOException {
        IndexSplit s = new IndexSplit(new int[] {2, 0}, new int[] {1});
        StringWriter w = new StringWriter();
        s.write(w, "made by hand");
        assertEquals("# made by hand\ntrain,2,0\ntest,1\n", w.toString());
        assertEquals(s, IndexSplit.parse(w.toString(), "w"));
    }

    @Test
    void applySelectsRowsInOrder() {
        Dataset d = Dataset.ofLabels(new float[] {10, 11, 12, 13}, 1, new int[] {0, 1, 0, 1}, 2);
        IndexSplit.Datasets parts = new IndexSplit(new int[] {3, 0}, new int[] {2, 1}).apply(d);
        assertArrayEquals(new float[] {13, 10}, parts.train().features());
        assertArrayEquals(new int[] {0, 1}, parts.test().labels());
    }

    @Test
    void malformedFilesAndBadIndicesAreClear() {
        assertEquals("s.csv line 2, column 3: 'x' is not a row index", assertThrows(IllegalArgumentException.class,
                () -> IndexSplit.parse("train,1\ntest,2,x\n", "s.csv")).getMessage());
        assertEquals("s.csv: missing the 'test' line", assertThrows(IllegalArgumentException.class,
                () -> IndexSplit.parse("train,1\n", "s.csv")).getMessage());
        assertEquals("s.csv line 1: expected a line starting with 'train' or 'test', got 'valid'",
                assertThrows(IllegalArgumentException.class, () -> IndexSplit.parse("valid,1\n", "s.csv")).getMessage());
        assertEquals("test index 1 (entry 1) is used more than once in the split",
                assertThrows(IllegalArgumentException.class,
                        () -> new IndexSplit(new int[] {0, 1}, new int[] {1}).validate(3)).getMessage());
        assertEquals("train index 5 (entry 2) is not a row of a dataset of 3 rows",
                assertThrows(IllegalArgumentException.class,
                        () -> new IndexSplit(new int[] {0, 5}, new int[] {1}).validate(3)).getMessage());
    }
}
