package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code digits predict --csv} reads its file a part at a time ({@link PartStages}): read in parts of 7 rows, a file
 * of 40 gives what it gives read as one part, byte for byte: the printed rows, the notes, the warnings, the reports,
 * {@code --output}, {@code --metrics}, and every error, whose rows are counted in the file.
 */
class PredictInPartsTest {
    @TempDir
    Path dir;

    private static final int ROWS = 40;
    private static final String SMALL_PARTS = "7";
    private static final String ONE_PART = Integer.toString(1 << 30);

    /** What a predict run showed: its status, stdout, stderr, and the files it wrote (empty when none). */
    record Seen(int status, String out, String err, String output, String metrics) {
    }

    /**
     * Runs predict with {@code args} (where {@code OUTPUT} and {@code METRICS} stand for its files) in parts of 7 rows
     * and in one part, asserts that both showed the same, and returns it.
     */
    private Seen same(String... args) throws Exception {
        Seen parts = predict(SMALL_PARTS, args);
        Seen whole = predict(ONE_PART, args);
        assertEquals(whole.status(), parts.status(), "status; " + parts.err());
        assertEquals(whole.out(), parts.out());
        assertEquals(whole.err(), parts.err());
        assertEquals(whole.output(), parts.output());
        assertEquals(whole.metrics(), parts.metrics());
        return parts;
    }

    private Seen predict(String partRows, String... args) throws Exception {
        Path output = dir.resolve("out-" + partRows + ".csv");
        Path metrics = dir.resolve("metrics-" + partRows + ".json");
        Files.deleteIfExists(output);
        Files.deleteIfExists(metrics);
        List<String> line = new ArrayList<>(List.of("predict", "--backend", "cpu"));
        for (String a : args) {
            line.add(a.equals("OUTPUT") ? output.toString() : a.equals("METRICS") ? metrics.toString() : a);
        }
        String before = System.getProperty(PartStages.PART_ROWS_PROPERTY);
        System.setProperty(PartStages.PART_ROWS_PROPERTY, partRows);
        DigitsTrainerOptionsTest.Outcome o;
        try {
            o = DigitsTrainerOptionsTest.run(line.toArray(new String[0]));
        } finally {
            if (before == null) {
                System.clearProperty(PartStages.PART_ROWS_PROPERTY);
            } else {
                System.setProperty(PartStages.PART_ROWS_PROPERTY, before);
            }
        }
        // The two runs' files have their own names; what is said of them is the same.
        String out = o.out().replace(output.toString(), "OUTPUT").replace(metrics.toString(), "METRICS");
        String err = o.err().replace(output.toString(), "OUTPUT").replace(metrics.toString(), "METRICS");
        return new Seen(o.status(), out, err, Files.exists(output) ? Files.readString(output) : "",
                Files.exists(metrics) ? Files.readString(metrics) : "");
    }

    private Path train(Path csv, String... options) {
        List<String> line = new ArrayList<>(List.of("--csv", csv.toString(), "--header", "--backend", "cpu",
                "--progress-every", "0", "--epochs", "3", "--hidden", "8", "--seed", "1"));
        line.addAll(Arrays.asList(options));
        Path model = dir.resolve(csv.getFileName() + ".safetensors");
        line.addAll(List.of("--save", model.toString()));
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run(line.toArray(new String[0]));
        assertEquals(0, o.status(), o.out() + o.err());
        return model;
    }

    /**
     * A file of three features and a class column: {@code c} first in row 26 (part 4 of 7-row parts), so that a
     * part's classes are not the file's; a row may be replaced ({@code row}, its text).
     */
    private Path classes(String name, String... replace) throws Exception {
        Random r = new Random(7);
        List<String> lines = new ArrayList<>(List.of("x1,x2,x3,species"));
        for (int i = 0; i < ROWS; i++) {
            String species = i == 25 || i > 30 && i % 2 == 0 ? "c" : i % 3 == 0 ? "b" : "a";
            double shift = species.equals("a") ? 0 : species.equals("b") ? 2 : 4;
            lines.add(String.format(Locale.ROOT, "%.3f,%.3f,%.3f,%s", shift + r.nextGaussian(), r.nextGaussian(),
                    shift - r.nextGaussian(), species));
        }
        for (int k = 0; k + 1 < replace.length; k += 2) {
            lines.set(Integer.parseInt(replace[k]), replace[k + 1]);
        }
        return Files.write(dir.resolve(name), lines);
    }

