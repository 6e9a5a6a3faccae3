package dev.nnj.api.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Internal, not API: a small, strict JSON (RFC 8259) reader for model-file headers, written for untrusted input: it
 * never recurses deeper than {@link #MAX_DEPTH}, rejects duplicate keys, lone surrogates, control characters in
 * strings, leading zeros and trailing garbage, and reports every problem with its character offset.
 *
 * <p>Values map to Java as: object → {@code LinkedHashMap<String, Object>} (key order kept), array →
 * {@code List<Object>}, string → {@code String}, integer literal (no fraction or exponent) within the
 * {@code long} range → {@code Long}, any other number → {@code Double}, {@code true}/{@code false} →
 * {@code Boolean}, {@code null} → {@link #NULL}.
 *
 * <p><b>Internal:</b> public only because another nnj package uses it; not API, and it may change in any
 * release (see docs/architecture.md).
 */
public final class StrictJson {
    /** Deepest nesting of arrays and objects accepted; a model header needs 4. */
    public static final int MAX_DEPTH = 64;
    /** Stands for JSON {@code null}, so that a map lookup returning Java null always means "absent". */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private final String text;
    /** Most members of one object, or items of one array, accepted. */
    private final int maxEntries;
    private int pos;
    private int depth;

    private StrictJson(String text, int maxEntries) {
        this.text = text;
        this.maxEntries = maxEntries;
    }

    /**
     * Parses one JSON value that fills {@code text} (surrounding whitespace allowed).
     *
     * @param text the JSON text
     * @return the value, mapped as described on the class
     * @throws IllegalArgumentException naming the offset and what was expected, for any malformed input
     */
    public static Object parse(String text) {
        return parse(text, Integer.MAX_VALUE);
    }

    private static Object parse(String text, int maxEntries) {
        StrictJson json = new StrictJson(text, maxEntries);
        json.skipSpace();
        Object value = json.value();
        json.skipSpace();
        if (json.pos != text.length()) {
            throw json.error("unexpected text after the JSON value");
        }
        return value;
    }

    /**
     * Parses a JSON object.
     *
     * @param text the JSON text
     * @return its members in document order
     * @throws IllegalArgumentException if the text is malformed or not an object
     */
    public static Map<String, Object> parseObject(String text) {
        return parseObject(text, Integer.MAX_VALUE);
    }

    /**
     * Parses a JSON object whose objects and arrays hold at most {@code maxEntries} members or items each. Each
     * value becomes a Java object of 16 to 100 bytes, so 100 MB of {@code [{},{},...]} would take gigabytes before
     * anything looked at what the values are; with a bound the parse stops at the first container past it.
     *
     * @param text       the JSON text
     * @param maxEntries the most members of one object, or items of one array (at least 1)
     * @return its members in document order
     * @throws IllegalArgumentException if the text is malformed, not an object, or has a container over the bound
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text, int maxEntries) {
        Object value = parse(text, maxEntries);
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("expected a JSON object, got " + typeName(value));
        }
        return (Map<String, Object>) value;
    }

    /**
     * A short name of a parsed value's JSON type, for error messages.
     *
     * @param value a value returned by {@link #parse}
     * @return {@code object}, {@code array}, {@code string}, {@code number}, {@code boolean} or {@code null}
     */
    public static String typeName(Object value) {
        if (value instanceof Map) {
            return "object";
        } else if (value instanceof List) {
            return "array";
        } else if (value instanceof String) {
            return "string";
        } else if (value instanceof Number) {
            return "number";
        } else if (value instanceof Boolean) {
            return "boolean";
        }
        return "null";
    }

    private Object value() {
        if (pos >= text.length()) {
            throw error("unexpected end of JSON, expected a value");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", NULL);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected character '" + printable(c) + "', expected a value");
        }
    }

    private Map<String, Object> object() {
        enter();
        pos++;   // '{'
        Map<String, Object> members = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') {
            pos++;
            depth--;
            return members;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("expected a string key");
            }
            int keyAt = pos;
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            if (members.size() == maxEntries && !members.containsKey(key)) {
                pos = keyAt;
                throw error("more than " + maxEntries + " members in one object");
            }
            Object v = value();
            if (members.put(key, v) != null) {
                pos = keyAt;
                throw error("duplicate key \"" + key + "\"");
            }
            skipSpace();
            char c = next("',' or '}'");
            if (c == '}') {
                depth--;
                return members;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}' in an object");
            }
        }
    }

    private List<Object> array() {
        enter();
        pos++;   // '['
        List<Object> items = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            pos++;
            depth--;
            return items;
        }
        while (true) {
            skipSpace();
            if (items.size() == maxEntries) {
                throw error("more than " + maxEntries + " items in one array");
            }
            items.add(value());
            skipSpace();
            char c = next("',' or ']'");
            if (c == ']') {
                depth--;
                return items;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']' in an array");
            }
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
    }

    private String string() {
        pos++;   // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("control character U+" + String.format("%04X", (int) c) + " in a string");
            }
            if (Character.isSurrogate(c)) {
                pos--;
                surrogatePair(sb, c, text.length() > pos + 1 ? text.charAt(pos + 1) : 0);
                pos += 2;
                continue;
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = next("an escape character");
            switch (e) {
                case '"': sb.append('"'); break;
                case '\\': sb.append('\\'); break;
                case '/': sb.append('/'); break;
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case 'n': sb.append('\n'); break;
                case 'r': sb.append('\r'); break;
                case 't': sb.append('\t'); break;
                case 'u':
                    char u = hex4();
                    if (Character.isHighSurrogate(u)) {
                        if (!text.startsWith("\\u", pos)) {
                            throw error("lone surrogate \\u" + String.format("%04X", (int) u));
                        }
                        pos += 2;
                        char low = hex4();
                        surrogatePair(sb, u, low);
                    } else if (Character.isLowSurrogate(u)) {
                        throw error("lone surrogate \\u" + String.format("%04X", (int) u));
                    } else {
                        sb.append(u);
                    }
                    break;
                default:
                    pos--;
                    throw error("invalid escape '\\" + printable(e) + "'");
            }
        }
    }

    private void surrogatePair(StringBuilder sb, char high, char low) {
        if (!Character.isHighSurrogate(high) || !Character.isLowSurrogate(low)) {
            throw error("lone surrogate U+" + String.format("%04X", (int) high));
        }
        sb.append(high).append(low);
    }

    private char hex4() {
        if (pos + 4 > text.length()) {
            throw error("truncated \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            if (d < 0) {
                throw error("invalid hex digit in a \\u escape");
            }
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) {
                throw error("leading zero in a number");
            }
        } else if (isDigit(peek())) {
            digits();
        } else {
            throw error("expected a digit");
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!isDigit(peek())) {
                throw error("expected a digit after the decimal point");
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("expected a digit in the exponent");
            }
            digits();
        }
        String literal = text.substring(start, pos);
        if (integral) {
            try {
                return Long.parseLong(literal);
            } catch (NumberFormatException tooBig) {
                // falls through: outside the long range, kept as a double (callers that need an exact
                // integer check the range and reject it)
            }
        }
        return Double.parseDouble(literal);
    }

    private void digits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected text, expected " + word);
        }
        pos += word.length();
        return value;
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    /** The next character, or -1 at the end. */
    private int peek() {
        return pos < text.length() ? text.charAt(pos) : -1;
    }

    private char next(String expected) {
        if (pos >= text.length()) {
            throw error("unexpected end of JSON, expected " + expected);
        }
        return text.charAt(pos++);
    }

    private void expect(char c) {
        if (pos >= text.length() || text.charAt(pos) != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private static String printable(char c) {
        return c < 0x20 || c > 0x7e ? String.format("\\u%04X", (int) c) : String.valueOf(c);
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException("invalid JSON at offset " + pos + ": " + message);
    }
}
