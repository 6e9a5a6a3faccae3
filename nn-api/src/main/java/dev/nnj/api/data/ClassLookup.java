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
                byValue.putIfAbsent(v, c);
            }
        }
    }

    /**
     * The class of {@code label}.
     *
     * @param label a label's text
     * @return its class index, or -1 when no class has that name (or, for a number, that value)
     */
    public int indexOf(String label) {
        Integer c = byName.get(label);
        if (c == null) {
            BigDecimal v = CsvReader.numericValue(label);
            c = v == null ? null : byValue.get(v);
        }
        return c == null ? -1 : c;
    }
}
