package dev.nnj.api.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The golden files the tests read, through Jackson, as plain Java values: objects become
 * {@code LinkedHashMap<String, Object>} (key order kept), arrays {@code List<Object>}, every number a
 * {@code Double}, and strings, booleans and null their Java values. Jackson parses decimals with
 * {@link Double#parseDouble}, which rounds correctly, so the float64 values written by Python's {@code repr}
 * come back bit for bit.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    /** Parses one JSON value (the whole text); malformed text throws {@link IllegalArgumentException}. */
    public static Object parse(String text) {
        try {
            return plain(MAPPER.readTree(text));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Jackson's tree as maps, lists, doubles, strings, booleans and nulls. */
    private static Object plain(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                map.put(field.getKey(), plain(field.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            for (JsonNode element : node) {
                list.add(plain(element));
            }
            return list;
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return null;
    }

    /** Parses a resource of the test class path, e.g. {@code /golden/torch_golden.json}. */
    public static Object resource(String name) {
        try (InputStream in = Json.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " is not on the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + name, e);
        }
    }

    // ---------------------------------------------------------------- typed access

    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> array(Object value) {
        return (List<Object>) value;
    }

    public static double number(Map<String, Object> o, String key) {
        return (Double) require(o, key);
    }

    public static String string(Map<String, Object> o, String key) {
        return (String) require(o, key);
    }

    public static boolean bool(Map<String, Object> o, String key) {
        return (Boolean) require(o, key);
    }

    public static Object require(Map<String, Object> o, String key) {
        if (!o.containsKey(key)) {
            throw new IllegalArgumentException("missing key '" + key + "' in " + o.keySet());
        }
        return o.get(key);
    }

    /** An array of numbers as doubles. */
    public static double[] doubles(Object value) {
        List<Object> list = array(value);
        double[] d = new double[list.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (Double) list.get(i);
        }
        return d;
    }

    /** An array of numbers as floats (exact when the numbers are float32 values, as the golden inputs are). */
    public static float[] floats(Object value) {
        double[] d = doubles(value);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** An array of whole numbers as ints (class labels). */
    public static int[] ints(Object value) {
        double[] d = doubles(value);
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (int) d[i];
        }
        return out;
    }

    /** The objects of the {@code "cases"} array of a golden file on the test class path. */
    public static List<Map<String, Object>> cases(String resource) {
        List<Map<String, Object>> cases = new java.util.ArrayList<>();
        for (Object c : array(object(resource(resource)).get("cases"))) {
            cases.add(object(c));
        }
        return cases;
    }
}
