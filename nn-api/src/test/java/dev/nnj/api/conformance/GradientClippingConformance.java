package dev.nnj.api.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Tensor;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.init.Initializer;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Sgd;
import dev.nnj.api.train.GradientClipping;
import dev.nnj.api.train.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Gradient clipping against PyTorch: the backend ops {@link Backend#sumOfSquares}, {@link Backend#clipByNorm} and
 * {@link Backend#clipByValue}, {@link GradientClipping} against {@code torch.nn.utils.clip_grad_norm_} and
 * {@code clip_grad_value_} (float32 in both), and {@link Trainer} with clipping against three SGD steps of
 * PyTorch in float64. Golden values: {@code golden/clipping_golden.json}, written by
 * {@code scripts/golden/make_clipping_golden.py}.
 *
 * <p>Tolerances: the op cases are float32 on both sides; PyTorch sums each tensor's squares in float32 and
 * takes the norm of the norms, nnj sums the squares in double, so the factor may differ by a few ulps:
 * {@code 1e-6} relative. The training case is nnj float32 against PyTorch float64 at {@code 1e-4} relative, as
 * the other PyTorch goldens.
 */
public abstract class GradientClippingConformance extends ModelTestSupport {
    static final String RESOURCE = "/golden/clipping_golden.json";
    static final double OP_REL = 1e-6;
    static final double TRAINING_REL = 1e-4;

    private static Map<String, Object> golden;

    static synchronized Map<String, Object> golden() {
        if (golden == null) {
            golden = Json.object(Json.resource(RESOURCE));
        }
        return golden;
    }

    static Stream<Arguments> opCases() {
        List<Arguments> args = new ArrayList<>();
        List<Object> ops = Json.array(golden().get("ops"));
        for (int i = 0; i < ops.size(); i++) {
            args.add(Arguments.of(i, Json.string(Json.object(ops.get(i)), "name")));
        }
        return args.stream();
    }

    static Stream<Arguments> trainingCases() {
        List<Arguments> args = new ArrayList<>();
        List<Object> cases = Json.array(golden().get("training"));
        for (int i = 0; i < cases.size(); i++) {
            args.add(Arguments.of(i, Json.string(Json.object(cases.get(i)), "name")));
        }
        return args.stream();
    }

    // ---------------------------------------------------------------- ops against a double reference

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 3, 17, 65, 257, 4099, 10_007})
    void sumOfSquaresSetsAndAccumulates(int n) {
        Random r = random("sumOfSquares", n);
        float[] x = normal(r, n, 2.0);
        double expected = 0;
        for (float v : x) {
            expected += (double) v * v;
        }
        Tensor tx = tensor(x, n);
        Tensor out = tensor(new float[] {Float.NaN}, 1);
        backend().sumOfSquares(tx, 0f, out);   // beta = 0 sets, even over NaN
        assertEquals(expected, out.item(), expected * 1e-6, "Σx² of " + n + " elements");
        backend().sumOfSquares(tx, 0.5f, out);
        assertEquals(1.5 * expected, out.item(), expected * 2e-6, "0.5·out + Σx²");
    }

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 3, 17, 65, 257, 4099})
    void clipByNormScalesByTheFactorComputedOnTheDevice(int n) {
        Random r = random("clipByNorm", n);
        float[] x = normal(r, n, 1.0);
        float squared = 37.5f;
        float maxNorm = 2f;
        float factor = Math.min(1f, maxNorm / ((float) Math.sqrt(squared) + 1e-6f));
        Tensor tx = tensor(x, n);
        backend().clipByNorm(tx, tensor(new float[] {squared}, 1), maxNorm);
        float[] expected = new float[n];
        for (int i = 0; i < n; i++) {
            expected[i] = x[i] * factor;
        }
        assertSameFloats("x · min(1, maxNorm / (√s + 1e-6))", expected, tx.toArray());
        // A norm under the limit leaves x as it is (factor 1).
        backend().clipByNorm(tx, tensor(new float[] {1e-4f}, 1), maxNorm);
        assertSameFloats("factor clamped to 1", expected, tx.toArray());
    }

    /** {@code n} normal values, with +∞, -∞ and NaN at the start, middle and end where there is room. */
    private static float[] withBadNumbers(String name, int n) {
        float[] x = normal(random(name, n), n, 1.0);
        if (n >= 3) {
            x[0] = Float.POSITIVE_INFINITY;
            x[n / 2] = Float.NEGATIVE_INFINITY;
            x[n - 1] = Float.NaN;
        }
        return x;
    }

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 3, 17, 65, 257, 4099})
    void clipByNormWithAnInfiniteNormGivesTheFactorZero(int n) {
        // PyTorch's clip_grad_norm_ with error_if_nonfinite=False: maxNorm / (∞ + 1e-6) = 0, so finite elements
        // become 0 with their sign, and ±∞ and NaN become NaN (∞ · 0). Not NaN everywhere, not left unclipped.
        float[] x = withBadNumbers("clipByNorm +inf", n);
        Tensor tx = tensor(x, n);
        backend().clipByNorm(tx, tensor(new float[] {Float.POSITIVE_INFINITY}, 1), 2f);
        float[] expected = new float[n];
        for (int i = 0; i < n; i++) {
            expected[i] = x[i] * 0f;
        }
        assertSameFloats("x · min(1, maxNorm / (∞ + 1e-6)) = x · 0 (±0, and NaN where x is not finite)", expected,
                tx.toArray());
    }

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 3, 17, 65, 257, 4099})
    void clipByNormWithANaNNormMakesEveryElementNaN(int n) {
        // The factor min(1, NaN) is NaN (a clamp keeps NaN), as PyTorch's clamp: every element becomes NaN.
        float[] x = withBadNumbers("clipByNorm NaN", n);
        Tensor tx = tensor(x, n);
        backend().clipByNorm(tx, tensor(new float[] {Float.NaN}, 1), 2f);
        float[] expected = new float[n];
        Arrays.fill(expected, Float.NaN);
        assertSameFloats("x · min(1, maxNorm / (NaN + 1e-6)) = NaN", expected, tx.toArray());
    }

    /**
     * {@link GradientClipping} by norm on gradients whose norm is not finite, against
     * {@code torch.nn.utils.clip_grad_norm_(parameters, 1.0, error_if_nonfinite=False)} in float32 (PyTorch 1.13):
     * the returned norm and the clipped gradients.
     */
    @Test
    void clippingByANormThatIsNotFiniteMatchesPyTorch() {
        float inf = Float.POSITIVE_INFINITY;
        float nan = Float.NaN;
        // An infinite element: the norm is ∞, finite gradients become ±0 and the infinity NaN.
        checkNonFiniteNorm("an infinite element", new float[][] {{1, inf, -2}, {3, 0}},
                new float[][] {{0, nan, -0f}, {0, 0}}, inf);
        // Finite elements whose squares overflow float32: the norm is ∞ again, and every gradient becomes ±0.
        checkNonFiniteNorm("an overflowing sum of squares", new float[][] {{3e38f, 3e38f, 1}, {0, -2}},
                new float[][] {{0, 0, 0}, {0, -0f}}, inf);
        // A NaN element: the norm is NaN, and so is every gradient.
        checkNonFiniteNorm("a NaN element", new float[][] {{1, nan, -2}, {3, 0}},
                new float[][] {{nan, nan, nan}, {nan, nan}}, nan);
    }

    private void checkNonFiniteNorm(String name, float[][] gradients, float[][] clipped, double norm) {
        List<Parameter> parameters = new ArrayList<>();
        for (int i = 0; i < gradients.length; i++) {
            Parameter p = parameter("p" + i, new float[gradients[i].length], gradients[i].length);
            p.gradient().copyFrom(gradients[i]);
            parameters.add(p);
        }
        try (GradientClipping clipping = GradientClipping.byNorm(1.0)) {
            clipping.apply(backend(), parameters);
            for (int i = 0; i < parameters.size(); i++) {
                assertSameFloats(name + ": gradient " + i, clipped[i], parameters.get(i).readGradient());
            }
            assertEquals(norm, clipping.lastNorm(), name + ": total norm");
        }
    }

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 3, 17, 65, 257, 4099})
    void clipByValueClampsAndKeepsNaN(int n) {
        Random r = random("clipByValue", n);
        float[] x = normal(r, n, 1.0);
        x[n / 2] = Float.NaN;
        float limit = 0.7f;
        float[] expected = new float[n];
        for (int i = 0; i < n; i++) {
            expected[i] = Float.isNaN(x[i]) ? Float.NaN : Math.max(-limit, Math.min(limit, x[i]));
        }
        Tensor tx = tensor(x, n);
        backend().clipByValue(tx, limit);
        assertSameFloats("clamp(x, -0.7, 0.7)", expected, tx.toArray());
    }

    @Test
    void clippingOpsRefuseBadArguments() {
        Tensor x = zeros(3, 4);
        Tensor two = zeros(2);
        assertThrowsSaying(IllegalArgumentException.class, () -> backend().sumOfSquares(x, 0f, two),
                "sumOfSquares", "out");
        assertThrowsSaying(IllegalArgumentException.class, () -> backend().clipByNorm(x, two, 1f),
                "clipByNorm", "sumOfSquares");
        assertThrowsSaying(IllegalArgumentException.class, () -> backend().clipByNorm(x, zeros(1), -1f),
                "clipByNorm", "maxNorm", "-1");
        assertThrowsSaying(IllegalArgumentException.class, () -> backend().clipByValue(x, Float.NaN),
                "clipByValue", "limit", "NaN");
        assertThrowsSaying(IllegalArgumentException.class, () -> GradientClipping.byNorm(0),
                "maxNorm", "> 0");
        assertThrowsSaying(IllegalArgumentException.class, () -> Trainer.builder().clipGradientValue(-2),
                "limit", "-2");
    }

    // ---------------------------------------------------------------- GradientClipping against PyTorch

    @ParameterizedTest(name = "{1}")
    @MethodSource("dev.nnj.api.conformance.GradientClippingConformance#opCases")
    void clippingMatchesPyTorch(int index, String name) {
        Map<String, Object> c = Json.object(Json.array(golden().get("ops")).get(index));
        List<Object> shapes = Json.array(c.get("shapes"));
        List<Object> gradients = Json.array(c.get("gradients"));
        List<Object> clipped = Json.array(c.get("clipped"));
        List<Parameter> parameters = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            double[] dims = Json.doubles(shapes.get(i));
            int[] shape = new int[dims.length];
            for (int k = 0; k < dims.length; k++) {
                shape[k] = (int) dims[k];
            }
            Parameter p = parameter("p" + i, new float[Json.floats(gradients.get(i)).length], shape);
            p.gradient().copyFrom(Json.floats(gradients.get(i)));
            parameters.add(p);
        }
        boolean byNorm = "norm".equals(Json.string(c, "kind"));
        double threshold = Json.number(c, "threshold");
        try (GradientClipping clipping = byNorm ? GradientClipping.byNorm(threshold)
                : GradientClipping.byValue(threshold)) {
            clipping.apply(backend(), parameters);
            for (int i = 0; i < parameters.size(); i++) {
                Parameter p = parameters.get(i);
                assertClose(name + ": gradient " + i, p.value().cols(), Json.doubles(clipped.get(i)),
                        p.readGradient(), OP_REL, 1e-12);
            }
            if (byNorm) {
                double norm = Json.number(c, "total_norm");
                assertEquals(norm, clipping.lastNorm(), norm * OP_REL + 1e-12, name + ": total norm");
            }
        }
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("dev.nnj.api.conformance.GradientClippingConformance#trainingCases")
    void trainerWithClippingMatchesPyTorch(int index, String name) {
        Map<String, Object> c = Json.object(Json.array(golden().get("training")).get(index));
        Sequential m = model(5, 0);
        m.add(new Dense(7, Activation.TANH, Initializer.zeros(), Initializer.zeros()));
        m.add(new Dense(4, Activation.SOFTMAX, Initializer.zeros(), Initializer.zeros()));
        Map<String, float[]> initial = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : Json.object(c.get("initial")).entrySet()) {
            initial.put(e.getKey(), Json.floats(e.getValue()));
        }
        m.loadStateDict(initial);
        Dataset train = new Dataset(Json.floats(c.get("x")), 5, Json.floats(c.get("y")), 4);
        int steps = (int) Json.number(c, "steps");
        double threshold = Json.number(c, "threshold");
        Trainer.Builder b = Trainer.builder().epochs(steps).batchSize(0).shuffle(false);
        Trainer trainer = "norm".equals(Json.string(c, "kind")) ? b.clipGradientNorm(threshold).build()
                : b.clipGradientValue(threshold).build();
        trainer.fit(m, Loss.categoricalCrossEntropy(), new Sgd((float) Json.number(c, "lr")), train, null);
        Map<String, Object> expected = Json.object(c.get("final"));
        for (Parameter p : m.parameters()) {
            assertClose(name + ": " + p.name() + " after " + steps + " steps", p.value().cols(),
                    Json.doubles(expected.get(p.name())), p.read(), TRAINING_REL, 1e-7);
        }
        // The clipping did something: without it the parameters end elsewhere.
        Sequential free = model(5, 0);
        free.add(new Dense(7, Activation.TANH, Initializer.zeros(), Initializer.zeros()));
        free.add(new Dense(4, Activation.SOFTMAX, Initializer.zeros(), Initializer.zeros()));
        free.loadStateDict(initial);
        Trainer.builder().epochs(steps).batchSize(0).shuffle(false).build()
                .fit(free, Loss.categoricalCrossEntropy(), new Sgd((float) Json.number(c, "lr")), train, null);
        float[] clippedBias = m.parameters().get(3).read();
        float[] freeBias = free.parameters().get(3).read();
        double diff = 0;
        for (int i = 0; i < freeBias.length; i++) {
            diff = Math.max(diff, Math.abs(clippedBias[i] - freeBias[i]));
        }
        assertTrue(diff > 1e-3, name + ": clipping changed the result (max difference " + diff + ")");
    }
}
