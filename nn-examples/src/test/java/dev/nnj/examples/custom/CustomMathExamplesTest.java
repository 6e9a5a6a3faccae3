package dev.nnj.examples.custom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.layers.CustomActivationLayer;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Adam;
import dev.nnj.api.train.History;
import dev.nnj.api.train.Trainer;
import dev.nnj.api.conformance.FiniteDifferences;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The examples of {@code docs/extending.md}: each derivative against finite differences with the test-jar's
 * {@link FiniteDifferences}, Huber against its hand-computed values, and the snippet the document shows (a
 * softplus/swish network trained with the Huber loss) learning a function.
 */
class CustomMathExamplesTest {
    private static Backend backend;

    @BeforeAll
    static void open() {
        backend = Backends.get("cpu");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @Test
    void derivativesMatchFiniteDifferences() {
        FiniteDifferences.checkActivation(backend, new Swish(), -5, 5, 1);
        FiniteDifferences.checkActivation(backend, new Softplus(), -6, 6, 2);
        FiniteDifferences.checkLoss(backend, HuberLoss.loss(0.7f), -2, 2, 3);
    }

    @Test
    void huberByHand() {
        HuberLoss h = new HuberLoss(1f);
        assertEquals(0.125f, h.value(0.5f, 0f));    // ½ · 0.5²
        assertEquals(2.5f, h.value(-3f, 0f));       // 1 · (3 − ½)
        assertEquals(-1f, h.gradient(-3f, 0f));
        assertEquals(0.5f, h.gradient(2.5f, 2f));
        assertEquals(88.72284f, new Softplus().apply(88.72284f), 1e-3f, "softplus does not overflow");
    }

    @Test
    void exampleNetworkTrains() {
        Random r = new Random(5);
        int rows = 128;
        float[] x = new float[rows * 2];
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            x[2 * i] = r.nextFloat() * 2 - 1;
            x[2 * i + 1] = r.nextFloat() * 2 - 1;
            y[i] = x[2 * i] * x[2 * i] - x[2 * i + 1];
        }
        // --- the snippet of docs/extending.md
        Sequential model = new Sequential(backend, 2, 42)
                .add(new Dense(16)).add(new CustomActivationLayer(new Swish()))
                .add(new Dense(16)).add(new CustomActivationLayer(new Softplus()))
                .add(new Dense(1));
        History history = Trainer.builder().epochs(80).batchSize(16).build()
                .fit(model, HuberLoss.loss(1f), new Adam(0.01f), new Dataset(x, 2, y, 1), null);
        // ---
        float first = history.trainLoss()[0];
        float last = history.trainLoss()[history.epochs() - 1];
        model.close();
        assertTrue(last < 0.2f * first, "Huber loss fell from " + first + " to " + last);
    }
}
