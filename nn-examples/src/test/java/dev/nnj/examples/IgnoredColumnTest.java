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
 * {@code --ignore}: columns that are not features (an identifier, a date) are left out of the read, exactly as if the
 * file did not have them; the model file records them, {@code predict} leaves them out of its files where they are,
 * {@code --resume} keeps them, and names that do not fit are refused by name.
 */
class IgnoredColumnTest {
    @TempDir
    Path dir;

    /** 200 rows of customer,a,signed,b,y: a text ID, two measurements, a date, and a class of a and b. */
    private Path customers(String name, boolean withIds) throws Exception {
        Random r = new Random(11);
        List<String> lines = new ArrayList<>(List.of(withIds ? "customer,a,signed,b,y" : "a,b,y"));
        for (int i = 0; i < 200; i++) {
            double a = Math.round(r.nextGaussian() * 100) / 100.0;
            double b = Math.round(r.nextGaussian() * 100) / 100.0;
            String y = a + 0.5 * b > 0 ? "yes" : "no";
            lines.add(withIds ? String.format("C%04d,%s,2024-%02d-%02d,%s,%s", i, a, 1 + i % 12, 1 + i % 28, b, y)
                    : a + "," + b + "," + y);
        }
        return Files.write(dir.resolve(name), lines);
    }

    private static DigitsTrainerOptionsTest.Outcome train(Path csv, String... more) {
        List<String> args = new ArrayList<>(List.of("--csv", csv.toString(), "--label", "y", "--header",
                "--epochs", "3", "--backend", "cpu", "--progress-every", "0"));
        args.addAll(List.of(more));
        return DigitsTrainerOptionsTest.run(args.toArray(new String[0]));
    }

    @Test
    void ignoredColumnsTrainToTheBitsOfTheFileWithoutThem() throws Exception {
        Path a = dir.resolve("a.safetensors");
        Path b = dir.resolve("b.safetensors");
        DigitsTrainerOptionsTest.Outcome ignoring = train(customers("ids.csv", true), "--ignore", "customer,signed",
                "--save", a.toString());
        DigitsTrainerOptionsTest.Outcome without = train(customers("plain.csv", false), "--save", b.toString());
        assertEquals(0, ignoring.status(), ignoring.err());
        assertEquals(0, without.status(), without.err());
        assertTrue(ignoring.out().contains("Data: ids.csv, 200 rows of 2 features (customer, signed left out)"),
                ignoring.out());
        try (Backend be = Backends.get("cpu");
             SavedModel sa = ModelFiles.load(a, be);
             SavedModel sb = ModelFiles.load(b, be)) {
            assertEquals(List.of("a", "b"), sa.preprocessing().featureNames());
            for (Map.Entry<String, float[]> e : sb.model().stateDict().entrySet()) {
                assertArrayEquals(e.getValue(), sa.model().stateDict().get(e.getKey()), e.getKey() + ", bit for bit");
            }
            assertEquals("[\"customer\",\"signed\"]", sa.metadata().get(DataRecord.IGNORED_KEY));
            assertEquals(List.of("customer", "signed"), sa.preprocessing().ignoredColumns(),
                    "kept with the model, for SavedModel.csvReader()");
            assertEquals(List.of(), sb.preprocessing().ignoredColumns());
            assertEquals("[]", sb.metadata().get(DataRecord.IGNORED_KEY));
        }
    }

    @Test
    void predictLeavesTheColumnsOutWhereTheFileHasThem() throws Exception {
        Path model = dir.resolve("m.safetensors");
        assertEquals(0, train(customers("ids.csv", true), "--ignore", "customer,signed", "--save", model.toString())
                .status());
        Path with = dir.resolve("new.csv");
        Files.write(with, List.of("customer,a,signed,b,y", "X-1,0.5,2025-01-01,0.25,yes", "X-2,-1.5,,0.5,no"));
        Path bare = dir.resolve("bare.csv");
        Files.write(bare, List.of("b,a,y", "0.25,0.5,yes", "0.5,-1.5,no"));
        DigitsTrainerOptionsTest.Outcome p = predict(model, with);
        DigitsTrainerOptionsTest.Outcome q = predict(model, bare);
        assertEquals(0, p.status(), p.err());
        assertEquals(0, q.status(), q.err());
        assertTrue(p.out().contains("(the model was trained without columns customer, signed (--ignore): left out "
                + "where new.csv has them)"), p.out());
        List<String> rows = p.out().lines().filter(l -> l.startsWith("row ")).toList();
        assertEquals(2, rows.size(), p.out());
        assertEquals(rows, q.out().lines().filter(l -> l.startsWith("row ")).toList());
    }