    @Test
    void aClassifierOfTextLabelsSaysTheSameInParts() throws Exception {
        Path csv = classes("species.csv");
        Path model = train(csv, "--label", "species");
        Seen seen = same("--model", model.toString(), "--csv", csv.toString(), "--header", "--label", "species",
                "--show-all", "--output", "OUTPUT", "--metrics", "METRICS");
        assertEquals(0, seen.status(), seen.err());
        assertTrue(seen.out().contains("of 40 rows correct"), seen.out());
        assertTrue(seen.output().lines().count() == ROWS + 1, seen.output());
        // The file is written before the scores are computed, which a heap can run out on: the predictions stay.
        assertTrue(seen.out().indexOf("to OUTPUT") >= 0 && seen.out().indexOf("to OUTPUT")
                < seen.out().indexOf("classification report"), seen.out());
        // Without a label, and the CSV on standard output.
        Seen piped = same("--model", model.toString(), "--csv", csv.toString(), "--header", "--ignore", "species",
                "--output", "-");
        assertEquals(0, piped.status(), piped.err());
        assertTrue(piped.out().startsWith("class,p_a,p_b,p_c\n"), piped.out());
        // Columns in another order: matched by name, said once.
        List<String> lines = Files.readAllLines(csv);
        List<String> swapped = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(",");
            swapped.add(f[1] + "," + f[0] + "," + f[2] + "," + f[3]);
        }
        Path other = Files.write(dir.resolve("swapped.csv"), swapped);
        Seen matched = same("--model", model.toString(), "--csv", other.toString(), "--header", "--label", "species");
        assertEquals(1, matched.out().split("matched to the model's features by name", -1).length - 1, matched.out());
    }

    @Test
    void errorsInALaterPartNameTheRowInTheFile() throws Exception {
        Path csv = classes("train.csv");
        Path model = train(csv, "--label", "species");
        // A bad number on line 32 (data row 31), in the fifth part.
        Path bad = classes("bad.csv", "31", "1.0,2x,3.0,a");
        Seen number = same("--model", model.toString(), "--csv", bad.toString(), "--header", "--label", "species");
        assertEquals(1, number.status());
        assertTrue(number.err().contains("line 32, column 2: '2x'"), number.err());
        assertEquals("", number.out().lines().filter(l -> l.startsWith("row ")).findAny().orElse(""), number.out());
        // A class the model does not know, in data row 33 of 40.
        Path unknown = classes("unknown.csv", "33", "1.0,2.0,3.0,d");
        Seen classes = same("--model", model.toString(), "--csv", unknown.toString(), "--header", "--label",
                "species");
        assertEquals(1, classes.status());
        assertTrue(classes.err().contains("data row 33 of 40: label 'd' is not one of the model's classes"),
                classes.err());
        // Both: the bad number comes first, as the whole file was read before its classes.
        Path both = classes("both.csv", "3", "1.0,2.0,3.0,d", "38", "1.0,x,3.0,a");
        Seen first = same("--model", model.toString(), "--csv", both.toString(), "--header", "--label", "species");
        assertTrue(first.err().contains("line 39, column 2: 'x'"), first.err());
    }

    /**
     * {@code --output}'s lines are written a part at a time ({@link OutputLines}): into the file's atomic write, or for
     * standard output into a spool in {@code java.io.tmpdir}. An error in the last part leaves an earlier output as it
     * was and standard output empty, and no temporary file is left in either place, as after a run that succeeds.
     */
    @Test
    void aLateErrorLeavesTheOutputAsItWasAndNoTemporaryFile() throws Exception {
        Path csv = classes("train.csv");
        Path model = train(csv, "--label", "species");
        Path output = dir.resolve("kept.csv");
        Files.writeString(output, "an earlier run's predictions\n");
        long before = spools();
        Path late = classes("late.csv", "38", "1.0,2.0,3.0,d");   // data row 38 of 40: a class the model lacks
        String partRows = System.getProperty(PartStages.PART_ROWS_PROPERTY);
        System.setProperty(PartStages.PART_ROWS_PROPERTY, SMALL_PARTS);
        try {
            for (String to : new String[] {output.toString(), "-"}) {
                DigitsTrainerOptionsTest.Outcome failed = DigitsTrainerOptionsTest.run("predict", "--backend", "cpu",
                        "--model", model.toString(), "--csv", late.toString(), "--header", "--label", "species",
                        "--output", to);
                assertEquals(1, failed.status(), failed.out());
                assertTrue(failed.err().contains("data row 38 of 40"), failed.err());
                assertEquals("", failed.out().lines().filter(l -> l.startsWith("class,")).findAny().orElse(""),
                        "no CSV on standard output");
                assertEquals("an earlier run's predictions\n", Files.readString(output));
                assertEquals(before, spools());
                assertEquals(List.of(), leftBeside(output));
            }
            DigitsTrainerOptionsTest.Outcome done = DigitsTrainerOptionsTest.run("predict", "--backend", "cpu",
                    "--model", model.toString(), "--csv", csv.toString(), "--header", "--ignore", "species",
                    "--output", output.toString());
            assertEquals(0, done.status(), done.err());
            assertEquals(ROWS + 1, Files.readAllLines(output).size());
            assertEquals(before, spools());
            assertEquals(List.of(), leftBeside(output));
        } finally {
            if (partRows == null) {
                System.clearProperty(PartStages.PART_ROWS_PROPERTY);
            } else {
                System.setProperty(PartStages.PART_ROWS_PROPERTY, partRows);
            }
        }
    }

    /** The atomic write's temporary files of {@code file} in its folder. */
    private static List<Path> leftBeside(Path file) throws Exception {
        try (var files = Files.list(file.getParent())) {
            return files.filter(f -> f.getFileName().toString().startsWith("." + file.getFileName() + ".nnj-"))
                    .toList();
        }
    }

    /** The spools of {@link OutputLines} in {@code java.io.tmpdir}. */
    private static long spools() throws Exception {
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("nnj-predictions-")).count();
        }
    }

    @Test
    void farFromTrainingOnlyInALaterPartIsCountedOverTheFile() throws Exception {
        Path csv = classes("train.csv");
        Path model = train(csv, "--label", "species");
        Path far = classes("far.csv", "30", "1000,0.5,1000,a", "36", "-900,0.1,0.2,b");
        Seen seen = same("--model", model.toString(), "--csv", far.toString(), "--header", "--label", "species");
        assertEquals(0, seen.status(), seen.err());
        assertTrue(seen.err().contains("digits: warning: 3 of 120 values lie far outside the range the scaler was "
                + "fitted on (row 30, column x1: 1000.0"), seen.err());
    }

    @Test
    void aTwoClassModelWithPosLabel() throws Exception {
        Random r = new Random(3);
        List<String> lines = new ArrayList<>(List.of("a,b,answer"));
        for (int i = 0; i < ROWS; i++) {
            boolean yes = i % 4 == 1 || i > 20 && i % 3 == 0;
            lines.add(String.format(Locale.ROOT, "%.3f,%.3f,%s", (yes ? 1.5 : 0) + r.nextGaussian(),
                    r.nextGaussian(), yes ? "yes" : "no"));
        }
        Path csv = Files.write(dir.resolve("answers.csv"), lines);
        Path model = train(csv, "--label", "answer");
        Seen seen = same("--model", model.toString(), "--csv", csv.toString(), "--header", "--label", "answer",
                "--pos-label", "no", "--metrics", "METRICS", "--output", "OUTPUT");
        assertEquals(0, seen.status(), seen.err());
        assertTrue(seen.metrics().contains("\"roc_auc\""), seen.metrics());
    }

    /** A regression file: {@code a, y1, b, c, y2}, values spelt variously (1 and 1.0). */
    private Path targets(String name, boolean header, String... replace) throws Exception {
        Random r = new Random(5);
        List<String> lines = new ArrayList<>();
        if (header) {
            lines.add("a,y1,b,c,y2");
        }
        for (int i = 0; i < ROWS; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            double c = r.nextGaussian();
            // A value spelt two ways in different parts: the output writes it as the file first spells it.
            String y1 = i == 2 ? "100" : i == 30 ? "100.0" : String.format(Locale.ROOT, "%.3f", 100 + 20 * a - 10 * b);
            lines.add(String.format(Locale.ROOT, "%.4f,%s,%.4f,%.4f,%.4f", a, y1, b, c, 0.5 * b * c + 0.3 * a));
        }
        for (int k = 0; k + 1 < replace.length; k += 2) {
            lines.set(Integer.parseInt(replace[k]), replace[k + 1]);
        }
        return Files.write(dir.resolve(name), lines);
    }

    @Test
    void regressionsOfOneAndOfSeveralTargets() throws Exception {
        Path csv = targets("one.csv", true);
        Path one = train(csv, "--label", "y1", "--task", "regression", "--ignore", "y2");
        Seen seen = same("--model", one.toString(), "--csv", csv.toString(), "--header", "--label", "y1",
                "--show-all", "--output", "OUTPUT", "--metrics", "METRICS");
        assertEquals(0, seen.status(), seen.err());
        // 100 in row 3 and 100.0 in row 31, parts apart: both spelt as the file first spells the value.
        assertEquals(2, seen.output().split(",100\n", -1).length - 1, seen.output());
        // A true value that is not a number, in data row 34 of 40.
        Path na = targets("na.csv", true, "34", "0.1,NA,0.2,0.3,0.4");
        Seen missing = same("--model", one.toString(), "--csv", na.toString(), "--header", "--label", "y1");
        assertEquals(1, missing.status());
        assertTrue(missing.err().contains("holds 'NA' (data row 34 of 40)"), missing.err());

        Path several = train(csv, "--label", "y1,y2", "--task", "regression");
        Seen both = same("--model", several.toString(), "--csv", csv.toString(), "--header", "--label", "y1,y2",
                "--output", "OUTPUT", "--metrics", "METRICS");
        assertEquals(0, both.status(), both.err());
        Seen reversed = same("--model", several.toString(), "--csv", csv.toString(), "--header", "--label", "y2,y1");
        assertEquals(0, reversed.status(), reversed.err());

        List<String> lines = Files.readAllLines(csv);
        Path headerless = Files.write(dir.resolve("plain.csv"), lines.subList(1, lines.size()));
        DigitsTrainerOptionsTest.Outcome trained = DigitsTrainerOptionsTest.run("--csv", headerless.toString(),
                "--label", "1,4", "--task", "regression", "--backend", "cpu", "--progress-every", "0", "--epochs", "3",
                "--save", dir.resolve("plain.safetensors").toString());
        assertEquals(0, trained.status(), trained.err());
        Seen byPosition = same("--model", dir.resolve("plain.safetensors").toString(), "--csv",
                headerless.toString(), "--label", "1,4", "--output", "OUTPUT", "--metrics", "METRICS");
        assertEquals(0, byPosition.status(), byPosition.err());
        // Without labels: the values only.
        Seen unlabelled = same("--model", several.toString(), "--csv", csv.toString(), "--header", "--ignore",
                "y1,y2", "--output", "-");
        assertEquals(0, unlabelled.status(), unlabelled.err());
    }

    /**
     * Classes 1, 1.0 and cat (trained as three: the file's text labels keep the two spellings apart) are scored as
     * three in parts without a text label too, where the part alone would read 1 and 1.0 as one number.
     */
    @Test
    void twoSpellingsOfANumberStayTwoClassesInEveryPart() throws Exception {
        Random r = new Random(5);
        List<String> lines = new ArrayList<>(List.of("x1,x2,y"));
        for (int i = 0; i < ROWS; i++) {
            String y = i >= ROWS - 4 ? "cat" : i % 2 == 0 ? "1" : "1.0";
            lines.add(String.format(Locale.ROOT, "%.3f,%.3f,%s", r.nextGaussian() + (y.equals("1") ? 2 : 0),
                    r.nextGaussian() + (y.equals("cat") ? 3 : 0), y));
        }
        Path csv = Files.write(dir.resolve("spellings.csv"), lines);
        Path model = train(csv, "--label", "y");
        Seen seen = same("--model", model.toString(), "--csv", csv.toString(), "--header", "--label", "y",
                "--metrics", "METRICS");
        assertEquals(0, seen.status(), seen.err());
        // 18 rows of 1.0 (the odd rows before the last four), each its own class's, as the trainer counted them.
        assertTrue(java.util.regex.Pattern.compile("(?m)^ +1\\.0 +\\S+ +\\S+ +\\S+ +18$").matcher(seen.out())
                .find(), seen.out());
        // A third spelling, 1.00, is the value of both classes: which one it means cannot be told, so it is refused,
        // naming its row in the file, rather than scored as the first.
        lines.set(30, lines.get(30).replaceFirst(",1(\\.0)?$", ",1.00"));
        Path third = Files.write(dir.resolve("third.csv"), lines);
        Seen refused = same("--model", model.toString(), "--csv", third.toString(), "--header", "--label", "y");
        assertEquals(1, refused.status(), refused.out());
        assertTrue(refused.err().contains("third.csv: data row 30 of 40: label '1.00' is the value of the classes '1' "
                + "and '1.0', which are kept apart"), refused.err());
    }

    @Test
    void weightsCategoriesAndImputedValues() throws Exception {
        Random r = new Random(11);
        List<String> lines = new ArrayList<>(List.of("x,color,w,gap,label"));
        String[] colors = {"red", "green", "blue"};
        for (int i = 0; i < ROWS; i++) {
            String color = colors[i < 20 ? i % 2 : i % 3];   // blue first in a later part
            String gap = i % 9 == 4 ? "" : String.format(Locale.ROOT, "%.3f", r.nextGaussian());
            lines.add(String.format(Locale.ROOT, "%.3f,%s,%s,%s,%s", r.nextGaussian() + (color.equals("red") ? 2 : 0),
                    color, i % 5 == 0 ? "2" : "1", gap, color.equals("red") ? "up" : "down"));
        }
        Path csv = Files.write(dir.resolve("shop.csv"), lines);
        Path model = train(csv, "--label", "label", "--categorical", "color", "--weight-column", "w", "--impute",
                "mean");
        Seen seen = same("--model", model.toString(), "--csv", csv.toString(), "--header", "--label", "label",
                "--metrics", "METRICS", "--output", "OUTPUT", "--show", "3");
        assertEquals(0, seen.status(), seen.err());
        assertEquals(1, seen.out().split("held the training rows' weights", -1).length - 1, seen.out());
        assertTrue(seen.metrics().contains("\"w\""), seen.metrics());
        // A category the model was not trained with, in a later part: its line in the file.
        lines.set(33, "0.5,purple,1,0.1,up");
        Path purple = Files.write(dir.resolve("purple.csv"), lines);
        Seen refused = same("--model", model.toString(), "--csv", purple.toString(), "--header", "--label", "label");
        assertEquals(1, refused.status());
        assertTrue(refused.err().contains("line 34, column 2 ('color'): 'purple'"), refused.err());
        // A negative weight in a later part, with --label: its data row in the file; without --label, unused.
        lines.set(33, "0.5,red,-2,0.1,up");
        Path negative = Files.write(dir.resolve("negative.csv"), lines);
        Seen weighed = same("--model", model.toString(), "--csv", negative.toString(), "--header", "--label",
                "label");
        assertEquals(1, weighed.status());
        assertTrue(weighed.err().contains("negative.csv: column 'w' (--weight-column) holds -2.0 in data row 33; "),
                weighed.err());
        assertEquals(0, same("--model", model.toString(), "--csv", negative.toString(), "--header", "--ignore",
                "label").status());
    }

    @Test
    void aMissingTrueValueOfSeveralTargetsNamesItsRowInTheFile() throws Exception {
        Path csv = targets("several.csv", true, "5", "0.1,101,,0.3,0.4");   // a feature missing: --impute's
        Path model = train(csv, "--label", "y1,y2", "--task", "regression", "--impute", "mean");
        Path gap = targets("gap.csv", true, "37", "0.1,,0.2,0.3,0.4");
        Seen seen = same("--model", model.toString(), "--csv", gap.toString(), "--header", "--label", "y1,y2");
        assertEquals(1, seen.status(), seen.out() + seen.err());
        assertTrue(seen.err().contains("has no true value in data row 37"), seen.err());
    }
}
