package dev.nnj.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class OneHotEncoderTest {

    @Test
    void givenClassCount() {
        OneHotEncoder e = OneHotEncoder.ofClasses(3);
        assertEquals(3, e.classes());
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0}, e.transform(new int[] {2, 0}));
        assertArrayEquals(new int[] {2, 0}, e.inverseTransform(new float[] {0.1f, 0.2f, 0.7f, 0.5f, 0.5f, 0}));
        // A NaN row has no largest column: it was category 0, silently.
        IllegalArgumentException nan = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> e.inverseTransform(new float[] {0, 0, 1, Float.NaN, 0, 0}));
        assertEquals("inverseTransform: row 1, column 0 is NaN; a row's category is its largest column",
                nan.getMessage());
    }

    @Test
    void learnedCategoriesAreSortedDistinctValues() {
        OneHotEncoder e = OneHotEncoder.fit(new int[] {7, 3, 7, 11});
        assertArrayEquals(new int[] {3, 7, 11}, e.categories());
        assertArrayEquals(new float[] {0, 1, 0, 1, 0, 0, 0, 0, 1}, e.transform(new int[] {7, 3, 11}));
        assertArrayEquals(new int[] {11, 3}, e.inverseTransform(new float[] {0, 0, 1, 1, 0, 0}));
        assertEquals(-1, e.columnOf(4));
    }

    @Test
    void unknownLabelIsAClearError() {
        IllegalArgumentException dense = assertThrows(IllegalArgumentException.class,
                () -> OneHotEncoder.ofClasses(10).transform(new int[] {1, 10}));
        assertEquals("label 10 at position 1 is not a known category; known: [0..9]", dense.getMessage());
        IllegalArgumentException sparse = assertThrows(IllegalArgumentException.class,
                () -> OneHotEncoder.fit(new int[] {3, 7}).transform(new int[] {-1}));
        assertEquals("label -1 at position 0 is not a known category; known: [3, 7]", sparse.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OneHotEncoder.ofClasses(0));
        assertThrows(IllegalArgumentException.class, () -> OneHotEncoder.fit(new int[0]));
    }
}
