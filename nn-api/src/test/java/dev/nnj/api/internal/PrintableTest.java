package dev.nnj.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/**
 * Text from files as messages and terminals show it: a hand-made model file's class name of {@code ESC[2J} cleared
 * the terminal under predict, and a line break in it printed a line of the program's own.
 */
class PrintableTest {
    @Test
    void controlAndBidirectionalCharactersAreShownEscaped() {
        String plain = "setosa";
        assertSame(plain, Printable.of(plain), "text with nothing to escape is returned as it is");
        assertEquals("\\u001B[2J\\u001B[31mthree\\nModel OK", Printable.of("\u001b[2J\u001b[31mthree\nModel OK"));
        assertEquals("\\u009B2J\\u202Eabc", Printable.of("\u009b2J\u202eabc"));
        assertEquals("a\\tb\\rc\\u007F", Printable.of("a\tb\rc\u007f"));
        assertEquals("Ünïcode ✓ 猫", Printable.of("Ünïcode ✓ 猫"));
    }
}