    /** A header name that holds a comma goes in double quotes, which the list does not split. */
    @Test
    void aNameWithACommaIsGivenInQuotes() throws Exception {
        List<String> lines = new ArrayList<>(List.of("\"Note, free text\",a,b,y"));
        for (String row : Files.readAllLines(customers("plain.csv", false)).subList(1, 201)) {
            lines.add("\"hi, there\"," + row);
        }
        Path noted = Files.write(dir.resolve("noted.csv"), lines);
        DigitsTrainerOptionsTest.Outcome quoted = train(noted, "--ignore", "\"Note, free text\"");
        assertEquals(0, quoted.status(), quoted.err());
        assertTrue(quoted.out().contains("200 rows of 2 features ('Note, free text' left out)"), quoted.out());
        assertRefused(train(noted, "--ignore", "Note"), "no column named 'Note' to ignore; the header has 'Note, free "
                + "text', a, b, y");
    }

    private static DigitsTrainerOptionsTest.Outcome predict(Path model, Path csv, String... more) {
        List<String> args = new ArrayList<>(List.of("predict", "--model", model.toString(), "--csv", csv.toString(),
                "--header", "--label", "y"));
        args.addAll(List.of(more));
        return DigitsTrainerOptionsTest.run(args.toArray(new String[0]));
    }

    @Test
    void predictsOwnIgnoreLeavesOutColumnsTheModelNeverSaw() throws Exception {
        Path model = dir.resolve("m.safetensors");
        assertEquals(0, train(customers("plain.csv", false), "--save", model.toString()).status());
        Path bare = dir.resolve("bare.csv");
        Files.write(bare, List.of("a,b,y", "0.5,0.25,yes", "-1.5,0.5,no"));
        Path extra = dir.resolve("extra.csv");
        Files.write(extra, List.of("a,note,b,row,y", "0.5,\"call back, maybe\",0.25,1,yes", "-1.5,x,0.5,2,no"));
        Path numeric = dir.resolve("numeric.csv");
        Files.write(numeric, List.of("a,b,row,y", "0.5,0.25,1,yes", "-1.5,0.5,2,no"));

        assertRefused(predict(model, extra), "extra.csv line 2, column 2: 'call back, maybe' is not a number; if it "
                + "is not one of the model's features, leave it out with --ignore note");
        assertRefused(predict(model, numeric), "(not in the model: 'row'); the model was trained on a, b; columns "
                + "that are not features are left out with --ignore row");
        DigitsTrainerOptionsTest.Outcome plain = predict(model, bare);
        DigitsTrainerOptionsTest.Outcome leftOut = predict(model, extra, "--ignore", "note,row");
        assertEquals(0, plain.status(), plain.err());
        assertEquals(0, leftOut.status(), leftOut.err());
        List<String> rows = plain.out().lines().filter(l -> l.startsWith("row ")).toList();
        assertEquals(2, rows.size(), plain.out());
        assertEquals(rows, leftOut.out().lines().filter(l -> l.startsWith("row ")).toList());

        // A class column of numbers that predict was not told of: the model's file names it.
        List<String> numbered = new ArrayList<>();
        for (String line : Files.readAllLines(customers("plain.csv", false))) {
            numbered.add(line.replace(",yes", ",1").replace(",no", ",0"));
        }
        Path numberedCsv = Files.write(dir.resolve("numbered.csv"), numbered);
        Path numberedModel = dir.resolve("numbered.safetensors");
        assertEquals(0, train(numberedCsv, "--save", numberedModel.toString()).status());
        DigitsTrainerOptionsTest.Outcome unnamedLabel = DigitsTrainerOptionsTest.run("predict", "--model",
                numberedModel.toString(), "--csv", numberedCsv.toString(), "--header");
        assertRefused(unnamedLabel, "'y' is the column the model was trained to predict: name it with --label y, and "
                + "predict scores the rows against it");
        DigitsTrainerOptionsTest.Outcome needed = predict(model, numeric, "--ignore", "a");
        assertRefused(needed, "--ignore left out a, which the model takes");
        DigitsTrainerOptionsTest.Outcome typo = predict(model, extra, "--ignore", "nte");
        assertEquals(DigitsTrainer.EXIT_USAGE, typo.status(), typo.err());
        assertRefused(typo, "invalid value for option '--ignore': extra.csv line 1: no column named 'nte' to ignore");
        assertRefused(DigitsTrainerOptionsTest.run("predict", "--model", model.toString(), "--csv", bare.toString(),
                "--ignore", "note"), "'--ignore' names columns of the header line: add --header");
        assertRefused(DigitsTrainerOptionsTest.run("predict", "--model", model.toString(), "--ignore", "note"),
                "'--ignore' is only used with --csv FILE");
    }

