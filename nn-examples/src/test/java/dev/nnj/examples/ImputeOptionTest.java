package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.data.SimpleImputer;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.SavedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --impute}: missing CSV values are filled in with the training rows' mean or median before scaling; the
 * model file keeps the imputer, predict and --test-csv fill in theirs the same way; without it a missing value is
 * refused naming the option.
 */
class ImputeOptionTest {
    @TempDir
    Path dir;

    /** 200 rows of a,b,y with a class of a and b; every 7th a and every 11th b missing, written as other tools do. */
    private Path gappy(String name) throws Exception {
        Random r = new Random(5);
        String[] markers = {"", "NA", "?", "nan"};
        List<String> lines = new ArrayList<>(List.of("a,b,y"));
        for (int i = 0; i < 200; i++) {
            double a = Math.round(r.nextGaussian() * 100) / 100.0;
            double b = Math.round(r.nextGaussian() * 100) / 100.0;
            String y = a - b > 0 ? "up" : "down";
            lines.add((i % 7 == 3 ? markers[i % 4] : String.valueOf(a)) + ","
                    + (i % 11 == 5 ? markers[(i + 1) % 4] : String.valueOf(b)) + "," + y);
        }
        return Files.write(dir.resolve(name), lines);
    }

    private static DigitsTrainerOptionsTest.Outcome train(Path csv, String... more) {
        List<String> args = new ArrayList<>(List.of("--csv", csv.toString(), "--label", "y", "--header",
                "--epochs", "5", "--backend", "cpu", "--progress-every", "0"));
        args.addAll(List.of(more));
        return DigitsTrainerOptionsTest.run(args.toArray(new String[0]));
    }

    @Test
    void missingValuesAreRefusedNamingTheOptionAndFilledInWithIt() throws Exception {
        Path csv = gappy("gappy.csv");
        DigitsTrainerOptionsTest.Outcome refused = train(csv);
        assertNotEquals(0, refused.status());
        assertTrue(refused.err().contains("(a missing value? fill it in or drop the row, or --impute mean fills it in "
                + "with the training rows' mean)"), refused.err());

        Path model = dir.resolve("m.safetensors");
        DigitsTrainerOptionsTest.Outcome o = train(csv, "--impute", "median", "--save", model.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("  missing values: 47 of 400 (11.75%), 2 of the training rows' columns with any; "
                + "filled in with the training rows' median of the column"), o.out());
        try (Backend be = Backends.get("cpu"); SavedModel saved = ModelFiles.load(model, be)) {
            SimpleImputer imputer = saved.preprocessing().imputer();
            assertEquals(SimpleImputer.Strategy.MEDIAN, imputer.strategy());
            assertEquals(2, imputer.columns());
            assertEquals("median", saved.metadata().get(DataRecord.IMPUTE_KEY));
        }

        // predict fills in a file's missing values with the model's imputer: a gap predicts as its median.
        double[] medians;
        try (Backend be = Backends.get("cpu"); SavedModel saved = ModelFiles.load(model, be)) {
            medians = saved.preprocessing().imputer().statistics();
        }
        Path gaps = Files.write(dir.resolve("gaps.csv"), List.of("a,b,y", ",0.5,up", "NA,0.5,up"));
        Path filled = Files.write(dir.resolve("filled.csv"), List.of("a,b,y", (float) medians[0] + ",0.5,up",
                (float) medians[0] + ",0.5,up"));
        DigitsTrainerOptionsTest.Outcome p = DigitsTrainerOptionsTest.predictLabelled(model, gaps);
        DigitsTrainerOptionsTest.Outcome q = DigitsTrainerOptionsTest.predictLabelled(model, filled);
        assertEquals(0, p.status(), p.err());
        assertEquals(DigitsTrainerOptionsTest.rowLines(q.out()), DigitsTrainerOptionsTest.rowLines(p.out()));
        assertEquals(2, DigitsTrainerOptionsTest.rowLines(p.out()).size(), p.out());
    }

    @Test
    void aModelWithoutAnImputerSaysSoAndTheOptionsThatCannotHoldOneAreRefused() throws Exception {
        Path csv = gappy("gappy.csv");
        List<String> full = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            if (!line.startsWith(",") && !line.contains(",,") && !line.contains("NA") && !line.contains("?")
                    && !line.contains("nan")) {
                full.add(line);
            }
        }
        Path complete = Files.write(dir.resolve("complete.csv"), full);
        Path model = dir.resolve("plain.safetensors");
        assertEquals(0, train(complete, "--save", model.toString()).status());
        DigitsTrainerOptionsTest.Outcome p = DigitsTrainerOptionsTest.predictLabelled(model, csv);
        assertNotEquals(0, p.status());
        assertTrue(p.err().contains("(a missing value? the model was trained without --impute, so it has no value to "
                + "fill in: fill it in or drop the row)"), p.err());

