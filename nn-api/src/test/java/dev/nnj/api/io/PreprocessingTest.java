package dev.nnj.api.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.data.ColumnScaler;
import dev.nnj.api.data.MinMaxScaler;
import dev.nnj.api.data.OneHotEncoder;
import dev.nnj.api.data.SimpleImputer;
import dev.nnj.api.data.StandardScaler;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Fitted preprocessing survives its JSON form bit for bit; bad JSON is refused naming the field. */
class PreprocessingTest {

    private static float[] data() {
        Random r = new Random(5);
        float[] x = new float[30 * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 3 + (i % 4));
        }
        for (int i = 0; i < 30; i++) {
            x[i * 4 + 3] = 7f;   // a constant column
        }
        return x;
    }

    private static Preprocessing roundTrip(Preprocessing p) {
        return Preprocessing.fromJson(StrictJson.parseObject(JsonWriter.write(p.toJson())));
    }

    @Test
    void scalersEncoderAndNamesRoundTrip() {
        float[] x = data();
        MinMaxScaler minMax = new MinMaxScaler(-2, 3).fit(x, 4);
        Preprocessing p = roundTrip(Preprocessing.none().withScaler(minMax)
                .withEncoder(OneHotEncoder.ofCategories(4, 8, 15)).withClassNames(List.of("a", "b", "c")));
        assertArrayEquals(minMax.transform(x, 4), p.transformFeatures(x, 4));
        assertArrayEquals(minMax.scale(), p.minMaxScaler().scale());
        assertArrayEquals(minMax.offset(), p.minMaxScaler().offset());
        assertEquals(15, p.label(2));
        assertEquals("b", p.className(1));
        assertEquals(3, p.classes());
        assertEquals(4, p.features());

        for (boolean mean : new boolean[] {true, false}) {
            StandardScaler standard = new StandardScaler(mean, !mean).fit(x, 4);
            Preprocessing q = roundTrip(Preprocessing.none().withScaler(standard));
            assertArrayEquals(standard.transform(x, 4), q.transformFeatures(x, 4));
            assertArrayEquals(standard.inverseTransform(x, 4), q.standardScaler().inverseTransform(x, 4));
        }
        assertTrue(roundTrip(Preprocessing.none()).isEmpty());
    }

    /** Printed in a line, names counted: every mean and name ran to 18 KB for a 784-input model. */
    @Test
    void printedItSaysWhatItHoldsInALine() {
        List<String> names = new java.util.ArrayList<>();
        for (int j = 0; j < 784; j++) {
            names.add("pixel" + j);
        }
        float[] x = new float[784 * 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 7;
        }
        Preprocessing p = Preprocessing.none().withScaler(new StandardScaler().fit(x, 784)).withFeatureNames(names)
                .withClassNames(List.of("a", "b", "c"));
        assertEquals("Preprocessing[scaler StandardScaler[784 columns], 784 feature names, 3 classes]", p.toString());
        assertEquals("Preprocessing[none]", Preprocessing.none().toString());
    }

    @Test
    void featureNamesRoundTripInOrder() {
        Preprocessing p = roundTrip(Preprocessing.none().withClassNames(List.of("a", "b"))
                .withFeatureNames(List.of("sepal length", "sepal width", "\"quoted\", comma", "é")));
        assertEquals(List.of("sepal length", "sepal width", "\"quoted\", comma", "é"), p.featureNames());
        assertTrue(!Preprocessing.none().withFeatureNames(List.of("x")).isEmpty(), "names alone are something");
        assertEquals(null, Preprocessing.none().featureNames());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> Preprocessing.none().withFeatureNames(List.of("x", "y", "x")));
        assertEquals("feature_names: features 0 and 2 are both called 'x'", twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Preprocessing.none().withFeatureNames(List.of()));
    }

    /** A scaler chosen at run time is held as their common type, and a preprocessing takes and gives it so. */
    @Test
    void aScalerOfEitherKindIsAColumnScaler() {
        float[] x = data();
        for (boolean standardize : new boolean[] {true, false}) {
            ColumnScaler scaler = standardize ? new StandardScaler() : new MinMaxScaler();
            assertSame(scaler, scaler.fit(x, 4));
            Preprocessing p = Preprocessing.none().withScaler(scaler);
            assertSame(scaler, p.scaler());
            assertSame(scaler, standardize ? p.standardScaler() : p.minMaxScaler());
            assertArrayEquals(scaler.transform(x, 4), p.transformFeatures(x, 4));
            assertArrayEquals(scaler.transform(x, 4), roundTrip(p).scaler().transform(x, 4));
        }
        assertNull(Preprocessing.none().scaler());
        assertThrows(IllegalArgumentException.class, () -> Preprocessing.none().withScaler((ColumnScaler)
                new MinMaxScaler()), "not fitted");
    }

    /** An imputer fills in before the scaler scales, and survives the JSON form. */
    @Test
    void anImputerFillsInBeforeTheScalerAndRoundTrips() {
        float[] x = {1, Float.NaN, 3, 4, Float.NaN, 8};
        SimpleImputer imputer = new SimpleImputer(SimpleImputer.Strategy.MEDIAN).fit(x, 2);
        float[] filled = imputer.transform(x, 2);
        MinMaxScaler scaler = new MinMaxScaler().fit(filled, 2);
        Preprocessing p = roundTrip(Preprocessing.none().withImputer(imputer).withScaler(scaler));
        assertArrayEquals(scaler.transform(filled, 2), p.transformFeatures(x, 2));
        assertArrayEquals(imputer.statistics(), p.imputer().statistics());
        assertEquals(SimpleImputer.Strategy.MEDIAN, p.imputer().strategy());
        assertArrayEquals(filled, roundTrip(Preprocessing.none().withImputer(imputer)).transformFeatures(x, 2));
        assertThrows(IllegalArgumentException.class, () -> Preprocessing.none().withImputer(
                new SimpleImputer(SimpleImputer.Strategy.MEAN)), "not fitted");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Preprocessing.fromJson(
                StrictJson.parseObject("{\"imputer\":{\"strategy\":\"mode\",\"statistics\":[1]}}")));
        assertTrue(bad.getMessage().contains("imputer.strategy"), bad.getMessage());
    }

    @Test
    void ignoredColumnsRoundTripStrippedInOrder() {
        Preprocessing p = roundTrip(Preprocessing.none().withFeatureNames(List.of("a", "b"))
                .withIgnoredColumns(List.of(" id ", "signed, on", "é")));
        assertEquals(List.of("id", "signed, on", "é"), p.ignoredColumns());
        assertEquals(List.of(), Preprocessing.none().ignoredColumns());
        assertTrue(!Preprocessing.none().withIgnoredColumns(List.of("id")).isEmpty(), "a column left out is something");
        assertTrue(Preprocessing.none().withIgnoredColumns(List.of()).isEmpty(), "none left out is nothing");
        assertEquals("ignored_columns: columns 0 and 1 are both called 'id'", assertThrows(
                IllegalArgumentException.class, () -> Preprocessing.none().withIgnoredColumns(List.of("id", " id")))
                .getMessage());
        assertEquals("ignored_columns: the name of column 1 is blank", assertThrows(IllegalArgumentException.class,
                () -> Preprocessing.none().withIgnoredColumns(List.of("id", " "))).getMessage());
        assertEquals("ignored_columns: 'b' is one of the model's features, which a file to predict must have",
                assertThrows(IllegalArgumentException.class, () -> Preprocessing.none()
                        .withFeatureNames(List.of("a", "b")).withIgnoredColumns(List.of("b"))).getMessage());
        assertEquals("withIgnoredColumns: the name of column 0 is null", assertThrows(NullPointerException.class,
                () -> Preprocessing.none().withIgnoredColumns(java.util.Arrays.asList((String) null))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Preprocessing.fromJson(StrictJson.parseObject(
                "{\"ignored_columns\":\"id\"}")), "not a list");
        assertThrows(IllegalArgumentException.class, () -> SimpleImputer.fromStatistics(SimpleImputer.Strategy.MEAN,
                new double[] {1e300}), "beyond the float range");
    }

    @Test
    void aTargetScalerRoundTripsAndUndoesItsScaling() {
        float[] y = data();
        for (boolean standard : new boolean[] {true, false}) {
            StandardScaler s = new StandardScaler().fit(y, 4);
            MinMaxScaler m = new MinMaxScaler(-1, 1).fit(y, 4);
            Preprocessing p = standard ? Preprocessing.none().withTargetScaler(s)
                    : Preprocessing.none().withTargetScaler(m);
            Preprocessing q = roundTrip(p);
            assertEquals(4, q.targets());
            assertEquals(-1, q.features(), "no feature scaler");
            assertTrue(!q.isEmpty());
            float[] scaled = standard ? s.transform(y, 4) : m.transform(y, 4);
            float[] expected = standard ? s.inverseTransform(scaled, 4) : m.inverseTransform(scaled, 4);
            assertArrayEquals(expected, q.inverseTransformTargets(scaled, 4));
            assertArrayEquals(y, q.inverseTransformTargets(scaled, 4), 1e-4f, "back to the original units");
            assertTrue(JsonWriter.write(p.toJson()).contains("\"target_scaler\":{\"type\":\""
                    + (standard ? "standard" : "min_max") + "\""), JsonWriter.write(p.toJson()));
        }
        float[] same = {1, 2, 3, 4};
        assertTrue(Preprocessing.none().inverseTransformTargets(same, 4) == same, "without a target scaler: as given");
    }

    /** A classifier's outputs are probabilities: a target scaler beside class names or an encoder is refused. */
    @Test
    void aTargetScalerIsRefusedBesideClasses() {
        StandardScaler s = new StandardScaler().fit(data(), 4);
        Preprocessing named = Preprocessing.none().withClassNames(List.of("a", "b"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> named.withTargetScaler(s));
        assertTrue(e.getMessage().startsWith("target_scaler: the preprocessing already has class names"),
                e.getMessage());
        Preprocessing encoded = Preprocessing.none().withEncoder(OneHotEncoder.ofCategories(1, 2));
        e = assertThrows(IllegalArgumentException.class, () -> encoded.withTargetScaler(new MinMaxScaler().fit(data(), 4)));
        assertTrue(e.getMessage().contains("already has an encoder"), e.getMessage());
        Preprocessing regression = Preprocessing.none().withTargetScaler(s);
        e = assertThrows(IllegalArgumentException.class, () -> regression.withClassNames(List.of("a", "b")));
        assertTrue(e.getMessage().startsWith("class_names: the preprocessing already has a target scaler"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> regression.withEncoder(OneHotEncoder.ofCategories(1, 2)));
        assertTrue(e.getMessage().startsWith("encoder: the preprocessing already has a target scaler"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Preprocessing.none().withTargetScaler(new StandardScaler()));
        assertTrue(e.getMessage().contains("not fitted"), e.getMessage());
    }

    @Test
    void badJsonIsRefusedNamingTheField() {
        String[][] cases = {
            {"{\"scaler\":{\"type\":\"robust\"}}", "scaler.type"},
            {"{\"scaler\":{\"type\":\"min_max\",\"low\":0,\"high\":1,\"data_min\":[0,1],\"data_max\":[1]}}",
                "dataMax has 1 values, expected 2"},
            {"{\"scaler\":{\"type\":\"min_max\",\"low\":0,\"high\":1,\"data_min\":[2],\"data_max\":[1]}}",
                "dataMax 1.0 < dataMin 2.0"},
            {"{\"scaler\":{\"type\":\"standard\",\"with_mean\":true,\"with_std\":true,\"mean\":[0],"
                + "\"variance\":[1],\"scale\":[0]}}", "scale 0.0 > 0"},
            {"{\"encoder\":{\"type\":\"one_hot\",\"categories\":[1.5]}}", "encoder.categories[0]"},
            {"{\"class_names\":[1]}", "class_names"},
            {"{\"class_names\":[\"a\",\"b\",\"a\"]}", "classes 0 and 2 are both called 'a'"},
            {"{\"colour\":1}", "unknown field 'colour'"},
            // Members this version does not read are refused too: scikit-learn's clip=True, dropped, would change
            // every prediction outside the fitted range without a word.
            {"{\"scaler\":{\"type\":\"min_max\",\"low\":-1,\"high\":1,\"data_min\":[0],\"data_max\":[1],"
                + "\"clip\":true}}", "unknown field 'scaler.clip' (expected type, low, high, data_min, data_max)"},
            {"{\"target_scaler\":{\"type\":\"standard\",\"with_mean\":true,\"with_std\":true,\"mean\":[0],"
                + "\"variance\":[1],\"scale\":[1],\"ddof\":1}}", "unknown field 'target_scaler.ddof'"},
            {"{\"encoder\":{\"type\":\"one_hot\",\"categories\":[0,1],\"drop\":\"first\"}}",
                "unknown field 'encoder.drop'"},
            {"{\"imputer\":{\"strategy\":\"mean\",\"statistics\":[0],\"add_indicator\":true}}",
                "unknown field 'imputer.add_indicator'"},
            {"{\"feature_names\":[\"a\",2]}", "feature_names must be an array of strings"},
            {"{\"feature_names\":\"a,b\"}", "feature_names must be an array of strings"},
            {"{\"target_scaler\":{\"type\":\"robust\"}}", "target_scaler.type"},
            {"{\"target_scaler\":{\"type\":\"standard\",\"with_mean\":true,\"with_std\":true,\"mean\":[0],"
                + "\"variance\":[1]}}", "target_scaler.scale must be an array of numbers"},
            {"{\"target_scaler\":{\"type\":\"min_max\",\"low\":0,\"high\":1,\"data_min\":[2],\"data_max\":[1]}}",
                "target_scaler: column 0: dataMax 1.0 < dataMin 2.0"},
            {"{\"class_names\":[\"a\",\"b\"],\"target_scaler\":{\"type\":\"min_max\",\"low\":0,\"high\":1,"
                + "\"data_min\":[0],\"data_max\":[1]}}", "target_scaler: the preprocessing already has class names"},
            {"{\"target_scaler\":{\"type\":\"min_max\",\"low\":0,\"high\":1,\"data_min\":[0],\"data_max\":[1]},"
                + "\"encoder\":{\"type\":\"one_hot\",\"categories\":[0,1]}}", "encoder: the preprocessing already has"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Preprocessing.fromJson(StrictJson.parseObject(c[0])), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }

    @Test
    void badArgumentsAreNamedRatherThanFailingInsideTheJdk() {
        NullPointerException name = assertThrows(NullPointerException.class,
                () -> Preprocessing.none().withClassNames(java.util.Arrays.asList("cat", null)));
        assertEquals("withClassNames: the name of class 1 is null", name.getMessage());
        NullPointerException scaler = assertThrows(NullPointerException.class,
                () -> Preprocessing.none().withScaler((MinMaxScaler) null));
        assertTrue(scaler.getMessage().contains("'scaler' is null"), scaler.getMessage());
        Preprocessing encoded = Preprocessing.none().withEncoder(OneHotEncoder.ofCategories(3, 5, 7));
        assertEquals(7, encoded.label(2));
        IndexOutOfBoundsException label = assertThrows(IndexOutOfBoundsException.class, () -> encoded.label(4));
        assertEquals("class 4 is not one of the encoder's 3 classes (0..2)", label.getMessage());
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> new dev.nnj.api.data.IndexSplit(new int[] {0}, new int[] {1}).validate(-1));
        assertTrue(rows.getMessage().contains("rows must be >= 0, got -1"), rows.getMessage());
    }
}