    @Test
    void aTestFileAndAResumedRunReadWithTheSameColumnsLeftOut() throws Exception {
        Path ids = customers("ids.csv", true);
        Path checkpoints = dir.resolve("ck");
        DigitsTrainerOptionsTest.Outcome first = train(ids, "--ignore", "customer,signed", "--test-csv", ids.toString(),
                "--checkpoint-dir", checkpoints.toString());
        assertEquals(0, first.status(), first.err());
        assertTrue(first.out().contains("test rows from ids.csv (200 rows)"), first.out());
        Path last = checkpoints.resolve("last.safetensors");
        DigitsTrainerOptionsTest.Outcome other = resume(ids, last, "--ignore", "customer");
        assertNotEquals(0, other.status());
        assertTrue(other.err().contains("invalid value for option '--ignore': [customer] differs from the [customer, "
                + "signed] that"), other.err());
        DigitsTrainerOptionsTest.Outcome resumed = resume(ids, last);
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("2 features (customer, signed left out)"), resumed.out());
        DigitsTrainerOptionsTest.Outcome reordered = resume(ids, last, "--ignore", "signed,customer");
        assertEquals(0, reordered.status(), reordered.err());
        DigitsTrainerOptionsTest.Outcome otherFile = resume(customers("plain-for-resume.csv", false), last);
        assertNotEquals(0, otherFile.status());
        assertTrue(otherFile.err().contains("the run resumed left out columns (its --ignore) that these files do not "
                + "have: neither plain-for-resume.csv nor") && !otherFile.err().contains("option '--ignore'"),
                otherFile.err());

        // A test file written without the identifiers tests the same rows.
        Path plain = customers("plain.csv", false);
        DigitsTrainerOptionsTest.Outcome withIds = train(ids, "--ignore", "customer,signed", "--test-csv",
                ids.toString());
        DigitsTrainerOptionsTest.Outcome without = train(ids, "--ignore", "customer,signed", "--test-csv",
                plain.toString());
        assertEquals(0, without.status(), without.err());
        assertEquals(testLines(withIds.out()), testLines(without.out()));
        assertTrue(testLines(without.out()).size() > 3, without.out());

