package dev.nnj.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Adam;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.BackendProvider;
import dev.nnj.api.train.History;
import dev.nnj.api.train.Trainer;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A whole model — nn-api's {@link Sequential}, {@link Dense}, {@link Adam}, {@link Trainer} — on a CUDA
 * backend: it trains to the same parameters as on the CPU (within {@value #MODEL_TOLERANCE} relative after
 * three epochs: GEMM rounding differs and compounds), and every byte of device memory it took is back once it
 * is closed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ModelChecks {
    static final double MODEL_TOLERANCE = 2e-3;

    private Backend cuda;
    private String skipReason;

    abstract BackendProvider cudaProvider();

    @BeforeAll
    void open() {
        BackendProvider p = cudaProvider();
        if (!p.availability().available()) {
            skipReason = "cuda backend not available here: " + p.availability().reason();
            return;
        }
        cuda = p.create();
    }

    @BeforeEach
    void requireCuda() {
        Assumptions.assumeTrue(skipReason == null, () -> skipReason);
    }

    @AfterAll
    void close() {
        if (cuda != null) {
            cuda.close();
        }
    }

    Backend cuda() {
        return cuda;
    }

    /** 300 samples of 12 features in 4 classes, separable enough to learn in a few epochs. */
    static Dataset data() {
        Random r = new Random(3);
        int n = 300;
        int features = 12;
        float[] x = new float[n * features];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(4);
            for (int j = 0; j < features; j++) {
                x[i * features + j] = (float) (r.nextGaussian() * 0.5 + (j % 4 == labels[i] ? 1.5 : 0));
            }
        }
        return Dataset.ofLabels(x, features, labels, 4);
    }

    static Sequential model(Backend b) {
        return new Sequential(b, 12, 42).add(new Dense(16, Activation.RELU)).add(new Dense(4, Activation.SOFTMAX));
    }

    static History train(Sequential model, Optimizer opt) {
        Trainer trainer = Trainer.builder().epochs(3).batchSize(32).shuffle(true).seed(9).build();
        return trainer.fit(model, Loss.categoricalCrossEntropy(), opt, data(), null);
    }

    @Test
    void trainsToTheSameParametersAsTheCpu() {
        Map<String, float[]> expected;
        float[] expectedLoss;
        try (Backend cpu = Backends.get("cpu"); Sequential m = model(cpu); Adam opt = new Adam(0.01f)) {
            expectedLoss = train(m, opt).trainLoss();
            expected = m.stateDict();
        }
        try (Sequential m = model(cuda); Adam opt = new Adam(0.01f)) {
            float[] loss = train(m, opt).trainLoss();
            for (int e = 0; e < loss.length; e++) {
                assertEquals(expectedLoss[e], loss[e], MODEL_TOLERANCE * Math.abs(expectedLoss[e]), "epoch " + e);
            }
            assertTrue(loss[loss.length - 1] < loss[0], "the loss goes down");
            Map<String, float[]> actual = m.stateDict();
            assertEquals(expected.keySet(), actual.keySet());
            for (String name : expected.keySet()) {
                CrossBackendChecks.close(name, expected.get(name), actual.get(name), MODEL_TOLERANCE);
            }
        }
    }

    @Test
    void closingTheModelGivesBackEveryByte() {
        Assumptions.assumeTrue(cuda instanceof CudaBackend, "memory statistics are a CudaBackend feature");
        CudaBackend b = (CudaBackend) cuda;
        long start = b.memoryStats().bytesInUse();
        int startTensors = b.memoryStats().liveTensors();
        try (Sequential m = model(b); Adam opt = new Adam(0.01f)) {
            train(m, opt);
            assertTrue(b.memoryStats().bytesInUse() > start, "the model holds device memory while open");
        }
        assertEquals(start, b.memoryStats().bytesInUse(), "bytes in use after close");
        assertEquals(startTensors, b.memoryStats().liveTensors(), "live tensors after close");
        b.emptyCache();
        assertEquals(0, b.memoryStats().bytesCached());
    }
}
