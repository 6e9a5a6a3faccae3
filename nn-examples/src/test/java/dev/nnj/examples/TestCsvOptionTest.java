package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --test-csv}: the test rows from a file of their own (a split made elsewhere), every {@code --csv} row
 * training, the scaler and the categories the training rows'; files that do not fit are refused naming why.
 */
class TestCsvOptionTest {
    @TempDir
    Path dir;

    /** blobs.csv's 90 rows: the first 70 to train, the last 20 to test (each with every colour). */
    private Path[] files() throws Exception {
        List<String> lines = Files.readAllLines(Path.of(TestCsvOptionTest.class.getResource("blobs.csv").toURI()));
        List<String> train = new ArrayList<>(List.of(lines.get(0)));
        List<String> test = new ArrayList<>(List.of(lines.get(0)));
        for (int i = 1; i < lines.size(); i++) {
            (i % 9 == 0 || i % 9 == 4 ? test : train).add(lines.get(i));
        }
        return new Path[] {Files.write(dir.resolve("train.csv"), train), Files.write(dir.resolve("test.csv"), test)};
    }

    private static DigitsTrainerOptionsTest.Outcome train(Path csv, Path test, String... more) {
        List<String> args = new ArrayList<>(List.of("--csv", csv.toString(), "--label", "colour", "--header",
                "--backend", "cpu", "--progress-every", "0"));
        if (!List.of(more).contains("--epochs")) {
            args.addAll(List.of("--epochs", "20"));
        }
        if (test != null) {
            args.addAll(List.of("--test-csv", test.toString()));
        }
        args.addAll(List.of(more));
        return DigitsTrainerOptionsTest.run(args.toArray(new String[0]));
    }

    @Test
    void everyTrainingRowTrainsAndTheTestFileIsScoredAsPredictScoresIt() throws Exception {
        Path[] f = files();
        long testRows = Files.readAllLines(f[1]).size() - 1;
        long trainRows = Files.readAllLines(f[0]).size() - 1;
        Path model = dir.resolve("m.safetensors");
        DigitsTrainerOptionsTest.Outcome o = train(f[0], f[1], "--save", model.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("; test rows from test.csv (" + testRows + " rows)"), o.out());
        assertTrue(o.out().contains("  --csv trains, --test-csv tests: " + trainRows + " train, " + testRows
                + " test; minmax scaler "
                + "fitted on the " + trainRows + " training rows"), o.out());
        String testLine = o.out().lines().filter(l -> l.startsWith("  test   loss")).findFirst().orElseThrow();
        String accuracy = testLine.replaceAll(".*accuracy (\\S+).*", "$1");
        DigitsTrainerOptionsTest.Outcome p = DigitsTrainerOptionsTest.run("predict", "--model", model.toString(),
                "--csv", f[1].toString(), "--header", "--label", "colour", "--backend", "cpu");
        assertEquals(0, p.status(), p.err());
        assertTrue(p.out().contains("rows correct, accuracy " + accuracy), "the saved model scores the test file "
                + "as training reported (" + accuracy + "): " + p.out());
    }

    /**
     * {@code --split-seed} splits nothing when {@code --test-csv} gives the test rows and there is no validation split
     * or {@code --cv}: refused, as on the digits, rather than accepted and ignored.
     */
    @Test
    void aSplitSeedThatSplitsNothingIsRefused() throws Exception {
        Path[] f = files();
        DigitsTrainerOptionsTest.Outcome o = train(f[0], f[1], "--split-seed", "7");
        assertEquals(DigitsTrainer.EXIT_USAGE, o.status(), o.out());
        assertTrue(o.err().contains("option '--split-seed' has no effect with --test-csv without --validation-split "
                + "or --cv"), o.err());
        assertFalse(o.out().contains("epoch"), "refused before training: " + o.out());
        assertEquals(0, train(f[0], f[1], "--split-seed", "7", "--validation-split", "0.2", "--epochs", "1")
                .status());
    }

