package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Adam;
import dev.nnj.api.train.Trainer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The same seed trains a network to the same bits in a fresh JVM and in a warm one, whatever its activations,
 * and on 1, 2 or 3 threads: the user-level promise that {@link ActivationTierTest} and {@code VectorExpTest} keep kernel by kernel. A
 * fresh JVM runs its first steps interpreted and the rest compiled, at moments that differ from run to run;
 * a warm JVM runs them all compiled. tanh, ELU, sigmoid, softmax and cross-entropy are all in the network.
 */
class TrainingReproducibilityTest {

    @Test
    void theSameSeedGivesTheSameWeightsInFreshJvmsAndInAWarmOne() throws Exception {
        assumeTrue(Vectorization.create(null) instanceof VectorKernels, "the Vector API fast path is not in use");
        String first = weightsLine(ChildJvm.run(TrainingReproducibilityTest.class));
        String second = weightsLine(ChildJvm.run(TrainingReproducibilityTest.class));
        assertEquals(first, second, "two fresh JVMs");
        for (int i = 0; i < 4; i++) {
            train(2);   // until the kernels are compiled here
        }
        assertEquals(first, train(2), "a fresh JVM against a warm one");
        assertEquals(first, train(1), "one thread against two");
        assertEquals(first, train(3), "three threads against two");
    }

    private static String weightsLine(String out) {
        for (String line : out.split("\n")) {
            if (line.startsWith("WEIGHTS ")) {
                return line.substring(8).trim();
            }
        }
        throw new AssertionError("no WEIGHTS line in:\n" + out);
    }

    /**
     * Trains once and prints {@code WEIGHTS <hash of every parameter's bits>}.
     *
     * @param args none
     */
    public static void main(String[] args) {
        System.out.println("WEIGHTS " + train(2));
    }

    /**
     * 20 epochs of Adam on 1280 synthetic rows, batches of 640 (large enough for the products and the element
     * passes to be split between threads), on a cpu backend of {@code threads} threads; a hash of the trained
     * parameters' bits.
     */
    static String train(int threads) {
        Random rnd = new Random(1);
        int rows = 1280;
        int features = 64;
        float[] x = new float[rows * features];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextGaussian() * 3);
        }
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = rnd.nextInt(10);
        }
        Dataset data = Dataset.ofLabels(x, features, labels, 10);
        try (CpuBackend cpu = new CpuBackend(threads);
             Sequential model = new Sequential(cpu, features, 7);
             Adam adam = new Adam(1e-2f)) {
            model.add(new Dense(64, Activation.TANH)).add(new Dense(32, Activation.ELU))
                    .add(new Dense(24, Activation.SIGMOID)).add(new Dense(10, Activation.SOFTMAX));
            Trainer.builder().epochs(20).batchSize(640).shuffle(true).seed(3).build()
                    .fit(model, Loss.categoricalCrossEntropy(), adam, data, null);
            long hash = 17;
            for (Parameter p : model.parameters()) {
                for (float v : p.value().toArray()) {
                    hash = hash * 31 + Float.floatToRawIntBits(v);
                }
            }
            return Long.toHexString(hash);
        }
    }
}
