package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.io.StrictJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files for scripts: {@code --metrics FILE}, the figures the report prints, at full precision, as JSON (a run's,
 * each seed's, each fold's, and a regression's; refused where no model is scored), and {@code --history FILE}, each
 * epoch's figures as CSV, continued by a resumed run.
 */
class FiguresFilesTest {
    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> entries(Path file, String key) throws Exception {
        Map<String, Object> json = StrictJson.parseObject(Files.readString(file, StandardCharsets.UTF_8));
        assertEquals(MetricsFile.FORMAT, json.get("format"));
        assertEquals(1.0, ((Number) json.get("version")).doubleValue());
        return (List<Map<String, Object>>) json.get(key);
    }

    /**
     * The file's {@code "summary"} of {@code key} against the summary line that starts with {@code line}: mean, std,
     * min and max, each to the line's four decimals.
     */
    @SuppressWarnings("unchecked")
    private static void assertSummary(Path file, String line, String key, String out) throws Exception {
        Map<String, Object> summary = (Map<String, Object>) StrictJson.parseObject(Files.readString(file,
                StandardCharsets.UTF_8)).get("summary");
        Map<String, Object> figures = (Map<String, Object>) summary.get(key);
        String printed = String.format(Locale.ROOT, "%smean %.4f +/- %.4f (std, ddof 0)  min %.4f  max %.4f", line,
                ((Number) figures.get("mean")).doubleValue(), ((Number) figures.get("std")).doubleValue(),
                ((Number) figures.get("min")).doubleValue(), ((Number) figures.get("max")).doubleValue());
        assertTrue(out.contains(printed + "\n"), printed + " in: " + out);
    }

    @SuppressWarnings("unchecked")
    private static double figure(Map<String, Object> entry, String set, String name) {
        return ((Number) ((Map<String, Object>) entry.get(set)).get(name)).doubleValue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRunsFiguresAreTheReportsAtFullPrecision() throws Exception {
        Path file = dir.resolve("metrics.json");
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--backend", "cpu", "--epochs", "5",
                "--progress-every", "0", "--metrics", file.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("Wrote the figures to " + file), o.out());
        List<Map<String, Object>> runs = entries(file, "runs");
        assertEquals(1, runs.size());
        Map<String, Object> run = runs.get(0);
        assertEquals(0.0, ((Number) run.get("seed")).doubleValue());
        assertEquals(5.0, ((Number) run.get("epochs")).doubleValue());
        Matcher test = Pattern.compile("  test +loss ([0-9.]+) +accuracy ([0-9.]+)").matcher(o.out());
        assertTrue(test.find(), o.out());
        assertEquals(test.group(1), String.format(Locale.ROOT, "%.4f", figure(run, "test", "loss")));
        assertEquals(test.group(2), String.format(Locale.ROOT, "%.4f", figure(run, "test", "accuracy")));
        assertEquals(360.0, figure(run, "test", "rows"));
        assertEquals(1437.0, figure(run, "train", "rows"));
        Matcher balanced = Pattern.compile("test set balanced accuracy ([0-9.]+)").matcher(o.out());
        assertTrue(balanced.find(), o.out());
        assertEquals(balanced.group(1), String.format(Locale.ROOT, "%.4f", figure(run, "test", "balanced_accuracy")));
        assertTheReportsDetails(o.out(), (Map<String, Object>) run.get("test"));
    }

    /**
     * The rest of the printed report in the {@code "test"} entry: the weighted F1, log loss, ROC AUC, average
     * precision and top-k lines, each class's row of the table, and a confusion matrix whose rows are the supports.
     */
    @SuppressWarnings("unchecked")
    private static void assertTheReportsDetails(String out, Map<String, Object> test) {
        Matcher weighted = Pattern.compile("weighted avg +[0-9.]+ +[0-9.]+ +([0-9.]+) +360").matcher(out);
        assertTrue(weighted.find(), out);
        assertEquals(weighted.group(1), String.format(Locale.ROOT, "%.4f", ((Number) test.get("weighted_f1"))
                .doubleValue()));
        Matcher ranking = Pattern.compile("log loss ([0-9.]+) .*ROC AUC one-vs-rest macro ([0-9.]+), weighted "
                + "([0-9.]+), average precision macro ([0-9.]+)").matcher(out);
        assertTrue(ranking.find(), out);
        String[] keys = {"log_loss", "roc_auc_ovr", "roc_auc_ovr_weighted", "average_precision"};
        for (int i = 0; i < keys.length; i++) {
            assertEquals(ranking.group(i + 1), String.format(Locale.ROOT, "%.4f",
                    ((Number) test.get(keys[i])).doubleValue()), keys[i]);
        }
        Matcher topK = Pattern.compile("top-k accuracy: top-1 ([0-9.]+), top-2 ([0-9.]+), top-3 ([0-9.]+)")
                .matcher(out);
        assertTrue(topK.find(), out);
        Map<String, Object> k = (Map<String, Object>) test.get("top_k_accuracy");
        for (int i = 1; i <= 3; i++) {
            assertEquals(topK.group(i), String.format(Locale.ROOT, "%.4f", ((Number) k.get("" + i)).doubleValue()));
        }
        Map<String, Object> classes = (Map<String, Object>) test.get("classes");
        List<List<Number>> counts = (List<List<Number>>) ((Map<String, Object>) test.get("confusion_matrix"))
                .get("counts");
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
                ((Map<String, Object>) test.get("confusion_matrix")).get("labels"));
        int total = 0;
        for (int c = 0; c < 10; c++) {
            Map<String, Object> row = (Map<String, Object>) classes.get("" + c);
            Matcher line = Pattern.compile("\\n +" + c + " +([0-9.]+) +([0-9.]+) +([0-9.]+) +([0-9]+)\\n")
                    .matcher(out);
            assertTrue(line.find(), out);
            String printed = String.format(Locale.ROOT, "%.4f %.4f %.4f %d", ((Number) row.get("precision"))
                    .doubleValue(), ((Number) row.get("recall")).doubleValue(), ((Number) row.get("f1"))
                    .doubleValue(), ((Number) row.get("support")).intValue());
            assertEquals(line.group(1) + " " + line.group(2) + " " + line.group(3) + " " + line.group(4), printed);
            int support = counts.get(c).stream().mapToInt(Number::intValue).sum();
            assertEquals(((Number) row.get("support")).intValue(), support, "row " + c + " of the matrix");
            total += support;
        }
        assertEquals(360, total);
    }

    @Test
    @SuppressWarnings("unchecked")
    void seedsFoldsAndARegressionEachGetTheirEntries() throws Exception {
        Path seeds = dir.resolve("seeds.json");
        DigitsTrainerOptionsTest.Outcome seeded = DigitsTrainerOptionsTest.run("--backend", "cpu", "--epochs", "2",
                "--progress-every", "0", "--seeds", "3,4", "--metrics", seeds.toString());
        assertEquals(0, seeded.status(), seeded.err());
        List<Map<String, Object>> runs = entries(seeds, "runs");
        assertEquals(List.of(3.0, 4.0), runs.stream().map(r -> ((Number) r.get("seed")).doubleValue()).toList());
        assertSummary(seeds, "Test accuracy over 2 seeds: ", "accuracy", seeded.out());
        Map<String, Object> seedSummary = (Map<String, Object>) StrictJson.parseObject(Files.readString(seeds))
                .get("summary");
        assertEquals(runs.stream().mapToDouble(r -> ((Number) r.get("seconds")).doubleValue()).sum(),
                ((Number) seedSummary.get("seconds")).doubleValue(), 1e-9);
        assertSummary(seeds, "Test macro-F1 over 2 seeds: ", "macro_f1", seeded.out());

        Path folds = dir.resolve("folds.json");
        DigitsTrainerOptionsTest.Outcome folded = DigitsTrainerOptionsTest.run("--backend", "cpu", "--epochs", "2",
                "--progress-every", "0", "--cv", "3", "--jobs", "2", "--metrics", folds.toString());
        assertEquals(0, folded.status(), folded.err());
        List<Map<String, Object>> held = entries(folds, "folds");
        assertEquals(3, held.size());
        assertSummary(folds, "Cross-validation accuracy over 3 folds: ", "accuracy", folded.out());
        assertTrue(figure(held.get(2), "held_out", "accuracy") > 0, held.toString());
        assertTrue(figure(held.get(2), "held_out", "roc_auc_ovr") > 0, held.toString());
        assertTrue(((Map<String, Object>) held.get(2).get("held_out")).containsKey("confusion_matrix"),
                held.toString());

        StringBuilder csv = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 120; i++) {
            double a = (i % 11) / 10.0;
            double b = (i % 7) / 6.0;
            csv.append(a).append(',').append(b).append(',').append(a + 2 * b).append('\n');
        }
        Path data = Files.writeString(dir.resolve("reg.csv"), csv);
        Path regression = dir.resolve("regression.json");
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv", data.toString(), "--header",
                "--label", "y", "--task", "regression", "--backend", "cpu", "--epochs", "5", "--progress-every", "0",
                "--validation-split", "0.2", "--metrics", regression.toString());
        assertEquals(0, o.status(), o.err());
        Map<String, Object> run = entries(regression, "runs").get(0);
        // A regression's folds: each held-out line's loss in the file, as a classifier's.
        Path regressionFolds = dir.resolve("regression-folds.json");
        DigitsTrainerOptionsTest.Outcome cv = DigitsTrainerOptionsTest.run("--csv", data.toString(), "--header",
                "--label", "y", "--task", "regression", "--backend", "cpu", "--epochs", "3", "--progress-every", "0",
                "--cv", "2", "--metrics", regressionFolds.toString());
        assertEquals(0, cv.status(), cv.err());
        Matcher foldLoss = Pattern.compile("fold 2/2 +held out  loss ([0-9.]+)").matcher(cv.out());
        assertTrue(foldLoss.find(), cv.out());
        assertEquals(foldLoss.group(1), String.format(Locale.ROOT, "%.4f",
                figure(entries(regressionFolds, "folds").get(1), "held_out", "loss")));
        // The train, validation and test lines, each in the file as printed.
        for (String[] part : new String[][] {{"train", "train"}, {"val", "validation"}, {"test", "test"}}) {
            Matcher line = Pattern.compile("  " + part[0] + " +rmse ([0-9.]+) +mae ([0-9.]+) +r2 (-?[0-9.]+)  "
                    + "\\(([0-9]+) rows\\)").matcher(o.out());
            assertTrue(line.find(), part[0] + ": " + o.out());
            assertEquals(Double.parseDouble(line.group(1)), figure(run, part[1], "rmse"), 1e-6, part[1]);
            assertEquals(Double.parseDouble(line.group(3)), figure(run, part[1], "r2"), 1e-4, part[1]);
            assertEquals(Double.parseDouble(line.group(4)), figure(run, part[1], "rows"), part[1]);
        }

        // Two targets and row weights: each target's figures and the training mean's, as the report's table has
        // them, and the weighted line's.
        StringBuilder two = new StringBuilder("a,b,w,y1,y2\n");
        for (int i = 0; i < 120; i++) {
            double a = (i % 11) / 10.0;
            double b = (i % 7) / 6.0;
            two.append(a).append(',').append(b).append(',').append(1 + i % 3).append(',').append(a + 2 * b)
                    .append(',').append(a - b).append('\n');
        }
        Path targets = Files.writeString(dir.resolve("two.csv"), two);
        Path twoFile = dir.resolve("two.json");
        o = DigitsTrainerOptionsTest.run("--csv", targets.toString(), "--header", "--label", "y1,y2", "--task",
                "regression", "--weight-column", "w", "--backend", "cpu", "--epochs", "5", "--progress-every", "0",
                "--metrics", twoFile.toString());
        assertEquals(0, o.status(), o.err());
        Map<String, Object> twoTest = (Map<String, Object>) entries(twoFile, "runs").get(0).get("test");
        Map<String, Object> each = (Map<String, Object>) twoTest.get("targets");
        assertEquals(List.of("y1", "y2"), List.copyOf(each.keySet()));
        Matcher table = Pattern.compile("'y2':\\R +model +([-0-9.e+]+) +([-0-9.e+]+) +([-0-9.e+]+) +(-?[0-9.]+) "
                + "+(-?[0-9.]+)\\R +training mean +([-0-9.e+]+)").matcher(o.out());
        assertTrue(table.find(), o.out());
        Map<String, Object> y2 = (Map<String, Object>) each.get("y2");
        assertEquals(Double.parseDouble(table.group(2)), ((Number) y2.get("rmse")).doubleValue(), 1e-5);
        assertEquals(table.group(4), String.format(Locale.ROOT, "%.4f", ((Number) y2.get("r2")).doubleValue()));
        assertEquals(Double.parseDouble(table.group(6)), ((Number) ((Map<String, Object>) y2.get("baseline"))
                .get("mse")).doubleValue(), 1e-5);
        Matcher weighted = Pattern.compile("weighted by 'w' \\(scikit-learn's sample_weight\\): test rmse "
                + "([0-9.e+-]+)  mae ([0-9.e+-]+)  r2 (-?[0-9.]+)").matcher(o.out());
        assertTrue(weighted.find(), o.out());
        Map<String, Object> sampleWeighted = (Map<String, Object>) twoTest.get("sample_weighted");
        assertEquals(Double.parseDouble(weighted.group(1)), ((Number) sampleWeighted.get("rmse")).doubleValue(), 1e-5);
        assertEquals(weighted.group(3), String.format(Locale.ROOT, "%.4f",
                ((Number) sampleWeighted.get("r2")).doubleValue()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void twoClassesRankTheirPositiveClassAndAClassWithoutRowsHasNoRanking() throws Exception {
        StringBuilder csv = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 200; i++) {
            double a = (i % 13) / 12.0;
            double b = (i % 7) / 6.0;
            csv.append(a).append(',').append(b).append(',').append(a + b > 1 ? "yes" : "no").append('\n');
        }
        Path data = Files.writeString(dir.resolve("two.csv"), csv);
        Path file = dir.resolve("two.json");
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv", data.toString(), "--header",
                "--label", "y", "--pos-label", "no", "--backend", "cpu", "--epochs", "20", "--progress-every", "0",
                "--metrics", file.toString());
        assertEquals(0, o.status(), o.err());
        Map<String, Object> test = (Map<String, Object>) entries(file, "runs").get(0).get("test");
        assertEquals("no", test.get("positive_class"));
        Matcher ranking = Pattern.compile("ROC AUC ([0-9.]+), average precision ([0-9.]+) \\(positive class \"no\"\\)")
                .matcher(o.out());
        assertTrue(ranking.find(), o.out());
        assertEquals(ranking.group(1), String.format(Locale.ROOT, "%.4f",
                ((Number) test.get("roc_auc")).doubleValue()));
        assertEquals(ranking.group(2), String.format(Locale.ROOT, "%.4f",
                ((Number) test.get("average_precision")).doubleValue()));
        assertFalse(test.containsKey("top_k_accuracy"), "top-k only for more than two classes");
        assertEquals(List.of("no", "yes"), ((Map<String, Object>) test.get("confusion_matrix")).get("labels"));

        // Test rows of the positive class alone: no ROC AUC (one class), but an average precision, 1 (no negatives).
        StringBuilder yes = new StringBuilder("a,b,y\n");
        csv.toString().lines().filter(line -> line.endsWith(",yes")).forEach(line -> yes.append(line).append('\n'));
        Path onlyYes = Files.writeString(dir.resolve("only-yes.csv"), yes);
        for (String positive : new String[] {"yes", "no"}) {
            Path one = dir.resolve("one-" + positive + ".json");
            o = DigitsTrainerOptionsTest.run("--csv", data.toString(), "--test-csv", onlyYes.toString(), "--header",
                    "--label", "y", "--pos-label", positive, "--backend", "cpu", "--epochs", "5", "--progress-every",
                    "0", "--metrics", one.toString());
            assertEquals(0, o.status(), o.err());
            test = (Map<String, Object>) entries(one, "runs").get(0).get("test");
            assertTrue(o.out().contains("no ROC AUC (no has no test rows; scikit-learn's roc_auc_score refuses one "
                    + "class)"), o.out());
            assertTrue(test.get("roc_auc") == StrictJson.NULL, test.toString());
            if (positive.equals("yes")) {
                assertTrue(o.out().contains("average precision 1.0000 (positive class \"yes\")"), o.out());
                assertEquals(1.0, ((Number) test.get("average_precision")).doubleValue());
            } else {
                assertTrue(o.out().contains("no average precision (the positive class, \"no\", has no test rows)"),
                        o.out());
                assertTrue(test.get("average_precision") == StrictJson.NULL, test.toString());
            }
        }

        // A third class with one row, which the split puts on the training side: the test rows have none of it.
        Path three = Files.writeString(dir.resolve("three.csv"), csv + "0.5,0.5,maybe\n");
        Path threeFile = dir.resolve("three.json");
        o = DigitsTrainerOptionsTest.run("--csv", three.toString(), "--header", "--label", "y", "--backend", "cpu",
                "--epochs", "5", "--progress-every", "0", "--metrics", threeFile.toString());
        assertEquals(0, o.status(), o.err());
        test = (Map<String, Object>) entries(threeFile, "runs").get(0).get("test");
        assertTrue(o.out().contains("no ROC AUC or average precision: maybe has no test rows"), o.out());
        assertTrue(test.get("roc_auc_ovr") == StrictJson.NULL, test.toString());
        assertTrue(test.get("average_precision") == StrictJson.NULL, test.toString());
        assertFalse(((Map<String, Object>) test.get("classes")).containsKey("maybe"), "not in the report, as there");
    }

    @Test
    @SuppressWarnings("unchecked")
    void rowWeightsAndEarlyStoppingAreInTheFileAsInTheReport() throws Exception {
        StringBuilder csv = new StringBuilder("a,b,w,y\n");
        for (int i = 0; i < 300; i++) {
            double a = (i % 13) / 12.0;
            double b = (i % 7) / 6.0;
            csv.append(a).append(',').append(b).append(',').append(1 + i % 3).append(',')
                    .append(a + b > 1.2 ? "hi" : a + b > 0.6 ? "mid" : "lo").append('\n');
        }
        Path data = Files.writeString(dir.resolve("weighted.csv"), csv);
        Path file = dir.resolve("weighted.json");
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv", data.toString(), "--header",
                "--label", "y", "--weight-column", "w", "--early-stopping", "--patience", "2", "--backend", "cpu",
                "--epochs", "200", "--progress-every", "0", "--metrics", file.toString());
        assertEquals(0, o.status(), o.err());
        Map<String, Object> run = entries(file, "runs").get(0);
        Map<String, Object> weighted = (Map<String, Object>) ((Map<String, Object>) run.get("test"))
                .get("sample_weighted");
        Matcher line = Pattern.compile("weighted by 'w' \\(total weight ([0-9.]+) over [0-9]+ rows\\): accuracy "
                + "([0-9.]+), macro-F1 ([0-9.]+), balanced accuracy ([0-9.]+), log loss ([0-9.]+)").matcher(o.out());
        assertTrue(line.find(), o.out());
        assertEquals("w", weighted.get("column"));
        assertEquals(Double.parseDouble(line.group(1)), ((Number) weighted.get("total_weight")).doubleValue());
        String[] keys = {"accuracy", "macro_f1", "balanced_accuracy", "log_loss"};
        for (int i = 0; i < keys.length; i++) {
            assertEquals(line.group(i + 2), String.format(Locale.ROOT, "%.4f",
                    ((Number) weighted.get(keys[i])).doubleValue()), keys[i]);
        }
        // The validation rows early stopping watched: their line, in the file.
        Matcher val = Pattern.compile("  val +loss ([0-9.]+) +accuracy ([0-9.]+)  \\(([0-9]+) rows\\)")
                .matcher(o.out());
        assertTrue(val.find(), o.out());
        assertEquals(Double.parseDouble(val.group(1)), figure(run, "validation", "loss"), 1e-4);
        assertEquals(Double.parseDouble(val.group(3)), figure(run, "validation", "rows"));
        Matcher stopped = Pattern.compile("result: ([0-9]+) epochs .*stopped early; best epoch ([0-9]+) restored")
                .matcher(o.out());
        assertTrue(stopped.find(), o.out());
        assertEquals(Boolean.TRUE, run.get("stopped_early"));
        assertEquals(Boolean.TRUE, run.get("restored_best_weights"));
        assertEquals(Double.parseDouble(stopped.group(1)), ((Number) run.get("epochs")).doubleValue());
        assertEquals(Double.parseDouble(stopped.group(2)), ((Number) run.get("best_epoch")).doubleValue());

        // predict --metrics on the same model's test rows: the same weighted figures, from the column it left out.
        String[] weightedLines = csv.toString().split("\n");
        Path weightedTrain = Files.writeString(dir.resolve("weighted-train.csv"), String.join("\n",
                List.of(weightedLines).subList(0, 241)) + "\n");
        Path weightedTest = Files.writeString(dir.resolve("weighted-test.csv"), weightedLines[0] + "\n"
                + String.join("\n", List.of(weightedLines).subList(241, weightedLines.length)) + "\n");
        Path weightedModel = dir.resolve("weighted.safetensors");
        Path weightedTrained = dir.resolve("weighted-trained.json");
        DigitsTrainerOptionsTest.Outcome trained = DigitsTrainerOptionsTest.run("--csv", weightedTrain.toString(),
                "--test-csv", weightedTest.toString(), "--header", "--label", "y", "--weight-column", "w", "--backend",
                "cpu", "--epochs", "5", "--progress-every", "0", "--save", weightedModel.toString(), "--metrics",
                weightedTrained.toString());
        assertEquals(0, trained.status(), trained.err());
        Path weightedScored = dir.resolve("weighted-scored.json");
        o = DigitsTrainerOptionsTest.run("predict", "--model", weightedModel.toString(), "--csv",
                weightedTest.toString(), "--header", "--label", "y", "--backend", "cpu", "--metrics",
                weightedScored.toString());
        assertEquals(0, o.status(), o.err());
        // The weighted line is printed as the trainer prints it for the same rows, not only written to the file.
        Matcher trainerLine = Pattern.compile("test set (weighted by 'w' \\(total weight .*)").matcher(trained.out());
        assertTrue(trainerLine.find(), trained.out());
        assertTrue(o.out().contains("\n  " + trainerLine.group(1) + "\n"), o.out());
        Object trainedWeighted = ((Map<String, Object>) entries(weightedTrained, "runs").get(0).get("test"))
                .get("sample_weighted");
        assertTrue(trainedWeighted instanceof Map, String.valueOf(trainedWeighted));
        assertEquals(trainedWeighted, ((Map<String, Object>) StrictJson.parseObject(Files.readString(weightedScored))
                .get("scores")).get("sample_weighted"));

        // --cv folds get the weighted figures of the rows they hold out: with every weight 1, the unweighted ones.
        Path ones = Files.writeString(dir.resolve("ones.csv"), csv.toString().replaceAll("(?m)^([^,\\n]*,[^,\\n]*),"
                + "[0-9]+,", "$1,1,"));
        Path onesFile = dir.resolve("ones.json");
        o = DigitsTrainerOptionsTest.run("--csv", ones.toString(), "--header", "--label", "y", "--weight-column", "w",
                "--cv", "3", "--jobs", "2", "--backend", "cpu", "--epochs", "5", "--progress-every", "0", "--metrics",
                onesFile.toString());
        assertEquals(0, o.status(), o.err());
        for (Map<String, Object> fold : entries(onesFile, "folds")) {
            Map<String, Object> held = (Map<String, Object>) fold.get("held_out");
            Map<String, Object> foldWeighted = (Map<String, Object>) held.get("sample_weighted");
            assertEquals(((Number) held.get("rows")).doubleValue(), ((Number) foldWeighted.get("total_weight"))
                    .doubleValue(), held.toString());
            for (String key : List.of("accuracy", "macro_f1", "balanced_accuracy", "log_loss")) {
                assertEquals(((Number) held.get(key)).doubleValue(), ((Number) foldWeighted.get(key)).doubleValue(),
                        1e-12, key);
            }
        }

        // A regression whose test rows all weigh 0: no weighted figures, said so, rather than an error at the end.
        StringBuilder zero = new StringBuilder("a,b,w,y\n");
        for (int i = 0; i < 40; i++) {
            zero.append(i % 5).append(',').append(i % 3).append(",0,").append(i % 5 + i % 3).append('\n');
        }
        Path zeroTest = Files.writeString(dir.resolve("zero-test.csv"), zero);
        Path zeroTrain = Files.writeString(dir.resolve("zero-train.csv"), zero.toString().replace(",0,", ",1,"));
        Path zeroFile = dir.resolve("zero.json");
        o = DigitsTrainerOptionsTest.run("--csv", zeroTrain.toString(), "--test-csv", zeroTest.toString(), "--header",
                "--label", "y", "--task", "regression", "--weight-column", "w", "--backend", "cpu", "--epochs", "2",
                "--progress-every", "0", "--metrics", zeroFile.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("weighted by 'w': every test row weighs 0, so no weighted figures"), o.out());
        Map<String, Object> zeroWeighted = (Map<String, Object>) ((Map<String, Object>) entries(zeroFile, "runs")
                .get(0).get("test")).get("sample_weighted");
        assertTrue(zeroWeighted.get("rmse") == StrictJson.NULL, zeroWeighted.toString());
    }

    /**
     * {@code digits predict} on labelled rows with the weight column its model was trained with: a regression's
     * weighted line is printed, and a weight that is missing or negative is refused naming its row, as the trainer
     * refuses it, rather than failing inside the figures; without {@code --label} the weights are not used or checked.
     */
    @Test
    void predictWeighsLabelledRowsAndChecksTheirWeights() throws Exception {
        StringBuilder rows = new StringBuilder("a,b,w,y\n");
        for (int i = 0; i < 60; i++) {
            rows.append(i % 5).append(',').append(i % 3).append(',').append(1 + i % 2).append(',')
                    .append(i % 5 + 2 * (i % 3)).append('\n');
        }
        Path data = Files.writeString(dir.resolve("w.csv"), rows);
        Path model = dir.resolve("w.safetensors");
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--csv", data.toString(), "--header",
                "--label", "y", "--task", "regression", "--weight-column", "w", "--backend", "cpu", "--epochs", "3",
                "--progress-every", "0", "--save", model.toString());
        assertEquals(0, o.status(), o.err());
        o = DigitsTrainerOptionsTest.run("predict", "--model", model.toString(), "--csv", data.toString(), "--header",
                "--label", "y", "--backend", "cpu");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("\n  weighted by 'w' (scikit-learn's sample_weight): rmse "), o.out());

        // An empty weight: said to be a weight's, not a feature's gap that --impute could fill, here and in training.
        String[] gap = rows.toString().split("\n");
        gap[4] = gap[4].replaceFirst("^([^,]*,[^,]*),[^,]*,", "$1,,");
        Path gapped = Files.writeString(dir.resolve("gap.csv"), String.join("\n", gap) + "\n");
        String noWeight = "gap.csv line 5, column 3 ('w', --weight-column): no weight; ";
        o = DigitsTrainerOptionsTest.run("predict", "--model", model.toString(), "--csv", gapped.toString(),
                "--header", "--label", "y", "--backend", "cpu");
        assertTrue(o.err().contains(noWeight + "give every row its weight"), o.err());
        o = DigitsTrainerOptionsTest.run("--csv", data.toString(), "--test-csv", gapped.toString(), "--header",
                "--label", "y", "--task", "regression", "--weight-column", "w", "--backend", "cpu", "--epochs", "1",
                "--progress-every", "0");
        assertTrue(o.err().contains(noWeight + "--impute fills in features, not weights"), o.err());

        String[] lines = rows.toString().split("\n");
        for (String bad : List.of("", "-3")) {
            String[] changed = lines.clone();
            changed[4] = changed[4].replaceFirst("^([^,]*,[^,]*),[^,]*,", "$1," + bad + ",");
            Path file = Files.writeString(dir.resolve("bad.csv"), String.join("\n", changed) + "\n");
            o = DigitsTrainerOptionsTest.run("predict", "--model", model.toString(), "--csv", file.toString(),
                    "--header", "--label", "y", "--backend", "cpu");
            assertEquals(DigitsTrainer.EXIT_FAILURE, o.status(), bad + ": " + o.out() + o.err());
            String expected = bad.isEmpty() ? "bad.csv line 5, column 3" : "bad.csv: column 'w' (--weight-column) "
                    + "holds -3.0 in data row 4; a row's weight must be finite and not negative";
            assertTrue(o.err().contains(expected), bad + ": " + o.err());
            if (!bad.isEmpty()) {
                assertEquals(0, DigitsTrainerOptionsTest.run("predict", "--model", model.toString(), "--csv",
                        file.toString(), "--header", "--ignore", "y", "--backend", "cpu").status(),
                        "unlabelled rows: weights unused");
            }
        }
    }

    /**
     * {@code digits predict --metrics}: a saved model's scores on labelled rows, the figures the trainer's file has
     * for its test rows: equal for the same model and rows, the digits' test set here.
     */
    @Test
    @SuppressWarnings("unchecked")
    void predictScoresTheRowsAsTheTrainerDid() throws Exception {
        Path model = dir.resolve("m.safetensors");
        Path trained = dir.resolve("trained.json");
        assertEquals(0, DigitsTrainerOptionsTest.run("--backend", "cpu", "--epochs", "20", "--progress-every", "0",
                "--save", model.toString(), "--metrics", trained.toString()).status());
        Path scored = dir.resolve("scored.json");
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("predict", "--model", model.toString(),
                "--backend", "cpu", "--metrics", scored.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("Wrote the scores to " + scored), o.out());
        // --output first: the scores' file is the last written, so a job that waits on it finds the rows whole.
        Path outputFile = dir.resolve("rows.csv");
        DigitsTrainerOptionsTest.Outcome both = DigitsTrainerOptionsTest.run("predict", "--model", model.toString(),
                "--backend", "cpu", "--metrics", scored.toString(), "--output", outputFile.toString());
        assertEquals(0, both.status(), both.err());
        int rowsLine = both.out().indexOf("to " + outputFile);
        assertTrue(rowsLine >= 0 && rowsLine < both.out().indexOf("Wrote the scores to " + scored), both.out());
        Map<String, Object> json = StrictJson.parseObject(Files.readString(scored));
        assertEquals("classification", json.get("task"));
        assertEquals("the digits' test set", json.get("rows_from"));
        Map<String, Object> scores = (Map<String, Object>) json.get("scores");
        Map<String, Object> test = (Map<String, Object>) entries(trained, "runs").get(0).get("test");
        assertFalse(scores.containsKey("loss"), "no training loss: predict has no loss function");
        for (String key : scores.keySet()) {
            assertEquals(test.get(key), scores.get(key), key);
        }
        assertEquals(test.keySet().size() - 1, scores.keySet().size(), test.keySet() + " against " + scores.keySet());

        // A regression of two targets, its test rows a file of their own that predict then scores.
        StringBuilder rows = new StringBuilder("a,b,y1,y2\n");
        for (int i = 0; i < 150; i++) {
            double a = (i % 11) / 10.0;
            double b = (i % 7) / 6.0;
            rows.append(a).append(',').append(b).append(',').append(a + 2 * b).append(',').append(a - b).append('\n');
        }
        String[] lines = rows.toString().split("\n");
        Path trainRows = Files.writeString(dir.resolve("train.csv"), String.join("\n", List.of(lines).subList(0, 121))
                + "\n");
        Path testRows = Files.writeString(dir.resolve("test.csv"), lines[0] + "\n"
                + String.join("\n", List.of(lines).subList(121, lines.length)) + "\n");
        Path regression = dir.resolve("regression.safetensors");
        Path regressionTrained = dir.resolve("regression-trained.json");
        assertEquals(0, DigitsTrainerOptionsTest.run("--csv", trainRows.toString(), "--test-csv", testRows.toString(),
                "--header", "--label", "y1,y2", "--task", "regression", "--backend", "cpu", "--epochs", "10",
                "--progress-every", "0", "--save", regression.toString(), "--metrics", regressionTrained.toString())
                .status());
        Path regressionScored = dir.resolve("regression-scored.json");
        o = DigitsTrainerOptionsTest.run("predict", "--model", regression.toString(), "--csv", testRows.toString(),
                "--header", "--label", "y1,y2", "--backend", "cpu", "--metrics", regressionScored.toString());
        assertEquals(0, o.status(), o.err());
        Map<String, Object> regressionScores = (Map<String, Object>) StrictJson.parseObject(
                Files.readString(regressionScored)).get("scores");
        Map<String, Object> regressionTest = (Map<String, Object>) entries(regressionTrained, "runs").get(0)
                .get("test");
        assertEquals(List.of("y1", "y2"), List.copyOf(((Map<String, Object>) regressionScores.get("targets"))
                .keySet()));
        for (String key : List.of("rmse", "mae", "r2", "mse", "explained_variance")) {
            assertEquals(((Number) regressionTest.get(key)).doubleValue(),
                    ((Number) regressionScores.get(key)).doubleValue(), 1e-6, key);
            assertEquals(((Number) ((Map<String, Object>) regressionTest.get("baseline")).get(key)).doubleValue(),
                    ((Number) ((Map<String, Object>) regressionScores.get("baseline")).get(key)).doubleValue(), 1e-6,
                    "baseline " + key);
        }

        // The same without a header: the targets are positions, recorded as --label gave them, so that predict
        // matches --label 3,2 to the outputs as it matches names, and names them as the trainer did.
        Path headless = Files.writeString(dir.resolve("headless.csv"), String.join("\n",
                List.of(lines).subList(1, 121)) + "\n");
        Path headlessTest = Files.writeString(dir.resolve("headless-test.csv"), String.join("\n",
                List.of(lines).subList(121, lines.length)) + "\n");
        Path positional = dir.resolve("positional.safetensors");
        Path positionalTrained = dir.resolve("positional-trained.json");
        assertEquals(0, DigitsTrainerOptionsTest.run("--csv", headless.toString(), "--test-csv",
                headlessTest.toString(), "--label", "2,3", "--task", "regression", "--backend", "cpu", "--epochs", "10",
                "--progress-every", "0", "--save", positional.toString(), "--metrics", positionalTrained.toString())
                .status());
        Map<String, Object> trainedTargets = (Map<String, Object>) ((Map<String, Object>) entries(positionalTrained,
                "runs").get(0).get("test")).get("targets");
        Path reversed = dir.resolve("reversed.json");
        o = DigitsTrainerOptionsTest.run("predict", "--model", positional.toString(), "--csv", headlessTest.toString(),
                "--label", "3,2", "--backend", "cpu", "--metrics", reversed.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("(--label's columns matched to the model's outputs by position: 2, 3)"), o.out());
        assertEquals(trainedTargets, ((Map<String, Object>) StrictJson.parseObject(Files.readString(reversed))
                .get("scores")).get("targets"));

        DigitsTrainerOptionsTest.Outcome unlabelled = DigitsTrainerOptionsTest.run("predict", "--model",
                model.toString(), "--csv", Files.writeString(dir.resolve("rows.csv"), "0,".repeat(63) + "0\n")
                        .toString(), "--metrics", scored.toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, unlabelled.status());
        assertTrue(unlabelled.err().contains("option '--metrics' scores labelled rows: add --label COLUMN"),
                unlabelled.err());
        DigitsTrainerOptionsTest.Outcome onto = DigitsTrainerOptionsTest.run("predict", "--model", model.toString(),
                "--metrics", model.toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, onto.status());
        assertTrue(Files.size(model) > 1000, "the model is as it was");
    }

    @Test
    void refusedWhereNothingIsScoredOrTheNameIsAnInput() throws Exception {
        Path file = dir.resolve("m.json");
        DigitsTrainerOptionsTest.Outcome lr = DigitsTrainerOptionsTest.run("--backend", "cpu", "--find-lr",
                "--metrics", file.toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, lr.status());
        assertTrue(lr.err().contains("'--find-lr' does not go with '--metrics'"), lr.err());
        Path csv = Files.writeString(dir.resolve("d.csv"), "a,b\n1,x\n2,y\n");
        DigitsTrainerOptionsTest.Outcome input = DigitsTrainerOptionsTest.run("--csv", csv.toString(), "--header",
                "--label", "b", "--backend", "cpu", "--metrics", csv.toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, input.status());
        assertFalse(Files.exists(file));

        // Nor a file another option writes, nor the checkpoint a run resumes from: one would replace the other.
        Path model = dir.resolve("m.safetensors");
        DigitsTrainerOptionsTest.Outcome save = DigitsTrainerOptionsTest.run("--backend", "cpu", "--save",
                model.toString(), "--metrics", model.toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, save.status());
        assertTrue(save.err().contains(model + " is --save's file too, and one would replace the other"), save.err());
        Path ck = dir.resolve("ck");
        DigitsTrainerOptionsTest.Outcome checkpoint = DigitsTrainerOptionsTest.run("--backend", "cpu",
                "--checkpoint-dir", ck.toString(), "--metrics", ck.resolve("last.safetensors").toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, checkpoint.status());
        assertTrue(checkpoint.err().contains("is a file the run writes in --checkpoint-dir"), checkpoint.err());
        DigitsTrainerOptionsTest.Outcome chart = DigitsTrainerOptionsTest.run("--backend", "cpu", "--plots",
                dir.resolve("pl").toString(), "--history", dir.resolve("pl").resolve("loss.png").toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, chart.status());
        assertTrue(chart.err().contains("is a file the run writes in --plots"), chart.err());
        assertEquals(0, DigitsTrainerOptionsTest.run("--backend", "cpu", "--epochs", "1", "--progress-every", "0",
                "--checkpoint-dir", ck.toString()).status());
        Path last = ck.resolve("last.safetensors");
        DigitsTrainerOptionsTest.Outcome resumed = DigitsTrainerOptionsTest.run("--backend", "cpu", "--epochs", "2",
                "--resume", last.toString(), "--metrics", last.toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, resumed.status());
        assertTrue(resumed.err().contains(last + " is the file --resume reads"), resumed.err());
        // Through a symbolic link, which the write follows: to the checkpoint, or to --save's file not yet written.
        Path toBest = Files.createSymbolicLink(dir.resolve("a.json"), ck.resolve("best.safetensors"));
        DigitsTrainerOptionsTest.Outcome linked = DigitsTrainerOptionsTest.run("--backend", "cpu",
                "--checkpoint-dir", ck.toString(), "--metrics", toBest.toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, linked.status());
        assertTrue(linked.err().contains("is a file the run writes in --checkpoint-dir"), linked.err());
        Path toModel = Files.createSymbolicLink(dir.resolve("b.json"), dir.resolve("new.safetensors"));
        DigitsTrainerOptionsTest.Outcome linkedSave = DigitsTrainerOptionsTest.run("--backend", "cpu", "--save",
                dir.resolve("new.safetensors").toString(), "--metrics", toModel.toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, linkedSave.status());
        assertTrue(linkedSave.err().contains("is --save's file too"), linkedSave.err());
    }

    @Test
    void theHistoryHoldsEachEpochAndAResumedRunContinuesIt() throws Exception {
        Path history = dir.resolve("history.csv");
        Path checkpoints = dir.resolve("ck");
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--preset", "keras", "--backend", "cpu",
                "--epochs", "3", "--hidden", "8", "--progress", "lines", "--history", history.toString(),
                "--checkpoint-dir", checkpoints.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("  wrote " + history), o.out());
        List<String> lines = Files.readAllLines(history);
        assertEquals(dev.nnj.api.train.CsvLogger.HEADER, lines.get(0));
        assertEquals(4, lines.size(), lines.toString());
        // The printed epoch line's test loss is the row's val_loss: the set checked each epoch.
        Matcher third = Pattern.compile("epoch +3/3 .*test loss ([0-9.]+)").matcher(o.out());
        assertTrue(third.find(), o.out());
        assertEquals(third.group(1), String.format(Locale.ROOT, "%.4f", Double.parseDouble(lines.get(3)
                .split(",")[3])));
        DigitsTrainerOptionsTest.Outcome resumed = DigitsTrainerOptionsTest.run("--backend", "cpu", "--epochs", "5",
                "--progress-every", "0", "--resume", checkpoints.resolve("last.safetensors").toString(), "--history",
                history.toString());
        assertEquals(0, resumed.status(), resumed.err());
        List<String> continued = Files.readAllLines(history);
        assertEquals(6, continued.size(), continued.toString());
        assertEquals(lines.subList(0, 4), continued.subList(0, 4), "the first run's rows kept");
        assertTrue(continued.get(5).startsWith("5,"), continued.toString());
        assertFalse(resumed.out().contains("is new"), resumed.out());

        // A new file is started at the resumed epoch, and the run says it lacks the earlier ones.
        Path fresh = dir.resolve("fresh.csv");
        DigitsTrainerOptionsTest.Outcome started = DigitsTrainerOptionsTest.run("--backend", "cpu", "--epochs", "5",
                "--progress-every", "0", "--resume", checkpoints.resolve("last.safetensors").toString(), "--history",
                fresh.toString());
        assertEquals(0, started.status(), started.err());
        assertTrue(started.out().contains("  (--history " + fresh + " is new: it holds the epochs from 4 on, not the 3 "
                + "before the checkpoint)"), started.out());
        assertTrue(Files.readAllLines(fresh).get(1).startsWith("4,"), fresh.toString());

        // A log that stops before the checkpoint's epoch is another run's: continuing it would join two runs.
        Path other = dir.resolve("other.csv");
        Files.write(other, lines.subList(0, 2));   // epoch 1 only; the checkpoint is after epoch 3
        DigitsTrainerOptionsTest.Outcome gap = DigitsTrainerOptionsTest.run("--backend", "cpu", "--epochs", "6",
                "--progress-every", "0", "--resume", checkpoints.resolve("last.safetensors").toString(), "--history",
                other.toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, gap.status(), gap.out());
        assertTrue(gap.err().contains(other + " holds epochs up to 1, but the run resumes after epoch 3: it is not "
                + "this run's log"), gap.err());

        // In the --plots folder the run makes, a name that is no chart's.
        Path plots = dir.resolve("fresh-plots");
        assertEquals(0, DigitsTrainerOptionsTest.run("--backend", "cpu", "--epochs", "1", "--progress-every", "0",
                "--plots", plots.toString(), "--history", plots.resolve("history.csv").toString()).status());
        assertTrue(Files.isRegularFile(plots.resolve("history.csv")));
        // The model too (it was refused: "the directory ... does not exist").
        Path modelPlots = dir.resolve("model-plots");
        DigitsTrainerOptionsTest.Outcome saved = DigitsTrainerOptionsTest.run("--backend", "cpu", "--epochs", "1",
                "--progress-every", "0", "--plots", modelPlots.toString(), "--save",
                modelPlots.resolve("m.safetensors").toString());
        assertEquals(0, saved.status(), saved.err());
        assertTrue(Files.isRegularFile(modelPlots.resolve("m.safetensors")));

        // Several seeds: a log each, named as their charts are; each the one run's, as a run of that seed alone.
        Path logs = Files.createDirectories(dir.resolve("logs"));
        DigitsTrainerOptionsTest.Outcome seeds = DigitsTrainerOptionsTest.run("--backend", "cpu", "--seeds", "1,2",
                "--epochs", "3", "--progress-every", "0", "--history", logs.resolve("h.csv").toString());
        assertEquals(0, seeds.status(), seeds.err());
        assertFalse(Files.exists(logs.resolve("h.csv")), "no file of the name itself");
        assertTrue(seeds.out().contains("seed 2    wrote " + logs.resolve("seed-2-h.csv")), seeds.out());
        DigitsTrainerOptionsTest.Outcome alone = DigitsTrainerOptionsTest.run("--backend", "cpu", "--seed", "2",
                "--epochs", "3", "--progress-every", "0", "--history", dir.resolve("alone.csv").toString());
        assertEquals(0, alone.status(), alone.err());
        List<String> two = Files.readAllLines(logs.resolve("seed-2-h.csv"));
        List<String> one = Files.readAllLines(dir.resolve("alone.csv"));
        assertEquals(4, two.size(), two.toString());
        for (int i = 0; i < one.size(); i++) {
            // The same figures; only the elapsed time, the last column, differs.
            assertEquals(one.get(i).replaceAll(",[^,]*$", ""), two.get(i).replaceAll(",[^,]*$", ""));
        }
        assertTrue(Files.readAllLines(logs.resolve("seed-1-h.csv")).get(1).startsWith("1,"));

        // A seed given twice: each run its log, the second's named by its place, not replacing the first's.
        assertEquals(List.of("", "seed-3-", "seed-0-run-1-", "seed-0-run-3-"), List.of(
                DigitsTrainer.runPrefix(new long[] {7}, 0), DigitsTrainer.runPrefix(new long[] {0, 3}, 1),
                DigitsTrainer.runPrefix(new long[] {0, 3, 0}, 0), DigitsTrainer.runPrefix(new long[] {0, 3, 0}, 2)));
        DigitsTrainerOptionsTest.Outcome twice = DigitsTrainerOptionsTest.run("--backend", "cpu", "--seeds", "5,5",
                "--epochs", "2", "--progress-every", "0", "--history", logs.resolve("t.csv").toString());
        assertEquals(0, twice.status(), twice.err());
        assertTrue(Files.isRegularFile(logs.resolve("seed-5-run-1-t.csv")) && Files.isRegularFile(
                logs.resolve("seed-5-run-2-t.csv")), twice.out());

        // FILE is checked itself, though it only names the logs: '-' and a folder are refused as for one run.
        for (String[] several : new String[][] {{"--seeds", "1,2"}, {"--cv", "2"}}) {
            for (String name : new String[] {"-", logs.toString()}) {
                DigitsTrainerOptionsTest.Outcome refused = DigitsTrainerOptionsTest.run("--backend", "cpu",
                        several[0], several[1], "--epochs", "1", "--history", name);
                assertEquals(DigitsTrainer.EXIT_USAGE, refused.status(), refused.out());
                assertTrue(refused.err().contains("'--history'"), refused.err());
            }
        }
        assertFalse(Files.exists(logs.resolve("seed-1--")) || Files.exists(dir.resolve("seed-1-logs")));

        // Cross-validation: a log per fold, its val_ columns the rows the fold leaves out, also with --jobs.
        for (String jobs : new String[] {"1", "2"}) {
            DigitsTrainerOptionsTest.Outcome folds = DigitsTrainerOptionsTest.run("--backend", "cpu", "--cv", "2",
                    "--jobs", jobs, "--epochs", "3", "--progress-every", "0", "--history",
                    logs.resolve("cv" + jobs + ".csv").toString());
            assertEquals(0, folds.status(), folds.err());
            Matcher heldOut = Pattern.compile("fold (\\d)/2 +held out +loss ([0-9.]+) +accuracy ([0-9.]+)")
                    .matcher(folds.out());
            for (int f = 1; f <= 2; f++) {
                assertTrue(heldOut.find(), folds.out());
                Path log = logs.resolve("fold-" + heldOut.group(1) + "-cv" + jobs + ".csv");
                assertTrue(folds.out().contains("wrote " + log), folds.out());
                String[] last = Files.readAllLines(log).get(3).split(",");
                assertEquals(heldOut.group(2), String.format(Locale.ROOT, "%.4f", Double.parseDouble(last[3])));
                assertEquals(heldOut.group(3), String.format(Locale.ROOT, "%.4f", Double.parseDouble(last[4])));
            }
        }
    }
}
