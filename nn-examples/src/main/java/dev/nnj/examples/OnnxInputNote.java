package dev.nnj.examples;

import dev.nnj.api.io.Preprocessing;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What an ONNX graph of a model trained with categorical columns takes, for the lines that say a model was saved or
 * converted to ONNX. The graph's input is the one-hot columns the reader made ({@code color=blue, color=green, ...}),
 * not the CSV's text, which ONNX Runtime cannot encode: a line saying "raw features in" alone would promise the text.
 */
final class OnnxInputNote {
    private OnnxInputNote() {
    }

    /**
     * The note on the categorical columns, to follow "raw features in" (or "scaled features in").
     *
     * @param p the preprocessing saved with the model
     * @return empty without categorical columns; otherwise, e.g., {@code , color one-hot encoded (3 columns: the
     *         graph takes the encoded columns; predict encodes them from a CSV's text)}
     */
    static String of(Preprocessing p) {
        Map<String, List<String>> categories = p.categories();
        if (categories.isEmpty()) {
            return "";
        }
        String names = and(categories.keySet().stream().map(NameLists::listed).toList());
        List<Integer> counts = categories.values().stream().map(List::size).toList();
        boolean one = counts.size() == 1 && counts.get(0) == 1;
        return ", " + names + " one-hot encoded (" + and(counts.stream().map(String::valueOf).toList())
                + (one ? " column" : " columns") + ": the graph takes the encoded columns; predict encodes them from "
                + "a CSV's text)";
    }

    /** {@code a}, {@code a and b}, {@code a, b and c}. */
    private static String and(List<String> items) {
        int last = items.size() - 1;
        return last == 0 ? items.get(0)
                : items.subList(0, last).stream().collect(Collectors.joining(", ")) + " and " + items.get(last);
    }
}
