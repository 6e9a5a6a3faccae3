package dev.nnj.api.data;

import dev.nnj.api.HostMemory;
import java.util.Arrays;

/**
 * Floats appended row by row, kept in blocks that double in size up to 4 Mi floats (16 MiB), so that growing
 * never copies what is already there: a file of n values peaks at about 2n floats (the blocks and the final
 * array), where doubling one array would peak at 3n and leave n more as garbage, and a large file is a few
 * dozen allocations, not thousands. A row never straddles two blocks.
 */
final class FloatBlocks {
    private static final int FIRST_BLOCK = 1 << 12;
    private static final int LARGEST_BLOCK = 1 << 22;

    private float[][] blocks = new float[4][];
    private int[] used = new int[4];
    private int count;
    private float[] current = new float[0];
    private int position;
    private long size;

    /**
     * Makes room for the next {@code n} values.
     *
     * @param source names the file in the error when there would be more than one array holds
     *               ({@link HostMemory#MAX_ARRAY_ELEMENTS})
     * @param line   the line the values come from, for the same error
     */
    void reserve(int n, String source, int line) {
        if (position + n <= current.length) {
            return;
        }
        HostMemory.requireElements(source + " values (up to line " + line + ")", size + n);
        finishBlock();
        if (count == blocks.length) {
            blocks = Arrays.copyOf(blocks, count * 2);
            used = Arrays.copyOf(used, count * 2);
        }
        int next = (int) Math.min(LARGEST_BLOCK, Math.max(FIRST_BLOCK, current.length * 2L));
        current = new float[Math.max(next, n)];
        position = 0;
        blocks[count++] = current;
    }

    /** Appends one value; {@link #reserve} made room for it. */
    void add(float value) {
        current[position++] = value;
        size++;
    }

    /** All values in order, in one array of exactly their number. */
    float[] toArray() {
        finishBlock();
        float[] all = new float[(int) size];
        int at = 0;
        for (int b = 0; b < count; b++) {
            System.arraycopy(blocks[b], 0, all, at, used[b]);
            at += used[b];
        }
        return all;
    }

    private void finishBlock() {
        if (count > 0) {
            used[count - 1] = position;
        }
    }
}