        // A column only the test file has (a reviewer's note) is left out of it alone; a name in neither is refused.
        List<String> noted = new ArrayList<>(List.of("a,b,y,note"));
        for (String row : Files.readAllLines(plain).subList(1, 201)) {
            noted.add(row + ",\"checked, ok\"");
        }
        Path notedTest = Files.write(dir.resolve("noted-test.csv"), noted);
        DigitsTrainerOptionsTest.Outcome onlyInTest = train(plain, "--ignore", "note", "--test-csv",
                notedTest.toString());
        assertEquals(0, onlyInTest.status(), onlyInTest.err());
        assertEquals(testLines(withIds.out()), testLines(onlyInTest.out()));
        DigitsTrainerOptionsTest.Outcome neither = train(plain, "--ignore", "nte", "--test-csv", plain.toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, neither.status(), neither.err());
        assertTrue(neither.err().contains("invalid value for option '--ignore': neither plain.csv nor the --test-csv "
                + "file plain.csv has a column named 'nte' in its header"), neither.err());
    }

    private static List<String> testLines(String out) {
        return out.lines().filter(l -> l.startsWith("  test") || l.contains("test set")).toList();
    }

    /** Five epochs in all from the checkpoint's three. */
    private static DigitsTrainerOptionsTest.Outcome resume(Path csv, Path checkpoint, String... more) {
        List<String> args = new ArrayList<>(List.of("--csv", csv.toString(), "--label", "y", "--header",
                "--test-csv", csv.toString(), "--epochs", "5", "--backend", "cpu", "--progress-every", "0",
                "--resume", checkpoint.toString()));
        args.addAll(List.of(more));
        return DigitsTrainerOptionsTest.run(args.toArray(new String[0]));
    }

    @Test
    void namesThatDoNotFitAreRefusedByName() throws Exception {
        Path ids = customers("ids.csv", true);
        assertRefused(train(ids, "--ignore", "y"), "invalid value for option '--ignore': 'y' is the --label column");
        assertRefused(train(ids, "--ignore", "customer,customer"), "'customer' is named twice");
        assertRefused(train(ids, "--ignore", "signed", "--categorical", "signed"),
                "'signed' is also a --categorical column; give it to one of them");
        assertRefused(train(ids, "--ignore", "a", "--weight-column", "a"),
                "'a' is the --weight-column, which is not a feature already");
        DigitsTrainerOptionsTest.Outcome typo = train(ids, "--ignore", "custmer");
        assertEquals(DigitsTrainer.EXIT_USAGE, typo.status(), "a bad option value, as a bad --label");
        assertRefused(typo, "invalid value for option '--ignore': ids.csv line 1: no column named 'custmer' to ignore; "
                + "the header has customer, a, signed, b, y");
        assertRefused(train(ids, "--ignore", "customer,a,signed,b"), "every feature column is ignored, which leaves "
                + "no features");
        assertRefused(DigitsTrainerOptionsTest.run("--csv", ids.toString(), "--label", "4", "--ignore", "customer",
                "--epochs", "1"), "'--ignore' names columns of the header line: add --header");
        assertRefused(DigitsTrainerOptionsTest.run("--ignore", "customer", "--epochs", "1"),
                "'--ignore' is only used with --csv FILE");
        Path dated = dir.resolve("dated.csv");
        Files.write(dated, List.of("a,signed,b,y", "1,2024-01-31,2,yes", "2,2024-02-01,3,no"));
        assertRefused(train(dated), "dated.csv line 2, column 2: '2024-01-31' is not a number (a date or a time? "
                + "a network takes numbers: turn it into one, such as days since a start or the hour, or leave the "
                + "column out with --ignore signed)");
        Path twice = dir.resolve("twice.csv");
        Files.write(twice, List.of("a,note,b,note,y", "1,x,2,z,yes", "2,x,3,z,no"));
        assertRefused(train(twice), "twice.csv line 2, column 2: 'x' is not a number; the header names more than one "
                + "column 'note', so no option can name it: give each column its own name");
        DigitsTrainerOptionsTest.Outcome text = train(ids);
        assertRefused(text, "ids.csv line 2, column 1: 'C0000' is not a number; if column 'customer' holds "
                + "categories, one-hot encode it with --categorical customer; if it is not a feature (an identifier, "
                + "a date, a note), leave it out with --ignore customer");
    }

    private static void assertRefused(DigitsTrainerOptionsTest.Outcome o, String message) {
        assertNotEquals(0, o.status(), o.out());
        assertTrue(o.err().contains(message), o.err());
    }
}
