package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.SavedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --categorical}: text columns become one-hot features, exactly as if the file held the 0/1 columns pandas'
 * {@code get_dummies} writes; the model file records the categories, {@code predict} and {@code --resume} read with
 * them, and values or options that do not fit are refused by name.
 */
class CategoricalColumnTest {
    private static final String[] COLORS = {"red", "green", "blue"};
    private static final String[] SHAPES = {"circle", "square"};

    @TempDir
    Path dir;

    /** 240 rows of color,size,shape,y where y depends on the color, the size and the shape. */
    private Path shop() throws Exception {
        Random r = new Random(7);
        List<String> lines = new ArrayList<>(List.of("color,size,shape,y"));
        for (int i = 0; i < 240; i++) {
            String c = COLORS[r.nextInt(3)];
            String s = SHAPES[r.nextInt(2)];
            double size = Math.round(r.nextDouble() * 300) / 100.0;
            int y = c.equals("red") && size > 1 || c.equals("blue") && s.equals("square") ? 1 : 0;
            lines.add(c + "," + size + "," + s + "," + y);
        }
        Path file = dir.resolve("shop.csv");
        Files.write(file, lines);
        return file;
    }

    /** The same rows with the categories written out as 0/1 columns, in the order the reader makes them. */
    private Path dummies(Path shop) throws Exception {
        List<String> lines = Files.readAllLines(shop);
        List<String> out = new ArrayList<>(List.of(
                "color=blue,color=green,color=red,size,shape=circle,shape=square,y"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            out.add(String.join(",", bit(f[0], "blue"), bit(f[0], "green"), bit(f[0], "red"), f[1],
                    bit(f[2], "circle"), bit(f[2], "square"), f[3]));
        }
        Path file = dir.resolve("dummies.csv");
        Files.write(file, out);
        return file;
    }

    private static String bit(String value, String category) {
        return value.equals(category) ? "1" : "0";
    }

    private static DigitsTrainerOptionsTest.Outcome train(Path csv, String... more) {
        List<String> args = new ArrayList<>(List.of("--csv", csv.toString(), "--label", "y", "--header",
                "--epochs", "3", "--backend", "cpu", "--progress-every", "0"));
        args.addAll(List.of(more));
        return DigitsTrainerOptionsTest.run(args.toArray(new String[0]));
    }

    @Test
    void aCategoricalColumnTrainsToTheBitsOfItsOneHotColumnsWrittenOut() throws Exception {
        Path shop = shop();
        Path a = dir.resolve("a.safetensors");
        Path b = dir.resolve("b.safetensors");
        DigitsTrainerOptionsTest.Outcome encoded = train(shop, "--categorical", "color,shape", "--save", a.toString());
        DigitsTrainerOptionsTest.Outcome written = train(dummies(shop), "--save", b.toString());
        assertEquals(0, encoded.status(), encoded.err());
        assertEquals(0, written.status(), written.err());
        assertTrue(encoded.out().contains("Data: shop.csv, 240 rows of 6 features"), encoded.out());
        assertTrue(encoded.out().contains("  one-hot columns: 'color' into 3 (blue, green, red); 'shape' into 2 "
                + "(circle, square)"), encoded.out());
        try (Backend be = Backends.get("cpu");
             SavedModel sa = ModelFiles.load(a, be);
             SavedModel sb = ModelFiles.load(b, be)) {
            assertEquals(sb.preprocessing().featureNames(), sa.preprocessing().featureNames());
            for (Map.Entry<String, float[]> e : sb.model().stateDict().entrySet()) {
                assertArrayEquals(e.getValue(), sa.model().stateDict().get(e.getKey()), e.getKey() + ", bit for bit");
            }
            assertEquals("{\"color\":[\"blue\",\"green\",\"red\"],\"shape\":[\"circle\",\"square\"]}",
                    sa.metadata().get(DataRecord.CATEGORICAL_KEY));
            assertEquals("{}", sb.metadata().get(DataRecord.CATEGORICAL_KEY));
        }
    }

    /**
     * An ONNX graph takes the one-hot columns, not the CSV's text: the lines of {@code --save m.onnx} and of
     * {@code convert} to ONNX say so, naming the categorical columns, rather than "raw features in" alone.
     */
    @Test
    void savingOrConvertingToOnnxSaysTheGraphTakesTheOneHotColumns() throws Exception {
        Path onnx = dir.resolve("m.onnx");
        DigitsTrainerOptionsTest.Outcome saved = train(shop(), "--categorical", "color,shape", "--save",
                onnx.toString());
        assertEquals(0, saved.status(), saved.err());
        String note = ", color and shape one-hot encoded (3 and 2 columns: the graph takes the encoded columns; "
                + "predict encodes them from a CSV's text)";
        assertTrue(saved.out().contains("Saved the model to " + onnx + " (ONNX, opset 13: raw features in" + note
                + ", its min-max scaler in the graph; class names"), saved.out());
        try (Backend be = Backends.get("cpu");
             SavedModel m = ModelFiles.load(onnx, be)) {
            // What the note says: the graph's input is the encoded columns, 3 + 1 + 2.
            assertEquals(6, m.model().inputWidth());
            assertEquals(List.of("color=blue", "color=green", "color=red", "size", "shape=circle", "shape=square"),
                    m.preprocessing().featureNames());
        }
        Path file = dir.resolve("m.safetensors");
        DigitsTrainerOptionsTest.Outcome back = DigitsTrainerOptionsTest.run("convert", onnx.toString(),
                file.toString());
        assertEquals(0, back.status(), back.err());
        assertTrue(back.out().strip().endsWith("to " + file + " (safetensors, nnj layout)"), back.out());
        for (String input : List.of("raw", "scaled")) {
            Path again = dir.resolve(input + ".onnx");
            List<String> args = new ArrayList<>(List.of("convert", file.toString(), again.toString()));
            if (input.equals("scaled")) {
                args.add("--scaled-input");
            }
            DigitsTrainerOptionsTest.Outcome converted = DigitsTrainerOptionsTest.run(args.toArray(new String[0]));
            assertEquals(0, converted.status(), converted.err());
            assertTrue(converted.out().strip().endsWith("to " + again + " (ONNX, " + input + " features in" + note
                    + ")"), converted.out());
        }
    }

    @Test
    void predictEncodesAFileWithTheModelsCategoriesMatchingColumnsByName() throws Exception {
        Path model = dir.resolve("m.safetensors");
        assertEquals(0, train(shop(), "--categorical", "color,shape", "--save", model.toString()).status());
        // Two of the three colors, in another column order: the model's columns, matched by name.
        Path plain = dir.resolve("new.csv");
        Files.write(plain, List.of("color,size,shape,y", "red,2.5,circle,1", "blue,1.0,square,1"));
        Path moved = dir.resolve("moved.csv");
        Files.write(moved, List.of("shape,y,color,size", "circle,1,red,2.5", "square,1,blue,1.0"));
        DigitsTrainerOptionsTest.Outcome p = DigitsTrainerOptionsTest.predictLabelled(model, plain);
        DigitsTrainerOptionsTest.Outcome q = DigitsTrainerOptionsTest.predictLabelled(model, moved);
        assertEquals(0, p.status(), p.err());
        assertEquals(0, q.status(), q.err());
        assertEquals(DigitsTrainerOptionsTest.rowLines(p.out()), DigitsTrainerOptionsTest.rowLines(q.out()));
        assertEquals(2, DigitsTrainerOptionsTest.rowLines(p.out()).size(), p.out());
        // Saved as ONNX, the run's settings travel as its metadata: the same categories, the same rows.
        Path onnx = dir.resolve("m.onnx");
        assertEquals(0, train(shop(), "--categorical", "color,shape", "--save", onnx.toString()).status());
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.predictLabelled(onnx, moved);
        assertEquals(0, o.status(), o.err());
        assertEquals(DigitsTrainerOptionsTest.rowLines(p.out()), DigitsTrainerOptionsTest.rowLines(o.out()));

        Path pink = dir.resolve("pink.csv");
        Files.write(pink, List.of("color,size,shape,y", "red,2.5,circle,1", "pink,1.0,square,0"));
        DigitsTrainerOptionsTest.Outcome unknown = DigitsTrainerOptionsTest.predictLabelled(model, pink);
        assertNotEquals(0, unknown.status());
        assertTrue(unknown.err().contains("pink.csv line 3, column 1 ('color'): 'pink' is not one of the 3 categories "
                + "the model was trained with: blue, green, red"), unknown.err());

        Path bare = dir.resolve("bare.csv");
        Files.write(bare, List.of("red,2.5,circle,1"));
        DigitsTrainerOptionsTest.Outcome headerless = DigitsTrainerOptionsTest.run("predict", "--model",
                model.toString(), "--csv", bare.toString(), "--label", "3");
        assertNotEquals(0, headerless.status());
        assertTrue(headerless.err().contains("the columns [color, shape] are read as categories, which are named by "
                + "the header line: add --header"), headerless.err());
    }

    @Test
    void aResumedRunReadsWithTheCheckpointsCategories() throws Exception {
        Path shop = shop();
        Path checkpoints = dir.resolve("ck");
        assertEquals(0, train(shop, "--categorical", "color,shape", "--checkpoint-dir", checkpoints.toString())
                .status());
        Path last = checkpoints.resolve("last.safetensors");
        DigitsTrainerOptionsTest.Outcome other = resume(shop, last, "--categorical", "color");
        assertNotEquals(0, other.status());
        assertTrue(other.err().contains("invalid value for option '--categorical': [color] differs from the [color, "
                + "shape] that"), other.err());
        DigitsTrainerOptionsTest.Outcome resumed = resume(shop, last);
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("one-hot columns: 'color' into 3 (blue, green, red)"), resumed.out());
    }

