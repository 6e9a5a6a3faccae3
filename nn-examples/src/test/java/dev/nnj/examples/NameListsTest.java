package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Names from files as the program prints them: a hand-made model file's class name of {@code ESC[2J} cleared the
 * terminal under predict, and a line break in it printed a line of the program's own.
 */
class NameListsTest {
    @Test
    void controlAndBidirectionalCharactersAreShownEscaped() {
        assertEquals("setosa", NameLists.shown("setosa"));
        assertEquals("\\u001B[2J\\u001B[31mthree\\nModel OK",
                NameLists.shown("\u001b[2J\u001b[31mthree\nModel OK"));
        assertEquals("\\u009B2J\\u202Eabc", NameLists.shown("\u009b2J\u202eabc"));
        assertEquals("Ünïcode ✓ 猫", NameLists.shown("Ünïcode ✓ 猫"));
        assertEquals("a, 'b\\n', 'c\\u001B[0m'", NameLists.abbreviate(List.of("a", "b\n", "c\u001b[0m")));
    }
}
