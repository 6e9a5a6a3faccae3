package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --weight-column}: a CSV column of row weights comes out of the features, weights the training rows' loss
 * exactly as {@code --class-weight} does when it holds each row's class weight, is recorded for {@code --resume} and
 * {@code predict}, and refuses what is not a weight.
 */
class WeightColumnTest {
    /** The class weights blue 1, green 2, red 0.5, given as each row's weight. */
    private static final Map<String, String> BY_CLASS = Map.of("blue", "1", "green", "2", "red", "0.5");

    @TempDir
    Path dir;

    private static Path blobs() throws Exception {
        return Path.of(WeightColumnTest.class.getResource("blobs.csv").toURI());
    }

    /**
     * blobs.csv ({@code x1,x2,colour,x3,x4}) with a column {@code w} after {@code x2}, each row's value from
     * {@code weight} applied to its class.
     */
    private Path withWeights(String name, UnaryOperator<String> weight) throws Exception {
        return withWeights(name, "w", weight);
    }

    /** The same with the weight column called {@code column}. */
    private Path withWeights(String name, String column, UnaryOperator<String> weight) throws Exception {
        List<String> lines = Files.readAllLines(blobs());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            String w = i == 0 ? column : weight.apply(f[2]);
            out.add(String.join(",", f[0], f[1], w, f[2], f[3], f[4]));
        }
        Path file = dir.resolve(name);
        Files.write(file, out);
        return file;
    }

    private static DigitsTrainerOptionsTest.Outcome train(Path csv, String... more) {
        List<String> args = new ArrayList<>(List.of("--csv", csv.toString(), "--label", "colour", "--header",
                "--epochs", "3", "--backend", "cpu", "--progress-every", "0"));
        args.addAll(List.of(more));
        return DigitsTrainerOptionsTest.run(args.toArray(new String[0]));
    }

    /**
     * The lines of a run's output after its timing: losses, accuracies, the report (not where it saved, nor the
     * weighted line only a weight column gives).
     */
    private static String results(String out) {
        String results = out.substring(out.indexOf("  train  loss"));
        results = results.contains("Saved the model") ? results.substring(0, results.indexOf("Saved the model"))
                : results;
        return results.replaceAll("(?m)^  test set weighted by .*\\R", "");
    }

    /**
     * The test rows' own weights give the report a weighted line (the metrics are scikit-learn's with
     * sample_weight, checked against its figures in nn-api): their total, read from --test-csv's column, and with
     * every weight 1 the same accuracy as the unweighted report's.
     */
    @Test
    void theTestRowsWeightsGiveAWeightedLine() throws Exception {
        Path weighted = withWeights("weighted.csv", BY_CLASS::get);
        DigitsTrainerOptionsTest.Outcome o = train(weighted, "--weight-column", "w", "--test-csv",
                weighted.toString());
        assertEquals(0, o.status(), o.err());
        // 90 rows of three classes, 30 each: 30 * (1 + 2 + 0.5) = 105.
        assertTrue(o.out().contains("  test set weighted by 'w' (total weight 105 over 90 rows): accuracy "), o.out());

        Path ones = withWeights("ones.csv", colour -> "1");
        DigitsTrainerOptionsTest.Outcome same = train(ones, "--weight-column", "w", "--test-csv", ones.toString());
        assertEquals(0, same.status(), same.err());
        java.util.regex.Matcher plain = java.util.regex.Pattern.compile("\\n +accuracy +([0-9.]+) ")
                .matcher(same.out());
        assertTrue(plain.find(), same.out());
        assertTrue(same.out().contains("(total weight 90 over 90 rows): accuracy " + plain.group(1) + ","),
                same.out());
        assertTrue(!train(blobs()).out().contains("weighted by"), "no weight column, no weighted line");
    }

    @Test
    void aColumnOfEachRowsClassWeightTrainsAsClassWeightsDo() throws Exception {
        Path weighted = withWeights("weighted.csv", BY_CLASS::get);
        Path a = dir.resolve("a.safetensors");
        Path b = dir.resolve("b.safetensors");
        DigitsTrainerOptionsTest.Outcome byColumn = train(weighted, "--weight-column", "w", "--save", a.toString());
        DigitsTrainerOptionsTest.Outcome byClass = train(blobs(), "--class-weight", "1,2,0.5", "--save", b.toString());
        assertEquals(0, byColumn.status(), byColumn.err());
        assertEquals(0, byClass.status(), byClass.err());
        assertTrue(byColumn.out().contains("Data: weighted.csv, 90 rows of 4 features"), byColumn.out());
        assertTrue(byColumn.out().contains("  row weights from column 'w' (training rows: 0.5 to 2, mean "),
                byColumn.out());
        assertEquals(results(byClass.out()), results(byColumn.out()));
        try (Backend cpu = Backends.get("cpu");
             SavedModel sa = ModelFiles.load(a, cpu);
             SavedModel sb = ModelFiles.load(b, cpu)) {
            assertEquals(List.of("x1", "x2", "x3", "x4"), sa.preprocessing().featureNames());
            assertEquals("'w'", sa.metadata().get(DataRecord.WEIGHT_COLUMN_KEY));
            assertEquals("w", DataRecord.weightColumn(sa.metadata()));
            assertEquals("none", sb.metadata().get(DataRecord.WEIGHT_COLUMN_KEY));
            float[] x = {0.1f, 4f, 8f, 2f};
            assertArrayEquals(sb.predict(x, 1), sa.predict(x, 1), "the same weights, to the bit");
        }
        // predict reads the training file as it is: the weight column is left out, not refused as unknown.
        DigitsTrainerOptionsTest.Outcome predicted = DigitsTrainerOptionsTest.run("predict", "--model", a.toString(),
                "--csv", weighted.toString(), "--header", "--label", "colour");
        assertEquals(0, predicted.status(), predicted.err());
        assertTrue(predicted.out().contains("column 'w' held the training rows' weights, not a feature: left out"),
                predicted.out());
        // Without its header the column cannot be told by name: the error says which it probably is.
        List<String> lines = Files.readAllLines(weighted);
        Path bare = dir.resolve("bare.csv");
        Files.write(bare, lines.subList(1, lines.size()));
        DigitsTrainerOptionsTest.Outcome headerless = DigitsTrainerOptionsTest.run("predict", "--model", a.toString(),
                "--csv", bare.toString(), "--label", "3");
        assertTrue(headerless.err().contains("has 5 feature columns besides its label; the model takes 4 (is one of "
                + "them the training rows' weights, column 'w'? with --header it is left out)"), headerless.err());
    }

    /** The weights follow the training rows through a validation split too, and early stopping's. */
    @Test
    void theWeightsFollowTheRowsThroughAValidationSplit() throws Exception {
        Path weighted = withWeights("weighted.csv", BY_CLASS::get);
        for (String[] split : new String[][] {{"--validation-split", "0.3"}, {"--early-stopping", "--patience", "2"}}) {
            List<String> more = new ArrayList<>(List.of(split));
            List<String> byColumn = new ArrayList<>(more);
            byColumn.addAll(List.of("--weight-column", "w"));
            List<String> byClass = new ArrayList<>(more);
            byClass.addAll(List.of("--class-weight", "1,2,0.5"));
            DigitsTrainerOptionsTest.Outcome a = train(weighted, byColumn.toArray(new String[0]));
            DigitsTrainerOptionsTest.Outcome b = train(blobs(), byClass.toArray(new String[0]));
            assertEquals(0, a.status(), a.err());
            assertTrue(a.out().contains(" validation ("), a.out());
            assertEquals(results(b.out()), results(a.out()), String.join(" ", split));
        }
    }

    /** A weight column may be called anything, "none" included, which the metadata's "no column" must not swallow. */
    @Test
    void aColumnCalledNoneIsStillAColumnOnResume() throws Exception {
        Path weighted = withWeights("none.csv", "none", BY_CLASS::get);
        Path checkpoints = dir.resolve("none-checkpoints");
        DigitsTrainerOptionsTest.Outcome first = train(weighted, "--weight-column", "none", "--checkpoint-dir",
                checkpoints.toString());
        assertEquals(0, first.status(), first.err());
        DigitsTrainerOptionsTest.Outcome resumed = DigitsTrainerOptionsTest.run("--csv", weighted.toString(), "--label",
                "colour", "--header", "--epochs", "4", "--backend", "cpu", "--progress-every", "0", "--resume",
                checkpoints.resolve("last.safetensors").toString());
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("row weights from column 'none'"), resumed.out());
    }

    @Test
    void weightsOfOneTrainAsNoWeights() throws Exception {
        DigitsTrainerOptionsTest.Outcome ones = train(withWeights("ones.csv", c -> "1"), "--weight-column", "w");
        DigitsTrainerOptionsTest.Outcome none = train(blobs());
        assertEquals(0, ones.status(), ones.err());
        assertEquals(results(none.out()), results(ones.out()));
    }

    @Test
    void whatIsNotAWeightIsRefused() throws Exception {
        DigitsTrainerOptionsTest.Outcome negative = train(withWeights("neg.csv", c -> c.equals("red") ? "-1" : "1"),
                "--weight-column", "w");
        assertEquals(DigitsTrainer.EXIT_FAILURE, negative.status(), negative.out());
        assertTrue(negative.err().contains("(--weight-column) holds -1.0 in data row")
                && negative.err().contains("must be finite and not negative"), negative.err());
        DigitsTrainerOptionsTest.Outcome zero = train(withWeights("zero.csv", c -> "0"), "--weight-column", "w");
        assertEquals(DigitsTrainer.EXIT_FAILURE, zero.status(), zero.out());
        assertTrue(zero.err().contains("every training row's weight in column 'w' (--weight-column) is 0"),
                zero.err());
        DigitsTrainerOptionsTest.Outcome unknown = train(blobs(), "--weight-column", "weight");
        assertEquals(DigitsTrainer.EXIT_USAGE, unknown.status(), "a bad option value, as a bad --label: "
                + unknown.out());
        // The file's columns as it has them: the label's among them.
        assertTrue(unknown.err().contains("invalid value for option '--weight-column': blobs.csv has no column named "
                + "'weight'; its header has x1, x2, colour, x3, x4"), unknown.err());
        DigitsTrainerOptionsTest.Outcome label = train(blobs(), "--weight-column", "colour");
        assertTrue(label.err().contains("'--weight-column': 'colour' is the --label column, which the model learns "
                + "to predict"), label.err());
        DigitsTrainerOptionsTest.Outcome noHeader = DigitsTrainerOptionsTest.run("--csv", blobs().toString(),
                "--label", "2", "--weight-column", "w", "--backend", "cpu");
        assertEquals(DigitsTrainer.EXIT_USAGE, noHeader.status(), noHeader.out());
        assertTrue(noHeader.err().contains("'--weight-column' names a column of the header line: add --header"),
                noHeader.err());
        DigitsTrainerOptionsTest.Outcome digits = DigitsTrainerOptionsTest.run("--weight-column", "w");
        assertEquals(DigitsTrainer.EXIT_USAGE, digits.status(), digits.out());
        assertTrue(digits.err().contains("'--weight-column' is only used with --csv FILE"), digits.err());
    }

    @Test
    void aResumedRunKeepsItsWeightColumn() throws Exception {
        Path weighted = withWeights("weighted.csv", BY_CLASS::get);
        Path checkpoints = dir.resolve("checkpoints");
        assertEquals(0, train(weighted, "--weight-column", "w", "--checkpoint-dir", checkpoints.toString()).status());
        String last = checkpoints.resolve("last.safetensors").toString();
        DigitsTrainerOptionsTest.Outcome resumed = DigitsTrainerOptionsTest.run("--csv", weighted.toString(), "--label",
                "colour", "--header", "--epochs", "4", "--backend", "cpu", "--progress-every", "0", "--resume", last);
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("row weights from column 'w'"), resumed.out());
        DigitsTrainerOptionsTest.Outcome other = DigitsTrainerOptionsTest.run("--csv", weighted.toString(), "--label",
                "colour", "--header", "--epochs", "4", "--backend", "cpu", "--resume", last, "--weight-column", "x1");
        assertEquals(DigitsTrainer.EXIT_USAGE, other.status(), other.out());
        assertTrue(other.err().contains("x1 differs from the w that"), other.err());
    }
}
