package dev.nnj.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnj.api.MemoryBudgetException;
import org.junit.jupiter.api.Test;

class FloatBlocksTest {

    @Test
    void rowsAcrossManyBlocksComeBackInOrder() {
        FloatBlocks blocks = new FloatBlocks();
        int rowLength = 777;   // not a divisor of any block size, so rows end blocks early
        int rows = 20_000;
        for (int r = 0; r < rows; r++) {
            blocks.reserve(rowLength, "test.csv", r + 1);
            for (int j = 0; j < rowLength; j++) {
                blocks.add(r * rowLength + j);
            }
        }
        float[] all = blocks.toArray();
        assertEquals(rows * rowLength, all.length);
        for (int i = 0; i < all.length; i++) {
            if (all[i] != (float) i) {
                assertEquals((float) i, all[i], "value " + i);
            }
        }
    }

    @Test
    void aRowLongerThanABlockGetsABlockOfItsOwn() {
        FloatBlocks blocks = new FloatBlocks();
        float[] row = new float[100_000];
        for (int j = 0; j < row.length; j++) {
            row[j] = j;
        }
        blocks.reserve(3, "x.csv", 1);
        blocks.add(-1);
        blocks.add(-2);
        blocks.add(-3);
        blocks.reserve(row.length, "x.csv", 2);
        for (float v : row) {
            blocks.add(v);
        }
        float[] all = blocks.toArray();
        assertEquals(row.length + 3, all.length);
        assertArrayEquals(new float[] {-1, -2, -3, 0, 1}, java.util.Arrays.copyOf(all, 5));
        assertEquals(99_999f, all[all.length - 1]);
        assertEquals(0, new FloatBlocks().toArray().length);
    }

    @Test
    void moreValuesThanAnArrayHoldsAreRefusedByName() {
        FloatBlocks blocks = new FloatBlocks();
        MemoryBudgetException e = assertThrows(MemoryBudgetException.class,
                () -> blocks.reserve(Integer.MAX_VALUE, "big.csv", 3));
        assertEquals(true, e.getMessage().startsWith("big.csv values (up to line 3) has 2147483647 elements"),
                e.getMessage());
    }
}
