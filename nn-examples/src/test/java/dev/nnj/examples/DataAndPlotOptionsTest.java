package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.Evaluation;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.train.Trainer;
import dev.nnj.plots.ConfusionMatrixChart;
import dev.nnj.plots.TrainingCharts;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** --validation-split, --csv and --plots: bad input named precisely, and short real runs. */
class DataAndPlotOptionsTest {

    @TempDir
    Path dir;

    static Path blobs() throws URISyntaxException {
        return Path.of(DataAndPlotOptionsTest.class.getResource("blobs.csv").toURI());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--validation-split=1    | invalid value for option '--validation-split': '1' is not a fraction between 0 and 1",
        "--validation-split=x    | invalid value for option '--validation-split': 'x' is not a fraction",
        "--test-split=0          | invalid value for option '--test-split': '0' is not a fraction",
        "--csv=no-such-file.csv  | invalid value for option '--csv': 'no-such-file.csv' is not a readable file",
        "--csv=.                 | invalid value for option '--csv': '.' is a directory, not a file",
        "--progress=fancy        | invalid value for option '--progress': 'fancy' is not one of: auto, bar, lines",
        "--scaler=robust         | invalid value for option '--scaler': 'robust' is not one of: minmax, standard, none",
        "--split-seed=abc        | invalid value for option '--split-seed': 'abc' is not a whole number",
        "--label=species         | option '--label' is only used with --csv FILE",
        "--header                | option '--header' is only used with --csv FILE",
        "--scaler=standard       | option '--scaler' is only used with --csv FILE",
    })
    void aBadValueOrCombinationIsOneLineNamingTheOption(String arg, String expected) {
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run(arg.strip(), "--backend", "cpu");
        assertEquals(2, o.status(), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().startsWith("digits: " + expected.strip()), o.err());
        assertEquals("", o.out());
    }

    @Test
    void helpListsTheNewOptions() {
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--help");
        assertEquals(0, o.status());
        for (String option : new String[] {"--progress", "--csv", "--label", "--header", "--test-split", "--scaler",
            "--validation-split", "--split-seed", "--plots"}) {
            assertTrue(o.out().contains(option), option);
        }
        String flat = o.out().replaceAll("\\s+", " ");
        assertTrue(flat.contains("minmax (default), standard or none"), flat);
    }

    @Test
    void aWhitespaceSeparatedFileTrainsAsItsCommaSeparatedTwinDoes(@TempDir Path dir) throws Exception {
        String csv = Files.readString(blobs());
        Path spaced = dir.resolve("blobs.data");
        Files.writeString(spaced, csv.replace(",", "  ").replace("\n", " \n\t"));
        DigitsTrainerOptionsTest.Outcome comma = DigitsTrainerOptionsTest.run("--csv", blobs().toString(), "--label",
                "colour", "--header", "--epochs", "2", "--backend", "cpu", "--progress", "lines");
        DigitsTrainerOptionsTest.Outcome blank = DigitsTrainerOptionsTest.run("--csv", spaced.toString(), "--label",
                "colour", "--header", "--epochs", "2", "--backend", "cpu", "--progress", "lines", "--delimiter",
                "whitespace");
        assertEquals(0, blank.status(), blank.err());
        // The same rows, split and training: the same losses, line for line, but for the file's name and timings.
        String timings = "[0-9.]+ (s|ms)\\b";
        assertEquals(comma.out().replace("blobs.csv", "F").replaceAll(timings, "T"),
                blank.out().replace("blobs.data", "F").replaceAll(timings, "T"));
        DigitsTrainerOptionsTest.Outcome space = DigitsTrainerOptionsTest.run("--csv", spaced.toString(), "--label",
                "colour", "--header", "--backend", "cpu", "--delimiter", " ");
        assertEquals(2, space.status());
        assertTrue(space.err().contains("for fields separated by spaces give whitespace"), space.err());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // runs of spaces; one space; a tab among the blanks (the reader alone suggested the tab); a ';' in --delimiter
        "'5.1  3.5  1.4  0.2  setosa\n4.9  3.0  1.4  0.2  setosa\n' | 4         | ,",
        "'5.1 3.5 1.4 0.2 setosa\n4.9 3.0 1.4 0.2 setosa\n'         | -1        | ,",
        "'  5.1   3.5 1.4\t 0.2   se\n  4.9   3.0 1.4\t 0.2   se\n' | 4         | ,",
        "'a  b  c\n1  2  x\n3  4  y\n'                               | c         | ;",
    })
    void aFileSeparatedByBlanksIsRefusedNamingDelimiterWhitespaceBeforeTheLabelIsLookedFor(String text, String label,
                                                                                           String delimiter)
            throws Exception {
        Path data = dir.resolve("rows.data");
        Files.writeString(data, text.replace("\\n", "\n").replace("\\t", "\t"));
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv", data.toString(), "--label", label,
                "--delimiter", delimiter, "--backend", "cpu", "--epochs", "1", "--header");
        assertEquals(1, o.status(), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().contains("rows.data line 1 is one field, ") && o.err().contains("without a '" + delimiter
                + "' between fields: the file may be separated by runs of spaces (--delimiter whitespace)"), o.err());
    }

    @Test
    void aSeparatorThatExplainsTheLineIsStillTheOneNamed() throws Exception {
        // Names with spaces in a header, a label with a space: blanks inside a value, not between values.
        Path semi = dir.resolve("semi.csv");
        Files.writeString(semi, "petal length;petal width;kind\n1.5;0.2;Iris setosa\n4.5;1.5;Iris versicolor\n");
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv", semi.toString(), "--label", "kind",
                "--header", "--backend", "cpu", "--epochs", "1");
        assertEquals(1, o.status(), o.err());
        assertTrue(o.err().contains("the file may be separated by ';' (--delimiter ';')"), o.err());
    }

    @ParameterizedTest
    @CsvSource({"kind", "-1"})
    void aFileWhoseEveryLineEndsWithTheSeparatorIsRefusedSayingSo(String label) throws Exception {
        // An empty last column: the reader saw a missing value, or with --label -1 a label where numbers go.
        Path data = dir.resolve("trailing.csv");
        Files.writeString(data, "a,b,kind,\r\n1,2,x,\r\n3,4,y,\r\n5,6,x,\r\n7,8,y,\r\n");
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv", data.toString(), "--label", label,
                "--header", "--backend", "cpu", "--epochs", "1");
        assertEquals(1, o.status(), o.err());
        assertEquals("digits: error: trailing.csv: every line ends with ',', which makes an empty last column; remove "
                + "the ',' at the end of each line", o.err().strip());
    }

    /** The same with tabs, which the check took for blanks and stripped, so that the reader's own error came. */
    @ParameterizedTest
    @CsvSource({"kind", "-1"})
    void aTabSeparatedFileWhoseEveryLineEndsWithATabIsRefusedSayingSo(String label) throws Exception {
        Path data = dir.resolve("trailing.tsv");
        Files.writeString(data, "a\tb\tkind\t\n1\t2\tx\t\n3\t4\ty\t\n5\t6\tx\t\n7\t8\ty\t\n");
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv", data.toString(), "--label", label,
                "--header", "--delimiter", "tab", "--backend", "cpu", "--epochs", "1");
        assertEquals(1, o.status(), o.err());
        assertEquals("digits: error: trailing.tsv: every line ends with '\\t', which makes an empty last column; "
                + "remove the '\\t' at the end of each line", o.err().strip());
    }

    /**
     * pandas' {@code to_csv()} writes its index as a first column without a name. The advice to leave it out named no
     * column ("--ignore "), and no name could be given; it is {@code Unnamed: 0}, as pandas reads it.
     */
    @Test
    void pandasIndexColumnIsNamedSoThatItCanBeLeftOut() throws Exception {
        Path data = dir.resolve("indexed.csv");
        StringBuilder rows = new StringBuilder(",x,kind\n");
        for (int i = 0; i < 40; i++) {
            rows.append(i).append(',').append(i % 7).append(',').append(i < 20 ? "low" : "high").append('\n');
        }
        Files.writeString(data, rows);
        DigitsTrainerOptionsTest.Outcome warned = DigitsTrainerOptionsTest.run("--csv", data.toString(), "--label",
                "kind", "--header", "--backend", "cpu", "--epochs", "1", "--progress-every", "0");
        assertEquals(0, warned.status(), warned.err());
        assertTrue(warned.err().contains("'Unnamed: 0' (0 to ") && warned.err().contains("leave it out with --ignore "
                + "'Unnamed: 0'"), warned.err());
        DigitsTrainerOptionsTest.Outcome ignored = DigitsTrainerOptionsTest.run("--csv", data.toString(), "--label",
                "kind", "--header", "--ignore", "Unnamed: 0", "--backend", "cpu", "--epochs", "1", "--progress-every",
                "0");
        assertEquals(0, ignored.status(), ignored.err());
        assertFalse(ignored.err().contains("counts the rows"), ignored.err());
        assertTrue(ignored.out().contains("Data: indexed.csv, 40 rows of 1 feature (Unnamed: 0 left out); 2 classes"),
                ignored.out());
    }

    /**
     * A checkpoint name taken by a directory is refused before training, as --save's is: found at the first
     * checkpoint, it cost the epoch and exited 1 where the other outputs' exit 2.
     */
    @Test
    void aCheckpointNameTakenByADirectoryIsRefusedBeforeTraining() throws Exception {
        Path checkpoints = dir.resolve("ck");
        Files.createDirectories(checkpoints.resolve("last.safetensors"));
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--backend", "cpu", "--epochs", "1",
                "--checkpoint-dir", checkpoints.toString());
        assertEquals(2, o.status(), o.err());
        assertTrue(o.err().contains(checkpoints.resolve("last.safetensors") + " is a directory, where the "
                + "checkpoints write last.safetensors"), o.err());
        assertFalse(o.out().contains("Training:"), o.out());
    }

    /**
     * A model trained on a header that names a column twice keeps no names; predict then takes a file's columns by
     * position, and says so once, where it said nothing (a file of reversed columns scored 0.41 against 0.81).
     */
    @Test
    void predictSaysWhenAFilesColumnsAreTakenByPosition() throws Exception {
        Path data = dir.resolve("dup.csv");
        StringBuilder rows = new StringBuilder("x,x,kind\n");
        for (int i = 0; i < 40; i++) {
            rows.append(i % 5).append(',').append(i % 3).append(',').append(i < 20 ? "low" : "high").append('\n');
        }
        Files.writeString(data, rows);
        Path model = dir.resolve("dup.safetensors");
        DigitsTrainerOptionsTest.Outcome trained = DigitsTrainerOptionsTest.run("--csv", data.toString(), "--label",
                "kind", "--header", "--backend", "cpu", "--epochs", "1", "--progress-every", "0", "--save",
                model.toString());
        assertEquals(0, trained.status(), trained.err());
        DigitsTrainerOptionsTest.Outcome predicted = DigitsTrainerOptionsTest.run("predict", "--model",
                model.toString(), "--csv", data.toString(), "--header", "--label", "kind", "--backend", "cpu");
        assertEquals(0, predicted.status(), predicted.err());
        assertEquals(1, predicted.out().split("the model records no column names: dup.csv's columns are taken in "
                + "their order", -1).length - 1, predicted.out());
    }

    @Test
    void aFileOfOneFeatureIsCountedInTheSingular() throws Exception {
        Path data = dir.resolve("one.csv");
        StringBuilder rows = new StringBuilder("x,kind\n");
        for (int i = 0; i < 20; i++) {
            rows.append(i).append(',').append(i < 10 ? "low" : "high").append('\n');
        }
        Files.writeString(data, rows);
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv", data.toString(), "--label", "kind",
                "--header", "--backend", "cpu", "--epochs", "1", "--progress-every", "0");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("Data: one.csv, 20 rows of 1 feature; 2 classes"), o.out());
    }

    @Test
    void aPipeIsReadAsAFileIs(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // A shell's <(zcat data.csv.gz) or /dev/stdin is a pipe, not a regular file: the trainer reads it once.
        Path fifo = dir.resolve("rows.csv");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no mkfifo here: " + e.getMessage());
            return;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
        byte[] rows = java.nio.file.Files.readAllBytes(blobs());
        Thread writer = new Thread(() -> {
            try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(fifo)) {
                out.write(rows);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.setDaemon(true);
        writer.start();
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv", fifo.toString(), "--label", "colour",
                "--header", "--epochs", "1", "--backend", "cpu", "--progress", "lines");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("Data: " + fifo + ", "), o.out());   // a pipe is named by its whole path
        writer.join(10_000);
    }

    @Test
    void csvOptionsThatDoNotFitTogetherNameTheOption() throws URISyntaxException {
        String csv = blobs().toString();
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv", csv, "--backend", "cpu");
        assertEquals(2, o.status());
        assertTrue(o.err().startsWith("digits: option '--csv' needs --label COLUMN"), o.err());

        o = DigitsTrainerOptionsTest.run("--csv", csv, "--label", "colour", "--backend", "cpu");
        assertEquals(2, o.status());
        assertTrue(o.err().startsWith("digits: invalid value for option '--label': 'colour' is a column name, "
                + "which needs --header"), o.err());

        o = DigitsTrainerOptionsTest.run("--csv", csv, "--label", "color", "--header", "--backend", "cpu");
        assertEquals(2, o.status());
        assertEquals("digits: invalid value for option '--label': blobs.csv line 1: no label column named 'color'; "
                + "the header has x1, x2, colour, x3, x4 (see digits --help)", o.err().strip());

        o = DigitsTrainerOptionsTest.run("--csv", csv, "--label", "99999999999", "--backend", "cpu");
        assertEquals(2, o.status());
        assertTrue(o.err().startsWith("digits: invalid value for option '--label': 99999999999 is not a column index "
                + "(0-based, or -1 for the last column)"), o.err());

        o = DigitsTrainerOptionsTest.run("--csv", csv, "--label", "7", "--header", "--backend", "cpu");
        assertEquals(2, o.status());
        assertTrue(o.err().contains("'--label': blobs.csv line 1: no label column named '7', and 7 is not a "
                + "column's index of its 5 columns (0 to 4, or -5 to -1 from the end); the header has x1, x2, colour, "
                + "x3, x4"), o.err());

    }

    @Test
    void aBadNumberInTheCsvNamesLineAndColumn() throws IOException {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "a,b,label\n1,2,x\n3,oops,y\n");
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv", bad.toString(), "--label", "label",
                "--header", "--backend", "cpu");
        assertEquals(1, o.status());
        assertEquals("digits: error: bad.csv line 3, column 2: 'oops' is not a number", o.err().strip());
    }

    /** A word in the first row of a feature column: most often categories, which --categorical encodes. */
    @Test
    void aWordInTheFirstRowSuggestsCategorical() throws IOException {
        Path shop = dir.resolve("shop.csv");
        Files.writeString(shop, "size,color,label\n1,blue,x\n3,red,y\n");
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv", shop.toString(), "--label",
                "label", "--header", "--backend", "cpu");
        assertEquals(1, o.status());
        assertEquals("digits: error: shop.csv line 2, column 2: 'blue' is not a number; if column 'color' holds "
                + "categories, one-hot encode it with --categorical color; if it is not a feature (an identifier, a "
                + "date, a note), leave it out with --ignore color", o.err().strip());
    }

    /** 120 rows of two classes, a quarter "rare" and the rest "common": a header line and a text label last. */
    private Path twoClasses() throws IOException {
        StringBuilder sb = new StringBuilder("a,b,kind\n");
        for (int i = 0; i < 120; i++) {
            sb.append(i % 7).append(',').append((i * 13) % 11).append(',').append(i % 4 == 0 ? "rare" : "common")
                    .append('\n');
        }
        return Files.writeString(dir.resolve("two.csv"), sb);
    }

    /** --pos-label chooses the two-class figures' positive class; it names the classes when it is none of them. */
    @Test
    void posLabelChoosesThePositiveClassOfTheRankingFigures() throws IOException {
        Path csv = twoClasses();
        List<String> args = new ArrayList<>(List.of("--csv", csv.toString(), "--label", "kind", "--header", "--epochs",
                "3", "--backend", "cpu", "--progress-every", "0"));
        DigitsTrainerOptionsTest.Outcome plain = DigitsTrainerOptionsTest.run(args.toArray(new String[0]));
        args.addAll(List.of("--pos-label", "common"));
        DigitsTrainerOptionsTest.Outcome flipped = DigitsTrainerOptionsTest.run(args.toArray(new String[0]));
        assertEquals(0, plain.status(), plain.err());
        assertEquals(0, flipped.status(), flipped.err());
        assertTrue(plain.out().contains("(positive class \"rare\")"), plain.out());
        assertTrue(flipped.out().contains("(positive class \"common\")"), flipped.out());
        args.set(args.size() - 1, "often");
        DigitsTrainerOptionsTest.Outcome bad = DigitsTrainerOptionsTest.run(args.toArray(new String[0]));
        assertEquals(DigitsTrainer.EXIT_USAGE, bad.status());
        assertTrue(bad.err().contains("'often' is not one of the classes, common and rare"), bad.err());
        assertTrue(DigitsTrainerOptionsTest.run("--pos-label", "3", "--epochs", "1").err()
                .contains("'--pos-label' is only used with --csv FILE"));
    }

    /**
     * predict scores a two-class model's file with the positive class its training run was given (recorded in the
     * model file), so that it prints the training run's figures; its own --pos-label chooses another.
     */
    @Test
    void predictTakesTheTrainingRunsPositiveClassOrItsOwn() throws IOException {
        Path csv = twoClasses();
        Path model = dir.resolve("two.safetensors");
        DigitsTrainerOptionsTest.Outcome trained = DigitsTrainerOptionsTest.run("--csv", csv.toString(), "--label",
                "kind", "--header", "--epochs", "3", "--backend", "cpu", "--progress-every", "0", "--pos-label",
                "common", "--save", model.toString());
        assertEquals(0, trained.status(), trained.err());
        List<String> predict = new ArrayList<>(List.of("predict", "--model", model.toString(), "--csv",
                csv.toString(), "--header", "--label", "kind"));
        DigitsTrainerOptionsTest.Outcome recorded = DigitsTrainerOptionsTest.run(predict.toArray(new String[0]));
        assertEquals(0, recorded.status(), recorded.err());
        assertTrue(recorded.out().contains("(positive class \"common\")"), recorded.out());
        predict.addAll(List.of("--pos-label", "rare"));
        DigitsTrainerOptionsTest.Outcome own = DigitsTrainerOptionsTest.run(predict.toArray(new String[0]));
        assertEquals(0, own.status(), own.err());
        assertTrue(own.out().contains("(positive class \"rare\")"), own.out());
        predict.set(predict.size() - 1, "often");
        DigitsTrainerOptionsTest.Outcome bad = DigitsTrainerOptionsTest.run(predict.toArray(new String[0]));
        assertEquals(DigitsTrainer.EXIT_USAGE, bad.status());
        assertTrue(bad.err().contains("'often' is not one of the model's classes, common and rare"), bad.err());
        assertTrue(!bad.out().contains("rows correct"), "refused before any row is scored: " + bad.out());
    }

    /** 150 rows of 3 classes, 50 of each, as the iris data: a header line and a text label column last. */
    private Path threeClasses() throws IOException {
        StringBuilder sb = new StringBuilder("a,b,species\n");
        String[] names = {"setosa", "versicolor", "virginica"};
        for (int i = 0; i < 150; i++) {
            int c = i % 3;
            sb.append(c * 10 + i % 7).append(',').append(c - i % 5 * 0.1).append(',').append(names[c]).append('\n');
        }
        return Files.writeString(dir.resolve("three.csv"), sb);
    }

    @Test
    void aTestSplitThatLeavesAClassUntrainedIsAUsageError() throws IOException {
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv", threeClasses().toString(),
                "--label", "-1", "--header", "--test-split", "0.99", "--backend", "cpu");
        assertEquals(2, o.status(), o.err());
        assertEquals("digits: invalid value for option '--test-split': 0.99 of the 150 rows leaves 149 test rows and "
                + "1 training row, and each of the 3 classes needs at least one training row; use --test-split 0.98 "
                + "or less (see digits --help)", o.err().strip());
        assertEquals("", o.out(), "nothing ran");
    }

    @Test
    void aValidationSplitThatLeavesAClassUntrainedIsAUsageError() throws IOException {
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--validation-split", "0.999",
                "--backend", "cpu");
        assertEquals(2, o.status(), o.err());
        assertEquals("digits: invalid value for option '--validation-split': 0.999 of the 1437 training rows leaves "
                + "1436 validation rows and 1 training row (360 test rows aside), and each of the 10 classes needs at "
                + "least one training row; use --validation-split 0.993 or less (see digits --help)", o.err().strip());
        assertEquals("", o.out(), "nothing ran");

        // 3 training rows after the test split, one of each class: no validation split can leave all three.
        o = DigitsTrainerOptionsTest.run("--csv", threeClasses().toString(), "--label", "-1", "--header",
                "--test-split", "0.98", "--validation-split", "0.1", "--backend", "cpu");
        assertEquals(2, o.status(), o.err());
        assertEquals("digits: invalid value for option '--validation-split': 0.1 of the 3 training rows leaves 1 "
                + "validation row and 2 training rows (147 test rows aside), and each of the 3 classes needs at least "
                + "one training row; 3 training rows are too few to hold out a validation row as well; hold out fewer "
                + "test rows (a --test-split below 0.98) or drop --validation-split (see digits --help)",
                o.err().strip());
        assertEquals("", o.out(), "nothing ran");
    }

    @Test
    void aDefaultTestSplitOnTooFewRowsNamesTheDefault() throws IOException {
        Path tiny = Files.writeString(dir.resolve("tiny.csv"), "1,a\n2,b\n3,c\n");
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv", tiny.toString(), "--label", "-1",
                "--backend", "cpu");
        assertEquals(2, o.status(), o.err());
        assertEquals("digits: invalid value for option '--test-split': 0.2 (the default) of the 3 rows leaves 1 test "
                + "row and 2 training rows, and each of the 3 classes needs at least one training row; 3 rows are too "
                + "few to hold out a test row as well; the file needs more rows (see digits --help)", o.err().strip());
    }

    @Test
    void theLargestLegalSplitRunsAndWarnsOnceOfSingleTrainingRows() throws IOException {
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv", threeClasses().toString(),
                "--label", "species", "--header", "--test-split", "0.98", "--epochs", "1", "--seeds", "1-2",
                "--backend", "cpu", "--progress-every", "0");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("stratified split (seed 42): 3 train, 147 test"), o.out());
        String warning = "digits: warning: all 3 classes have a single training row (setosa, versicolor, virginica); "
                + "a smaller --test-split leaves more";
        assertTrue(o.err().contains(warning), o.err());
        assertEquals(1, o.err().split("warning", -1).length - 1, "once, not once per seed: " + o.err());
    }

    /** The digits have no --label column: a split that leaves a digit one training row warns, naming none. */
    @Test
    void theDigitsWarnOfADigitLeftASingleTrainingRow() {
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--validation-split", "0.99", "--epochs",
                "1", "--backend", "cpu", "--progress-every", "0");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.err().contains(" a single training row ("), o.err());
        assertTrue(o.err().contains("a smaller --validation-split leaves more"), o.err());
    }

    @Test
    void aClassWithOneRowInTheWholeFileIsNotBlamedOnTheSplit() throws java.io.IOException {
        StringBuilder csv = new StringBuilder("a,b,kind\n");
        for (int i = 0; i < 20; i++) {
            csv.append(i).append(',').append(i % 4).append(',').append(i % 2 == 0 ? "even" : "odd").append('\n');
        }
        csv.append("99,9,rare\n");
        Path file = java.nio.file.Files.writeString(dir.resolve("rare.csv"), csv);
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv", file.toString(), "--label", "kind",
                "--header", "--epochs", "1", "--backend", "cpu", "--progress-every", "0");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.err().contains("digits: warning: 1 of the 3 classes has a single training row (rare), the only "
                + "row of its class in the data"), o.err());

        Path nan = java.nio.file.Files.writeString(dir.resolve("nan.csv"), "a,b,kind\n1,2,x\n3,NaN,y\n");
        DigitsTrainerOptionsTest.Outcome refused = DigitsTrainerOptionsTest.run("--csv", nan.toString(), "--label",
                "kind", "--header", "--epochs", "1", "--backend", "cpu");
        assertEquals(1, refused.status());
        assertEquals("digits: error: nan.csv line 3, column 2: 'NaN' is NaN; values must be finite numbers (a missing "
                + "value? fill it in or drop the row, or --impute mean fills it in with the training rows' mean)",
                refused.err().strip());
    }

    /**
     * The trainer classifies: a label column of fractional numbers is a continuous target, refused on --label in one
     * line that says so and where regression lives, rather than by a split that cannot hold 2000 classes.
     */
    @Test
    void aContinuousLabelColumnIsRefusedAsARegressionTarget() throws IOException {
        StringBuilder csv = new StringBuilder("x0,x1,y\n");
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 200; i++) {
            double x0 = r.nextGaussian();
            double x1 = r.nextGaussian();
            csv.append(x0).append(',').append(x1).append(',').append(3 * x0 - x1 + 10).append('\n');
        }
        Path file = Files.writeString(dir.resolve("measured.csv"), csv);
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv", file.toString(), "--label", "y",
                "--header", "--backend", "cpu");
        assertEquals(DigitsTrainer.EXIT_USAGE, o.status(), o.err());
        String err = o.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("digits: invalid value for option '--label': column 'y' of measured.csv holds "
                + "numbers that are not integers (such as "), err);
        assertTrue(err.endsWith(", 200 distinct values in 200 rows); it looks like a continuous target, and --task "
                + "regression trains on it as a number (see digits --help)"), err);
        assertEquals("", o.out(), "nothing ran");
    }

    /**
     * Integer measurements (a disease score of 25..346) pass as classes, with the warning of classes of one training
     * row; when those are many and every label is a number, the warning adds that the column may be a continuous
     * target. A few rare classes of numbers (digits 0-9) do not get that hint.
     */
    @Test
    void manySingleRowClassesOfNumbersHintAtARegression() throws IOException {
        StringBuilder csv = new StringBuilder("a,b,score\n");
        for (int i = 0; i < 120; i++) {
            csv.append(i % 7).append(',').append(i % 5).append(',').append(25 + (i % 60) * 3).append('\n');
        }
        Path file = Files.writeString(dir.resolve("scores.csv"), csv);
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv", file.toString(), "--label", "score",
                "--header", "--epochs", "1", "--backend", "cpu", "--progress-every", "0");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.err().contains(" a single training row ("), o.err());
        assertTrue(o.err().contains("; the labels are all numbers: if column 'score' is a continuous target, --task "
                + "regression trains on it as a number"), o.err());
    }

    /**
     * Whole-number measurements where most values occur once (scikit-learn's diabetes targets: 194 values in 353
     * rows trained a 194-class classifier to a test accuracy of 0.04, exit status 0) are refused on --label, with
     * where regression lives and how to train number codes as classes anyway; a --test-csv label the training file
     * never had says the same.
     */
    @Test
    void wholeNumberTargetsOfMostlySingleRowClassesAreRefusedAsARegression() throws IOException {
        StringBuilder csv = new StringBuilder("a,b,target\n");
        StringBuilder test = new StringBuilder("a,b,target\n");
        for (int i = 0; i < 100; i++) {
            csv.append(i % 7).append(',').append(i % 5).append(',').append(25 + (i % 70) * 3).append(".0\n");
        }
        test.append("1,2,50.0\n");
        Path file = Files.writeString(dir.resolve("diabetes.csv"), csv);
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv", file.toString(), "--label", "target",
                "--header", "--epochs", "1", "--backend", "cpu", "--progress-every", "0");
        assertEquals(DigitsTrainer.EXIT_USAGE, o.status(), o.err());
        assertTrue(o.err().contains("digits: invalid value for option '--label': column 'target' of diabetes.csv holds "
                + "70 distinct numbers, and ") && o.err().contains("it looks like a continuous target, and --task "
                + "regression trains on it as a number") && o.err().contains("(c85 for 85)"), o.err());
        assertEquals("", o.out(), "nothing ran");

        Path testFile = Files.writeString(dir.resolve("diabetes-test.csv"), test);
        DigitsTrainerOptionsTest.Outcome withTest = DigitsTrainerOptionsTest.run("--csv", file.toString(), "--label",
                "target", "--header", "--test-csv", testFile.toString(), "--epochs", "1", "--backend", "cpu",
                "--progress-every", "0");
        assertEquals(1, withTest.status(), withTest.err());
        assertTrue(withTest.err().contains("label '50.0' is not one of the classes of diabetes.csv")
                && withTest.err().contains("the labels are all numbers, 70 of them: if column 'target' is a "
                + "continuous target, --task regression trains on it as a number"), withTest.err());
        // ... and as the hint says, the same files train as a regression.
        DigitsTrainerOptionsTest.Outcome regression = DigitsTrainerOptionsTest.run("--csv", file.toString(),
                "--label", "target", "--header", "--test-csv", testFile.toString(), "--epochs", "1", "--backend", "cpu",
                "--progress-every", "0", "--task", "regression");
        assertEquals(0, regression.status(), regression.err());
        assertTrue(regression.out().contains("target column 'target'"), regression.out());
    }

    /**
     * A quantity rounded to whole numbers, every value on many rows (28 values of 800 rows, as scikit-learn's
     * Friedman #1 target rounded), trains as classes with a warning that says so and where regression lives; ten
     * number classes (digits 0-9) do not get it.
     */
    @Test
    void manyClassesOfWholeNumbersWarnThatTheColumnMayBeAQuantity() throws IOException, URISyntaxException {
        StringBuilder csv = new StringBuilder("a,b,score\n");
        for (int i = 0; i < 300; i++) {
            csv.append(i % 7).append(',').append(i % 5).append(',').append(1 + i % 25).append('\n');
        }
        Path file = Files.writeString(dir.resolve("rounded.csv"), csv);
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv", file.toString(), "--label", "score",
                "--header", "--epochs", "1", "--backend", "cpu", "--progress-every", "0");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.err().contains("digits: warning: column 'score' holds 25 classes, every one a number (1, 2, 3, ")
                && o.err().contains("if it is a quantity (a count, an age, a score), --task regression trains on "
                + "it as a number"), o.err());
        DigitsTrainerOptionsTest.Outcome digits = DigitsTrainerOptionsTest.run("--csv", blobs().toString(),
                "--label", "2", "--header", "--epochs", "1", "--backend", "cpu", "--progress-every", "0");
        assertTrue(!digits.err().contains("every one a number"), digits.err());
    }

    @Test
    void aHeaderReadAsDataSuggestsHeader() throws URISyntaxException {
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv", blobs().toString(), "--label", "2",
                "--backend", "cpu");
        assertEquals(1, o.status(), o.err());
        assertEquals("digits: error: blobs.csv line 1, column 1: 'x1' is not a number; if line 1 holds column names, "
                + "read it as a header (--header)", o.err().strip());
    }

    @Test
    void trainsOnACsvWithTextLabelsEndToEnd() throws URISyntaxException, IOException {
        DigitsTrainer t = new DigitsTrainer();
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run(t, "--csv", blobs().toString(), "--label",
                "colour", "--header", "--preset", "keras", "--learning-rate", "0.05", "--epochs", "30", "--backend", "cpu",
                "--progress-every", "10",
                "--validation-split", "0.2", "--early-stopping", "--plots", dir.toString());
        assertEquals(0, o.status(), o.err());
        assertFalse(o.err().contains("warning"), o.err());
        String out = o.out();
        assertTrue(out.contains("Data: blobs.csv, 90 rows of 4 features; 3 classes from column 'colour': blue, green, red"),
                out);
        // 90 rows: 18 test (20 %), then 15 of the other 72 for validation (ceil of 20 %), 57 to train.
        assertTrue(out.contains("stratified split (seed 42): 57 train, 15 validation (stratified 20% of the training "
                + "rows, seed 42), 18 test; minmax scaler fitted on the 57 training rows (not the validation rows, "
                + "which it scales as the test rows)"), out);
        assertTrue(out.contains("early stopping on validation loss"), out);
        assertTrue(out.contains("epoch 10/30  train loss"), out);
        assertTrue(out.contains("val loss"), out);
        assertTrue(out.contains("  val    loss"), out);
        assertTrue(out.contains("(18 rows)"), out);
        DigitsTrainer.RunResult r = t.results().get(0);
        assertEquals(18, r.test().samples());
        assertTrue(r.test().accuracy() > 0.8, "well separated blobs: " + r.test().accuracy());
        assertTrue(Files.exists(dir.resolve("confusion-matrix.png")));
        assertFalse(Files.exists(dir.resolve("misclassified.png")), "no image grid for rows that are not images");
        assertFalse(Files.exists(dir.resolve("roc-curve.png")), "no ROC curve for three classes");
        assertFalse(Files.exists(dir.resolve("precision-recall.png")), "nor a precision-recall curve");
        BufferedImage cm = ImageIO.read(dir.resolve("confusion-matrix.png").toFile());
        assertEquals(ConfusionMatrixChart.WIDTH, cm.getWidth());
        assertEquals(ConfusionMatrixChart.HEIGHT, cm.getHeight());
    }

    /** Two classes: --plots adds the test set's ROC and precision-recall curves. */
    @Test
    void aBinaryRunsPlotsHoldItsRocAndPrecisionRecallCurves() throws Exception {
        java.util.List<String> two = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(blobs())) {
            if (!line.contains(",red,")) {
                two.add(line);
            }
        }
        Path csv = Files.write(dir.resolve("two.csv"), two);
        Path plots = dir.resolve("plots");
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv", csv.toString(), "--label", "colour",
                "--header", "--epochs", "5", "--backend", "cpu", "--progress-every", "0", "--plots", plots.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("wrote " + plots.resolve("roc-curve.png")), o.out());
        BufferedImage roc = ImageIO.read(plots.resolve("roc-curve.png").toFile());
        assertEquals(dev.nnj.plots.RocCurveChart.SIZE, roc.getWidth());
        assertTrue(o.out().contains("wrote " + plots.resolve("precision-recall.png")), o.out());
        BufferedImage pr = ImageIO.read(plots.resolve("precision-recall.png").toFile());
        assertEquals(dev.nnj.plots.PrecisionRecallChart.SIZE, pr.getWidth());
    }

    /**
     * A folder or a read-only file in a chart's place is refused before training. One that turns up while the charts
     * are written (made here as loss.png is about to be written) fails the run after the other charts are written.
     */
    @Test
    void oneChartThatCannotBeWrittenDoesNotCostTheOthers() throws IOException {
        Path plots = dir.resolve("blocked");
        Files.createDirectories(plots.resolve("loss.png"));
        DigitsTrainerOptionsTest.Outcome folder = DigitsTrainerOptionsTest.run("--preset", "keras", "--epochs", "2",
                "--backend", "cpu", "--progress-every", "0", "--plots", plots.toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, folder.status(), folder.err());
        assertTrue(folder.err().contains("'--plots': " + plots.resolve("loss.png") + " is a folder, where a chart "
                + "would be written") && !folder.out().contains("epoch"), folder.out() + folder.err());
        Files.delete(plots.resolve("loss.png"));
        Files.writeString(plots.resolve("loss.png"), "kept");
        org.junit.jupiter.api.Assumptions.assumeTrue(plots.getFileSystem().supportedFileAttributeViews()
                .contains("posix"), "no POSIX permissions");
        Files.setPosixFilePermissions(plots.resolve("loss.png"),
                java.nio.file.attribute.PosixFilePermissions.fromString("r--r--r--"));
        DigitsTrainerOptionsTest.Outcome readOnly = DigitsTrainerOptionsTest.run("--preset", "keras", "--epochs",
                "2", "--backend", "cpu", "--progress-every", "0", "--plots", plots.toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, readOnly.status(), readOnly.err());
        assertTrue(readOnly.err().contains("loss.png is read-only (r--r--r--), so it is not replaced")
                && !readOnly.out().contains("epoch"), readOnly.out() + readOnly.err());
        assertEquals("kept", Files.readString(plots.resolve("loss.png")));

        Path late = dir.resolve("late");
        Files.createDirectories(late);
        PlotOptions options = new PlotOptions();
        options.dir = late;
        try (dev.nnj.api.Backend backend = dev.nnj.api.Backends.get("cpu")) {
            dev.nnj.api.data.Dataset blobs = new dev.nnj.api.data.Dataset(new float[] {0, 0, 0, 1, 1, 0, 1, 1, 0, 0.1f,
                1, 0.9f}, 2, new float[] {1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1}, 2);
            try (dev.nnj.api.model.Sequential model = new dev.nnj.api.model.Sequential(backend, 2, 1)
                    .add(new dev.nnj.api.layers.Dense(2, dev.nnj.api.Activation.SOFTMAX))) {
                dev.nnj.api.train.History history = dev.nnj.api.train.Trainer.builder().epochs(2).build().fit(model,
                        dev.nnj.api.losses.Loss.categoricalCrossEntropy(), new dev.nnj.api.optim.Sgd(0.1f), blobs,
                        null);
                TrainingData data = new TrainingData(blobs, null, blobs, new String[] {"a", "b"}, 0,
                        java.util.List.of(), dev.nnj.api.io.Preprocessing.none(), null, null, null, 1, null);
                RuntimeException e = assertThrows(RuntimeException.class, () -> options.write(model, history, data,
                        "", null, file -> {
                            if (file.getFileName().toString().equals("loss.png")) {
                                try {
                                    Files.createDirectories(file);
                                } catch (IOException impossible) {
                                    throw new java.io.UncheckedIOException(impossible);
                                }
                            }
                        }, file -> { }));
                assertTrue(e.getMessage().contains("loss.png is a directory; give a file name (written: accuracy.png, "
                        + "confusion-matrix.png, roc-curve.png, precision-recall.png)"), e.getMessage());
            }
        }
        for (String name : new String[] {"accuracy.png", "confusion-matrix.png", "roc-curve.png",
                "precision-recall.png"}) {
            assertNotNull(ImageIO.read(late.resolve(name).toFile()), name);
        }
    }

    /**
     * A model that cannot be saved late (a full device) fails the run after the other files: --metrics, which a CI
     * job reads, and the charts were lost with it.
     */
    @Test
    void aModelThatCannotBeSavedCostsNeitherTheChartsNorTheMetrics() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/dev/full")), "no /dev/full here");
        Path metrics = dir.resolve("figures.json");
        Path charts = dir.resolve("charts");
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--preset", "keras", "--epochs", "1",
                "--backend", "cpu", "--progress-every", "0", "--save", "/dev/full", "--metrics", metrics.toString(),
                "--plots", charts.toString());
        assertEquals(1, o.status(), o.err());
        assertTrue(o.err().contains("cannot save the model to /dev/full: no space left on device"), o.err());
        assertTrue(Files.readString(metrics).contains("\"accuracy\""), "the metrics were written");
        assertTrue(Files.exists(charts.resolve("loss.png")), "and the charts");
        // Two files that cannot be written are both said, each on its line (the second was kept out of sight).
        DigitsTrainerOptionsTest.Outcome both = DigitsTrainerOptionsTest.run("--preset", "keras", "--epochs", "1",
                "--backend", "cpu", "--progress-every", "0", "--save", "/dev/full", "--metrics", "/dev/full");
        assertEquals(1, both.status(), both.err());
        assertTrue(both.err().contains("digits: error: cannot save the model to /dev/full: no space left on device\n"
                + "digits: error: --metrics: cannot write /dev/full: no space left on device"), both.err());
    }

    /**
     * A resumed checkpoint that had stopped early trains no epoch: the charts that need none are written, the curves
     * are said to be missing (they failed the run, "the history has no epochs to draw"), and this run's charts are
     * not called an earlier run's.
     */
    @Test
    void aResumeThatTrainsNoEpochDrawsWhatItCan() throws IOException {
        Path checkpoints = dir.resolve("stopped");
        DigitsTrainerOptionsTest.Outcome first = DigitsTrainerOptionsTest.run("--preset", "keras", "--epochs", "60",
                "--backend", "cpu", "--progress-every", "0", "--hidden", "8", "--early-stopping", "--patience", "1",
                "--min-delta", "0.5", "--checkpoint-dir", checkpoints.toString());
        assertEquals(0, first.status(), first.err());
        assertTrue(first.out().contains("stopped early"), first.out());
        Path charts = dir.resolve("after-stop");
        Path log = dir.resolve("after-stop.csv");
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--backend", "cpu", "--progress-every", "0",
                "--resume", checkpoints.resolve("last.safetensors").toString(), "--plots", charts.toString(),
                "--history", log.toString());
        assertEquals(0, o.status(), o.err());
        assertFalse(o.out().contains("wrote " + log), "no epoch, no row: " + o.out());
        assertTrue(o.out().contains("wrote " + charts.resolve("confusion-matrix.png")), o.out());
        assertTrue(o.out().contains("(no epoch was trained in this run: no loss or accuracy chart)"), o.out());
        assertFalse(o.out().contains("from an earlier run"), o.out());
    }

    /**
     * A --history that is a device or pipe cannot hold the logs of several runs, which are files beside it: they
     * were regular files in /dev. A log's reader that has gone is said once, and the run goes on without the log.
     */
    @Test
    void aPipedHistoryIsOneRunsAndItsReaderMayLeave() {
        DigitsTrainerOptionsTest.assertOneLineUsageError("--epochs 1 --seeds 0,1 --history /dev/null",
                "'--history': /dev/null is a device or pipe, written in place, and --seeds writes one log per run");
        DigitsTrainerOptionsTest.assertOneLineUsageError("--epochs 1 --cv 3 --history /dev/null",
                "and --cv writes one log per run, as files beside it (fold-1-null)");
        java.io.StringWriter err = new java.io.StringWriter();
        java.util.List<Integer> written = new java.util.ArrayList<>();
        PipedLog log = new PipedLog(new dev.nnj.api.train.TrainingListener() {
            @Override
            public void onEpochEnd(dev.nnj.api.train.EpochStats stats) {
                if (stats.epoch() == 2) {
                    throw new java.io.UncheckedIOException(new IOException("p.fifo: broken pipe"));
                }
                written.add(stats.epoch());
            }
        }, Path.of("p.fifo"), new java.io.PrintWriter(err));
        for (int epoch = 1; epoch <= 3; epoch++) {
            log.onEpochEnd(new dev.nnj.api.train.EpochStats(epoch, 3, 0.5, 0.5, 0.5, 0.5, 10));
        }
        assertEquals(java.util.List.of(1), written, "nothing more is written once the reader has gone");
        assertTrue(log.readerGone(), "the run says the log stops short, not that it wrote it");
        assertEquals("digits: warning: the reader of --history p.fifo has gone (broken pipe) at epoch 2; training "
                + "goes on without the log", err.toString().strip());
        PipedLog full = new PipedLog(new dev.nnj.api.train.TrainingListener() {
            @Override
            public void onEpochEnd(dev.nnj.api.train.EpochStats stats) {
                throw new java.io.UncheckedIOException(new IOException("/dev/full: no space left on device"));
            }
        }, Path.of("/dev/full"), new java.io.PrintWriter(err));
        assertThrows(java.io.UncheckedIOException.class,
                () -> full.onEpochEnd(new dev.nnj.api.train.EpochStats(1, 3, 0.5, 0.5, 0.5, 0.5, 10)),
                "another failure still fails the run");
    }

    /**
     * Java's graphics failing to start (a slim container without fonts) is an Error: it was a stack trace that cost
     * the files still to come. It is a chart's failure now, in the innermost cause's words, with what helps; the heap
     * run out is not one.
     */
    @Test
    void chartsWithoutFontsFailWithTheCauseAndWhatHelps() {
        String hint = " (Java found no usable fonts to draw with: install fontconfig and a font, such as Debian's "
                + "fonts-dejavu-core)";
        assertEquals("Probable fatal error: No physical fonts found" + hint,
                PlotOptions.graphicsFailure(new Error("Probable fatal error: No physical fonts found")));
        assertEquals("Fontconfig head is null, check your fonts or fonts configuration" + hint,
                PlotOptions.graphicsFailure(new InternalError(new java.lang.reflect.InvocationTargetException(
                        new RuntimeException("Fontconfig head is null, check your fonts or fonts configuration")))));
        assertEquals("Fontconfig head is null" + hint, PlotOptions.graphicsFailure(
                new RuntimeException("Fontconfig head is null")), "JDK 25 throws a RuntimeException");
        assertEquals("java.lang.NoClassDefFoundError", PlotOptions.graphicsFailure(new NoClassDefFoundError()));
        OutOfMemoryError heap = new OutOfMemoryError("Java heap space");
        assertSame(heap, assertThrows(OutOfMemoryError.class, () -> PlotOptions.graphicsFailure(heap)));
    }

    /**
     * Class names in the run's lists: one with a comma, a line break or spaces at its ends is quoted (setosa, x read as
     * two classes), and a thousand classes stop after ten with a count.
     */
    @Test
    void classNamesThatWouldBlurAreQuotedAndLongListsCut() {
        assertEquals("setosa, 'setosa, x', 'two\\nlines', ' padded', ''",
                NameLists.abbreviate(new String[] {"setosa", "setosa, x", "two\nlines", " padded", ""}));
        String[] many = new String[1000];
        for (int i = 0; i < many.length; i++) {
            many[i] = "k" + i;
        }
        assertEquals("k0, k1, k2, k3, k4, k5, k6, k7, k8, k9, … (990 more)", NameLists.abbreviate(many));
    }

    @Test
    void digitsRunWritesEveryPlot() throws IOException {
        DigitsTrainer t = new DigitsTrainer();
        Path plots = dir.resolve("new/folder");
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run(t, "--preset", "keras", "--epochs", "3",
                "--backend", "cpu", "--progress-every", "0", "--plots", plots.toString());
        assertEquals(0, o.status(), o.err());
        for (String name : new String[] {"loss.png", "accuracy.png", "confusion-matrix.png", "misclassified.png"}) {
            Path file = plots.resolve(name);
            assertTrue(o.out().contains("wrote " + file), o.out());
            BufferedImage image = ImageIO.read(file.toFile());
            assertNotNull(image, name + " decodes as an image");
            assertTrue(image.getWidth() >= 400 && image.getHeight() >= 100, name + " " + image.getWidth() + "x"
                    + image.getHeight());
        }
        BufferedImage loss = ImageIO.read(plots.resolve("loss.png").toFile());
        assertArrayEquals(new int[] {TrainingCharts.WIDTH, TrainingCharts.HEIGHT},
                new int[] {loss.getWidth(), loss.getHeight()});
        assertFalse(Files.exists(plots.resolve("learning-rate.png")), "a constant rate gets no chart");
        assertFalse(o.out().contains("from an earlier run"), o.out());

        // A second run into the same folder draws no image grid (its rows are not images): the digits' one stays,
        // and is said to be an earlier run's.
        Path csv = Files.writeString(dir.resolve("rows.csv"), "a,b,y\n1,2,p\n2,1,q\n3,4,p\n4,3,q\n5,6,p\n6,5,q\n"
                + "7,8,p\n8,7,q\n9,9,p\n9,8,q\n");
        DigitsTrainerOptionsTest.Outcome again = DigitsTrainerOptionsTest.run("--csv", csv.toString(), "--label", "y",
                "--header", "--epochs", "2", "--backend", "cpu", "--progress-every", "0", "--plots", plots.toString());
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().contains("(also there, from an earlier run, not this one's: misclassified.png)"),
                again.out());
    }

    /**
     * Charts that other runs left under prefixes this command does not write (a seed repeated before, a single run's)
     * are named in one line, so that the folder's reader does not take them for this command's.
     */
    @Test
    void chartsOfOtherRunsInTheFolderAreNamed() throws IOException {
        Path plots = dir.resolve("seeds");
        DigitsTrainerOptionsTest.Outcome first = DigitsTrainerOptionsTest.run("--preset", "keras", "--epochs", "1",
                "--hidden", "8", "--seeds", "0,0", "--backend", "cpu", "--progress-every", "0", "--plots",
                plots.toString());
        assertEquals(0, first.status(), first.err());
        assertTrue(Files.isRegularFile(plots.resolve("seed-0-run-2-loss.png")), first.out());
        assertFalse(first.out().contains("from other runs"), first.out());

        DigitsTrainerOptionsTest.Outcome second = DigitsTrainerOptionsTest.run("--preset", "keras", "--epochs", "1",
                "--hidden", "8", "--seeds", "0,1", "--backend", "cpu", "--progress-every", "0", "--plots",
                plots.toString());
        assertEquals(0, second.status(), second.err());
        assertTrue(Files.isRegularFile(plots.resolve("seed-1-loss.png")), second.out());
        assertTrue(second.out().contains("(also in " + plots + ", from other runs, not this command's: "
                + "seed-0-run-1-accuracy.png, seed-0-run-1-confusion-matrix.png, seed-0-run-1-loss.png, "),
                second.out());
        assertTrue(second.out().contains("seed-0-run-2-loss.png, seed-0-run-2-misclassified.png)"),
                "four charts each from two runs: " + second.out());
        assertFalse(second.out().contains("seed-1-loss.png, ") || second.out().contains("seed-0-loss.png, "),
                "this command's own charts are not named: " + second.out());

        // A several-target regression's charts, named after their targets, are a run's charts too.
        Files.writeString(plots.resolve("seed-7-residuals-y1.png"), "");
        // A single run beside them: every seed's chart is another run's.
        DigitsTrainerOptionsTest.Outcome single = DigitsTrainerOptionsTest.run("--preset", "keras", "--epochs", "1",
                "--hidden", "8", "--backend", "cpu", "--progress-every", "0", "--plots", plots.toString());
        assertEquals(0, single.status(), single.err());
        assertTrue(single.out().contains("from other runs, not this command's: seed-0-accuracy.png, "), single.out());
        // Ten named, then the rest counted: 16 seed charts and the target's chart, 17 in all.
        assertTrue(single.out().contains(", … (7 more))"), single.out());
    }

    /** A run whose schedule moved the rate also writes its chart, one point per epoch on a log axis. */
    @Test
    void aScheduledRunWritesItsLearningRate() throws IOException {
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--preset", "keras", "--epochs", "5",
                "--hidden", "8", "--lr-schedule", "cosine", "--backend", "cpu", "--progress-every", "0", "--plots",
                dir.toString());
        assertEquals(0, o.status(), o.err());
        Path file = dir.resolve("learning-rate.png");
        assertTrue(o.out().contains("wrote " + file), o.out());
        BufferedImage image = ImageIO.read(file.toFile());
        assertArrayEquals(new int[] {TrainingCharts.WIDTH, TrainingCharts.HEIGHT},
                new int[] {image.getWidth(), image.getHeight()});
    }

    @Test
    void severalSeedsWriteAPlotSetEach() {
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--preset", "keras", "--epochs", "1",
                "--seeds", "3-4", "--backend", "cpu", "--progress-every", "0", "--plots", dir.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(Files.exists(dir.resolve("seed-3-loss.png")));
        assertTrue(Files.exists(dir.resolve("seed-4-misclassified.png")));
    }

    @Test
    void aPlotsPathThatIsAFileFailsBeforeTraining() throws IOException {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--plots", file.toString(), "--backend", "cpu");
        assertEquals(2, o.status());
        assertTrue(o.err().startsWith("digits: invalid value for option '--plots': " + file + " is a file, not a "
                + "directory") && !o.err().contains("Exception"), o.err());
        assertEquals("", o.out());
    }

    @Test
    void validationSplitIsCarvedFromTheTrainingRowsAndEarlyStoppingWatchesIt() {
        DigitsTrainer t = new DigitsTrainer();
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run(t, "--preset", "keras", "--epochs", "4",
                "--backend", "cpu", "--validation-split", "0.1", "--early-stopping", "--progress-every", "1");
        assertEquals(0, o.status(), o.err());
        String out = o.out();
        assertTrue(out.contains("1293 train, 144 validation (stratified 10% of the training rows, seed 42), 360 test"),
                out);
        assertTrue(out.contains("early stopping on validation loss"), out);
        assertTrue(out.contains("epoch 1/4  train loss"), out);
        assertTrue(out.contains("  val loss "), "per-epoch lines name the validation set: " + out);
        assertFalse(out.contains("  test loss "), "the test set is not looked at during training: " + out);
        assertTrue(out.contains("  val    loss"), out);
        assertTrue(out.contains("  test   loss"), out);
        assertEquals(360, t.results().get(0).test().samples());
    }

    @Test
    void theValidationSplitIsStratifiedAndSeeded() {
        TrainingData a = load("--validation-split", "0.1");
        TrainingData b = load("--validation-split", "0.1");
        TrainingData c = load("--validation-split", "0.1", "--split-seed", "7");
        assertArrayEquals(a.validation().labels(), b.validation().labels());
        assertFalse(java.util.Arrays.equals(a.validation().features(), c.validation().features()));
        int[] perClassTrain = new int[10];
        int[] perClassValidation = new int[10];
        for (int label : a.train().labels()) {
            perClassTrain[label]++;
        }
        for (int label : a.validation().labels()) {
            perClassValidation[label]++;
        }
        for (int k = 0; k < 10; k++) {
            double share = (double) perClassValidation[k] / (perClassTrain[k] + perClassValidation[k]);
            assertEquals(0.1, share, 0.02, "class " + k);
        }
        assertEquals(360, a.test().size());
        assertEquals(1437, a.train().size() + a.validation().size());
    }

    /**
     * The article preset without a validation split is the plain training loop on the article's split: the
     * CLI's figures equal a run written directly against the library.
     */
    @Test
    void withoutAValidationSplitTheArticlePresetIsUnchanged() {
        DigitsTrainer t = new DigitsTrainer();
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run(t, "--preset", "article", "--epochs", "20",
                "--backend", "cpu", "--progress-every", "10");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("scikit-learn's split (random_state=42): 1437 train, 360 test"), o.out());
        assertTrue(o.out().contains("epoch 10/20  train loss"), o.out());
        assertTrue(o.out().contains("  test loss "), o.out());
        IndexSplit.Datasets parts = DigitsData.scaledArticleSplit();
        Loss loss = Loss.categoricalCrossEntropy();
        try (Backend be = Backends.get("cpu");
             Sequential model = DigitsPreset.ARTICLE.buildModel(be, DigitsPreset.HIDDEN_UNITS, 0);
             Optimizer sgd = DigitsPreset.ARTICLE.optimizer()) {
            Trainer.builder().epochs(20).batchSize(0).shuffle(true).seed(0).build()
                    .fit(model, loss, sgd, parts.train(), parts.test());
            Evaluation direct = model.evaluate(parts.test(), loss, 4096);
            assertEquals(direct, t.results().get(0).test());
        }
    }

    private static TrainingData load(String... args) {
        DigitsTrainer t = new DigitsTrainer();
        CommandLine cl = new CommandLine(t);
        cl.parseArgs(args);
        return t.data.load(cl.getCommandSpec());
    }

    /** An interrupted or failed run removes the --plots folder it made, and the empty parents it made for it. */
    @Test
    void unusedPlotsFoldersTheRunMadeAreRemovedUpToTheFirstThatExisted() throws IOException {
        Files.createDirectories(dir.resolve("results"));
        PlotOptions plots = new PlotOptions();
        plots.dir = dir.resolve("results/run-1/seed-0/plots");
        plots.prepare(new CommandLine(new DigitsTrainer()).getCommandSpec());
        assertTrue(Files.isDirectory(plots.dir));
        plots.removeIfUnused();
        assertFalse(Files.exists(dir.resolve("results/run-1")), "before: results/run-1/seed-0 was left behind");
        assertTrue(Files.isDirectory(dir.resolve("results")), "a folder that existed before stays");

        // A parent another process wrote into meanwhile stays, with everything above it.
        plots.prepare(new CommandLine(new DigitsTrainer()).getCommandSpec());
        Files.writeString(dir.resolve("results/run-1/notes.txt"), "kept");
        plots.removeIfUnused();
        assertFalse(Files.exists(dir.resolve("results/run-1/seed-0")));
        assertTrue(Files.exists(dir.resolve("results/run-1/notes.txt")));

        // Charts written: nothing is removed.
        plots.dir = dir.resolve("charts");
        plots.prepare(new CommandLine(new DigitsTrainer()).getCommandSpec());
        Files.writeString(plots.dir.resolve("loss.png"), "png");
        plots.removeIfUnused();
        assertTrue(Files.exists(plots.dir.resolve("loss.png")));
    }
}
