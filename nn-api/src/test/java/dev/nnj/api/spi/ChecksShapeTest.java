package dev.nnj.api.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A shape's element count is bounded by what one Java array holds, and the refusal says that bound. */
class ChecksShapeTest {

    /** 2147483640 elements was refused as "more than 2^31 elements", which it is not. */
    @Test
    void aShapeBeyondOneTensorIsRefusedWithTheBound() {
        assertArrayEquals(new int[] {1, Integer.MAX_VALUE - 8}, Checks.validate(1, Integer.MAX_VALUE - 8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checks.validate(1, 2147483640));
        assertEquals("shape (1, 2147483640) has 2147483640 elements, more than one tensor can hold (2147483639)",
                e.getMessage());
        assertEquals("shape (65536, 65536) has 4294967296 elements, more than one tensor can hold (2147483639)",
                assertThrows(IllegalArgumentException.class, () -> Checks.validate(65536, 65536)).getMessage());
    }
}
