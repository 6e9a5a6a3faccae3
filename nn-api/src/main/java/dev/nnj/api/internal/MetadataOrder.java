package dev.nnj.api.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The order in which a caller's metadata entries are written into a file: the caller's own where the map is built
 * in an order (a {@code LinkedHashMap}, a {@code SortedMap}), sorted by key for any other map. {@code Map.of}
 * iterates in an order that varies from one JVM to the next, a {@code HashMap} in its hashes' order, and a wrapper
 * ({@code Collections.unmodifiableMap}) as what it wraps: written as they iterate, the same model saved twice made
 * two different files.
 */
public final class MetadataOrder {

    private MetadataOrder() {
    }

    /**
     * A copy of {@code entries} in a stable order.
     *
     * @param entries the caller's map
     * @return an unmodifiable copy, in the order of a {@code LinkedHashMap} or {@code SortedMap}, else sorted by key
     */
    public static Map<String, String> stable(Map<String, String> entries) {
        boolean ordered = entries instanceof LinkedHashMap || entries instanceof SortedMap;
        return Collections.unmodifiableMap(ordered ? new LinkedHashMap<>(entries) : new TreeMap<>(entries));
    }
}
