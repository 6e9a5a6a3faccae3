package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Names from files as the program's lists print them: quoted where they would blur into their neighbours, their
 * control characters escaped (a class name of {@code ESC[2J} cleared the terminal under predict).
 */
class NameListsTest {
    @Test
    void aNameThatWouldNotReadAsOneIsQuotedAndEscaped() {
        assertEquals("a, 'b\\n', 'c\\u001B[0m'", NameLists.abbreviate(List.of("a", "b\n", "c\u001b[0m")));
    }
}
