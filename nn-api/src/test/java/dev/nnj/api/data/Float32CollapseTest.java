package dev.nnj.api.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * A column whose values differ in the file but are one float32 is named, with its range and its one value; a column
 * that varies as float32, or whose values are all the same text, is not.
 */
class Float32CollapseTest {

    private static void add(Float32Collapse c, int j, String text) {
        c.add(j, Float.parseFloat(text), text.toCharArray(), 0, text.length());
    }

    @Test
    void aColumnFlattenedByFloat32IsNamedWithItsRangeAndItsOneValue() {
        Float32Collapse c = new Float32Collapse(3);
        for (int i = 0; i < 10; i++) {
            add(c, 0, i % 2 == 0 ? "100000001" : "99999999");   // one float32: 1e8, in steps of 8 there
            add(c, 1, Integer.toString(i));                      // short and varying: no parse, no warning
            add(c, 2, "123456789.5");                            // long, one value in the file too
        }
        assertEquals("column 'a' holds values from 99999999 to 100000001 in its first rows, which are all one number "
                + "as float32, 100000000 (whose step there is 8): the model sees the column constant, and it carries "
                + "nothing; subtract a constant near them first (e.g. 100000000), in the file or before reading it",
                c.first(new String[] {"a", "b", "c"}));
    }

    @Test
    void aColumnThatVariesAsFloat32IsNotNamedThoughSomeOfItsValuesMerge() {
        Float32Collapse c = new Float32Collapse(1);
        add(c, 0, "0.10000000001");
        add(c, 0, "0.10000000002");   // one float32 with the row before
        add(c, 0, "0.5");             // but not with this one
        assertNull(c.first(null));
    }
}
