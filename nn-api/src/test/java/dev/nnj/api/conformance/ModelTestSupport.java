package dev.nnj.api.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Backend;
import dev.nnj.api.Tensor;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.model.Sequential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.function.Executable;

/**
 * What the model-level conformance classes ({@link LayerConformance}, {@link ModelLossConformance},
 * {@link WorkedExampleConformance}, {@link ModelOptimizerConformance}, {@link ModelConformance},
 * {@link TorchGoldenConformance}) share: the backend under test, resources closed after each test, and
 * double-precision checks; seeded data comes from {@link TestData}.
 *
 * <p>Each class is abstract with one abstract method, {@link #backend()}, so that it can be mounted as a
 * {@code @Nested} inner class of {@link BackendConformanceTest}, which owns the backend (created once, skipped
 * with its reason when unavailable):
 * <pre>{@code
 * @Nested
 * class Layers extends LayerConformance {
 *     @Override
 *     protected Backend backend() {
 *         return BackendConformanceTest.this.backend();
 *     }
 * }
 * }</pre>
 * A model, a layer or an optimizer made through {@link #track} is closed after the test (in reverse order), so
 * a failing assertion leaks nothing into the next test.
 */
public abstract class ModelTestSupport extends TestData {
    /** Unit roundoff of float32, {@code 2^-24}. */
    static final double U = 0x1.0p-24;

    private final List<AutoCloseable> resources = new ArrayList<>();

    /** The backend under test; owned (created and closed) by the enclosing suite. */
    protected abstract Backend backend();

    @AfterEach
    final void closeTracked() throws Exception {
        Exception first = null;
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        resources.clear();
        if (first != null) {
            throw first;
        }
    }

    /** Closes {@code resource} after the test, and returns it. */
    final <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    /** A tensor of the backend under test holding {@code data}, closed after the test. */
    final Tensor tensor(float[] data, int... shape) {
        return track(backend().tensor(data, shape));
    }

    /** A zero tensor of the backend under test, closed after the test. */
    final Tensor zeros(int... shape) {
        return track(backend().zeros(shape));
    }

    /** An empty model on the backend under test, closed after the test. */
    final Sequential model(int inputWidth, long seed) {
        return track(new Sequential(backend(), inputWidth, seed));
    }

    /** A stand-alone parameter (value and zero gradient) on the backend under test, closed after the test. */
    final Parameter parameter(String name, float[] value, int... shape) {
        Tensor v = backend().tensor(value, shape);
        Tensor g = backend().zeros(shape);
        return track(new Parameter(name, v, g));
    }

    /**
     * {@code rows} rows of 3 features uniform in {@code [-1, 1)} and 4 classes, the label being the sign pattern
     * of the first two features: a small problem a {@code 3 → 8 → 4} classifier learns in a few epochs.
     */
    static Dataset signQuadrants(Random r, int rows) {
        float[] x = uniform(r, rows * 3, -1, 1);
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = (x[i * 3] > 0 ? 1 : 0) + (x[i * 3 + 1] > 0 ? 2 : 0);
        }
        return Dataset.ofLabels(x, 3, labels, 4);
    }

    // ---------------------------------------------------------------- checks

    static double maxAbs(double[] x) {
        double m = 0;
        for (double v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /**
     * Fails unless {@code |actual - expected| ≤ abs + rel · |expected|} element by element, naming the worst
     * element (see {@link Checks#assertClose(String, int, double[], float[], double[])}).
     */
    static void assertClose(String what, int cols, double[] expected, float[] actual, double rel, double abs) {
        double[] tol = new double[expected.length];
        for (int i = 0; i < tol.length; i++) {
            tol[i] = abs + rel * Math.abs(expected[i]);
        }
        Checks.assertClose(what, cols, expected, actual, tol);
    }

    /** Bit-for-bit equality of two float arrays, naming the first difference. */
    static void assertSameFloats(String what, float[] expected, float[] actual) {
        Checks.assertExact(what, 0, expected, actual);
    }

    /** SLF4J's logger factory when logback-classic is the binding, by name: naming the class would load it. */
    private static final String LOGBACK_FACTORY = "ch.qos.logback.classic.LoggerContext";

    /**
     * Whether SLF4J is bound to logback-classic, through which {@link LogbackWarnings} captures warnings; the suite
     * runs with any binding, or none.
     *
     * @return true under logback-classic
     */
    static boolean logbackIsTheBinding() {
        return LOGBACK_FACTORY.equals(org.slf4j.LoggerFactory.getILoggerFactory().getClass().getName());
    }

    /**
     * Skips the calling test, saying why, unless SLF4J is bound to logback-classic: a check of a warning captured
     * through {@link LogbackWarnings}.
     *
     * @param warning the warning the test checks, for the reason: {@code "the Trainer's warning"}
     */
    static void assumeLogbackCaptures(String warning) {
        String binding = org.slf4j.LoggerFactory.getILoggerFactory().getClass().getName();
        org.junit.jupiter.api.Assumptions.assumeTrue(LOGBACK_FACTORY.equals(binding), () -> warning + " is "
                + "captured through logback-classic, and SLF4J's logger factory here is " + binding + ": add "
                + "ch.qos.logback:logback-classic (test scope) to check it");
    }

    /**
     * Asserts that {@code body} throws {@code type} with a message that contains every one of {@code parts}
     * (case-insensitive): a clear error names what was wrong and the values involved.
     */
    static <T extends Throwable> T assertThrowsSaying(Class<T> type, Executable body, String... parts) {
        T e = assertThrows(type, body);
        String message = e.getMessage();
        assertTrue(message != null && !message.isBlank(), "exception without a message: " + e);
        String lower = message.toLowerCase(java.util.Locale.ROOT);
        for (String p : parts) {
            assertTrue(lower.contains(p.toLowerCase(java.util.Locale.ROOT)),
                    "message should mention '" + p + "': " + message);
        }
        return e;
    }

    /** Shape as the model reports it, for readable assertions. */
    static void assertShape(String what, int[] expected, int[] actual) {
        assertEquals(Arrays.toString(expected), Arrays.toString(actual), what + ": shape");
    }
}
