package dev.nnj.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DatasetTest {

    /** 3 rows of 2 features, labels 2, 0, 1 over 3 classes. */
    private static Dataset small() {
        return Dataset.ofLabels(new float[] {1, 2, 3, 4, 5, 6}, 2, new int[] {2, 0, 1}, 3);
    }

    @Test
    void ofLabelsOneHotEncodesAndKeepsTheLabels() {
        Dataset d = small();
        assertEquals(3, d.size());
        assertEquals(2, d.featureCount());
        assertEquals(3, d.targetCount());
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 1, 0}, d.targets());
        assertTrue(d.hasLabels());
        assertArrayEquals(new int[] {2, 0, 1}, d.labels());
    }

    @Test
    void ofBinaryLabelsMakesTheOneTargetColumnOfASigmoidOutput() {
        Dataset d = Dataset.ofBinaryLabels(new float[] {1, 2, 3, 4}, 2, new int[] {0, 1});
        assertEquals(1, d.targetCount());
        assertArrayEquals(new float[] {0, 1}, d.targets());
        assertArrayEquals(new int[] {0, 1}, d.labels());
        InvalidDataException notBinary = assertThrows(InvalidDataException.class,
                () -> Dataset.ofBinaryLabels(new float[] {1, 2, 3, 4}, 2, new int[] {0, 2}));
        assertTrue(notBinary.getMessage().contains("row 1 has class 2"), notBinary.getMessage());
    }

    @Test
    void ofLabelsTellsLabelsFromRowsAndOneClassFromTwo() {
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> Dataset.ofLabels(new float[8], 2, new int[] {0, 1, 2}, 3));
        assertEquals("ofLabels: 3 labels for 4 rows of features (8 / 2); give one label per row", count.getMessage());
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> Dataset.ofLabels(new float[4], 2, new int[] {0, 0}, 1));
        assertTrue(one.getMessage().contains("classes must be at least 2, got 1")
                && one.getMessage().contains("ofBinaryLabels"), one.getMessage());
        InvalidDataException outside = assertThrows(InvalidDataException.class,
                () -> Dataset.ofLabels(new float[4], 2, new int[] {0, 3}, 3));
        assertTrue(outside.getMessage().contains("row 1 has class 3, not a class index in [0, 3)"),
                outside.getMessage());
    }

    @Test
    void backingArraysAreNotCopied() {
        float[] f = {1, 2};
        float[] t = {0.5f};
        Dataset d = new Dataset(f, 2, t, 1);
        assertSame(f, d.features());
        assertSame(t, d.targets());
        assertFalse(d.hasLabels());
        IllegalStateException e = assertThrows(IllegalStateException.class, d::labels);
        assertTrue(e.getMessage().contains("no labels"), e.getMessage());
    }

    @Test
    void gatherCopiesTheOrderedRowsWithoutTouchingTheRest() {
        Dataset d = small();
        int[] order = {2, 0, 1};
        float[] dst = {-1, -1, -1, -1, -1};
        d.gatherFeatures(order, 1, 2, dst);
        assertArrayEquals(new float[] {1, 2, 3, 4, -1}, dst);
        float[] t = new float[3];
        d.gatherTargets(order, 0, 1, t);
        assertArrayEquals(new float[] {0, 1, 0}, t);
    }

    @Test
    void gatherRejectsBadRangesAndRowsWithClearMessages() {
        Dataset d = small();
        IndexOutOfBoundsException range = assertThrows(IndexOutOfBoundsException.class,
                () -> d.gatherFeatures(new int[] {0, 1}, 1, 2, new float[4]));
        assertTrue(range.getMessage().contains("[1, 3)"), range.getMessage());
        IndexOutOfBoundsException row = assertThrows(IndexOutOfBoundsException.class,
                () -> d.gatherFeatures(new int[] {0, 7}, 0, 2, new float[4]));
        assertTrue(row.getMessage().contains("order[1] = 7"), row.getMessage());
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> d.gatherTargets(new int[] {0, 1}, 0, 2, new float[5]));
        assertTrue(small.getMessage().contains("need 6"), small.getMessage());
    }

    @Test
    void subsetFollowsTheGivenOrderIncludingLabels() {
        Dataset s = small().subset(new int[] {1, 1, 0});
        assertEquals(3, s.size());
        assertArrayEquals(new float[] {3, 4, 3, 4, 1, 2}, s.features());
        assertArrayEquals(new int[] {0, 0, 2}, s.labels());
        assertArrayEquals(new float[] {1, 0, 0, 1, 0, 0, 0, 0, 1}, s.targets());
    }

    /**
     * A subset of checked rows is not read again for the losses its parent passed (the checks are each row's own),
     * and is read for the others. Seen by breaking a subset's backing array after the split: a check that read it
     * would refuse it.
     */
    @Test
    void aSubsetKeepsTheChecksItsRowsPassed() {
        Dataset d = small();
        d.requireUsableWith("training set", dev.nnj.api.LossKind.CATEGORICAL_CROSS_ENTROPY);
        Dataset checked = d.subset(new int[] {0, 2});
        checked.targets()[0] = 7;   // not a probability; unread, the check remembered stands
        checked.requireUsableWith("part", dev.nnj.api.LossKind.CATEGORICAL_CROSS_ENTROPY);
        InvalidDataException other = assertThrows(InvalidDataException.class,
                () -> checked.requireUsableWith("part", dev.nnj.api.LossKind.BINARY_CROSS_ENTROPY));
        assertTrue(other.getMessage().startsWith("part targets: row 0, column 0 is 7.0"), other.getMessage());
        Dataset unchecked = small().subset(new int[] {0, 2});
        unchecked.targets()[0] = 7;
        assertThrows(InvalidDataException.class,
                () -> unchecked.requireUsableWith("part", dev.nnj.api.LossKind.CATEGORICAL_CROSS_ENTROPY));
    }

    @Test
    void constructorValidatesLengthsWithClearMessages() {
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class,
                () -> new Dataset(new float[5], 2, new float[2], 1));
        assertTrue(a.getMessage().contains("features has 5 values"), a.getMessage());
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                () -> new Dataset(new float[6], 2, new float[4], 2));
        assertEquals("features has 3 rows (6 / 2) but targets has 2 rows (4 / 2)", b.getMessage());
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
                () -> new Dataset(new float[6], 0, new float[3], 1));
        assertTrue(c.getMessage().contains("featureCount must be positive"), c.getMessage());
        IllegalArgumentException l = assertThrows(IllegalArgumentException.class,
                () -> new Dataset(new float[6], 2, new float[3], 1, new int[2]));
        assertTrue(l.getMessage().contains("labels has 2 entries"), l.getMessage());
    }

    @Test
    void withFeaturesKeepsTargetsAndLabels() {
        Dataset d = small();
        Dataset w = d.withFeatures(new float[] {9, 8, 7}, 1);
        assertEquals(1, w.featureCount());
        assertSame(d.targets(), w.targets());
        assertSame(d.labels(), w.labels());
        assertThrows(IllegalArgumentException.class, () -> d.withFeatures(new float[4], 1));
    }
}