    /**
     * A test file with another separator than --csv's: the hint does not name a --delimiter, which would break the
     * training file, but says that both files must share one.
     */
    @Test
    void aTestFileWithAnotherSeparatorIsNamedWithoutADelimiterThatBreaksTheTrainingFile() throws Exception {
        Path[] f = files();
        Path semicolons = Files.writeString(dir.resolve("train-semi.csv"), Files.readString(f[0]).replace(',', ';'));
        DigitsTrainerOptionsTest.Outcome o = train(semicolons, f[1], "--delimiter", ";");
        assertEquals(DigitsTrainer.EXIT_FAILURE, o.status(), o.out());
        assertTrue(o.err().contains("test.csv line 1 is one field") && o.err().contains(": it seems separated by ',', "
                + "and --delimiter reads --csv train-semi.csv and the test file alike"), o.err());
        assertFalse(o.err().contains("(--delimiter ',')"), o.err());
    }

    /** A test file whose columns come in another order is matched by name, as predict matches a file. */
    @Test
    void aTestFileWithItsColumnsInAnotherOrderTestsTheSame() throws Exception {
        Path[] f = files();
        List<String> swapped = new ArrayList<>();
        for (String line : Files.readAllLines(f[1])) {
            String[] v = line.split(",");
            swapped.add(String.join(",", v[3], v[1], v[2], v[0], v[4]));
        }
        Path reordered = Files.write(dir.resolve("reordered.csv"), swapped);
        DigitsTrainerOptionsTest.Outcome inOrder = train(f[0], f[1]);
        DigitsTrainerOptionsTest.Outcome byName = train(f[0], reordered);
        assertEquals(0, inOrder.status(), inOrder.err());
        assertEquals(0, byName.status(), byName.err());
        assertTrue(swapped.get(0).startsWith("x3,x2,colour,x1,"), swapped.get(0));
        assertEquals(testLines(inOrder.out()), testLines(byName.out()));
        assertTrue(testLines(inOrder.out()).size() > 3, inOrder.out());
    }

    private static List<String> testLines(String out) {
        return out.lines().filter(l -> l.startsWith("  test") || l.contains("test set")).toList();
    }

    @Test
    void aTestFileThatDoesNotFitIsRefusedSayingWhy() throws Exception {
        Path[] f = files();
        DigitsTrainerOptionsTest.Outcome both = train(f[0], f[1], "--test-split", "0.3");
        assertEquals(DigitsTrainer.EXIT_USAGE, both.status(), both.err());
        assertTrue(both.err().contains("'--test-csv' and '--test-split' both choose the test rows"), both.err());

        Path unknown = Files.writeString(dir.resolve("violet.csv"), "x1,x2,colour,x3,x4\n1,2,violet,3,4\n");
        DigitsTrainerOptionsTest.Outcome label = train(f[0], unknown);
        assertEquals(DigitsTrainer.EXIT_FAILURE, label.status(), label.err());
        assertTrue(label.err().contains("label 'violet' is not one of the classes of train.csv"), label.err());

        Path columns = Files.writeString(dir.resolve("columns.csv"), "x2,x5,colour,x3,x4\n1,2,blue,3,4\n");
        DigitsTrainerOptionsTest.Outcome other = train(f[0], columns);
        assertEquals(DigitsTrainer.EXIT_FAILURE, other.status(), other.err());
        assertTrue(other.err().contains("has the columns x2, x5, x3, x4 besides its label; --csv has x1, x2, x3, x4: "
                + "the test file needs the same"), other.err());

        // A regression's target is among the columns listed: not "besides" them.
        Path values = Files.writeString(dir.resolve("values.csv"), "a,b,y\n1,2,3\n2,3,5\n3,5,8\n4,4,8\n5,1,6\n");
        Path valuesTest = Files.writeString(dir.resolve("values-test.csv"), "a,c,y\n1,2,3\n2,2,4\n");
        DigitsTrainerOptionsTest.Outcome regression = DigitsTrainerOptionsTest.run("--csv", values.toString(),
                "--label", "y", "--header", "--task", "regression", "--test-csv", valuesTest.toString(), "--epochs",
                "1", "--backend", "cpu", "--progress-every", "0");
        assertEquals(DigitsTrainer.EXIT_FAILURE, regression.status(), regression.err());
        assertTrue(regression.err().contains("values-test.csv has the columns a, c, y; --csv has a, b, y: the test "
                + "file needs the same"), regression.err());
        Path valuesNoHeader = Files.writeString(dir.resolve("values-nh.csv"), "1,2,3\n2,3,5\n3,5,8\n4,4,8\n5,1,6\n");
        Path headerlessTest = Files.writeString(dir.resolve("values-nh-test.csv"), "1,2,2,3\n2,2,2,4\n");
        DigitsTrainerOptionsTest.Outcome counted = DigitsTrainerOptionsTest.run("--csv", valuesNoHeader.toString(),
                "--label", "2", "--task", "regression", "--test-csv", headerlessTest.toString(), "--epochs", "1",
                "--backend", "cpu", "--progress-every", "0");
        assertEquals(DigitsTrainer.EXIT_FAILURE, counted.status(), counted.err());
        assertTrue(counted.err().contains("values-nh-test.csv has 4 columns; --csv has 3 columns: the test file "
                + "needs the same, in the same order"), counted.err());

        Path headerless = Files.write(dir.resolve("headerless.csv"), Files.readAllLines(f[1]).subList(1, 5));
        DigitsTrainerOptionsTest.Outcome noHeader = train(f[0], headerless);
        assertEquals(DigitsTrainer.EXIT_FAILURE, noHeader.status(), noHeader.err());
        assertTrue(noHeader.err().contains("has no column 'colour' in its first line, which --csv train.csv has in its "
                + "header: --header reads both files"), noHeader.err());

        // The same by --label index: the test file's first row would be taken for its header.
        List<String> args = new ArrayList<>(List.of("--csv", f[0].toString(), "--label", "2", "--header", "--epochs",
                "1", "--backend", "cpu", "--progress-every", "0", "--test-csv", headerless.toString()));
        DigitsTrainerOptionsTest.Outcome byIndex = DigitsTrainerOptionsTest.run(args.toArray(new String[0]));
        assertEquals(DigitsTrainer.EXIT_FAILURE, byIndex.status(), byIndex.err());
        assertTrue(byIndex.err().contains("starts with a row of numbers (") && byIndex.err().contains(
                ") where --csv train.csv has its header line (x1, x2, x3, x4)"), byIndex.err());

        DigitsTrainerOptionsTest.Outcome digits = DigitsTrainerOptionsTest.run("--test-csv", f[1].toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, digits.status(), digits.err());
    }

