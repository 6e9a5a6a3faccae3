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
    /** What an empty category may be, and the reader's way to take it as one: a gap, whose one-hot columns are 0. */
    static final String MISSING_CATEGORY_HINT = " (a missing value? fill it in or drop the row, or read it as missing "
            + "with withMissingValues(true): its one-hot columns are then all 0)";

    /** One categorical column: its categories, each with its code (its place in first-seen or fixed order). */
    private static final class Column {
        final String name;
        /** Whether the categories were given in advance, so that no other value may come. */
        final boolean fixed;
        final Map<String, Integer> codeOf = new HashMap<>();
        /** The categories in code order. */
        final List<String> categories = new ArrayList<>();
        /** Each data row's code, in row order. */
        int[] rowCodes = new int[64];

        Column(String name, List<String> fixedCategories) {
            this.name = name;
            this.fixed = fixedCategories != null;
            if (fixed) {
                for (String category : fixedCategories) {
                    if (codeOf.putIfAbsent(category, categories.size()) == null) {
                        categories.add(category);
                    }
                }
            }
        }

        /**
         * Each code's rank in the one-hot columns: fixed categories keep their order (the model's columns), the
         * file's own are sorted, by value when all are numbers (then by text), else by text.
         */
        int[] ranks() {
            int n = categories.size();
            Integer[] byOrder = new Integer[n];
            for (int k = 0; k < n; k++) {
                byOrder[k] = k;
            }
            if (!fixed) {
                BigDecimal[] values = new BigDecimal[n];
                boolean numeric = true;
                for (int k = 0; k < n; k++) {
                    values[k] = CsvReader.numericValue(categories.get(k));
                    numeric &= values[k] != null;
                }
                boolean byValue = numeric;
                Arrays.sort(byOrder, (a, b) -> {
                    int c = byValue ? values[a].compareTo(values[b]) : 0;
                    return c != 0 ? c : CodePointOrder.TEXT.compare(categories.get(a), categories.get(b));
                });
            }
            int[] rank = new int[n];
            for (int r = 0; r < n; r++) {
                rank[byOrder[r]] = r;
            }
            return rank;
        }
    }

    private final String source;
    /** The categorical columns, by slot. */
    private final Column[] columns;
    /** Slot of each file column, -1 for the others. */
    private final int[] slotOfColumn;

    private CategoricalColumns(String source, Column[] columns, int[] slotOfColumn) {
        this.source = source;
        this.columns = columns;
        this.slotOfColumn = slotOfColumn;
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
        Column[] columns = new Column[wanted.size()];
        int slot = 0;
        for (Map.Entry<String, List<String>> e : wanted.entrySet()) {
            String name = e.getKey();
            int column = CsvReader.headerColumn(header, name, source, line);
            if (column < 0) {
                throw new InvalidDataException(source + " line " + line + ": no column named '" + name
                        + "' to read as categories; the header has " + CsvReader.listedStripped(header));
            }
            if (column == labelIndex) {
                throw new InvalidDataException(source + ": '" + name + "' is the label column; its classes are "
                        + "read as labels, not as categorical features");
            }
            slotOfColumn[column] = slot;
            columns[slot++] = new Column(name, e.getValue());
        }
        return new CategoricalColumns(source, columns, slotOfColumn);
    }

    /** Number of categorical columns. */
    int count() {
        return columns.length;
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
        Column c = columns[slotOfColumn[column]];
        String where = source + " line " + line + ", column " + (column + 1) + " ('" + c.name + "'): ";
        if (text.isEmpty()) {
            throw new InvalidDataException(where + "empty category" + MISSING_CATEGORY_HINT);
        }
        Integer code = c.codeOf.get(text);
        if (code == null) {
            if (c.fixed) {
                throw new InvalidDataException(where + "'" + text + "' is not one of the " + c.categories.size()
                        + " categories the model was trained with: "
                        + CsvReader.listedStripped(c.categories.toArray(new String[0])));
            }
            if (c.categories.size() == MAX_CATEGORIES) {
                throw new InvalidDataException(where + "more than " + MAX_CATEGORIES + " distinct values; one-hot "
                        + "encoding makes a column of each, so this is more likely an identifier or a numeric column "
                        + "than categories");
            }
            code = c.categories.size();
            c.codeOf.put(text, code);
            c.categories.add(text);
        }
        setCode(c, row, code);
    }

    /** Row {@code row}'s code in column {@code c}, the codes grown as the rows come. */
    private static void setCode(Column c, int row, int code) {
        if (row == c.rowCodes.length) {
            c.rowCodes = Arrays.copyOf(c.rowCodes, (int) Math.min(row * 2L, HostMemory.MAX_ARRAY_ELEMENTS));
        }
        c.rowCodes[row] = code;
    }

    /** Records that row {@code row} has no value in file column {@code column}: no category, all 0 when expanded. */
    void addMissing(int column, int row) {
        setCode(columns[slotOfColumn[column]], row, MISSING);
    }

    /** The code of a row without a value. */
    private static final int MISSING = -1;

    /** The values and names of a read after expansion. */
    record Expanded(float[] values, String[] names, Map<String, List<String>> categories) {
    }

    /**
     * The table with each categorical column replaced, in place, by its one-hot columns.
     *
     * @param numeric    the numeric feature values as read, row-major, the categorical columns left out
     * @param rows       the data rows
     * @param header     the header's fields
     * @param notFeature by file column, whether it is not a feature (the label's, an ignored one)
     * @return the expanded values, their column names, and each column's categories in column order
     */
    Expanded expand(float[] numeric, int rows, String[] header, boolean[] notFeature) {
        int[][] rank = new int[columns.length][];
        List<List<String>> sorted = new ArrayList<>();
        for (int s = 0; s < columns.length; s++) {
            rank[s] = columns[s].ranks();
            String[] byRank = new String[rank[s].length];
            for (int k = 0; k < rank[s].length; k++) {
                byRank[rank[s][k]] = columns[s].categories.get(k);
            }
            sorted.add(List.of(byRank));
        }
        List<String> names = new ArrayList<>();
        Map<String, List<String>> categories = new LinkedHashMap<>();
        for (int f = 0; f < header.length; f++) {
            int s = slotOfColumn[f];
            if (notFeature[f]) {
                continue;
            }
            if (s < 0) {
                names.add(header[f]);
            } else {
                for (String category : sorted.get(s)) {
                    names.add(columns[s].name + "=" + category);
                }
                categories.put(columns[s].name, sorted.get(s));
            }
        }
        int width = names.size();
        float[] out = new float[Math.multiplyExact(rows, width)];
        for (int i = 0, at = 0, from = 0; i < rows; i++) {
            for (int f = 0; f < header.length; f++) {
                int s = slotOfColumn[f];
                if (notFeature[f]) {
                    continue;
                }
                if (s < 0) {
                    out[at++] = numeric[from++];
                } else {
                    int code = columns[s].rowCodes[i];
                    if (code != MISSING) {
                        out[at + rank[s][code]] = 1f;
                    }
                    at += sorted.get(s).size();
                }
            }
        }
        return new Expanded(out, names.toArray(new String[0]), Collections.unmodifiableMap(categories));
    }
}
