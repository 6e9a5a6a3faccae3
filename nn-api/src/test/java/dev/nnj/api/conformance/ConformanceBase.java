package dev.nnj.api.conformance;

import dev.nnj.api.Backend;
import dev.nnj.api.Tensor;
import dev.nnj.api.Availability;
import dev.nnj.api.BackendProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lifecycle and helpers of the conformance suite. Backends subclass {@link BackendConformanceTest}, not this.
 *
 * <p>One backend per test class ({@link TestInstance.Lifecycle#PER_CLASS}): it is probed and created before
 * the first test and closed after the last. An unavailable backend is never created, and every test skips
 * with the probe's reason (an assumption in {@code @BeforeEach}); it never fails and never passes silently.
 * Tensors made through {@link #tensor}, {@link #zeros} and {@link #full} are closed after each test, including
 * the tests of the {@code @Nested} classes, whose enclosing instance is this one. Failure messages start with
 * the concrete test class ({@link FailuresNameTheTestClass}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(FailuresNameTheTestClass.class)
public abstract class ConformanceBase extends TestData {

    private static final Logger LOG = LoggerFactory.getLogger(ConformanceBase.class);

    private Availability availability;
    private Backend backend;
    private final List<Tensor> tensors = new ArrayList<>();

    /** The provider of the backend under test; the only method a backend's test class implements. */
    protected abstract BackendProvider provider();

    @BeforeAll
    final void openBackend() {
        BackendProvider provider = provider();
        availability = provider.availability();
        if (availability.available()) {
            backend = provider.create();
        } else {
            LOG.warn("Skipping the conformance suite of backend '{}': {}", provider.name(), availability.reason());
        }
    }

    /**
     * Each test, not the class, is skipped when the backend is unavailable: an assumption failing in
     * {@code @BeforeAll} aborts the class container, which Maven Surefire reports as zero tests run rather
     * than as skipped ones, and a suite that silently runs nothing looks like a pass.
     */
    @BeforeEach
    final void requireBackend() {
        Assumptions.assumeTrue(availability.available(),
                () -> "backend '" + provider().name() + "' is not available here: " + availability.reason());
    }

    @AfterEach
    final void closeTensors() {
        // Close in reverse order of creation; a tensor a test already closed is a no-op here.
        for (int i = tensors.size() - 1; i >= 0; i--) {
            tensors.get(i).close();
        }
        tensors.clear();
    }

    @AfterAll
    final void closeBackend() {
        closeTensors();
        if (backend != null) {
            backend.close();
            backend = null;
        }
    }

    /** The backend under test, created once for the class. */
    final Backend backend() {
        return backend;
    }

    /** Keeps {@code t} to be closed after the current test, and returns it. */
    final <T extends Tensor> T track(T t) {
        tensors.add(t);
        return t;
    }

    /** A tensor of the backend under test holding {@code data}, closed after the test. */
    final Tensor tensor(float[] data, int... shape) {
        return track(backend.tensor(data, shape));
    }

    /** A zero tensor of the backend under test, closed after the test. */
    final Tensor zeros(int... shape) {
        return track(backend.zeros(shape));
    }

    /** A tensor whose every element is {@code value} (NaN to prove an output is not read), closed after the test. */
    final Tensor full(float value, int... shape) {
        float[] data = new float[size(shape)];
        Arrays.fill(data, value);
        return tensor(data, shape);
    }

    // ---------------------------------------------------------------- shapes

    /** {@code @MethodSource} of the parameterized tests that run on {@link #oddShapes()}. */
    static final String ODD_SHAPES = "dev.nnj.api.conformance.ConformanceBase#oddShapes";

    /** Vectors and matrices of odd sizes, for the elementwise and row-wise ops. */
    static Stream<String> oddShapes() {
        return Stream.of("1", "3", "17", "65", "257", "1x1", "3x17", "17x3", "65x257", "257x65");
    }

    /**
     * Shapes of the parameterized tests are written {@code "257"} (rank 1) or {@code "65x257"} (rank 2): odd
     * sizes, because tails and edges are where vectorized and tiled kernels break.
     */
    static int[] shape(String text) {
        String[] parts = text.split("x");
        int[] shape = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            shape[i] = Integer.parseInt(parts[i].trim());
        }
        return shape;
    }

    static int rows(int[] shape) {
        return shape.length == 2 ? shape[0] : 1;
    }

    static int cols(int[] shape) {
        return shape[shape.length - 1];
    }

    static int size(int[] shape) {
        return rows(shape) * cols(shape);
    }
}
