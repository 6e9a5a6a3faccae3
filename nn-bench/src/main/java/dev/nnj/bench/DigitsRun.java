package dev.nnj.bench;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.Evaluation;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.train.History;
import dev.nnj.api.train.Trainer;
import dev.nnj.examples.DigitsData;
import dev.nnj.examples.DigitsPreset;
import dev.nnj.examples.SeedList;
import java.util.Locale;

/**
 * Trains a digits preset ({@link DigitsPreset}) the way {@code digits --preset NAME} does and prints one
 * fixed, machine-readable line per seed, in the anchors' format, for {@code bench/compare-anchors.sh}:
 * <pre>
 *   nnj-digits preset=article backend=cpu seed=0 epochs=1000 batch=1437 train_s=0.512 acc=0.9417 test_loss=0.2141
 * </pre>
 * {@code train_s} is the wall time of {@code Trainer.fit} alone (with its per-epoch test evaluation, as the
 * anchors time their loops); {@code acc} is the accuracy on the 360 test rows afterwards. All seeds run in
 * one JVM, so the first one includes the JIT warm-up, as a {@code digits --seeds} run does.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp benchmarks.jar dev.nnj.bench.DigitsRun
 *        --preset article|keras [--seeds 0-2] [--epochs 1000] [--backend cpu]
 * </pre>
 */
public final class DigitsRun {
    private static final String USAGE =
            "usage: DigitsRun --preset article|keras [--seeds 0-2 | 0,1,2] [--epochs N] [--backend NAME]";

    private DigitsRun() {
    }

    /**
     * What to run: a preset, its seeds, the epochs and the backend.
     *
     * @param preset      the preset
     * @param seeds       the seeds, one training each, in order
     * @param epochs      the epochs of each training, at least 1
     * @param backendName the backend's name, or null for the best available
     */
    record Options(DigitsPreset preset, long[] seeds, int epochs, String backendName) {

        /**
         * Reads {@code --preset NAME [--seeds LIST] [--epochs N] [--backend NAME]}, each flag followed by its value.
         *
         * @param args the command line
         * @return the options
         * @throws IllegalArgumentException naming the flag or value that is missing, unknown or invalid
         */
        static Options parse(String... args) {
            DigitsPreset preset = null;
            long[] seeds = {0L};
            int epochs = 1000;
            String backendName = null;
            for (int i = 0; i < args.length; i += 2) {
                String flag = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                String value = args[i + 1];
                switch (flag) {
                    case "--preset":
                        preset = DigitsPreset.parse(value);
                        break;
                    case "--seeds":
                    case "--seed":
                        seeds = SeedList.parse(value).seeds();
                        break;
                    case "--epochs":
                        epochs = positive(flag, value);
                        break;
                    case "--backend":
                        backendName = value;
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option '" + flag + "'");
                }
            }
            if (preset == null) {
                throw new IllegalArgumentException("--preset is required");
            }
            return new Options(preset, seeds, epochs, backendName);
        }

        private static int positive(String flag, String value) {
            try {
                int n = Integer.parseInt(value.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(flag + " takes a whole number from 1 to " + Integer.MAX_VALUE
                    + ", got '" + value + "'");
        }
    }

    /**
     * Runs the preset over the seeds and prints one line per seed; a bad command line prints what is wrong and
     * the usage, and exits with status 2.
     *
     * @param args {@code --preset NAME [--seeds LIST] [--epochs N] [--backend NAME]}
     */
    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("DigitsRun: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        DigitsPreset preset = options.preset();
        int epochs = options.epochs();
        String backendName = options.backendName();
        IndexSplit.Datasets data = DigitsData.scaledArticleSplit();
        Dataset train = data.train();
        Dataset test = data.test();
        Loss loss = Loss.categoricalCrossEntropy();
        int batch = preset.effectiveBatchSize(train.size());
        String refusal = BenchSupport.backendRefusal(backendName);
        if (refusal != null) {
            System.err.println("DigitsRun: " + refusal);
            System.exit(2);
            return;
        }
        try (Backend be = backendName == null ? Backends.best() : BenchSupport.open(backendName)) {
            System.out.println("# " + be.description());
            for (long seed : options.seeds()) {
                try (Sequential model = preset.buildModel(be, DigitsPreset.HIDDEN_UNITS, seed);
                     Optimizer optimizer = preset.optimizer()) {
                    long t0 = System.nanoTime();
                    History h = Trainer.builder().epochs(epochs).batchSize(preset.batchSize()).shuffle(true)
                            .seed(seed).build().fit(model, loss, optimizer, train, test);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    Evaluation e = model.evaluate(test, loss, 4096);
                    System.out.printf(Locale.ROOT,
                            "nnj-digits preset=%s backend=%s seed=%d epochs=%d batch=%d train_s=%.3f acc=%.4f "
                                    + "test_loss=%.4f%n", preset, be.name(), seed, h.epochs(), batch, seconds,
                            e.accuracy(), e.loss());
                    System.out.flush();
                }
            }
        }
    }
}
