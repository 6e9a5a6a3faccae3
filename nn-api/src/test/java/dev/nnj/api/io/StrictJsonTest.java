package dev.nnj.api.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The header JSON reader accepts RFC 8259 and refuses everything else with the offset and the reason. */
class StrictJsonTest {

    @Test
    void readsEveryKindOfValue() {
        Map<String, Object> m = StrictJson.parseObject(
                " {\"a\": [1, -0, 2.5, -1e3, 9223372036854775807, 9223372036854775808], \"b\": {\"c\": \"x\\u00e9\\n\\\"\\ud83d\\ude00\"},"
                        + " \"t\": true, \"f\": false, \"n\": null} ");
        assertEquals(List.of(1L, 0L, 2.5, -1000.0, Long.MAX_VALUE, 9.223372036854775808E18), m.get("a"));
        assertEquals(Map.of("c", "xé\n\"\uD83D\uDE00"), m.get("b"));
        assertEquals(true, m.get("t"));
        assertEquals(false, m.get("f"));
        assertSame(StrictJson.NULL, m.get("n"));
        assertEquals(List.of("a", "b", "t", "f", "n"), List.copyOf(m.keySet()), "document order");
    }

    @Test
    void theWriterRoundTripsThroughTheReader() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", "quote \" backslash \\ tab \t control \u0001 é");
        m.put("numbers", List.of(1L, -2L, 0.1, 1e-300, Double.MIN_VALUE));
        m.put("float", 0.1f);
        m.put("doubles", new double[] {Math.PI, -0.0});
        m.put("ints", new int[] {3, 5});
        m.put("nested", Map.of("k", List.of()));
        Map<String, Object> back = StrictJson.parseObject(JsonWriter.write(m));
        assertEquals(m.get("text"), back.get("text"));
        assertEquals(m.get("numbers"), back.get("numbers"));
        assertEquals(0.1f, ((Number) back.get("float")).floatValue(), "a float reads back to the same float");
        assertEquals(List.of(Math.PI, -0.0), back.get("doubles"));
        assertEquals(List.of(3L, 5L), back.get("ints"));
        assertThrows(IllegalArgumentException.class, () -> JsonWriter.write(List.of(Double.NaN)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"a\":1,\"a\":2}   | duplicate key \"a\"",
        "{\"a\":01}          | leading zero",
        "{\"a\":1,}          | expected a string key",
        "[1,2                | expected ',' or ']'",
        "{\"a\":tru}         | expected true",
        "{\"a\":\"\\x\"}     | invalid escape",
        "{\"a\":\"\\ud800\"} | lone surrogate",
        "{\"a\":1} x         | unexpected text after the JSON value",
        "{\"a\":-}           | expected a digit",
        "{\"a\":1.}          | after the decimal point",
        "''                  | unexpected end of JSON",
    })
    void refusesMalformedJsonSayingWhereAndWhy(String text, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StrictJson.parse(text));
        assertTrue(e.getMessage().startsWith("invalid JSON at offset "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void refusesControlCharactersAndDeepNestingWithoutOverflowingTheStack() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StrictJson.parse("\"a\u0001\""))
                .getMessage().contains("control character U+0001"));
        String deep = "[".repeat(1_000_000) + "]".repeat(1_000_000);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StrictJson.parse(deep))
                .getMessage().contains("nesting deeper than " + StrictJson.MAX_DEPTH));
        String ok = "[".repeat(StrictJson.MAX_DEPTH) + "]".repeat(StrictJson.MAX_DEPTH);
        assertTrue(StrictJson.parse(ok) instanceof List);
    }
}