        DigitsTrainerOptionsTest.Outcome onnx = train(csv, "--impute", "mean", "--save",
                dir.resolve("m.onnx").toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, onnx.status(), onnx.err());
        assertTrue(onnx.err().contains("cannot hold --impute's imputer"), onnx.err());
        Path safetensors = dir.resolve("m.safetensors");
        DigitsTrainerOptionsTest.Outcome saved = train(csv, "--impute", "mean", "--save", safetensors.toString());
        assertTrue(saved.out().contains("(nnj layout, with its imputer (mean), min-max scaler, class names and feature "
                + "column names)"), saved.out());
        DigitsTrainerOptionsTest.Outcome convert = DigitsTrainerOptionsTest.run("convert", safetensors.toString(),
                dir.resolve("c.onnx").toString());
        assertNotEquals(0, convert.status());
        assertTrue(convert.err().contains("convert it with --scaled-input"), convert.err());
        assertEquals(0, DigitsTrainerOptionsTest.run("convert", "--scaled-input", safetensors.toString(),
                dir.resolve("c.onnx").toString()).status());
        assertTrue(DigitsTrainerOptionsTest.run("--impute", "mean", "--epochs", "1").err()
                .contains("'--impute' is only used with --csv FILE"));
        assertTrue(train(csv, "--impute", "mode").err().contains("--impute"));
    }

    /** A column with no value in the training rows, and a row without its weight, say what --impute cannot do. */
    @Test
    void whatTheImputerCannotFillInIsNamed() throws Exception {
        Path empty = Files.write(dir.resolve("empty.csv"), List.of("a,gone,b,y", "1,,2,up", "2,NA,1,down",
                "3,,5,up", "4,,1,down", "5,,7,up"));
        DigitsTrainerOptionsTest.Outcome o = train(empty, "--impute", "mean", "--test-split", "0.4");
        assertNotEquals(0, o.status());
        assertTrue(o.err().contains("column 'gone' has no value in any of the 3 training rows, so --impute has "
                + "nothing to fill it in from") && o.err().contains("leave it out with --ignore gone"), o.err());
        Path weighed = Files.write(dir.resolve("weighed.csv"), List.of("a,w,y", "1,1,up", "2,,down", "3,1,up",
                "4,2,down", "5,1,up"));
        DigitsTrainerOptionsTest.Outcome w = train(weighed, "--impute", "mean", "--weight-column", "w",
                "--test-split", "0.4");
        assertNotEquals(0, w.status());
        assertTrue(w.err().contains("column 'w' (--weight-column) has no value in data row 2; --impute fills in "
                + "features, not weights"), w.err());
    }

    /** A gap in a categorical column is counted too, and left all 0 in its one-hot columns. */
    @Test
    void categoryGapsAreCountedBesideTheNumbers() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(gappy("gappy.csv")));
        lines.set(0, lines.get(0) + ",color");
        for (int i = 1; i < lines.size(); i++) {
            lines.set(i, lines.get(i) + "," + (i % 10 == 0 ? "NA" : i % 3 == 0 ? "red" : "blue"));
        }
        Path csv = Files.write(dir.resolve("colored.csv"), lines);
        DigitsTrainerOptionsTest.Outcome o = train(csv, "--impute", "mean", "--categorical", "color");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("  and 20 missing categories, left all 0 in their one-hot columns"), o.out());
    }

    @Test
    void aTestFileAndAResumeFillInAsTheTrainingRunDid() throws Exception {
        Path csv = gappy("gappy.csv");
        List<String> lines = Files.readAllLines(csv);
        Path trainFile = Files.write(dir.resolve("train.csv"), lines.subList(0, 151));
        List<String> test = new ArrayList<>(List.of(lines.get(0)));
        test.addAll(lines.subList(151, 201));
        Path testFile = Files.write(dir.resolve("test.csv"), test);
        Path checkpoints = dir.resolve("ck");
        DigitsTrainerOptionsTest.Outcome first = train(trainFile, "--test-csv", testFile.toString(), "--impute", "mean",
                "--checkpoint-dir", checkpoints.toString());
        assertEquals(0, first.status(), first.err());
        assertTrue(first.out().contains("test rows from test.csv (50 rows)"), first.out());
        Path last = checkpoints.resolve("last.safetensors");
        List<String> resume = new ArrayList<>(List.of("--csv", trainFile.toString(), "--label", "y", "--header",
                "--backend", "cpu", "--progress-every", "0", "--test-csv", testFile.toString(), "--epochs", "7",
                "--resume", last.toString()));
        List<String> other = new ArrayList<>(resume);
        other.addAll(List.of("--impute", "median"));
        DigitsTrainerOptionsTest.Outcome refused = DigitsTrainerOptionsTest.run(other.toArray(new String[0]));
        assertNotEquals(0, refused.status());
        assertTrue(refused.err().contains("invalid value for option '--impute'"), refused.err());
        DigitsTrainerOptionsTest.Outcome resumed = DigitsTrainerOptionsTest.run(resume.toArray(new String[0]));
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("filled in with the training rows' mean"), resumed.out());
    }
}