    /** Five epochs in all from the checkpoint's three. */
    private static DigitsTrainerOptionsTest.Outcome resume(Path csv, Path checkpoint, String... more) {
        List<String> args = new ArrayList<>(List.of("--csv", csv.toString(), "--label", "y", "--header",
                "--epochs", "5", "--backend", "cpu", "--progress-every", "0", "--resume", checkpoint.toString()));
        args.addAll(List.of(more));
        return DigitsTrainerOptionsTest.run(args.toArray(new String[0]));
    }

    @Test
    void optionsThatDoNotFitAreRefusedByName() throws Exception {
        Path shop = shop();
        assertRefused(train(shop, "--categorical", "y"), "'y' is the --label column, whose text is read as classes");
        assertRefused(train(shop, "--categorical", "color,color"), "'color' is named twice");
        DigitsTrainerOptionsTest.Outcome colour = train(shop, "--categorical", "colour");
        assertEquals(DigitsTrainer.EXIT_USAGE, colour.status(), "a bad option value, as a bad --label");
        assertRefused(colour, "invalid value for option '--categorical': shop.csv line 1: no column named 'colour' "
                + "to read as categories; the header has color, size, shape, y");
        assertRefused(train(shop, "--categorical", "size", "--weight-column", "size"),
                "'size' is the --weight-column, whose numbers weigh the rows");
        List<String> noHeader = new ArrayList<>(List.of("--csv", shop.toString(), "--label", "3", "--categorical",
                "color", "--epochs", "1"));
        assertRefused(DigitsTrainerOptionsTest.run(noHeader.toArray(new String[0])),
                "'--categorical' names columns of the header line: add --header");
        assertRefused(DigitsTrainerOptionsTest.run("--categorical", "color", "--epochs", "1"),
                "'--categorical' is only used with --csv FILE");
    }

