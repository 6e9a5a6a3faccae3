package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.io.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --monitor}: early stopping and the best checkpoint watch the named figure on the validation rows, as
 * Keras's {@code monitor='val_balanced_accuracy', mode='max'}; the history holds it per epoch; model files record
 * it, and a resumed run keeps it and refuses another; it is refused where nothing watches it, and on a regression.
 */
class MonitorOptionTest {
    @TempDir
    Path dir;

    private static DigitsTrainerOptionsTest.Outcome run(String... args) {
        return DigitsTrainerOptionsTest.run(args);
    }

    /** 600 rows of 4 features, about one in eight of class "yes": an imbalanced task. */
    private Path imbalanced() throws Exception {
        Random r = new Random(5);
        List<String> lines = new ArrayList<>(List.of("a,b,c,d,label"));
        for (int i = 0; i < 600; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            boolean yes = r.nextDouble() < 1 / (1 + Math.exp(-(1.5 * a + b - 2.6)));
            lines.add(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%.4f,%s", a, b, r.nextGaussian(), r.nextGaussian(),
                    yes ? "yes" : "no"));
        }
        Path csv = dir.resolve("imbalanced.csv");
        Files.write(csv, lines);
        return csv;
    }

    @Test
    void theWatchedFigureChoosesTheKeptEpoch() throws Exception {
        Path history = dir.resolve("h.csv");
        Path checkpoints = dir.resolve("ck");
        DigitsTrainerOptionsTest.Outcome o = run("--csv", imbalanced().toString(), "--header", "--label", "label",
                "--backend", "cpu", "--hidden", "8", "--epochs", "60", "--class-weight", "balanced",
                "--early-stopping", "--patience", "6", "--monitor", "balanced-accuracy", "--pos-label", "yes",
                "--history", history.toString(), "--checkpoint-dir", checkpoints.toString(), "--progress", "lines",
                "--metrics", dir.resolve("m.json").toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("early stopping on validation balanced accuracy (patience 6, best weights "
                + "restored)"), o.out());
        assertTrue(o.out().matches("(?s).*val loss [0-9.]+ acc [0-9.]+ balanced_accuracy [0-9.]+ .*"), o.out());

        // The kept epoch is the first that reached the highest balanced accuracy before the stop, as Keras keeps it.
        List<String> rows = Files.readAllLines(history);
        List<String> header = List.of(rows.get(0).split(","));
        int column = header.indexOf("val_balanced_accuracy");
        assertTrue(column > 0, "a column of the watched figure: " + header);
        int best = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int e = 1; e < rows.size(); e++) {
            double v = Double.parseDouble(rows.get(e).split(",")[column]);
            if (v > bestValue) {
                bestValue = v;
                best = e;
            }
        }
        Matcher result = Pattern.compile("result: (\\d+) epochs .*?best epoch (\\d+) restored").matcher(o.out());
        assertTrue(result.find(), o.out());
        int ran = Integer.parseInt(result.group(1));
        assertEquals(rows.size() - 1, ran, "one history row an epoch");
        assertEquals(best, Integer.parseInt(result.group(2)), "the kept epoch is the best balanced accuracy's");
        assertTrue(ran < 60 && ran == best + 6, "stopped 6 epochs after it: " + ran);

        // --metrics gives the watched figure at the kept epoch, as History keeps it (a float).
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> entry = ((List<java.util.Map<String, Object>>) dev.nnj.api.io.StrictJson
                .parseObject(Files.readString(dir.resolve("m.json"))).get("runs")).get(0);
        assertEquals((float) bestValue, ((Number) entry.get("best_val_balanced_accuracy")).floatValue());

        Path bestFile = checkpoints.resolve("best.safetensors");
        Checkpoint.Info info = Checkpoint.inspect(bestFile);
        assertEquals(best, info.epoch(), "the best checkpoint is the same epoch's");
        assertEquals("balanced-accuracy", info.metadata().get(RunSettings.MONITOR_KEY));
    }

    @Test
    void aResumedRunKeepsItsMonitor() throws Exception {
        String[] settings = {"--preset", "keras", "--backend", "cpu", "--hidden", "8", "--early-stopping",
            "--monitor", "macro-f1", "--progress-every", "0"};
        DigitsTrainerOptionsTest.assertResumeKeeps(dir, settings, "--monitor loss", "'--monitor': loss differs from "
                + "the macro-f1 that LAST was trained with", "2 + 1 epochs equal 3");
    }

    /**
     * A resumed run watches what its checkpoint's run watched, with the positive class that run had (average
     * precision is that class's): a resume without --pos-label took the default class, halfway through, and one
     * without --checkpoint-dir was refused as a --monitor nothing watched, though it was the file's.
     */
    @Test
    void aResumedRunWatchesItsRunsFigureOfItsRunsPositiveClass() throws Exception {
        String csv = imbalanced().toString();
        String[] common = {"--csv", csv, "--header", "--label", "label", "--backend", "cpu", "--hidden", "8",
            "--monitor", "average-precision", "--pos-label", "no", "--early-stopping", "--patience", "30",
            "--lr-schedule", "plateau:2:0.5", "--progress-every", "0"};
        Path straight = dir.resolve("straight.safetensors");
        assertEquals(0, run(DigitsTrainerOptionsTest.concat(common, "--epochs", "16", "--save", straight.toString()))
                .status());
        Path checkpoints = dir.resolve("ck");
        assertEquals(0, run(DigitsTrainerOptionsTest.concat(common, "--epochs", "6", "--checkpoint-dir",
                checkpoints.toString())).status());
        String last = checkpoints.resolve("last.safetensors").toString();
        Path resumed = dir.resolve("resumed.safetensors");
        DigitsTrainerOptionsTest.Outcome more = run("--csv", csv, "--header", "--label", "label", "--backend", "cpu",
                "--resume", last, "--epochs", "16", "--progress-every", "0", "--save", resumed.toString());
        assertEquals(0, more.status(), more.err());
        assertTrue(more.out().contains("learning rate x0.5 on the 3rd epoch in a row without a better validation "
                + "average precision"), more.out());
        DigitsTrainerOptionsTest.assertSameWeights(straight, resumed, "6 + 10 epochs equal 16, watching class no");
        DigitsTrainerOptionsTest.assertOneLineUsageError("--csv " + csv + " --header --label label --resume " + last
                + " --epochs 16 --pos-label yes", "'--pos-label': yes differs from the no that " + last);
        // A run that took the default positive class resumes with it named, and refuses the other.
        Path plainRun = dir.resolve("plain-ck");
        assertEquals(0, run("--csv", csv, "--header", "--label", "label", "--backend", "cpu", "--hidden", "8",
                "--epochs", "2", "--progress-every", "0", "--checkpoint-dir", plainRun.toString()).status());
        String plainLast = plainRun.resolve("last.safetensors").toString();
        assertEquals(0, run("--csv", csv, "--header", "--label", "label", "--backend", "cpu", "--resume", plainLast,
                "--epochs", "3", "--progress-every", "0", "--pos-label", "yes").status(), "the default, named");
        DigitsTrainerOptionsTest.Outcome other = run("--csv", csv, "--header", "--label", "label", "--backend", "cpu",
                "--resume", plainLast, "--epochs", "3", "--progress-every", "0", "--pos-label", "no");
        assertEquals(2, other.status(), other.err());
        assertTrue(other.err().contains("'--pos-label': no is not the class " + plainLast + " was trained with as "
                + "positive (the default, yes)"), other.err());

        Path watched = dir.resolve("watched");
        Path figures = dir.resolve("watched.json");
        assertEquals(0, run("--preset", "keras", "--backend", "cpu", "--hidden", "8", "--epochs", "2", "--monitor",
                "macro_f1", "--progress-every", "0", "--checkpoint-dir", watched.toString(), "--metrics",
                figures.toString()).status());
        // Without early stopping the best epoch is the last, whose figure is not the best: not given as one.
        assertTrue(!Files.readString(figures).contains("best_val_"), Files.readString(figures));
        DigitsTrainerOptionsTest.Outcome plain = run("--backend", "cpu", "--epochs", "3", "--progress-every", "0",
                "--resume", watched.resolve("last.safetensors").toString());
        assertEquals(0, plain.status(), "resumed without --checkpoint-dir: " + plain.err());
    }

    @Test
    void aMonitorNothingWatchesIsAUsageError() throws Exception {
        DigitsTrainerOptionsTest.assertOneLineUsageError("--backend cpu --epochs 2 --monitor macro-f1",
                "option '--monitor' has no effect without --early-stopping, --checkpoint-dir or --lr-schedule "
                + "plateau");
        DigitsTrainerOptionsTest.assertOneLineUsageError("--csv " + imbalanced() + " --header --label a --task "
                + "regression --early-stopping --monitor roc-auc", "'--monitor': roc-auc is a classifier's figure");
        Path rare = dir.resolve("rare.csv");
        List<String> lines = new ArrayList<>(List.of("x,label"));
        for (int i = 0; i < 200; i++) {
            lines.add(i + "," + (i < 3 ? "c" : i % 2 == 0 ? "a" : "b"));
        }
        Files.write(rare, lines);
        // After the data is read (its warnings of the rare class come first), before any training.
        DigitsTrainerOptionsTest.Outcome undefined = run("--csv", rare.toString(), "--header", "--label", "label",
                "--early-stopping", "--monitor", "roc-auc");
        assertEquals(2, undefined.status(), undefined.err());
        assertTrue(undefined.err().contains("'--monitor': roc-auc is undefined on the 16 val rows, which hold no row "
                + "of class c: it would be NaN every epoch"), undefined.err());
        assertTrue(!undefined.out().contains("epoch"), "no training: " + undefined.out());
        DigitsTrainerOptionsTest.assertOneLineUsageError("--early-stopping --monitor auc",
                "'--monitor': 'auc' is not one of: loss, accuracy, balanced-accuracy, macro-f1, roc-auc, "
                + "average-precision");
    }
}
