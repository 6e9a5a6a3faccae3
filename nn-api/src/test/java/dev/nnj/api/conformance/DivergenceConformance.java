package dev.nnj.api.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.LossKind;
import dev.nnj.api.PairFunction;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.layers.Dropout;
import dev.nnj.api.losses.ElementwiseLoss;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.OptimizerState;
import dev.nnj.api.optim.Sgd;
import dev.nnj.api.train.DivergenceException;
import dev.nnj.api.train.EpochStats;
import dev.nnj.api.train.History;
import dev.nnj.api.train.Trainer;
import dev.nnj.api.train.TrainingListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Divergence is an error on the backend under test: a NaN that enters the weights mid-epoch, a weight that
 * turns non-finite after the last update of an epoch, a learning rate that blows training up, and a loss
 * stuck at the clamped-log floor each end {@link Trainer#fit} with a {@link DivergenceException} that names
 * the epoch, the batch and the parameter, and leave the model with the weights it had when the diverged epoch
 * began. A loss that is not finite before the first update is not blamed on the learning rate.
 */
public abstract class DivergenceConformance extends ModelTestSupport {
    private static final int ROWS = 40;
    private static final int BATCH = 8;          // 5 batches per epoch

    /** 40 rows, 3 features, 4 classes (labels from the sign pattern of the first two features). */
    private static Dataset data(long seed) {
        return signQuadrants(random("divergence", seed), ROWS);
    }

    private Sequential classifier(long seed) {
        return model(3, seed).add(new Dense(8, Activation.TANH)).add(new Dense(4, Activation.SOFTMAX));
    }

    /** Every parameter's values, in model order. */
    private static float[][] weights(Sequential m) {
        List<Parameter> ps = m.parameters();
        float[][] w = new float[ps.size()][];
        for (int i = 0; i < w.length; i++) {
            w[i] = ps.get(i).read();
        }
        return w;
    }

    /** Records the weights at the end of every epoch the trainer completes. */
    private static class WeightRecorder implements TrainingListener {
        final Sequential model;
        final List<float[][]> atEpochEnd = new ArrayList<>();

        WeightRecorder(Sequential model) {
            this.model = model;
        }

        @Override
        public void onEpochEnd(EpochStats stats) {
            atEpochEnd.add(weights(model));
        }
    }

    private static void assertAllFinite(float[][] w) {
        for (float[] p : w) {
            for (float v : p) {
                assertTrue(Float.isFinite(v), "weights left by a diverged run are finite: " + Arrays.toString(p));
            }
        }
    }

    private static void assertSameWeights(float[][] expected, float[][] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], "parameter " + i + " restored exactly");
        }
    }

    /**
     * SGD that writes NaN into one element of one parameter after the {@code batch}-th step of every epoch from
     * the second on (steps counted within 5-batch epochs), the way an overflow would.
     */
    private static final class PoisoningSgd extends ForwardingSgd {
        final int parameter;
        final int batch;
        /** The first parameter's gradient at every step, the replay's included. */
        final List<float[]> firstGradients = new ArrayList<>();

        PoisoningSgd(int parameter, int batch) {
            super(0.1f, "poisoning");
            this.parameter = parameter;
            this.batch = batch;
        }

        @Override
        public void step(List<Parameter> parameters) {
            firstGradients.add(parameters.get(0).readGradient());
            sgd.step(parameters);
            int n = sgd.steps();
            int batchesPerEpoch = ROWS / BATCH;
            if (n > batchesPerEpoch && (n - 1) % batchesPerEpoch == batch - 1) {
                Parameter p = parameters.get(parameter);
                float[] v = p.read();
                v[v.length / 2] = Float.NaN;
                p.value().copyFrom(v, 0);   // past write's finiteness check, on purpose
            }
        }
    }

    @Test
    void aNaNInTheWeightsNamesEpochBatchAndParameterAndRestoresTheEpochStart() {
        Sequential m = classifier(1);
        WeightRecorder recorder = new WeightRecorder(m);
        PoisoningSgd sgd = track(new PoisoningSgd(1, 2));
        String name = m.parameters().get(1).name();
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> Trainer.builder().epochs(10).batchSize(BATCH).seed(3).listener(recorder).build()
                        .fit(m, Loss.categoricalCrossEntropy(), sgd, data(1), null));
        assertEquals(2, e.epoch(), "epoch; " + e.getMessage());
        assertEquals(2, e.batch(), "batch; " + e.getMessage());
        assertEquals(name, e.parameter(), "parameter; " + e.getMessage());
        assertTrue(Double.isNaN(e.trainLoss()), "train loss " + e.trainLoss());
        for (String part : new String[] {"epoch 2", "batch 2 of 5", name, "NaN"}) {
            assertTrue(e.getMessage().contains(part), "message names '" + part + "': " + e.getMessage());
        }
        assertEquals(1, recorder.atEpochEnd.size(), "listeners saw only the healthy epoch");
        float[][] after = weights(m);
        assertAllFinite(after);
        assertSameWeights(recorder.atEpochEnd.get(0), after);
        // An optimizer of one's own that cannot rewind its state is reset instead, and the message says so.
        assertTrue(e.getMessage().contains("weights restored to the start of epoch 2, optimizer reset"),
                e.getMessage());
        assertEquals(0, sgd.steps(), "the optimizer was closed, so its next step is a first one");
    }

    /**
     * A model with dropout: the replay draws the masks the diverged epoch drew, so its first batch computes the
     * epoch's first gradient bit for bit (new masks would give another), and the exception leaves the mask stream
     * where it stood when the epoch began, with the weights.
     */
    @Test
    void theReplayDrawsTheEpochsDropoutMasks() {
        Sequential m = model(3, 4).add(new Dense(8, Activation.TANH)).add(new Dropout(0.5f))
                .add(new Dense(4, Activation.SOFTMAX));
        Dropout dropout = (Dropout) m.layers().get(1);
        PoisoningSgd sgd = track(new PoisoningSgd(0, 3));
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> Trainer.builder().epochs(10).batchSize(BATCH).seed(5).build()
                        .fit(m, Loss.categoricalCrossEntropy(), sgd, data(4), null));
        int batches = ROWS / BATCH;
        assertEquals(2, e.epoch(), "epoch; " + e.getMessage());
        assertEquals(3, e.batch(), "batch; " + e.getMessage());
        // Steps: epoch 1's five, epoch 2's five, then the replay's three (the third poisoned again).
        assertEquals(2 * batches + 3, sgd.firstGradients.size(), "steps taken");
        float[] epochTwoFirst = sgd.firstGradients.get(batches);
        float[] replayFirst = sgd.firstGradients.get(2 * batches);
        assertArrayEquals(epochTwoFirst, replayFirst, "the replay's first gradient is the epoch's: the same masks");
        assertArrayEquals(sgd.firstGradients.get(batches + 1), sgd.firstGradients.get(2 * batches + 1),
                "and its second");
        assertEquals(batches, dropout.masksDrawn(), "the mask stream is back at the epoch's start");
    }

    /**
     * Momentum SGD blown up from the second epoch on by a listener that raises its learning rate: the exception
     * leaves the optimizer as it was when the diverged epoch began (step count, learning rate, momenta), and the
     * same model and optimizer then train on at a sane rate, as a caller who catches it would.
     */
    @Test
    void theOptimizerIsRewoundWithTheWeightsSoTrainingCanGoOn() {
        Sequential m = classifier(6);
        Sgd sgd = track(new Sgd(0.1f, 0.9f, false));
        List<OptimizerState> states = new ArrayList<>();
        WeightRecorder recorder = new WeightRecorder(m) {
            @Override
            public void onEpochEnd(EpochStats stats) {
                super.onEpochEnd(stats);
                states.add(sgd.exportState());
                sgd.setLearningRate(1e4f);
            }
        };
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> Trainer.builder().epochs(50).batchSize(BATCH).seed(9).listener(recorder).build()
                        .fit(m, Loss.categoricalCrossEntropy(), sgd, data(6), null));
        assertTrue(e.getMessage().contains("weights and optimizer state restored to the start of epoch " + e.epoch()),
                e.getMessage());
        assertTrue(e.epoch() >= 2, "epoch 1 runs at 0.1 and is healthy; " + e.getMessage());
        assertEquals(states.size() + 1, e.epoch(), "the epoch after the last healthy one");
        OptimizerState before = states.get(states.size() - 1);
        OptimizerState after = sgd.exportState();
        assertEquals(before.steps(), after.steps(), "steps");
        assertEquals(1e4f, after.learningRate(), "the rate the diverged epoch started with");
        for (String parameter : before.slots().keySet()) {
            assertArrayEquals(before.slots().get(parameter).get(0), after.slots().get(parameter).get(0),
                    "momentum of " + parameter);
        }
        assertSameWeights(recorder.atEpochEnd.get(recorder.atEpochEnd.size() - 1), weights(m));

        sgd.setLearningRate(0.05f);
        History h = Trainer.builder().epochs(3).batchSize(BATCH).seed(9).build()
                .fit(m, Loss.categoricalCrossEntropy(), sgd, data(6), null);
        assertEquals(3, h.epochs(), "trained on");
        assertEquals(before.steps() + 3 * (ROWS / BATCH), sgd.steps(), "from the rewound step count");
        assertAllFinite(weights(m));
    }

    @Test
    void aWeightThatTurnsNonFiniteInTheLastUpdateStopsThatEpoch() {
        // The last step's update comes after the epoch's last loss: the loss is finite, the weights are not.
        Sequential m = classifier(2);
        WeightRecorder recorder = new WeightRecorder(m);
        PoisoningSgd sgd = track(new PoisoningSgd(2, ROWS / BATCH));
        String name = m.parameters().get(2).name();
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> Trainer.builder().epochs(10).batchSize(BATCH).seed(4).listener(recorder).build()
                        .fit(m, Loss.categoricalCrossEntropy(), sgd, data(2), null));
        assertEquals(2, e.epoch(), "epoch; " + e.getMessage());
        assertEquals(name, e.parameter(), "parameter; " + e.getMessage());
        assertTrue(e.getMessage().contains("or a weight is not finite"), e.getMessage());
        assertEquals(ROWS / BATCH, e.batch(), "the replay finds the last batch; " + e.getMessage());
        assertSameWeights(recorder.atEpochEnd.get(0), weights(m));
    }

    @Test
    void aHugeLearningRateIsReportedAsDivergenceWithFiniteWeightsLeft() {
        Sequential m = classifier(3);
        float[][] initial = weights(m);
        WeightRecorder recorder = new WeightRecorder(m);
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> Trainer.builder().epochs(200).batchSize(BATCH).seed(5).listener(recorder).build()
                        .fit(m, Loss.categoricalCrossEntropy(), track(new Sgd(1e4f)), data(3), null));
        assertTrue(!Double.isFinite(e.trainLoss()) || e.trainLoss() >= 50, "loss " + e.trainLoss());
        assertTrue(e.getMessage().contains("(lower the learning rate"), e.getMessage());
        assertTrue(!e.getMessage().contains("weight decay"), "no decay to blame: " + e.getMessage());
        assertEquals(recorder.atEpochEnd.size() + 1, e.epoch(), "the epoch after the last healthy one");
        float[][] after = weights(m);
        assertAllFinite(after);
        assertSameWeights(e.epoch() == 1 ? initial : recorder.atEpochEnd.get(e.epoch() - 2), after);
    }

    /** A weight decay with ηλ > 2 grows every weight whatever the gradients: the message names it beside the rate. */
    @Test
    void aWeightDecayThatGrowsTheWeightsIsNamed() {
        Sequential m = classifier(3);
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> Trainer.builder().epochs(50).batchSize(BATCH).seed(5).build().fit(m,
                        Loss.categoricalCrossEntropy(), track(new Sgd(0.1f, 0f, 0f, 1e6f, false)), data(3), null));
        assertTrue(e.getMessage().contains("(lower the learning rate") && e.getMessage().contains("; or the weight "
                + "decay: λ = 1000000.0 at η = 0.1 makes ηλ = 1.000e+05, and a step of plain decay, w ← (1 − ηλ) w, "
                + "grows every weight once ηλ > 2"), e.getMessage());
    }

    @Test
    void aLossNotFiniteBeforeTheFirstUpdateDoesNotBlameTheLearningRate() {
        // Finite features of 1e30: the squared error of the very first batch overflows to infinity.
        float[] x = new float[ROWS * 3];
        Arrays.fill(x, 1e30f);
        Dataset huge = new Dataset(x, 3, new float[ROWS], 1);
        Sequential m = model(3, 8).add(new Dense(1));
        Sgd sgd = track(new Sgd(1e-6f));
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> Trainer.builder().epochs(3).batchSize(BATCH).seed(8).build()
                        .fit(m, Loss.meanSquaredError(), sgd, huge, null));
        assertEquals(1, e.epoch(), "epoch; " + e.getMessage());
        assertEquals(1, e.batch(), "batch; " + e.getMessage());
        for (String part : new String[] {"the loss of batch 1 is Infinity", "before the first update",
            "the learning rate is not the cause", "too large for float32"}) {
            assertTrue(e.getMessage().contains(part), "message names '" + part + "': " + e.getMessage());
        }
        assertTrue(!e.getMessage().contains("lower the learning rate"), e.getMessage());
        // Mean squared error, but targets of 0: the features are to blame, and scaling the targets cannot help.
        assertTrue(!e.getMessage().contains("targets far from unit scale"), e.getMessage());
    }

    /** A custom loss of value {@code (p − y)²} whose gradient is {@code gradient}, right or not. */
    private static Loss squaredErrorWithGradient(String name, PairFunction gradient) {
        return Loss.custom(name, new ElementwiseLoss() {
            @Override
            public float value(float prediction, float target) {
                return (prediction - target) * (prediction - target);
            }

            @Override
            public float gradient(float prediction, float target) {
                return gradient.apply(prediction, target);
            }
        });
    }

    @Test
    void aGradientNotFiniteBeforeTheFirstUpdateDoesNotBlameTheLearningRate() {
        // A custom loss whose value is finite and whose gradient is NaN: the first backward pass is to blame.
        Loss nanGradient = squaredErrorWithGradient("nan_gradient", (p, t) -> Float.NaN);
        Sequential m = model(3, 8).add(new Dense(4));
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> Trainer.builder().epochs(3).batchSize(BATCH).seed(8).build()
                        .fit(m, nanGradient, track(new Sgd(0.01f)), data(1), null));
        assertEquals(1, e.batch(), "batch; " + e.getMessage());
        for (String part : new String[] {"(replayed: the gradient of ", "(the gradient was not finite before the "
                + "first update, so the learning rate is not the cause", "a custom loss's gradient"}) {
            assertTrue(e.getMessage().contains(part), "message names '" + part + "': " + e.getMessage());
        }
        assertTrue(!e.getMessage().contains("lower the learning rate"), e.getMessage());
    }

    /** The same at a later batch: the learning rate may be the cause, and the custom part is named beside it. */
    @Test
    void aGradientNotFiniteOfAFiniteLossNamesTheCustomPartToo() {
        Loss nanAtFive = squaredErrorWithGradient("nan_at_five", (p, t) -> t > 4 ? Float.NaN : 2 * (p - t));
        float[] x = new float[ROWS * 3];
        float[] y = new float[ROWS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 7) / 7f;
        }
        y[ROWS - 1] = 5;   // the last row, in the last batch
        Sequential m = model(3, 8).add(new Dense(1));
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> Trainer.builder().epochs(2).batchSize(BATCH).shuffle(false).seed(8).build()
                        .fit(m, nanAtFive, track(new Sgd(0.01f)), new Dataset(x, 3, y, 1), null));
        assertEquals(ROWS / BATCH, e.batch(), "batch; " + e.getMessage());
        assertTrue(e.getMessage().contains("(lower the learning rate?") && e.getMessage().contains("the batch's loss "
                + "was finite and its gradient not: with a custom loss or activation, check its gradient or "
                + "derivative there too)"), e.getMessage());
    }

    @Test
    void aLossAtTheLogFloorIsDivergence() {
        // Softmax saturated on class 0 for every row: p(true class) underflows to 0 for the ~3/4 of rows of
        // other classes, whose loss is then the floor, 100; a tiny learning rate keeps it there.
        Sequential m = model(3, 4).add(new Dense(4, Activation.SOFTMAX));
        Parameter bias = m.parameters().get(1);
        bias.write(new float[] {1e4f, 0, 0, 0});
        float[][] initial = weights(m);
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> Trainer.builder().epochs(5).batchSize(BATCH).seed(6).build()
                        .fit(m, Loss.categoricalCrossEntropy(), track(new Sgd(1e-6f)), data(4), null));
        assertEquals(1, e.epoch(), "epoch");
        assertEquals(0, e.batch(), "no single batch is to blame");
        assertNull(e.parameter(), "every weight is finite");
        assertTrue(e.trainLoss() >= 50 && e.trainLoss() <= -LossKind.LOG_FLOOR, "loss " + e.trainLoss());
        assertTrue(e.getMessage().contains("floor"), e.getMessage());
        assertTrue(!e.getMessage().contains("targets far from unit scale"), "a classifier's: " + e.getMessage());
        assertSameWeights(initial, weights(m));
    }

    /**
     * The replay steps as the epoch did, gradient clipping included. Targets of 1e15 and a rate of 1e10: clipped to 1
     * per value, the steps stay finite until a feature of 3e38 in batch 3 overflows that batch's output; a replay
     * without the clipping would blow the weights up at once and blame batch 2.
     */
    @Test
    void theReplayClipsTheGradientsAsTheEpochDid() {
        float[] x = uniform(random("clipped replay"), ROWS * 3, -1, 1);
        x[17 * 3 + 1] = 3e38f;   // row 17: batch 3 of 5, in order; finite, so the data set takes it
        float[] y = new float[ROWS];
        java.util.Arrays.fill(y, 1e15f);
        Dataset data = new Dataset(x, 3, y, 1);
        Sequential m = model(3, 10).add(new Dense(1));
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> Trainer.builder().epochs(3).batchSize(BATCH).shuffle(false).clipGradientValue(1.0).build()
                        .fit(m, Loss.meanSquaredError(), track(new Sgd(1e10f)), data, null));
        assertEquals(1, e.epoch(), "epoch; " + e.getMessage());
        assertEquals(3, e.batch(), "the batch with the overflowing feature; " + e.getMessage());
        assertTrue(e.getMessage().contains("the loss of batch 3 is"), e.getMessage());
        // Targets of 1e15 under mean squared error: their scale is named too, with the cure.
        assertTrue(e.getMessage().contains("targets far from unit scale do this too: scale them (a StandardScaler "
                + "on the targets, saved with Preprocessing.withTargetScaler)"), e.getMessage());
    }

    @Test
    void aHealthyRunIsNotStopped() {
        History h = Trainer.builder().epochs(5).batchSize(BATCH).seed(7).build()
                .fit(classifier(5), Loss.categoricalCrossEntropy(), track(new Sgd(0.1f)), data(5), null);
        assertEquals(5, h.epochs(), "epochs run");
    }
}
