package dev.nnj.examples;

import static dev.nnj.examples.DigitsTrainerOptionsTest.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.init.Initializer;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.layers.Dropout;
import dev.nnj.api.layers.Layer;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.train.Trainer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --hidden N[,N...]}, {@code --activation} and {@code --dropout}: parsed and refused as the other options
 * are; the trainer builds and trains exactly the network the library builds from them; a resumed run refuses one
 * that contradicts its checkpoint and otherwise continues it bit for bit, dropout masks included.
 */
class NetworkOptionsTest {
    @TempDir
    Path dir;

    @Test
    void theOptionsParseAndDefaultToThePresetsNetwork() {
        DigitsTrainer t = new DigitsTrainer();
        new CommandLine(t).parseArgs("--hidden", "128,64", "--activation", "Leaky-ReLU", "--dropout", "0.25");
        assertArrayEquals(new int[] {128, 64}, t.network.hiddenUnits());
        assertArrayEquals(new int[] {64, 128, 64, 10}, t.network.widths(64, 10));
        assertEquals(Activation.LEAKY_RELU, t.network.activation(DigitsPreset.ARTICLE));
        assertEquals(0.25f, t.network.dropout);

        DigitsTrainer repeated = new DigitsTrainer();
        new CommandLine(repeated).parseArgs("--hidden", "32", "--hidden", "16");
        assertArrayEquals(new int[] {32, 16}, repeated.network.hiddenUnits(), "a repeated --hidden adds a layer");

        DigitsTrainer plain = new DigitsTrainer();
        new CommandLine(plain).parseArgs();
        assertArrayEquals(new int[] {64}, plain.network.hiddenUnits());
        assertNull(plain.network.activation);
        assertEquals(Activation.SIGMOID, plain.network.activation(DigitsPreset.ARTICLE));
        assertEquals(Activation.RELU, plain.network.activation(DigitsPreset.KERAS));
        assertEquals(0f, plain.network.dropout);
    }

    @Test
    void badValuesAreOneLineUsageErrors() {
        DigitsTrainerOptionsTest.assertOneLineUsageError("--hidden 64,0",
                "'--hidden': '0' must be at least 1");
        DigitsTrainerOptionsTest.assertOneLineUsageError("--hidden 64,,32", "'--hidden': '' is not a whole number");
        // Trailing and lone commas, which the split itself drops: refused before the run prints anything.
        DigitsTrainerOptionsTest.assertOneLineUsageError("--hidden 64,", "'--hidden': '64,' has an empty width");
        DigitsTrainerOptionsTest.Outcome comma = DigitsTrainerOptionsTest.run("--hidden", ",");
        assertEquals(2, comma.status(), comma.err());
        assertTrue(comma.err().contains("'--hidden': ',' has an empty width"), comma.err());
        assertEquals("", comma.out(), "nothing printed before the refusal");
        DigitsTrainerOptionsTest.assertOneLineUsageError("--activation softmax",
                "'--activation': 'softmax' is not one of: sigmoid, tanh, relu, leaky_relu, elu");
        DigitsTrainerOptionsTest.assertOneLineUsageError("--dropout 1",
                "'--dropout': '1' is not a rate from 0 up to, not including, 1");
        DigitsTrainerOptionsTest.assertOneLineUsageError("--dropout -0.1", "'--dropout': '-0.1' is not a rate");
        DigitsTrainerOptionsTest.assertOneLineUsageError("--dropout NaN", "'--dropout': 'NaN' is not a rate");
    }

    @Test
    void theTrainerTrainsTheNetworkTheLibraryBuildsFromTheOptions() throws Exception {
        Path saved = dir.resolve("m.safetensors");
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--preset", "keras", "--backend", "cpu",
                "--epochs", "2", "--hidden", "16,8", "--activation", "tanh", "--dropout", "0.1",
                "--progress-every", "0", "--save", saved.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("dropout_2"), "the summary lists the layers: " + o.out());

