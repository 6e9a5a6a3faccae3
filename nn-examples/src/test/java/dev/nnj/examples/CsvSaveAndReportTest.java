package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.data.CsvReader;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.data.StandardScaler;
import dev.nnj.api.data.TrainTestSplit;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.SavedModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --csv ... --save}: the saved model carries the scaler fitted on the CSV's training rows and the CSV's
 * class names (not the digits'); and every run ends with the test set's classification report and top-k
 * accuracy.
 */
class CsvSaveAndReportTest {
    @TempDir
    Path dir;

    @Test
    void csvRunSavesItsOwnScalerAndClassNames() throws Exception {
        Path csv = Path.of(CsvSaveAndReportTest.class.getResource("blobs.csv").toURI());
        Path model = dir.resolve("blobs.safetensors");
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv", csv.toString(), "--label", "colour",
                "--header", "--scaler", "standard", "--preset", "keras", "--epochs", "5", "--backend", "cpu",
                "--progress-every", "0", "--save", model.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("with its standard scaler, class names and feature column names"), o.out());
        // The scaler the run must have fitted: standard, on the 72 training rows of the stratified split.
        Dataset all = CsvReader.numeric().withHeader(true).withTextLabels(true).withLabelColumn("colour").read(csv)
                .toDataset();
        IndexSplit.Datasets parts = TrainTestSplit.split(all, 0.2, 42, true);
        StandardScaler expected = new StandardScaler();
        expected.fitTransform(parts.train());
        try (Backend cpu = Backends.get("cpu");
             SavedModel saved = ModelFiles.load(model, cpu)) {
            assertEquals(List.of("blue", "green", "red"), saved.preprocessing().classNames());
            assertNull(saved.preprocessing().minMaxScaler(), "no digits min-max scaler on a CSV run");
            StandardScaler s = saved.preprocessing().standardScaler();
            assertNotNull(s, "the CSV run's standard scaler");
            assertArrayEquals(expected.mean(), s.mean(), 1e-9);
            assertArrayEquals(expected.scale(), s.scale(), 1e-9);
            assertEquals(4, saved.preprocessing().features());
        }
    }

    /**
     * A model trained with {@code --header} keeps the feature columns' names, and {@code predict} matches a file's
     * columns by them: the same rows with their columns in another order get the same answers (by position they
     * would be silently wrong), and a file missing a feature or holding an unknown column is refused naming both.
     */
    @Test
    void predictMatchesColumnsByTheirHeaderNames() throws Exception {
        Path csv = Path.of(CsvSaveAndReportTest.class.getResource("blobs.csv").toURI());
        Path model = dir.resolve("blobs.safetensors");
        DigitsTrainerOptionsTest.Outcome trained = DigitsTrainerOptionsTest.run("--csv", csv.toString(), "--label",
                "colour", "--header", "--preset", "keras", "--epochs", "20", "--backend", "cpu", "--progress-every",
                "0", "--save", model.toString());
        assertEquals(0, trained.status(), trained.err());
        try (Backend cpu = Backends.get("cpu");
             SavedModel saved = ModelFiles.load(model, cpu)) {
            assertEquals(List.of("x1", "x2", "x3", "x4"), saved.preprocessing().featureNames());
        }
        DigitsTrainerOptionsTest.Outcome same = DigitsTrainerOptionsTest.run("predict", "--model", model.toString(),
                "--backend", "cpu", "--csv", csv.toString(), "--header", "--label", "colour");
        assertEquals(0, same.status(), same.err());
        String accuracy = accuracyLine(same.out());
        assertTrue(accuracy.contains("rows correct, accuracy"), same.out());
        // Then the report training prints of its test split: accuracy alone hides a class the model never gets right.
        assertTrue(same.out().contains("classification report:\n  ") && same.out().contains(
                "precision    recall  f1-score   support") && same.out().contains("macro avg"), same.out());
        // And the probabilities' figures training prints beside it (scikit-learn's, checked in nn-api).
        assertTrue(same.out().matches("(?s).*\nbalanced accuracy [0-9.]+; log loss [0-9.]+ \\(scikit-learn's, "
                + "eps 2\\^-52\\), ROC AUC one-vs-rest macro [0-9.]+, weighted [0-9.]+, average precision macro "
                + "[0-9.]+\n.*"), same.out());
        assertTrue(!same.out().contains("columns matched"), "the training order needs no note: " + same.out());

        // The same rows, columns x3,colour,x4,x2,x1.
        StringBuilder reordered = new StringBuilder();
        for (String line : java.nio.file.Files.readAllLines(csv)) {
            String[] f = line.split(",");
            reordered.append(String.join(",", f[3], f[2], f[4], f[1], f[0])).append('\n');
        }
        Path swapped = java.nio.file.Files.writeString(dir.resolve("swapped.csv"), reordered);
        DigitsTrainerOptionsTest.Outcome matched = DigitsTrainerOptionsTest.run("predict", "--model",
                model.toString(), "--backend", "cpu", "--csv", swapped.toString(), "--header", "--label", "colour");
        assertEquals(0, matched.status(), matched.err());
        assertTrue(matched.out().contains("columns matched to the model's features by name"), matched.out());
        assertEquals(accuracy.replace(csv.toString(), ""),
                accuracyLine(matched.out()).replace(swapped.toString(), ""),
                "the same answers, columns matched by name");

        Path other = java.nio.file.Files.writeString(dir.resolve("other.csv"),
                "id,x1,x2,colour,x3\n1,0.1,4.1,blue,8.3\n");
        DigitsTrainerOptionsTest.Outcome refused = DigitsTrainerOptionsTest.run("predict", "--model",
                model.toString(), "--backend", "cpu", "--csv", other.toString(), "--header", "--label", "colour");
        assertTrue(refused.status() != 0, "refused");
        assertTrue(refused.err().contains("missing 'x4'") && refused.err().contains("not in the model: 'id'"),
                refused.err());
    }

    /** Numeric labels match by value: a model trained on 0, 1, 2 scores a file that writes 0.0, 1.0, 2.0. */
    @Test
    void predictMatchesNumericLabelsByValue() throws Exception {
        String blobs = java.nio.file.Files.readString(Path.of(CsvSaveAndReportTest.class.getResource("blobs.csv")
                .toURI()));
        Path ints = java.nio.file.Files.writeString(dir.resolve("ints.csv"),
                blobs.replace(",blue,", ",0,").replace(",green,", ",1,").replace(",red,", ",2,"));
        Path floats = java.nio.file.Files.writeString(dir.resolve("floats.csv"),
                blobs.replace(",blue,", ",0.0,").replace(",green,", ",1.0,").replace(",red,", ",2.0,"));
        Path model = dir.resolve("ints.safetensors");
        DigitsTrainerOptionsTest.Outcome trained = DigitsTrainerOptionsTest.run("--csv", ints.toString(), "--label",
                "colour", "--header", "--preset", "keras", "--epochs", "5", "--backend", "cpu", "--progress-every",
                "0", "--save", model.toString());
        assertEquals(0, trained.status(), trained.err());
        DigitsTrainerOptionsTest.Outcome a = DigitsTrainerOptionsTest.run("predict", "--model", model.toString(),
                "--backend", "cpu", "--csv", ints.toString(), "--header", "--label", "colour");
        DigitsTrainerOptionsTest.Outcome b = DigitsTrainerOptionsTest.run("predict", "--model", model.toString(),
                "--backend", "cpu", "--csv", floats.toString(), "--header", "--label", "colour");
        assertEquals(0, b.status(), b.err());
        assertEquals(accuracyLine(a.out()).replace(ints.toString(), ""),
                accuracyLine(b.out()).replace(floats.toString(), ""));
    }

    /**
     * A header that repeats a name trains as before (its model keeps no feature names and is read by position,
     * which the run warns of), and predict refuses a file whose header repeats a name when the model's columns are
     * to be matched by name.
     */
    @Test
    void aHeaderThatRepeatsANameTrainsAndIsRefusedWhereNamesMustMatch() throws Exception {
        Path csv = Path.of(CsvSaveAndReportTest.class.getResource("blobs.csv").toURI());
        String blobs = java.nio.file.Files.readString(csv);
        Path repeated = java.nio.file.Files.writeString(dir.resolve("repeated.csv"),
                blobs.replaceFirst("x1,x2,", "x,x,"));
        Path model = dir.resolve("repeated.safetensors");
        DigitsTrainerOptionsTest.Outcome trained = DigitsTrainerOptionsTest.run("--csv", repeated.toString(),
                "--label", "colour", "--header", "--preset", "keras", "--epochs", "2", "--backend", "cpu",
                "--progress-every", "0", "--save", model.toString());
        assertEquals(0, trained.status(), trained.err());
        assertTrue(trained.err().contains("digits: warning: the header names 'x' more than once, so the model records "
                + "no column names: predict will read a file's columns by position"), trained.err());
        try (Backend cpu = Backends.get("cpu");
             SavedModel saved = ModelFiles.load(model, cpu)) {
            assertNull(saved.preprocessing().featureNames(), "no names to match by");
        }
        Path named = dir.resolve("named.safetensors");
        assertEquals(0, DigitsTrainerOptionsTest.run("--csv", csv.toString(), "--label", "colour", "--header",
                "--preset", "keras", "--epochs", "2", "--backend", "cpu", "--progress-every", "0", "--save",
                named.toString()).status());
        Path twice = java.nio.file.Files.writeString(dir.resolve("twice.csv"), "x1,x2,colour,x1,x4\n1,2,red,3,4\n");
        DigitsTrainerOptionsTest.Outcome refused = DigitsTrainerOptionsTest.run("predict", "--model",
                named.toString(), "--backend", "cpu", "--csv", twice.toString(), "--header", "--label", "colour");
        assertTrue(refused.status() != 0, refused.out());
        assertTrue(refused.err().contains("names a column twice"), refused.err());
    }

    /** --class-weight's weights are printed, saved in the file's metadata, and must be one per class. */
    @Test
    void classWeightsAreAppliedRecordedAndCheckedAgainstTheClasses() throws Exception {
        Path csv = Path.of(CsvSaveAndReportTest.class.getResource("blobs.csv").toURI());
        Path model = dir.resolve("weighted.safetensors");
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv", csv.toString(), "--label", "colour",
                "--header", "--epochs", "3", "--backend", "cpu", "--progress-every", "0", "--class-weight", "1,2,0.5",
                "--save", model.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("  class weights: blue 1.000, green 2.000, red 0.5000; the losses shown stay "
                + "unweighted"), o.out());
        try (Backend cpu = Backends.get("cpu"); SavedModel saved = ModelFiles.load(model, cpu)) {
            assertEquals("1,2,0.5", saved.metadata().get("digits.class-weight"));
        }
        DigitsTrainerOptionsTest.Outcome balanced = DigitsTrainerOptionsTest.run("--csv", csv.toString(), "--label",
                "colour", "--header", "--epochs", "1", "--backend", "cpu", "--progress-every", "0", "--class-weight",
                "balanced");
        assertEquals(0, balanced.status(), balanced.err());
        assertTrue(balanced.out().contains("(balanced, from the training rows)"), balanced.out());
        DigitsTrainerOptionsTest.Outcome wrong = DigitsTrainerOptionsTest.run("--csv", csv.toString(), "--label",
                "colour", "--header", "--epochs", "1", "--backend", "cpu", "--class-weight", "1,2");
        assertEquals(2, wrong.status(), wrong.out());
        assertTrue(wrong.err().contains("invalid value for option '--class-weight': 1,2 gives 2 weights for data with "
                + "3 classes; give one per class, in the order blue, green, red, or balanced"), wrong.err());
    }

    /**
     * --csv without --preset trains the keras preset: the article's 1000 full-batch steps left the digits read as a CSV
     * at 0.92 (keras 0.98), and a 95:5 set almost never predicting its minority class.
     */
    @Test
    void aCsvFileTrainsTheKerasPresetUnlessTold() throws Exception {
        Path csv = Path.of(CsvSaveAndReportTest.class.getResource("blobs.csv").toURI());
        DigitsTrainerOptionsTest.Outcome plain = DigitsTrainerOptionsTest.run("--csv", csv.toString(), "--label",
                "colour", "--header", "--epochs", "2", "--backend", "cpu", "--progress-every", "0");
        assertEquals(0, plain.status(), plain.err());
        assertTrue(plain.out().contains("nnj digits trainer, preset keras (the default with --csv; --preset article "
                + "for the article's full-batch gradient descent)"), plain.out());
        assertTrue(plain.out().contains("Training: Adam("), plain.out());
        DigitsTrainerOptionsTest.Outcome article = DigitsTrainerOptionsTest.run("--csv", csv.toString(), "--label",
                "colour", "--header", "--epochs", "2", "--backend", "cpu", "--progress-every", "0", "--preset",
                "article");
        assertEquals(0, article.status(), article.err());
        assertTrue(article.out().contains("nnj digits trainer, preset article, seed 0 (nnj "), article.out());
        DigitsTrainerOptionsTest.Outcome digits = DigitsTrainerOptionsTest.run("--epochs", "1", "--backend", "cpu",
                "--progress-every", "0");
        assertTrue(digits.out().contains("nnj digits trainer, preset article, seed 0 (nnj "), "the digits keep the "
                + "article's: " + digits.out());
    }

    /** The line of predict's output with the labelled file's accuracy. */
    private static String accuracyLine(String text) {
        return text.lines().filter(line -> line.contains("rows correct, accuracy")).findFirst().orElse(text);
    }

    /** A label column with a different value on every row is named as an ID column, not blamed on the split. */
    @Test
    void anIdColumnAsTheLabelIsNamedAsSuch() throws Exception {
        StringBuilder csv = new StringBuilder("id,x1,x2\n");
        for (int i = 0; i < 200; i++) {
            csv.append(i).append(',').append(i % 7).append(',').append(i % 3).append('\n');
        }
        Path file = java.nio.file.Files.writeString(dir.resolve("ids.csv"), csv);
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv", file.toString(), "--label", "id",
                "--header", "--epochs", "1", "--backend", "cpu");
        assertEquals(1, o.status(), o.err());
        assertTrue(o.err().contains("every one of the 200 rows has a different label (200 classes); this looks like "
                + "an ID column"), o.err());
        assertTrue(!o.err().contains("--test-split"), o.err());
    }

    @Test
    void runEndsWithTheTestSetReportAndTopKAccuracy() {
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--preset", "keras", "--epochs", "2",
                "--backend", "cpu", "--progress-every", "0");
        assertEquals(0, o.status(), o.err());
        String out = o.out();
        assertTrue(out.contains("test set classification report (360 rows):"), out);
        assertTrue(out.contains("precision    recall  f1-score   support"), out);
        assertTrue(out.contains("weighted avg"), out);
        assertTrue(out.matches("(?s).*test set top-k accuracy: top-1 0\\.\\d{4}, top-2 0\\.\\d{4}, top-3 0\\.\\d{4}.*"),
                out);
        assertTrue(!out.contains("not in the report"), "every digit is in the test set: " + out);
        // The baseline predicts the training rows' most frequent digit, 1 (154 of 1437; the test rows' is 5, with 47
        // of 360): always "1" scores accuracy 28/360 on the test rows, F1 2·(28/360)/(1 + 28/360) for class 1 and 0
        // for the nine others (macro 0.0144), recall 1 for one class of ten.
        assertTrue(out.matches("(?s).*test set balanced accuracy 0\\.\\d{4}; majority-class baseline \\(always \"1\"\\): "
                + "accuracy 0\\.0778, macro-F1 0\\.0144, balanced accuracy 0\\.1000\n.*"), out);
        assertTrue(out.matches("(?s).*test set log loss \\d+\\.\\d{4} \\(scikit-learn's, eps 2\\^-52\\), ROC AUC one-vs-rest "
                + "macro 0\\.\\d{4}, weighted 0\\.\\d{4}, average precision macro 0\\.\\d{4}\n.*"), out);
    }

    @Test
    void aClassWithNoTestRowsIsNamedBesideTheReport() throws Exception {
        // blobs.csv plus one 'violet' row: the stratified split keeps a class's only row for training, so the
        // test set has none, and two epochs on 72 rows never predict it.
        Path blobs = Path.of(CsvSaveAndReportTest.class.getResource("blobs.csv").toURI());
        Path csv = java.nio.file.Files.writeString(dir.resolve("rare.csv"),
                java.nio.file.Files.readString(blobs) + "9.0,9.0,violet,9.0,9.0\n");
        Path model = dir.resolve("rare.safetensors");
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv", csv.toString(), "--label", "colour",
                "--header", "--preset", "keras", "--epochs", "2", "--backend", "cpu", "--progress-every", "0",
                "--save", model.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("(not in the report: violet, with no test rows and never predicted; as "
                + "scikit-learn, the averages leave it out)"), o.out());
        assertTrue(!o.out().matches("(?s).*\\n +violet +0\\.0000.*"), "no row of zeros for it: " + o.out());
        assertTrue(o.out().contains("no ROC AUC or average precision: violet has no test rows"), o.out());
        // predict on a file without the class says the same of its rows.
        DigitsTrainerOptionsTest.Outcome p = DigitsTrainerOptionsTest.run("predict", "--model", model.toString(),
                "--csv", blobs.toString(), "--header", "--label", "colour");
        assertEquals(0, p.status(), p.err());
        assertTrue(p.out().contains("(not in the report: violet, with no rows in the file and never predicted; as "
                + "scikit-learn, the averages leave it out)"), p.out());
    }
    /**
     * A checkpoint whose classes are this file's in another order (an earlier nnj sorted an emoji label before a
     * full-width one, by UTF-16 unit) is refused naming both orders and why, not as "trained on other data".
     */
    @Test
    void aCheckpointOfTheSameClassesInAnotherOrderIsRefusedSayingSo() throws Exception {
        String emoji = new String(Character.toChars(0x1F600));
        StringBuilder sb = new StringBuilder("x,y,kind\n");
        String[] kinds = {"b", "\uFF5E", emoji};
        for (int i = 0; i < 90; i++) {
            sb.append(i % 3).append(',').append(i % 5).append(',').append(kinds[i % 3]).append('\n');
        }
        Path csv = java.nio.file.Files.writeString(dir.resolve("emoji.csv"), sb);
        Path checkpoints = dir.resolve("ck");
        String[] options = {"--csv", csv.toString(), "--label", "kind", "--header", "--backend", "cpu",
            "--progress-every", "0"};
        assertEquals(0, DigitsTrainerOptionsTest.run(DigitsTrainerOptionsTest.concat(options, "--epochs", "2",
                "--checkpoint-dir", checkpoints.toString())).status());
        // The checkpoint as the earlier nnj wrote it: the same classes, the emoji second.
        Path last = checkpoints.resolve("last.safetensors");
        dev.nnj.api.io.SafeTensors.Contents contents = dev.nnj.api.io.SafeTensors.read(last);
        java.util.Map<String, String> metadata = new java.util.LinkedHashMap<>(contents.metadata());
        String before = metadata.get(ModelFiles.PREPROCESSING_KEY);
        String reordered = before.replace("[\"b\",\"\uFF5E\",\"" + emoji + "\"]", "[\"b\",\"" + emoji
                + "\",\"\uFF5E\"]");
        assertTrue(!reordered.equals(before), before);
        metadata.put(ModelFiles.PREPROCESSING_KEY, reordered);
        Path old = dir.resolve("old.safetensors");
        dev.nnj.api.io.SafeTensors.write(old, List.copyOf(contents.tensors().values()), metadata);
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run(DigitsTrainerOptionsTest.concat(options,
                "--epochs", "3", "--resume", old.toString()));
        assertEquals(DigitsTrainer.EXIT_USAGE, o.status(), o.out() + o.err());
        assertTrue(o.err().contains(old + " orders its classes [b, " + emoji + ", \uFF5E], and this data orders the "
                + "same classes [b, \uFF5E, " + emoji + "] (text labels sort by code point"), o.err());
        assertTrue(!o.err().contains("trained on other data"), o.err());
    }
}
