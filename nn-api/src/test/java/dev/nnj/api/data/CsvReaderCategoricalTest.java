package dev.nnj.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Text columns read as categories: one 0/1 column per category, in place, as pandas' {@code get_dummies}. */
class CsvReaderCategoricalTest {
    private static final String SHOP = "color,size,y\nred,1.5,0\nblue,2.5,1\nred,0.5,0\ngreen,3,1\n";

    private static CsvReader reader() {
        return CsvReader.numeric().withHeader(true).withLabelColumn("y");
    }

    private static CsvReader.Table read(CsvReader reader, String text) {
        return reader.read(new StringReader(text), "shop.csv");
    }

    @Test
    void aTextColumnBecomesOneColumnPerCategoryInItsPlaceSortedByText() {
        CsvReader.Table t = read(reader().withCategoricalColumns("color"), SHOP);
        assertArrayEquals(new String[] {"color=blue", "color=green", "color=red", "size"}, t.columnNames());
        assertEquals(4, t.columns());
        assertArrayEquals(new float[] {
            0, 0, 1, 1.5f,
            1, 0, 0, 2.5f,
            0, 0, 1, 0.5f,
            0, 1, 0, 3f}, t.values());
        assertEquals(Map.of("color", List.of("blue", "green", "red")), t.categories());
        assertArrayEquals(new int[] {0, 1, 0, 1}, t.labels(), "the labels are read as before");
    }

    /** A category spelt as other tools write a missing value is named, with the way to read it as missing. */
    @Test
    void aCategoryThatOtherToolsReadAsMissingIsNamed() {
        assertEquals("the category 'NA' in column 'color' is what other tools write for a missing value; here it is a "
                + "category of its own, with a one-hot column: if those values are missing, read them as missing "
                + "(withMissingValues(true), the trainer's --impute), which leaves their one-hot columns all 0",
                CsvReader.missingLikeCategories(Map.of("color", List.of("NA", "blue"))));
        assertEquals(null, CsvReader.missingLikeCategories(Map.of("color", List.of("blue", "red"))));
    }

    @Test
    void numberCategoriesSortByValueAndKeepTheirExactText() {
        CsvReader.Table t = read(CsvReader.numeric().withHeader(true).withCategoricalColumns("zip", "size"),
                "zip,x,size\n10,1,M\n2,2,S\n02,3,M\n10,4,L\n");
        assertEquals(List.of("02", "2", "10"), t.categories().get("zip"), "02 and 2 are two categories, by value");
        assertEquals(List.of("L", "M", "S"), t.categories().get("size"));
        assertArrayEquals(new String[] {"zip=02", "zip=2", "zip=10", "x", "size=L", "size=M", "size=S"},
                t.columnNames());
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 1, 0}, java.util.Arrays.copyOf(t.values(), 7));
    }

    @Test
    void fixedCategoriesKeepTheirOrderAndRefuseAnyOtherValue() {
        CsvReader fixed = reader().withCategories("color", List.of("red", "green", "blue", "violet"));
        CsvReader.Table t = read(fixed, "color,size,y\nblue,1,0\nred,2,1\n");
        assertArrayEquals(new String[] {"color=red", "color=green", "color=blue", "color=violet", "size"},
                t.columnNames(), "a model's columns, in its order, even for categories this file lacks");
        assertArrayEquals(new float[] {0, 0, 1, 0, 1, 1, 0, 0, 0, 2}, t.values());
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> read(fixed, "color,size,y\nred,1,0\npink,2,1\n"));
        assertEquals("shop.csv line 3, column 1 ('color'): 'pink' is not one of the 4 categories the model was "
                + "trained with: red, green, blue, violet", e.getMessage());
    }

    @Test
    void badColumnsAndValuesAreRefusedNamingWhere() {
        assertMessage(() -> read(reader().withCategoricalColumns("colour"), SHOP),
                "shop.csv line 1: no column named 'colour' to read as categories; the header has color, size, y");
        assertMessage(() -> read(reader().withCategoricalColumns("y"), SHOP),
                "shop.csv: 'y' is the label column; its classes are read as labels, not as categorical features");
        assertMessage(() -> read(CsvReader.numeric().withCategoricalColumns("color"), "red,1\n"),
                "shop.csv: categorical columns are named by the header line, which needs withHeader(true)");
        assertMessage(() -> read(reader().withCategoricalColumns("color"), "color,size,y\nred,1,0\n,2,1\n"),
                "shop.csv line 3, column 1 ('color'): empty category (a missing value? fill it in or drop the row, "
                        + "or read it as missing with withMissingValues(true): its one-hot columns are then all 0)");
        assertMessage(() -> read(reader().withCategoricalColumns("color"), "color,size,color,y\nred,1,2,0\n"),
                "shop.csv line 1: the header names more than one column 'color'; give each column its own name");
        assertThrows(IllegalArgumentException.class, () -> reader().withCategoricalColumns("color", " color"));
        assertThrows(IllegalArgumentException.class, () -> reader().withCategories("color", List.of()));
        assertThrows(IllegalArgumentException.class, () -> reader().withCategories("color", List.of("a", "a")));
    }

    @Test
    void aColumnOfMoreThanAThousandValuesIsTakenForAnIdentifier() {
        StringBuilder csv = new StringBuilder("id,x\n");
        for (int i = 0; i <= CategoricalColumns.MAX_CATEGORIES; i++) {
            csv.append("u").append(i).append(",1\n");
        }
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> read(CsvReader.numeric().withHeader(true).withCategoricalColumns("id"), csv.toString()));
        assertTrue(e.getMessage().startsWith("shop.csv line 1002, column 1 ('id'): more than 1000 distinct values"),
                e.getMessage());
    }

    @Test
    void aCategoricalTableTrainsAndDropsColumnsLikeAnyOther() {
        CsvReader.Table t = read(reader().withCategoricalColumns("color"), SHOP);
        CsvReader.Table withoutSize = t.withoutColumn("size");
        assertArrayEquals(new String[] {"color=blue", "color=green", "color=red"}, withoutSize.columnNames());
        assertEquals(t.categories(), withoutSize.categories());
        Dataset d = t.toDataset();
        assertEquals(4, d.featureCount());
        assertEquals(4, d.size());
    }

    private static void assertMessage(Runnable r, String expected) {
        Exception e = assertThrows(RuntimeException.class, r::run);
        assertEquals(expected, e.getMessage());
    }

    /** Read with missing values, a category's gap is no category: all 0 in its one-hot columns, as get_dummies. */
    @Test
    void aMissingCategoryIsAllZeroWhenMissingValuesAreRead() {
        CsvReader.Table t = read(reader().withCategoricalColumns("color").withMissingValues(true),
                "color,size,y\nred,1,0\n,2,1\nNA,3,0\nblue,4,1\n");
        assertEquals(Map.of("color", List.of("blue", "red")), t.categories(), "NA and the empty field are no category");
        assertArrayEquals(new float[] {
            0, 1, 1,
            0, 0, 2,
            0, 0, 3,
            1, 0, 4}, t.values());
        assertThrows(InvalidDataException.class, () -> read(reader().withCategoricalColumns("color"),
                "color,size,y\nred,1,0\n,2,1\n"), "without them, an empty category is refused as before");
    }
}
