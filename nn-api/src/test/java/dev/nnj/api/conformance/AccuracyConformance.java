package dev.nnj.api.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.Tensor;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.metrics.Predictions;
import dev.nnj.api.metrics.RegressionReport;
import dev.nnj.api.model.Evaluation;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Sgd;
import dev.nnj.api.train.CsvLogger;
import dev.nnj.api.train.EarlyStopping;
import dev.nnj.api.train.EpochStats;
import dev.nnj.api.train.History;
import dev.nnj.api.train.ReduceLROnPlateau;
import dev.nnj.api.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accuracy is measured only where it means something: for targets that are classes (one-hot rows, 0/1 values,
 * labelled rows). A regression gets none from {@link Sequential#evaluate}, the {@link Trainer}'s epochs, its
 * {@link History} and its listeners, and early stopping refuses to watch it; a classifier keeps it, also when
 * trained with mean squared error on one-hot targets.
 */
public abstract class AccuracyConformance extends ModelTestSupport {

    /** 60 rows of 2 features, y = 3 x₀ − x₁ + noise: real values, not classes. */
    private static Dataset regression() {
        Random r = random("accuracy regression");
        int n = 60;
        float[] x = uniform(r, n * 2, -1, 1);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = 3 * x[2 * i] - x[2 * i + 1] + 0.1f * (float) r.nextGaussian();
        }
        return new Dataset(x, 2, y, 1);
    }

    private Sequential regressor() {
        return model(2, 5).add(new Dense(8, Activation.TANH)).add(new Dense(1, Activation.IDENTITY));
    }

    /** Rows whose arg-max output is the label, counted on the host. */
    private static int correct(float[] outputs, int[] labels, int classes) {
        int count = 0;
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int j = 1; j < classes; j++) {
                best = outputs[i * classes + j] > outputs[i * classes + best] ? j : best;
            }
            count += best == labels[i] ? 1 : 0;
        }
        return count;
    }

    /**
     * A loss summed over many batches keeps double precision: 20,000 batches of one identical row, each adding the
     * same float32 loss, average to that loss. A float32 running total rounds every addition to its own growing ulp
     * (2⁻¹⁰ near 14,000), one-sided for equal addends: about 10⁻⁴ of the mean before the sums were read into a
     * double every 16 batches. The training epoch's sum (a learning rate too small to move a weight) and
     * {@code evaluate}'s both.
     */
    @Test
    void aLossSummedOverManyBatchesKeepsDoublePrecision() {
        int n = 20_000;
        float[] x = new float[n];
        java.util.Arrays.fill(x, 0.1f);
        Dataset data = Dataset.ofLabels(x, 1, new int[n], 2);
        Sequential m = model(1, 7).add(new Dense(2, Activation.SOFTMAX));
        Evaluation row = m.evaluate(Dataset.ofLabels(new float[] {0.1f}, 1, new int[1], 2),
                Loss.categoricalCrossEntropy(), 1);
        double one = row.loss();
        Evaluation e = m.evaluate(data, Loss.categoricalCrossEntropy(), 1);
        assertEquals(one, e.loss(), 1e-6 * one, "mean over " + n + " batches of one row: " + e);
        assertEquals(row.accuracy(), e.accuracy(), 0, "every row the same: all right or all wrong");
        History h = Trainer.builder().epochs(1).batchSize(1).shuffle(false).build()
                .fit(m, Loss.categoricalCrossEntropy(), new Sgd(1e-30f), data, null);
        assertEquals(one, h.trainLoss()[0], 1e-6 * one, "the epoch's mean training loss over " + n + " batches");
    }

    @Test
    void aRegressionIsEvaluatedWithoutAccuracy() {
        Dataset data = regression();
        assertFalse(data.hasClassTargets(), "real-valued targets are not classes");
        Sequential m = regressor();
        Evaluation e = m.evaluate(data, Loss.meanSquaredError(), 16);
        assertFalse(e.hasAccuracy(), "evaluate(Dataset): " + e);
        assertTrue(Double.isNaN(e.accuracy()), "accuracy is NaN, not a number with no meaning: " + e.accuracy());
        assertTrue(e.loss() > 0, "the loss is still measured: " + e);
        assertFalse(e.toString().contains("accuracy"), e.toString());

        Tensor x = tensor(data.features(), data.size(), 2);
        Tensor y = tensor(data.targets(), data.size(), 1);
        Evaluation onTensors = m.evaluate(x, y, Loss.meanSquaredError());
        assertFalse(onTensors.hasAccuracy(), "evaluate(Tensor, Tensor) reads the targets and finds no classes");
        assertEquals(e.loss(), onTensors.loss(), 1e-6 * e.loss(), "same loss either way");
        assertFalse(m.evaluate(x, y, Loss.meanSquaredError(), false).hasAccuracy(), "told: no classes");
    }

    @Test
    void aRegressionTrainsWithoutAccuracyInStatsHistoryAndLog(@TempDir Path dir) throws IOException {
        Dataset data = regression();
        List<EpochStats> seen = new ArrayList<>();
        Path csv = dir.resolve("log.csv");
        History h = Trainer.builder().epochs(3).batchSize(16).listener(seen::add).listener(new CsvLogger(csv))
                .build().fit(regressor(), Loss.meanSquaredError(), track(new Sgd(0.05f)), data, data);
        assertFalse(h.hasAccuracy(), "training accuracy of a regression");
        assertFalse(h.hasValidationAccuracy(), "validation accuracy of a regression");
        for (int e = 0; e < h.epochs(); e++) {
            assertTrue(Float.isNaN(h.trainAccuracy()[e]) && Float.isNaN(h.validationAccuracy()[e]),
                    "epoch " + (e + 1) + ": no accuracies, got " + h.trainAccuracy()[e] + ", "
                            + h.validationAccuracy()[e]);
            assertTrue(Float.isFinite(h.trainLoss()[e]) && Float.isFinite(h.validationLoss()[e]), "losses kept");
        }
        for (EpochStats s : seen) {
            assertFalse(s.hasAccuracy() || s.hasValidationAccuracy(), s.toString());
            String line = s.toString();
            assertTrue(line.contains("loss") && line.contains("val_loss"), line);
            assertFalse(line.contains("acc"), "the epoch line leaves the accuracy out: " + line);
        }
        List<String> rows = Files.readAllLines(csv);
        assertEquals(CsvLogger.HEADER, rows.get(0));
        String[] cells = rows.get(1).split(",", -1);
        assertEquals("", cells[2], "empty train_accuracy cell: " + rows.get(1));
        assertEquals("", cells[4], "empty val_accuracy cell: " + rows.get(1));
    }

    @Test
    void meanSquaredErrorOnOneHotTargetsKeepsItsAccuracy() {
        // The article's network: a softmax classifier trained with mean squared error on one-hot targets.
        Dataset data = signQuadrants(random("accuracy mse one-hot"), 40);
        assertTrue(data.hasClassTargets());
        Sequential m = model(3, 9).add(new Dense(8, Activation.TANH)).add(new Dense(4, Activation.SOFTMAX));
        History h = Trainer.builder().epochs(2).batchSize(8).build()
                .fit(m, Loss.meanSquaredError(), track(new Sgd(0.5f)), data, data);
        assertTrue(h.hasAccuracy() && h.hasValidationAccuracy(), "accuracies recorded");
        Evaluation e = m.evaluate(data, Loss.meanSquaredError(), 7);
        assertTrue(e.hasAccuracy(), e.toString());
        int expected = correct(m.predict(data.features(), data.size()), data.labels(), 4);
        assertEquals(expected / 40.0, e.accuracy(), 1e-12, "accuracy is the share of arg-max hits");
        assertEquals(e.accuracy(), h.validationAccuracy()[1], 1e-6, "the last epoch's validation accuracy");
        assertEquals(e.accuracy(), Predictions.of(m, data).report().accuracy(), 1e-12, "the report agrees");
        assertEquals(expected / 40.0, m.evaluate(tensor(data.features(), 40, 3), tensor(data.targets(), 40, 4),
                Loss.meanSquaredError()).accuracy(), 1e-12, "evaluate on tensors finds the one-hot rows");
    }

    @Test
    void softTargetsWithLabelsHaveTheLabelsAccuracy() {
        // Label smoothing: each row peaks at its label, so accuracy counted from the targets is the labels' own.
        Dataset hard = signQuadrants(random("accuracy soft"), 40);
        float[] soft = new float[40 * 4];
        for (int i = 0; i < soft.length; i++) {
            soft[i] = hard.targets()[i] * 0.8f + 0.05f;
        }
        Dataset smoothed = new Dataset(hard.features(), 3, soft, 4, hard.labels());
        Dataset unlabelled = new Dataset(hard.features(), 3, soft, 4);
        assertTrue(smoothed.hasClassTargets(), "labelled rows are classes");
        assertFalse(unlabelled.hasClassTargets(), "soft rows without labels are not");
        Sequential m = model(3, 4).add(new Dense(4, Activation.SOFTMAX));
        Evaluation e = m.evaluate(smoothed, Loss.categoricalCrossEntropy(), 16);
        assertEquals(correct(m.predict(hard.features(), 40), hard.labels(), 4) / 40.0, e.accuracy(), 1e-12);
        assertEquals(e.accuracy(), Predictions.of(m, smoothed).report().accuracy(), 1e-12, "the report agrees");
        assertFalse(m.evaluate(unlabelled, Loss.categoricalCrossEntropy(), 16).hasAccuracy());
    }

    @Test
    void earlyStoppingOnAccuracyIsRefusedForARegressionBeforeTheFirstEpoch() {
        Dataset data = regression();
        Sequential m = regressor();
        Map<String, float[]> before = m.stateDict();
        assertThrowsSaying(IllegalArgumentException.class, () -> Trainer.builder().epochs(3)
                        .earlyStopping(new EarlyStopping(EarlyStopping.Monitor.VALIDATION_ACCURACY, 2, 0, true))
                        .build().fit(m, Loss.meanSquaredError(), track(new Sgd(0.05f)), data, data),
                "early stopping monitors VALIDATION_ACCURACY", "not classes", "row 0 is "
                        + data.targets()[0], "monitor VALIDATION_LOSS");
        for (Map.Entry<String, float[]> e : before.entrySet()) {
            assertSameFloats(e.getKey() + " untouched", e.getValue(), m.parameter(e.getKey()).read());
        }
    }

    @Test
    void listenersWatchingAccuracyRefuseARegression() {
        Dataset data = regression();
        assertThrowsSaying(IllegalStateException.class, () -> Trainer.builder().epochs(3)
                        .listener(ReduceLROnPlateau.on(EarlyStopping.Monitor.VALIDATION_ACCURACY)).build()
                        .fit(regressor(), Loss.meanSquaredError(), track(new Sgd(0.05f)), data, data),
                "ReduceLROnPlateau monitors VALIDATION_ACCURACY", "not classes", "VALIDATION_LOSS");
    }

    /** One sigmoid output is two classes: top-1 is its accuracy, top-2 counts every row. */
    @Test
    void aBinaryClassifierWithOneOutputHasTopKAccuracy() {
        Random r = random("accuracy binary");
        int n = 40;
        float[] x = uniform(r, n * 2, -1, 1);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = x[2 * i] + 0.3f * x[2 * i + 1] > 0.1f ? 1 : 0;
        }
        Dataset data = Dataset.ofBinaryLabels(x, 2, labels);
        Sequential m = model(2, 9).add(new Dense(1, Activation.SIGMOID));
        float[] out = m.predict(x, n);
        int hits = 0;
        for (int i = 0; i < n; i++) {
            hits += (out[i] > 0.5f ? 1 : 0) == labels[i] ? 1 : 0;
        }
        Predictions p = Predictions.of(m, data);
        assertEquals(hits / (double) n, p.topKAccuracy(1), 1e-12, "top-1 is the accuracy");
        assertEquals(p.report().accuracy(), p.topKAccuracy(1), 1e-12, "the report agrees");
        assertEquals(1.0, p.topKAccuracy(2), 0, "top-2 of two classes");
        assertThrowsSaying(IllegalArgumentException.class, () -> p.topKAccuracy(0), "k must be at least 1");
    }

    /** A regression's own report: its MSE is the loss evaluate gives for one output. */
    @Test
    void aRegressionHasARegressionReport() {
        Dataset data = regression();
        Sequential m = regressor();
        Trainer.builder().epochs(20).batchSize(10).seed(2).build()
                .fit(m, Loss.meanSquaredError(), track(new dev.nnj.api.optim.Adam(0.05f)), data, null);
        RegressionReport r = RegressionReport.of(m, data);
        assertEquals(m.evaluate(data, Loss.meanSquaredError(), 60).loss(), r.meanSquaredError(), 1e-5,
                "the report's MSE is evaluate's loss");
        assertTrue(r.r2() > 0.5, "20 epochs explain most of y = 3 x0 - x1: R² " + r.r2());
        assertEquals(60, r.rows());
    }

    @Test
    void classificationMetricsRefuseARegression() {
        Dataset data = regression();
        assertThrowsSaying(IllegalArgumentException.class, () -> Predictions.of(regressor(), data),
                "class targets", "row 0 is " + data.targets()[0], "no labels",
                "for a regression's real-valued targets use RegressionReport.of(model, data)");
    }
}
