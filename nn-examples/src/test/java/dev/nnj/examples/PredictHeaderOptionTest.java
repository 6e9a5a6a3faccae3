package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.model.Sequential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code digits predict --header} with a model saved without feature names (trained on arrays, or an ONNX graph from
 * elsewhere), which takes a file's columns by position: a first line of numbers is a headerless file's first data
 * row, and predict refuses to take it for a header (the row would be dropped unseen), naming the option and the
 * line; a header of names, or of the column numbers, is read as one. Both the classifier's and the regression's
 * paths.
 */
class PredictHeaderOptionTest {
    @TempDir
    Path dir;

    /** Three data rows, the first not a run of column numbers (0, 1, 2 or 1, 2, 3), which are taken as names. */
    private static final List<String> ROWS = List.of("0.5,1.5,2.5", "3,4,5", "6,7,8");

    /** A model of 3 inputs with no preprocessing saved with it: no feature names. */
    private Path model(Dense last) throws Exception {
        Path file = dir.resolve("model.safetensors");
        try (Backend cpu = Backends.get("cpu");
             Sequential model = new Sequential(cpu, 3, 7)) {
            model.add(new Dense(4, Activation.RELU)).add(last);
            ModelFiles.save(model, file);
        }
        return file;
    }

    @Test
    void aClassifierRefusesAFirstLineOfNumbersAsAHeader() throws Exception {
        assertHeaderChecked(model(new Dense(2, Activation.SOFTMAX)));
    }

    @Test
    void aRegressionRefusesAFirstLineOfNumbersAsAHeader() throws Exception {
        assertHeaderChecked(model(new Dense(1, Activation.IDENTITY)));
    }

    private void assertHeaderChecked(Path model) throws Exception {
        Path bare = dir.resolve("bare.csv");
        Files.write(bare, ROWS);
        DigitsTrainerOptionsTest.Outcome refused = predict(model, bare, "--header");
        assertEquals(2, refused.status(), refused.out() + refused.err());
        String err = refused.err().strip();
        assertEquals(1, err.lines().count(), "one line, no stack trace: " + err);
        assertTrue(err.startsWith("digits: option '--header' read the first line of " + bare + " (0.5, 1.5, 2.5) as "
                + "column names, but it is all numbers"), err);
        assertTrue(err.contains("leave --header out"), err);
        assertEquals(List.of(), DigitsTrainerOptionsTest.rowLines(refused.out()), "no rows predicted");

        DigitsTrainerOptionsTest.Outcome all = predict(model, bare);
        assertEquals(0, all.status(), all.err());
        assertEquals(3, DigitsTrainerOptionsTest.rowLines(all.out()).size(), all.out());

        for (String header : List.of("x1,x2,x3", "1,2,3")) {
            Path named = dir.resolve("named.csv");
            Files.write(named, concat(header, ROWS));
            DigitsTrainerOptionsTest.Outcome read = predict(model, named, "--header");
            assertEquals(0, read.status(), header + ": " + read.err());
            assertEquals(3, DigitsTrainerOptionsTest.rowLines(read.out()).size(), header + ": " + read.out());
        }
    }

    private static DigitsTrainerOptionsTest.Outcome predict(Path model, Path csv, String... more) {
        return DigitsTrainerOptionsTest.run(DigitsTrainerOptionsTest.concat(new String[] {"predict", "--model",
            model.toString(), "--backend", "cpu", "--csv", csv.toString()}, more));
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new java.util.ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }
}