        IndexSplit.Datasets data = DigitsData.scaledArticleSplit();
        try (Backend be = Backends.get("cpu");
             SavedModel file = ModelFiles.load(saved, be);
             Optimizer adam = OptimizerName.ADAM.create(1e-3f);
             Sequential library = DigitsPreset.KERAS.buildModel(be, 64, new int[] {16, 8}, Activation.TANH, 0.1f, 10,
                     0)) {
            List<Layer> layers = file.model().layers();
            assertEquals(5, layers.size(), layers.toString());
            assertDense(layers.get(0), 16, Activation.TANH);
            assertEquals(0.1f, ((Dropout) layers.get(1)).rate());
            assertDense(layers.get(2), 8, Activation.TANH);
            assertEquals(0.1f, ((Dropout) layers.get(3)).rate());
            assertDense(layers.get(4), 10, Activation.SOFTMAX);

            // The same network, optimizer, batches and seed through the library: the same weights, to the bit.
            Trainer.builder().epochs(2).batchSize(32).shuffle(true).seed(0).build()
                    .fit(library, Loss.categoricalCrossEntropy(), adam, data.train(), data.test());
            DigitsTrainerOptionsTest.assertSameWeights(library, file.model(), "the CLI's run against the library's");
        }
    }

    /** {@code --init he}: the summary says so, and the weights are those of the library's He-initialised model. */
    @Test
    void initChoosesEveryLayersInitialWeights() throws Exception {
        DigitsTrainer t = new DigitsTrainer();
        new CommandLine(t).parseArgs("--init", "HE");
        assertEquals(NetworkOptions.WeightInit.HE, t.network.init);
        DigitsTrainerOptionsTest.assertOneLineUsageError("--init xavier",
                "'--init': 'xavier' is not one of: normal, glorot, he, pytorch");

        Path saved = dir.resolve("he.safetensors");
        DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--preset", "keras", "--backend", "cpu",
                "--epochs", "1", "--hidden", "16", "--init", "he", "--progress-every", "0", "--save", saved.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("units=16, activation=relu, weights=he_normal"), o.out());
        IndexSplit.Datasets data = DigitsData.scaledArticleSplit();
        try (Backend be = Backends.get("cpu");
             SavedModel file = ModelFiles.load(saved, be);
             Optimizer adam = OptimizerName.ADAM.create(1e-3f);
             Sequential library = DigitsPreset.KERAS.buildModel(be, 64, new int[] {16}, Activation.RELU, 0f,
                     Initializer.heNormal(), 10, 0)) {
            Trainer.builder().epochs(1).batchSize(32).shuffle(true).seed(0).build()
                    .fit(library, Loss.categoricalCrossEntropy(), adam, data.train(), data.test());
            DigitsTrainerOptionsTest.assertSameWeights(library, file.model(), "--init he against the library's");
        }
    }

    /** {@code --init pytorch} starts weights and biases as PyTorch's {@code nn.Linear}: both within ±1/√fan-in. */
    @Test
    void pytorchInitDrawsTheBiasesToo() {
        try (Backend be = Backends.get("cpu");
             Sequential fresh = DigitsPreset.KERAS.buildModel(be, 64, new int[] {16}, Activation.RELU, 0f,
                     Initializer.pytorchLinear(), 10, 0)) {
            java.util.Map<String, float[]> state = fresh.stateDict();
            for (String[] layer : new String[][] {{"dense_1", "64"}, {"dense_2", "16"}}) {
                double bound = 1 / Math.sqrt(Integer.parseInt(layer[1]));
                for (String part : new String[] {".weight", ".bias"}) {
                    float[] values = state.get(layer[0] + part);
                    double largest = 0;
                    for (float v : values) {
                        largest = Math.max(largest, Math.abs(v));
                    }
                    assertTrue(largest <= bound && largest > bound / 2, layer[0] + part + ": " + largest
                            + " against ±" + bound);
                }
            }
        }
        try (Backend be = Backends.get("cpu");
             Sequential glorot = DigitsPreset.KERAS.buildModel(be, 64, new int[] {16}, Activation.RELU, 0f,
                     Initializer.glorotUniform(), 10, 0)) {
            for (float b : glorot.stateDict().get("dense_1.bias")) {
                assertEquals(0f, b, "other schemes start biases at 0");
            }
        }
    }

    @Test
    void aResumedRunKeepsItsCheckpointsNetwork() throws Exception {
        Path checkpoints = dir.resolve("ck");
        String[] network = {"--hidden", "16,8", "--activation", "tanh", "--dropout", "0.1"};
        DigitsTrainerOptionsTest.Outcome first = DigitsTrainerOptionsTest.run(concat(network, "--preset", "keras",
                "--backend", "cpu", "--epochs", "2", "--progress-every", "0", "--checkpoint-dir",
                checkpoints.toString()));
        assertEquals(0, first.status(), first.err());
        String last = checkpoints.resolve("last.safetensors").toString();
        String[][] contradictions = {
            {"--hidden", "16", "16 differs from the 16,8 hidden units"},
            {"--activation", "relu", "relu differs from the tanh hidden layers"},
            {"--dropout", "0.3", "0.3 differs from the dropout 0.1"},
        };
        for (String[] c : contradictions) {
            DigitsTrainerOptionsTest.Outcome o = DigitsTrainerOptionsTest.run("--backend", "cpu", "--epochs", "3",
                    "--progress-every", "0", "--resume", last, c[0], c[1]);
            assertEquals(DigitsTrainer.EXIT_USAGE, o.status(), c[0] + ": " + o.out() + o.err());
            assertEquals(1, o.err().strip().lines().count(), o.err());
            assertTrue(o.err().contains("'" + c[0] + "'") && o.err().contains(c[2])
                    && o.err().contains("leave " + c[0] + " out"), o.err());
            assertTrue(!o.out().contains("result:"), c[0] + " must stop before training: " + o.out());
            // Before the data is read and the run announced: the banner and "Training:" line came first once.
            assertTrue(!o.out().contains("Training:") && !o.out().contains("Data:"), c[0] + ": " + o.out());
        }
        DigitsTrainerOptionsTest.assertOneLineUsageError("--backend cpu --epochs 3 --resume " + last + " --init he",
                "'--init' does not go with '--resume': the resumed run's weights are those of " + last);
        // Agreeing options are fine, and 2 + 2 epochs equal 4: the dropout layers' mask streams resume too.
        Path resumed = dir.resolve("resumed.safetensors");
        DigitsTrainerOptionsTest.Outcome more = DigitsTrainerOptionsTest.run(concat(network, "--backend", "cpu",
                "--epochs", "4", "--progress-every", "0", "--resume", last, "--save", resumed.toString()));
        assertEquals(0, more.status(), more.err());
        Path straight = dir.resolve("straight.safetensors");
        DigitsTrainerOptionsTest.Outcome whole = DigitsTrainerOptionsTest.run(concat(network, "--preset", "keras",
                "--backend", "cpu", "--epochs", "4", "--progress-every", "0", "--save", straight.toString()));
        assertEquals(0, whole.status(), whole.err());
        DigitsTrainerOptionsTest.assertSameWeights(straight, resumed, "2 + 2 epochs equal 4");
    }

    private static void assertDense(Layer layer, int units, Activation activation) {
        Dense dense = (Dense) layer;
        assertEquals(units, dense.units(), dense.describe());
        assertEquals(activation, dense.activation(), dense.describe());
    }
}