    /**
     * Numeric classes match by value across the files, as within one: a test file written by pandas (1.0, 2.0) tests
     * a model trained on 1, 2. The --csv file given again as --test-csv is warned of.
     */
    @Test
    void numericClassesMatchByValueAndTheTrainingFileAsTestFileIsWarnedOf() throws Exception {
        Path[] f = files();
        Path train = Files.writeString(dir.resolve("numbers.csv"), Files.readString(f[0])
                .replace(",blue,", ",1,").replace(",green,", ",2,").replace(",red,", ",3,"));
        Path test = Files.writeString(dir.resolve("floats.csv"), Files.readString(f[1])
                .replace(",blue,", ",1.0,").replace(",green,", ",2.0,").replace(",red,", ",3.0,"));
        DigitsTrainerOptionsTest.Outcome o = train(train, test);
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("test rows from floats.csv (20 rows)"), o.out());
        DigitsTrainerOptionsTest.Outcome same = train(f[0], f[0], "--epochs", "1");
        assertEquals(0, same.status(), same.err());
        assertTrue(same.err().contains("digits: warning: --test-csv is the --csv file"), same.err());
    }

    /** A run tested on a file, resumed: the file is asked for again, and a --test-split in its place refused. */
    @Test
    void aResumedRunIsTestedOnAFileAgain() throws Exception {
        Path[] f = files();
        Path checkpoints = dir.resolve("ck");
        assertEquals(0, train(f[0], f[1], "--epochs", "3", "--checkpoint-dir", checkpoints.toString()).status());
        Path last = checkpoints.resolve("last.safetensors");
        DigitsTrainerOptionsTest.Outcome split = train(f[0], null, "--epochs", "5", "--resume", last.toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, split.status(), split.err());
        assertTrue(split.err().contains("was tested on a --test-csv file; give it again with --test-csv FILE"),
                split.err());
        DigitsTrainerOptionsTest.Outcome resumed = train(f[0], f[1], "--epochs", "5", "--resume", last.toString());
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(!resumed.err().contains("was tested on"), resumed.err());
        Path other = Files.copy(f[1], dir.resolve("other.csv"));
        DigitsTrainerOptionsTest.Outcome renamed = train(f[0], other, "--epochs", "5", "--resume", last.toString());
        assertEquals(0, renamed.status(), renamed.err());
        assertTrue(renamed.err().contains("was tested on test.csv, this run on other.csv"), renamed.err());
    }
}