    private static void assertRefused(DigitsTrainerOptionsTest.Outcome o, String message) {
        assertNotEquals(0, o.status(), o.out());
        assertTrue(o.err().contains(message), o.err());
    }

    /** A --categorical column of numbers, nearly one per row, is warned of; a few numeric codes are not. */
    @Test
    void aMeasurementNamedCategoricalIsWarnedOf() {
        List<String> lengths = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            lengths.add(String.valueOf(i * 0.37));
        }
        java.io.StringWriter out = new java.io.StringWriter();
        DataOptions.warnOfNumericCategories(Map.of("length", lengths, "size", List.of("1", "2", "3"),
                "name", List.of("a", "b")), 100, new java.io.PrintWriter(out));
        assertEquals("digits: warning: --categorical 'length' makes 90 one-hot columns for 100 rows: its values are "
                + "numbers, nearly one per row; if it is a measurement, leave it out of --categorical and it is read "
                + "as one number" + System.lineSeparator(), out.toString());
    }
    /** An empty category is refused with this program's way to take it as a gap, --impute, which then trains. */
    @Test
    void anEmptyCategoryNamesImpute() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(shop()));
        lines.set(5, lines.get(5).replaceFirst("^[a-z]+", ""));
        Path file = Files.write(dir.resolve("gap.csv"), lines);
        DigitsTrainerOptionsTest.Outcome refused = train(file, "--categorical", "color,shape");
        assertEquals(1, refused.status(), refused.err());
        assertTrue(refused.err().contains("gap.csv line 6, column 1 ('color'): empty category (a missing value? fill "
                + "it in or drop the row, or give --impute mean, with which a gap in a --categorical column is no "
                + "category: its one-hot columns are all 0)"), refused.err());
        DigitsTrainerOptionsTest.Outcome imputed = train(file, "--categorical", "color,shape", "--impute", "mean");
        assertEquals(0, imputed.status(), imputed.err());
        // predict has no reader options: the model's own lack of --impute is what it names.
        Path model = dir.resolve("no-impute.safetensors");
        assertEquals(0, train(shop(), "--categorical", "color,shape", "--save", model.toString()).status());
        DigitsTrainerOptionsTest.Outcome predicted = DigitsTrainerOptionsTest.run("predict", "--model",
                model.toString(), "--csv", file.toString(), "--header", "--label", "y");
        assertEquals(1, predicted.status(), predicted.err());
        assertTrue(predicted.err().contains("empty category (a missing value? the model was trained without "
                + "--impute, with which a gap would be no category: fill it in or drop the row)"), predicted.err());
    }

    /**
     * A category only the held-out rows hold (the categories come from the whole file) is warned of: its one-hot
     * column is 0 in every training row, its weights stay as initialised, and the test rows holding it go through them.
     */
    @Test
    void aCategoryOnlyHeldOutRowsHoldIsWarnedOf() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(shop()));
        lines.add("violet,1.5,circle,1");   // one row: the stratified split may put it on either side
        Path file = Files.write(dir.resolve("rare.csv"), lines);
        boolean warned = false;
        boolean quiet = false;
        for (int seed = 0; seed < 12 && !(warned && quiet); seed++) {
            DigitsTrainerOptionsTest.Outcome o = train(file, "--categorical", "color,shape", "--split-seed",
                    Integer.toString(seed));
            assertEquals(0, o.status(), o.err());
            boolean says = o.err().contains("'violet' of 'color' occurs only in held-out rows, in none of the ");
            warned |= says;
            quiet |= !says;
        }
        assertTrue(warned && quiet, "warned for some seeds (the row held out), not for others");
    }
}
