package dev.nnj.bench;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Adam;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.optim.Sgd;
import dev.nnj.api.train.EpochStats;
import dev.nnj.api.train.Trainer;
import dev.nnj.api.train.TrainingControl;
import dev.nnj.api.train.TrainingListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The training speed of one multilayer perceptron on synthetic rows, for {@code bench/mlp-shapes.sh}, which runs the
 * same network in PyTorch beside it ({@code bench/mlp/mlp_torch.py}: the same arguments and output, rows drawn alike
 * by its own generator, its own initial weights):
 * <pre>
 *   x (rows, in) ~ N(0, 1) → Dense(h₁, f) → … → Dense(out)
 *   out: softmax with cross-entropy (ce), or identity with mean squared error (mse)
 * </pre>
 * Classes come from the first two features ({@code ⌊3 x₀ + 2 x₁⌋ mod out}) and a regression's target from the
 * first ({@code x₀ / 2 + N(0, 0.01)}), so that the loss falls; what is timed does not depend on it. Epochs of
 * {@code Trainer.fit} (shuffled batches, no evaluation) are timed one by one: the first {@code warm} seconds are
 * the JIT's warm-up, reported as the first epoch's time; the epochs of the next {@code measure} seconds give the
 * median.
 * One line, in the anchors' {@code key=value} format:
 * <pre>
 *   mlp program=nnj shape=784-256-10 activation=relu loss=ce optimizer=adam batch=128 rows=20000 threads=2
 *       first_epoch_ms=1251.0 median_epoch_ms=131.2 epochs=41 samples_per_s=152439 loss_first=2.3 loss_last=1.1
 * </pre>
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp benchmarks.jar dev.nnj.bench.MlpShapes
 *        SHAPE ACTIVATION ce|mse sgd|adam BATCH [ROWS WARM_S MEASURE_S]
 * </pre>
 * SGD steps at 0.01, Adam at 1e-3 (PyTorch's defaults otherwise). The cpu backend's threads are
 * {@code -Dnnj.cpu.threads} (every core by default).
 */
public final class MlpShapes {
    private static final String USAGE = "usage: MlpShapes SHAPE (e.g. 784-256-10) ACTIVATION (relu, tanh, sigmoid, "
            + "...) ce|mse sgd|adam BATCH [ROWS (20000) WARM_S (3) MEASURE_S (5)]";

    private MlpShapes() {
    }

    /**
     * One case: the network, its training, and how long to time it.
     *
     * @param widths     input, hidden and output widths
     * @param activation the hidden layers' activation
     * @param classifier softmax and cross-entropy (ce), else identity and MSE (mse)
     * @param adam       Adam at 1e-3, else SGD at 0.01
     * @param batch      rows per batch
     * @param rows       rows per epoch
     * @param warmS      seconds of warm-up before the timed epochs
     * @param measureS   seconds of timed epochs (at least three)
     */
    record Case(int[] widths, Activation activation, boolean classifier, boolean adam, int batch, int rows,
                double warmS, double measureS) {

        /**
         * Reads the command line.
         *
         * @param args {@code SHAPE ACTIVATION ce|mse sgd|adam BATCH [ROWS WARM_S MEASURE_S]}
         * @return the case
         * @throws IllegalArgumentException naming the argument that is missing or wrong
         */
        static Case parse(String... args) {
            if (args.length != 5 && args.length != 8) {
                throw new IllegalArgumentException(USAGE);
            }
            int[] widths = Arrays.stream(args[0].split("-")).mapToInt(w -> positive("a width of SHAPE", w)).toArray();
            if (widths.length < 2) {
                throw new IllegalArgumentException("SHAPE needs an input and an output width, got '" + args[0] + "'");
            }
            Activation f = Arrays.stream(Activation.values()).filter(a -> a.label().equals(args[1])
                    && a != Activation.SOFTMAX).findFirst().orElseThrow(() -> new IllegalArgumentException(
                    "ACTIVATION must be an elementwise one (relu, tanh, sigmoid, leaky_relu, elu, identity), got '"
                    + args[1] + "'"));
            if (!args[2].equals("ce") && !args[2].equals("mse")) {
                throw new IllegalArgumentException("the loss must be ce or mse, got '" + args[2] + "'");
            }
            if (!args[3].equals("sgd") && !args[3].equals("adam")) {
                throw new IllegalArgumentException("the optimizer must be sgd or adam, got '" + args[3] + "'");
            }
            boolean more = args.length == 8;
            return new Case(widths, f, args[2].equals("ce"), args[3].equals("adam"), positive("BATCH", args[4]),
                    more ? positive("ROWS", args[5]) : 20_000, more ? seconds("WARM_S", args[6]) : 3,
                    more ? seconds("MEASURE_S", args[7]) : 5);
        }

        private static int positive(String what, String text) {
            try {
                int n = Integer.parseInt(text.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException notANumber) {
                // said below
            }
            throw new IllegalArgumentException(what + " must be a whole number of at least 1, got '" + text + "'");
        }

        private static double seconds(String what, String text) {
            try {
                double s = Double.parseDouble(text.trim());
                if (s >= 0 && s <= 3600) {
                    return s;
                }
            } catch (NumberFormatException notANumber) {
                // said below
            }
            throw new IllegalArgumentException(what + " must be seconds from 0 to 3600, got '" + text + "'");
        }

        /** {@return the shape as written on the command line, {@code 784-256-10}} */
        String shape() {
            StringBuilder sb = new StringBuilder();
            for (int w : widths) {
                sb.append(sb.length() == 0 ? "" : "-").append(w);
            }
            return sb.toString();
        }
    }

    /**
     * The synthetic rows of a case, seeded (1).
     *
     * @param c the case
     * @return features and targets as described in the class comment
     */
    static Dataset data(Case c) {
        int in = c.widths()[0];
        int out = c.widths()[c.widths().length - 1];
        Random random = new Random(1);
        float[] x = new float[c.rows() * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        if (!c.classifier()) {
            float[] y = new float[c.rows() * out];
            for (int i = 0; i < y.length; i++) {
                y[i] = x[(i / out) * in] * 0.5f + (float) random.nextGaussian() * 0.1f;
            }
            return new Dataset(x, in, y, out);
        }
        int[] labels = new int[c.rows()];
        for (int i = 0; i < labels.length; i++) {
            float second = in > 1 ? x[i * in + 1] : 0f;
            labels[i] = Math.floorMod((int) Math.floor(3 * x[i * in] + 2 * second), out);
        }
        return Dataset.ofLabels(x, in, labels, out);
    }

    /**
     * Trains the case and times its epochs.
     *
     * @param c       the case
     * @param backend where it trains
     * @return the line described in the class comment
     */
    static String run(Case c, Backend backend) {
        Dataset train = data(c);
        int[] w = c.widths();
        try (Sequential model = new Sequential(backend, w[0], 1);
             Optimizer optimizer = c.adam() ? new Adam(1e-3f) : new Sgd(0.01f)) {
            for (int i = 1; i < w.length - 1; i++) {
                model.add(new Dense(w[i], c.activation()));
            }
            model.add(new Dense(w[w.length - 1], c.classifier() ? Activation.SOFTMAX : Activation.IDENTITY));
            EpochClock clock = new EpochClock(c.warmS(), c.measureS());
            // Epochs enough for any timing; the clock stops the run (History holds a slot per epoch asked for).
            Trainer.builder().epochs(100_000).batchSize(c.batch()).seed(1).listener(clock).build()
                    .fit(model, c.classifier() ? Loss.categoricalCrossEntropy() : Loss.meanSquaredError(), optimizer,
                            train, null);
            double median = clock.medianMillis();
            return String.format(Locale.ROOT, "mlp program=nnj shape=%s activation=%s loss=%s optimizer=%s batch=%d "
                    + "rows=%d threads=%s first_epoch_ms=%.1f median_epoch_ms=%.2f epochs=%d samples_per_s=%.0f "
                    + "loss_first=%.4f loss_last=%.4f", c.shape(), c.activation().label(),
                    c.classifier() ? "ce" : "mse", c.adam() ? "adam" : "sgd", c.batch(), c.rows(),
                    System.getProperty("nnj.cpu.threads", "all"),
                    clock.millis.get(0), median, clock.measured(), c.rows() / (median / 1000), clock.losses.get(0),
                    clock.losses.get(clock.losses.size() - 1));
        }
    }

    /**
     * Times each epoch from the end of the one before, and stops the run once {@code measure} seconds of epochs
     * (at least three) have followed the {@code warm} seconds of warm-up.
     */
    private static final class EpochClock implements TrainingListener {
        private final long warmNanos;
        private final long measureNanos;
        final List<Double> millis = new ArrayList<>();
        final List<Double> losses = new ArrayList<>();
        private TrainingControl control;
        private long start;
        private long last;
        /** The first timed epoch's index in {@link #millis}, or -1 while warming up. */
        private int firstTimed = -1;
        private long timedFrom;

        EpochClock(double warmS, double measureS) {
            this.warmNanos = (long) (warmS * 1e9);
            this.measureNanos = (long) (measureS * 1e9);
        }

        @Override
        public void onTrainingStart(TrainingControl control) {
            this.control = control;
            start = System.nanoTime();
            last = start;
        }

        @Override
        public void onEpochEnd(EpochStats stats) {
            long now = System.nanoTime();
            millis.add((now - last) / 1e6);
            losses.add(stats.trainLoss());
            last = now;
            if (firstTimed < 0) {
                if (now - start >= warmNanos && millis.size() >= 2) {
                    firstTimed = millis.size();
                    timedFrom = now;
                }
            } else if (now - timedFrom >= measureNanos && measured() >= 3) {
                control.requestStop("timed");
            }
        }

        int measured() {
            return firstTimed < 0 ? 0 : millis.size() - firstTimed;
        }

        double medianMillis() {
            double[] timed = millis.subList(firstTimed, millis.size()).stream().mapToDouble(Double::doubleValue)
                    .sorted().toArray();
            return timed[timed.length / 2];
        }
    }

    /**
     * Runs one case on the cpu backend and prints its line.
     *
     * @param args {@code SHAPE ACTIVATION ce|mse sgd|adam BATCH [ROWS WARM_S MEASURE_S]}
     */
    public static void main(String[] args) {
        Case c;
        try {
            c = Case.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("MlpShapes: " + e.getMessage());
            System.exit(2);
            return;
        }
        try (Backend backend = Backends.get("cpu")) {
            System.out.println(run(c, backend));
        }
    }
}
