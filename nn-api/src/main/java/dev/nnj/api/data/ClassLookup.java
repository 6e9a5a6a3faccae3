package dev.nnj.api.data;

import dev.nnj.api.spi.Checks;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds a label's class among class names as {@link CsvReader} matches labels within one file: by its text, and
 * where the names are numbers, by value, so that {@code 1.0} (as pandas writes it) is the class {@code 1}. For a
 * label read from one file against the classes of another: a model's, or a training file's.
 */
public final class ClassLookup {
    private final Map<String, Integer> byName = new HashMap<>();
    private final Map<BigDecimal, Integer> byValue = new HashMap<>();
    /** The names of the classes that share a value ({@code 1} and {@code 1.0}, kept apart by a file's text labels). */
    private final Map<BigDecimal, List<String>> shared = new HashMap<>();

    /**
     * A lookup of the classes {@code 0 .. names.size() - 1}.
     *
     * @param names each class's name, by index
     * @throws NullPointerException if {@code names} is null
     */
    public ClassLookup(List<String> names) {
        Checks.requireNonNull("ClassLookup", "names", names);
        for (int c = 0; c < names.size(); c++) {
            byName.putIfAbsent(names.get(c), c);
            BigDecimal v = CsvReader.numericValue(names.get(c));
            if (v != null) {
                Integer first = byValue.putIfAbsent(v, c);
                if (first != null) {
                    shared.computeIfAbsent(v, k -> new java.util.ArrayList<>(List.of(names.get(first))))
                            .add(names.get(c));
                }
            }
        }
    }

    /**
     * The class of {@code label}.
     *
     * @param label a label's text
     * @return its class index, or -1 when no class has that name (or, for a number, that value)
     * @throws IllegalArgumentException for a number that is no class's name but the value of several ({@code 1.00}
     *         where the classes {@code 1} and {@code 1.0} are kept apart): which one it means cannot be told
     */
    public int indexOf(String label) {
        Integer c = byName.get(label);
        if (c == null) {
            BigDecimal v = CsvReader.numericValue(label);
            if (v != null && shared.containsKey(v)) {
                throw new IllegalArgumentException("label '" + label + "' is the value of the classes " + shared.get(v)
                        .stream().map(n -> "'" + n + "'").collect(java.util.stream.Collectors.joining(" and "))
                        + ", which are kept apart (their file had text labels too): write it as one of them");
            }
            c = v == null ? null : byValue.get(v);
        }
        return c == null ? -1 : c;
    }
}
