package dev.nnj.api.io;

import java.util.List;
import java.util.Map;

/**
 * Internal, not API: writes the values {@link StrictJson} reads back: maps with string keys, lists, strings,
 * numbers, booleans and {@link StrictJson#NULL} (or Java null). Doubles are written with {@link Double#toString} and
 * floats with {@link Float#toString}, the shortest decimals that read back to the same value, so statistics and
 * hyperparameters survive a round trip bit for bit; non-finite numbers are refused because JSON has no spelling for
 * them.
 *
 * <p><b>Internal:</b> public only because another nnj package uses it; not API, and it may change in any
 * release (see docs/architecture.md).
 */
public final class JsonWriter {
    private JsonWriter() {
    }

    /**
     * Compact JSON text of {@code value}.
     *
     * @param value a map, list, string, number, boolean or null, nested freely
     * @return the JSON text, without insignificant whitespace
     * @throws IllegalArgumentException for a non-finite number, a non-string key or an unsupported type
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        append(sb, value);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object value) {
        if (value == null || value == StrictJson.NULL) {
            sb.append("null");
        } else if (value instanceof String) {
            quote(sb, (String) value);
        } else if (value instanceof Boolean) {
            sb.append(value);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte) {
            sb.append(((Number) value).longValue());
        } else if (value instanceof Number) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("JSON cannot hold the number " + d);
            }
            // Float.toString: the shortest decimal that reads back (as a double, then cast) to the same float.
            sb.append(value instanceof Float ? Float.toString((Float) value) : Double.toString(d));
        } else if (value instanceof Map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                if (!(e.getKey() instanceof String)) {
                    throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
                }
                if (!first) {
                    sb.append(',');
                }
                first = false;
                quote(sb, (String) e.getKey());
                sb.append(':');
                append(sb, e.getValue());
            }
            sb.append('}');
        } else if (value instanceof List) {
            sb.append('[');
            List<?> list = (List<?>) value;
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                append(sb, list.get(i));
            }
            sb.append(']');
        } else if (value instanceof double[]) {
            double[] a = (double[]) value;
            sb.append('[');
            for (int i = 0; i < a.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                append(sb, a[i]);
            }
            sb.append(']');
        } else if (value instanceof int[]) {
            int[] a = (int[]) value;
            sb.append('[');
            for (int i = 0; i < a.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(a[i]);
            }
            sb.append(']');
        } else {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
        }
    }

    /**
     * Appends {@code s} as a JSON string literal, escaping quotes, backslashes and control characters.
     *
     * @param sb where to append
     * @param s  the string
     */
    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }
}
