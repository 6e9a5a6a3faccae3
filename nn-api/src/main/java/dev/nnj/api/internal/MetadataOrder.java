package dev.nnj.api.internal;

import java.util.Collections;
import java.util.Hashtable;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The order in which a caller's metadata entries are written into a file: the caller's own where the map has one (a
 * {@code LinkedHashMap}, a {@code SortedMap}, or another map that iterates as it was built), sorted by key where it
 * has none. {@code Map.of} iterates in an order that varies from one JVM to the next, and a {@code HashMap} in its
 * hashes' order: written as they iterate, the same model saved twice made two different files.
 */
public final class MetadataOrder {

    private MetadataOrder() {
    }

    /**
     * A copy of {@code entries} in a stable order.
     *
     * @param entries the caller's map
     * @return an unmodifiable copy, in the caller's order or sorted by key
     */
    public static Map<String, String> stable(Map<String, String> entries) {
        return Collections.unmodifiableMap(unordered(entries) ? new TreeMap<>(entries) : new LinkedHashMap<>(entries));
    }

    /** Whether a map's iteration order is not the caller's: the JDK's hashed maps and {@code Map.of}'s. */
    private static boolean unordered(Map<String, String> entries) {
        Class<?> type = entries.getClass();
        return type == HashMap.class || type == Hashtable.class || type == ConcurrentHashMap.class
                || type.getName().startsWith("java.util.ImmutableCollections$Map");
    }
}
