package dev.nnj.api.data;

import dev.nnj.api.HostMemory;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text columns of one {@link CsvReader} read that become one-hot features (its
 * {@link CsvReader#withCategoricalColumns categorical columns}), as pandas' {@code get_dummies} or scikit-learn's
 * {@code OneHotEncoder} turn them:
 *
 * <pre>
 *   color,size          color=blue  color=green  color=red  size
 *   red,1.5       →         0           0           1       1.5
 *   blue,2.5                1           0           0       2.5
 * </pre>
 * Each column in place becomes one column per category, named {@code column=category}, in the categories' order: by
 * value when every category is a number ({@code 2} before {@code 10}), else by text. A category is its exact text:
 * {@code 02139} and {@code 2139} are two postcodes, not one number. The categories are the file's own, or a fixed
 * list ({@link CsvReader#withCategories}: a trained model's), where any other value is an error naming it.
 *
 * <p>One instance per read: it collects each row's category as it is read, then {@link #expand expands} the
 * numeric columns read beside them.
 */
final class CategoricalColumns {
    /**
     * Most distinct values a column may have: past this it is more likely an identifier or a numeric column than a
     * category, and its one-hot columns would outnumber the rows that train them.
     */
    static final int MAX_CATEGORIES = 1000;

    private final String source;
    /** The header name of each categorical column, by slot. */
    private final String[] names;
    /** Slot of each file column, -1 for the others. */
    private final int[] slotOfColumn;
    /** Category text to code, by slot: fixed, or grown in first-seen order while reading. */
    private final List<Map<String, Integer>> codeOf = new ArrayList<>();
    /** Categories in code order, by slot. */
    private final List<List<String>> seen = new ArrayList<>();
    /** Whether the slot's categories are fixed. */
    private final boolean[] fixed;
    /** Each row's code, by slot. */
    private int[][] codes;

    private CategoricalColumns(String source, String[] names, int[] slotOfColumn, boolean[] fixed) {
        this.source = source;
        this.names = names;
        this.slotOfColumn = slotOfColumn;
        this.fixed = fixed;
        this.codes = new int[names.length][64];
    }

    /**
     * Finds the columns {@code wanted} names in the header.
     *
     * @param wanted     column name to its fixed categories, or to null to take the file's
     * @param header     the header's fields
     * @param labelIndex the label column, -1 for none
     * @param source     the input's name, for errors
     * @param line       the header's line
     * @return the columns, ready for rows
     * @throws InvalidDataException for a name the header lacks or has twice, or the label column
     */
    static CategoricalColumns resolve(Map<String, List<String>> wanted, String[] header, int labelIndex,
                                      String source, int line) {
        int[] slotOfColumn = new int[header.length];
        Arrays.fill(slotOfColumn, -1);
        String[] names = new String[wanted.size()];
        boolean[] fixed = new boolean[names.length];
        CategoricalColumns c = new CategoricalColumns(source, names, slotOfColumn, fixed);
        int slot = 0;
        for (Map.Entry<String, List<String>> e : wanted.entrySet()) {
            String name = e.getKey();
            int column = -1;
            for (int j = 0; j < header.length; j++) {
                if (header[j].strip().equals(name)) {
                    if (column >= 0) {
                        throw new InvalidDataException(source + " line " + line + ": the header names more than one "
                                + "column '" + name + "'; give each column its own name");
                    }
                    column = j;
                }
            }
            if (column < 0) {
                throw new InvalidDataException(source + " line " + line + ": no column named '" + name
                        + "' to read as categories; the header has " + listed(header));
            }
            if (column == labelIndex) {
                throw new InvalidDataException(source + ": '" + name + "' is the label column; its classes are "
                        + "read as labels, not as categorical features");
            }
            slotOfColumn[column] = slot;
            names[slot] = name;
            Map<String, Integer> known = new HashMap<>();
            List<String> categories = new ArrayList<>();
            if (e.getValue() != null) {
                fixed[slot] = true;
                for (String category : e.getValue()) {
                    if (known.putIfAbsent(category, categories.size()) == null) {
                        categories.add(category);
                    }
                }
            }
            c.codeOf.add(known);
            c.seen.add(categories);
            slot++;
        }
        return c;
    }

    /** Number of categorical columns. */
    int count() {
        return names.length;
    }

    /** Whether file column {@code column} is categorical. */
    boolean has(int column) {
        return slotOfColumn[column] >= 0;
    }

    /**
     * Records row {@code row}'s value of file column {@code column}.
     *
     * @throws InvalidDataException for an empty value, a value outside fixed categories, or a column past
     *         {@link #MAX_CATEGORIES}
     */
    void add(int column, String text, int row, int line) {
        int slot = slotOfColumn[column];
        String where = source + " line " + line + ", column " + (column + 1) + " ('" + names[slot] + "'): ";
        if (text.isEmpty()) {
            throw new InvalidDataException(where + "empty category (a missing value? fill it in or drop the row)");
        }
        Map<String, Integer> known = codeOf.get(slot);
        Integer code = known.get(text);
        if (code == null) {
            List<String> categories = seen.get(slot);
            if (fixed[slot]) {
                throw new InvalidDataException(where + "'" + text + "' is not one of the " + categories.size()
                        + " categories the model was trained with: " + listed(categories.toArray(new String[0])));
            }
            if (categories.size() == MAX_CATEGORIES) {
                throw new InvalidDataException(where + "more than " + MAX_CATEGORIES + " distinct values; one-hot "
                        + "encoding makes a column of each, so this is more likely an identifier or a numeric column "
                        + "than categories");
            }
            code = categories.size();
            known.put(text, code);
            categories.add(text);
        }
        if (row == codes[slot].length) {
            codes[slot] = Arrays.copyOf(codes[slot], (int) Math.min(row * 2L, HostMemory.MAX_ARRAY_ELEMENTS));
        }
        codes[slot][row] = code;
    }

    /** The values and names of a read after expansion. */
    record Expanded(float[] values, int columns, String[] names, Map<String, List<String>> categories) {
    }

    /**
     * The table with each categorical column replaced, in place, by its one-hot columns.
     *
     * @param numeric      the numeric feature values as read, {@code rows × (features - count())}, row-major
     * @param rows         the data rows
     * @param featureFiles the file column of each feature, in order
     * @param header       the header's fields
     * @return the expanded values, their column count and names, and each column's categories in column order
     */
    Expanded expand(float[] numeric, int rows, int[] featureFiles, String[] header) {
        int[][] order = new int[names.length][];
        List<List<String>> sorted = new ArrayList<>();
        for (int s = 0; s < names.length; s++) {
            List<String> categories = seen.get(s);
            // Fixed categories keep their order (the model's columns); the file's own are sorted.
            int[] rank = fixed[s] ? identity(categories.size()) : sortedRanks(categories);
            order[s] = rank;
            String[] byRank = new String[categories.size()];
            for (int k = 0; k < rank.length; k++) {
                byRank[rank[k]] = categories.get(k);
            }
            sorted.add(List.of(byRank));
        }
        int numericColumns = featureFiles.length - names.length;
        int width = numericColumns;
        for (List<String> categories : sorted) {
            width += categories.size();
        }
        List<String> expandedNames = new ArrayList<>(width);
        Map<String, List<String>> categories = new LinkedHashMap<>();
        for (int f : featureFiles) {
            int s = slotOfColumn[f];
            if (s < 0) {
                expandedNames.add(header[f]);
            } else {
                for (String category : sorted.get(s)) {
                    expandedNames.add(names[s] + "=" + category);
                }
                categories.put(names[s], sorted.get(s));
            }
        }
        float[] out = new float[Math.multiplyExact(rows, width)];
        for (int i = 0, at = 0, from = 0; i < rows; i++) {
            for (int f : featureFiles) {
                int s = slotOfColumn[f];
                if (s < 0) {
                    out[at++] = numeric[from++];
                } else {
                    out[at + order[s][codes[s][i]]] = 1f;
                    at += sorted.get(s).size();
                }
            }
        }
        return new Expanded(out, width, expandedNames.toArray(new String[0]), Collections.unmodifiableMap(categories));
    }

    private static int[] identity(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** Each category's place in order: by value when all are numbers (then by text), else by text. */
    private static int[] sortedRanks(List<String> categories) {
        Integer[] byOrder = new Integer[categories.size()];
        boolean numeric = true;
        BigDecimal[] values = new BigDecimal[categories.size()];
        for (int k = 0; k < byOrder.length; k++) {
            byOrder[k] = k;
            values[k] = CsvReader.numericValue(categories.get(k));
            numeric &= values[k] != null;
        }
        boolean byValue = numeric;
        Arrays.sort(byOrder, (a, b) -> {
            int c = byValue ? values[a].compareTo(values[b]) : 0;
            return c != 0 ? c : categories.get(a).compareTo(categories.get(b));
        });
        int[] rank = new int[byOrder.length];
        for (int r = 0; r < byOrder.length; r++) {
            rank[byOrder[r]] = r;
        }
        return rank;
    }

    /** At most 30 names, then how many more. */
    private static String listed(String[] names) {
        int shown = Math.min(names.length, 30);
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < shown; j++) {
            sb.append(j == 0 ? "" : ", ").append(names[j].strip());
        }
        if (names.length > shown) {
            sb.append(" and ").append(names.length - shown).append(" more");
        }
        return sb.toString();
    }
}
