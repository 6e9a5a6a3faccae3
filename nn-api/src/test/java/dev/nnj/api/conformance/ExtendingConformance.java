package dev.nnj.api.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.ElementFunction;
import dev.nnj.api.PairFunction;
import dev.nnj.api.Tensor;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.init.Initializer;
import dev.nnj.api.io.Checkpoint;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.Preprocessing;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.layers.AbstractLayer;
import dev.nnj.api.layers.ActivationLayer;
import dev.nnj.api.layers.CustomActivation;
import dev.nnj.api.layers.CustomActivationLayer;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.losses.ElementwiseLoss;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Sgd;
import dev.nnj.api.train.History;
import dev.nnj.api.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * User-defined math on the backend under test: the generic ops {@code mapElements}, {@code mapPairs} and
 * {@code sumPairs} against plain loops on odd shapes; custom activations (swish, softplus) and a custom loss
 * (Huber) against finite differences with the public {@link FiniteDifferences}; a custom {@code tanh} and a
 * custom squared error against the built-ins they copy; and a model built from them training.
 */
public abstract class ExtendingConformance extends ModelTestSupport {

    /** Swish {@code f(z) = z σ(z)}, {@code f'(z) = σ(z) + z σ(z)(1 − σ(z))}. */
    static final CustomActivation SWISH = new CustomActivation() {
        @Override
        public String name() {
            return "swish";
        }

        @Override
        public float apply(float z) {
            return z / (1f + (float) Math.exp(-z));
        }

        @Override
        public float derivative(float z) {
            float s = 1f / (1f + (float) Math.exp(-z));
            return s + z * s * (1f - s);
        }
    };

    /** Softplus {@code f(z) = ln(1 + e^z)} (stable form), {@code f'(z) = σ(z)}. */
    static final CustomActivation SOFTPLUS = new CustomActivation() {
        @Override
        public String name() {
            return "softplus";
        }

        @Override
        public float apply(float z) {
            return (float) (Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))));
        }

        @Override
        public float derivative(float z) {
            return (float) (1 / (1 + Math.exp(-z)));
        }
    };

    /** {@code tanh} written by hand, to compare with {@link Activation#TANH}. */
    static final CustomActivation TANH = new CustomActivation() {
        @Override
        public String name() {
            return "my_tanh";
        }

        @Override
        public float apply(float z) {
            return (float) Math.tanh(z);
        }

        @Override
        public float derivative(float z) {
            float a = (float) Math.tanh(z);
            return 1f - a * a;
        }
    };

    /** Huber with δ = 1: {@code ½d²} for {@code |d| ≤ 1}, else {@code |d| − ½}; derivative {@code clamp(d, −1, 1)}. */
    static final ElementwiseLoss HUBER = new ElementwiseLoss() {
        @Override
        public float value(float p, float y) {
            float d = Math.abs(p - y);
            return d <= 1f ? 0.5f * d * d : d - 0.5f;
        }

        @Override
        public float gradient(float p, float y) {
            return Math.max(-1f, Math.min(1f, p - y));
        }
    };

    /** {@code (p − y)²}, to compare with the built-in mean squared error. */
    static final ElementwiseLoss SQUARED = new ElementwiseLoss() {
        @Override
        public float value(float p, float y) {
            float d = p - y;
            return d * d;
        }

        @Override
        public float gradient(float p, float y) {
            return 2f * (p - y);
        }
    };

    // ---------------------------------------------------------------- the generic ops

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 3, 17, 65, 257})
    void mapElementsAppliesTheFunctionToEveryElement(int n) {
        Random r = random("mapElements", n);
        float[] x = normal(r, n * 3, 2.0);
        ElementFunction f = v -> v * v - 0.5f * v;
        Tensor tx = tensor(x, n, 3);
        Tensor out = tensor(filled(n * 3, Float.NaN), n, 3);
        backend().mapElements(f, tx, out);
        float[] expected = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            expected[i] = f.apply(x[i]);
        }
        assertSameFloats("f(x)", expected, out.toArray());
        backend().mapElements(f, tx, tx);   // in place
        assertSameFloats("f(x) in place", expected, tx.toArray());
    }

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 3, 17, 65, 257})
    void mapPairsAndSumPairsMatchPlainLoops(int n) {
        Random r = random("mapPairs", n);
        float[] a = normal(r, n * 2, 1.0);
        float[] b = normal(r, n * 2, 1.0);
        PairFunction f = (u, v) -> u * v + u;
        Tensor ta = tensor(a, n, 2);
        Tensor tb = tensor(b, n, 2);
        Tensor out = tensor(filled(n * 2, Float.NaN), n, 2);
        backend().mapPairs(f, 0.25f, ta, tb, out);
        float[] expected = new float[a.length];
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            expected[i] = 0.25f * f.apply(a[i], b[i]);
            sum += f.apply(a[i], b[i]);
        }
        assertSameFloats("0.25 f(a, b)", expected, out.toArray());
        Tensor total = tensor(new float[] {Float.NaN}, 1);
        backend().sumPairs(f, 0.5f, ta, tb, 0f, total);
        assertEquals(0.5 * sum, total.item(), 1e-6 * (1 + Math.abs(sum)), "0.5 Σ f(a, b), beta = 0 sets");
        backend().sumPairs(f, 0.5f, ta, tb, 1f, total);
        assertEquals(sum, total.item(), 2e-6 * (1 + Math.abs(sum)), "beta = 1 accumulates");
    }

    @Test
    void genericOpsRefuseBadArguments() {
        Tensor x = zeros(3, 4);
        assertThrowsSaying(IllegalArgumentException.class, () -> backend().mapElements(v -> v, x, zeros(4, 3)),
                "mapElements", "out", "(4, 3)");
        assertThrowsSaying(NullPointerException.class, () -> backend().mapElements(null, x, x),
                "mapElements", "function");
        assertThrowsSaying(IllegalArgumentException.class,
                () -> backend().mapPairs((u, v) -> u, 1f, x, zeros(3, 5), x), "mapPairs", "b");
        assertThrowsSaying(IllegalArgumentException.class,
                () -> backend().sumPairs((u, v) -> u, 1f, x, x, 0f, zeros(2)), "sumPairs", "out");
        assertThrowsSaying(IllegalArgumentException.class, () -> Loss.custom(" ", HUBER), "name");
    }

    // ---------------------------------------------------------------- finite differences

    @Test
    void swishDerivativeMatchesFiniteDifferences() {
        FiniteDifferences.checkActivation(backend(), SWISH, -4, 4, 1);
    }

    @Test
    void softplusDerivativeMatchesFiniteDifferences() {
        FiniteDifferences.checkActivation(backend(), SOFTPLUS, -5, 5, 2);
    }

    /**
     * The built-in Huber and absolute-error losses on the backend, against PyTorch 1.13's HuberLoss(delta=1) and
     * L1Loss on the same (2, 3) predictions and targets: the mean loss and the gradient, which is ∂ℓ/∂p / (N C).
     */
    @Test
    void builtInHuberAndAbsoluteErrorEqualPyTorchsOnTheBackend() {
        Tensor p = tensor(new float[] {0.5f, -2f, 3f, 1.25f, 0f, -0.75f}, 2, 3);
        Tensor y = tensor(new float[] {0f, 1f, -1f, 1f, 0.5f, 0.25f}, 2, 3);
        Object[][] cases = {
            {Loss.huber(1f), 1.1302083730697632, new float[] {0.0833333358168602f, -0.1666666716337204f,
                0.1666666716337204f, 0.0416666679084301f, -0.0833333358168602f, -0.1666666716337204f}},
            {Loss.meanAbsoluteError(), 1.5416666269302368, new float[] {0.1666666716337204f, -0.1666666716337204f,
                0.1666666716337204f, 0.1666666716337204f, -0.1666666716337204f, -0.1666666716337204f}},
        };
        for (Object[] c : cases) {
            Loss loss = (Loss) c[0];
            assertEquals((double) c[1], loss.value(backend(), p, y), 1e-6, loss.label() + " value");
            Tensor g = zeros(2, 3);
            loss.gradient(backend(), p, y, false, g);
            float[] expected = (float[]) c[2];
            float[] actual = g.toArray();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-7, loss.label() + " gradient " + i);
            }
        }
        FiniteDifferences.checkLoss(backend(), Loss.huber(0.7f), -3, 3, 5);
    }

    @Test
    void huberGradientMatchesFiniteDifferences() {
        FiniteDifferences.checkLoss(backend(), Loss.custom("huber", HUBER), -3, 3, 3);
    }

    @Test
    void finiteDifferencesCatchAWrongDerivative() {
        CustomActivation wrong = new CustomActivation() {
            @Override
            public String name() {
                return "wrong_swish";
            }

            @Override
            public float apply(float z) {
                return SWISH.apply(z);
            }

            @Override
            public float derivative(float z) {
                return 1f / (1f + (float) Math.exp(-z));   // forgets the z σ(1 − σ) term
            }
        };
        assertThrows(AssertionError.class, () -> FiniteDifferences.checkActivation(backend(), wrong, -4, 4, 1));
        ElementwiseLoss halfGradient = new ElementwiseLoss() {
            @Override
            public float value(float p, float y) {
                return SQUARED.value(p, y);
            }

            @Override
            public float gradient(float p, float y) {
                return p - y;   // missing the factor 2
            }
        };
        assertThrows(AssertionError.class,
                () -> FiniteDifferences.checkLoss(backend(), Loss.custom("half", halfGradient), -2, 2, 4));
    }

    /** GELU's tanh approximation {@code ½ z (1 + tanh(k (z + c z³)))}, with {@code c} in the derivative as given. */
    private static CustomActivation gelu(float derivativeConstant) {
        float k = (float) Math.sqrt(2 / Math.PI);
        return new CustomActivation() {
            @Override
            public String name() {
                return "gelu";
            }

            @Override
            public float apply(float z) {
                return 0.5f * z * (1f + (float) Math.tanh(k * (z + 0.044715f * z * z * z)));
            }

            @Override
            public float derivative(float z) {
                float t = (float) Math.tanh(k * (z + 0.044715f * z * z * z));
                return 0.5f * (1f + t) + 0.5f * z * (1f - t * t) * k * (1f + 3f * derivativeConstant * z * z);
            }
        };
    }

    /** Swish whose derivative is off by a factor. */
    private static CustomActivation scaledSwish(float factor) {
        return new CustomActivation() {
            @Override
            public String name() {
                return "scaled_swish";
            }

            @Override
            public float apply(float z) {
                return SWISH.apply(z);
            }

            @Override
            public float derivative(float z) {
                return factor * SWISH.derivative(z);
            }
        };
    }

    /**
     * Errors a loose check lets through: a mistyped constant (0.0547 for GELU's 0.044715, off by 1% of f' at
     * most) and a derivative 2% too large. The correct GELU passes on the same inputs.
     */
    @Test
    void finiteDifferencesCatchATypoAndATwoPercentError() {
        FiniteDifferences.checkActivation(backend(), gelu(0.044715f), -4, 4, 1);
        assertThrows(AssertionError.class, () -> FiniteDifferences.checkActivation(backend(), gelu(0.0547f), -4, 4, 1));
        assertThrows(AssertionError.class,
                () -> FiniteDifferences.checkActivation(backend(), scaledSwish(1.019f), -5, 5, 1));
        assertThrows(AssertionError.class,
                () -> FiniteDifferences.checkActivation(backend(), scaledSwish(0.98f), -5, 5, 1));
    }

    /**
     * Huber has a kink at {@code |p − y| = δ}: inputs drawn near it pass on many seeds (the kink is judged loosely),
     * as do swish and softplus over wide ranges.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void finiteDifferencesAcceptAKink(int seed) {
        FiniteDifferences.checkLoss(backend(), Loss.custom("huber", HUBER), -1.5, 1.5, seed);
        FiniteDifferences.checkActivation(backend(), SOFTPLUS, -6, 6, seed);
        FiniteDifferences.checkActivation(backend(), SWISH, -5, 5, seed);
    }

    // ---------------------------------------------------------------- against the built-ins

    @Test
    void customTanhAndSquaredErrorMatchTheBuiltIns() {
        Random r = random("builtins");
        float[] x = normal(r, 9 * 4, 1.0);
        float[] y = normal(r, 9 * 3, 1.0);
        Sequential custom = network(true);
        Sequential builtin = network(false);
        Tensor tx = tensor(x, 9, 4);
        Tensor ty = tensor(y, 9, 3);
        float[] a = custom.forward(tx, false).toArray();
        float[] b = builtin.forward(tx, false).toArray();
        assertClose("custom tanh network vs built-in", 3, toDouble(b), a, 1e-5, 1e-6);
        Loss mine = Loss.custom("squared", SQUARED);
        Tensor out = custom.forward(tx, true);
        assertEquals(Loss.meanSquaredError().value(backend(), out, ty), mine.value(backend(), out, ty), 1e-5,
                "custom squared error vs mean squared error");
        Tensor g1 = zeros(9, 3);
        Tensor g2 = zeros(9, 3);
        mine.gradient(backend(), out, ty, false, g1);
        Loss.meanSquaredError().gradient(backend(), out, ty, false, g2);
        assertClose("custom squared error gradient vs built-in", 3, toDouble(g2.toArray()), g1.toArray(), 1e-6, 1e-9);
    }

    @Test
    void modelWithCustomActivationAndLossTrains() {
        Random r = random("train custom");
        int rows = 64;
        float[] x = uniform(r, rows * 4, -1, 1);
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = x[4 * i] * x[4 * i + 1] + 0.5f * x[4 * i + 2];
        }
        Sequential m = model(4, 7);
        m.add(new Dense(16)).add(new CustomActivationLayer(SWISH)).add(new Dense(1));
        History h = Trainer.builder().epochs(60).batchSize(16).seed(3).build()
                .fit(m, Loss.custom("huber", HUBER), new Sgd(0.1f), new Dataset(x, 4, y, 1), null);
        double first = h.trainLoss()[0];
        double last = h.trainLoss()[h.epochs() - 1];
        assertTrue(last < 0.5 * first, "Huber loss of a swish network fell from " + first + " to " + last);
        assertEquals("huber", Loss.custom("huber", HUBER).label());
        assertEquals("swish_1", m.layers().get(1).name());
    }

    /**
     * A {@code predict} between a training forward pass and its backward, on this thread or another, leaves the
     * backward's gradients as they would have been: a custom activation's inference writes into the caller's buffer,
     * not over the input its forward kept for backward.
     */
    @Test
    void aPredictBetweenForwardAndBackwardLeavesTheGradientsAlone() throws Exception {
        Random r = random("predict between");
        float[] x = uniform(r, 8 * 4, -2, 2);
        float[] y = uniform(r, 8, -1, 1);
        float[] other = uniform(r, 8 * 4, -2, 2);
        Sequential m = model(4, 9);
        m.add(new Dense(8)).add(new CustomActivationLayer(SWISH)).add(new Dense(1));
        Tensor tx = tensor(x, 8, 4);
        Tensor ty = tensor(y, 8, 1);
        m.forward(tx, true);
        m.backward(Loss.meanSquaredError(), ty);
        float[] alone = m.parameters().get(0).gradient().toArray();
        m.forward(tx, true);
        m.predict(other, 8);
        m.backward(Loss.meanSquaredError(), ty);
        assertArrayEquals(alone, m.parameters().get(0).gradient().toArray(), 0f, "a predict on this thread");
        m.forward(tx, true);
        java.util.concurrent.CompletableFuture.runAsync(() -> m.predict(other, 8)).get();
        m.backward(Loss.meanSquaredError(), ty);
        assertArrayEquals(alone, m.parameters().get(0).gradient().toArray(), 0f, "a predict on another thread");
    }

    /**
     * A layer that adds to its weight's gradient instead of setting it passes a single finite-difference check on a
     * fresh model, whose gradient buffers start at 0, and trains as with an unasked-for momentum. The gradient check
     * runs backward twice and refuses it, naming the parameter; the same layer setting its gradient passes.
     */
    @Test
    void aLayerThatAddsToItsGradientIsRefusedByTheGradientCheck() {
        float[] x = {1, 2, 3, 0.5f, -1, 2};
        float[] y = {0.1f, -0.3f};
        for (boolean accumulates : new boolean[] {false, true}) {
            Sequential m = model(3, 12);
            m.add(new Linear(accumulates));
            if (!accumulates) {
                assertTrue(dev.nnj.api.model.GradientCheck.defaults().check(m, Loss.meanSquaredError(), x, y)
                        .passed(), "the layer that sets its gradient");
                continue;
            }
            assertThrowsSaying(IllegalStateException.class, () -> dev.nnj.api.model.GradientCheck.defaults()
                    .check(m, Loss.meanSquaredError(), x, y), "a second backward pass on the same batch changed "
                    + "the gradient of linear_1.weight", "backward must set a parameter's gradient, not add to it");
        }
    }

    /** {@code y = x · W}, no bias; its backward sets {@code ∂L/∂W = xᵀ · ∂L/∂y}, or adds it when asked to. */
    static final class Linear extends AbstractLayer {
        private final boolean accumulates;
        private Parameter weight;
        private Tensor kept;
        private Tensor out;

        Linear(boolean accumulates) {
            this.accumulates = accumulates;
        }

        @Override
        public String type() {
            return "linear";
        }

        @Override
        protected int createParameters(Random random) {
            weight = new Parameter(name() + ".weight", backend().tensor(normal(random, inputWidth(), 0.5),
                    inputWidth(), 1), backend().zeros(inputWidth(), 1));
            return 1;
        }

        @Override
        public java.util.List<Parameter> parameters() {
            return java.util.List.of(weight);
        }

        @Override
        public Tensor forward(Tensor input, boolean training) {
            if (out != null) {
                out.close();
            }
            out = backend().zeros(input.rows(), 1);
            backend().gemm(false, false, 1f, input, weight.value(), 0f, out);
            kept = input;
            return out;
        }

        @Override
        public Tensor backward(Tensor outputGradient, boolean needInputGradient) {
            // The mistake under test: beta = 1 adds xᵀ · dY to what the gradient already holds.
            backend().gemm(true, false, 1f, kept, outputGradient, accumulates ? 1f : 0f, weight.gradient());
            return null;
        }

        @Override
        public String describe() {
            return "x · W";
        }

        @Override
        public void close() {
            if (out != null) {
                out.close();
                out = null;
            }
            weight.close();
        }
    }

    /** {@code a = z²} keeping {@code z} for backward, with no infer of its own: the default infer runs forward. */
    static final class Square extends AbstractLayer {
        private Tensor out;
        private Tensor dx;
        private Tensor kept;

        @Override
        public String type() {
            return "square";
        }

        @Override
        protected int createParameters(Random random) {
            return inputWidth();
        }

        @Override
        public Tensor forward(Tensor input, boolean training) {
            if (out != null) {
                out.close();
            }
            out = backend().zeros(input.rows(), inputWidth());
            backend().multiply(input, input, out);
            kept = input;
            return out;
        }

        @Override
        public Tensor backward(Tensor outputGradient, boolean needInputGradient) {
            if (dx != null) {
                dx.close();
            }
            dx = backend().zeros(outputGradient.rows(), inputWidth());
            backend().multiply(kept, outputGradient, dx);
            backend().mapElements(v -> 2 * v, dx, dx);   // ∂L/∂z = 2 z ⊙ ∂L/∂a
            return dx;
        }

        @Override
        public String describe() {
            return "z²";
        }

        @Override
        public void close() {
            if (out != null) {
                out.close();
                out = null;
            }
            if (dx != null) {
                dx.close();
                dx = null;
            }
        }
    }

    /**
     * A layer whose inference is its forward pass (no infer of its own) would have that pass's activations replaced
     * by a predict before their backward: the model refuses the predict and evaluate, naming the layer, until the
     * backward has run; the gradients are then as without the attempt.
     */
    @Test
    void aLayerWithoutAnInferOfItsOwnIsNotPredictedWithBeforeTheBackward() {
        Random r = random("square");
        float[] x = uniform(r, 6 * 3, -2, 2);
        float[] y = uniform(r, 6, -1, 1);
        Sequential m = model(3, 4);
        m.add(new Dense(5)).add(new Square()).add(new Dense(1));
        Tensor tx = tensor(x, 6, 3);
        Tensor ty = tensor(y, 6, 1);
        m.forward(tx, true);
        m.backward(Loss.meanSquaredError(), ty);
        float[] alone = m.parameters().get(0).gradient().toArray();
        float[] predicted = m.predict(x, 6);   // no backward pending: the default infer is used
        m.forward(tx, true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.predict(uniform(r, 18, -2, 2), 6));
        assertEquals("predict: layer 'square_1' (" + Square.class.getName() + ") has no infer of its own, so predict "
                + "would run its forward pass and replace the activations that the last forward(training=true) kept "
                + "for backward, which has not run yet; call backward first (or forward(x, false), to drop them), or "
                + "give the layer an infer that leaves its fields alone (see Layer.infer)", e.getMessage());
        assertThrows(IllegalStateException.class,
                () -> m.evaluate(new Dataset(x, 3, y, 1), Loss.meanSquaredError(), 6));
        m.backward(Loss.meanSquaredError(), ty);
        assertArrayEquals(alone, m.parameters().get(0).gradient().toArray(), 0f, "the backward's gradients");
        assertArrayEquals(predicted, m.predict(x, 6), 0f, "predict works again after the backward");
        m.forward(tx, false);   // an inference forward pass replaced the activations itself: nothing pending
        assertArrayEquals(predicted, m.predict(x, 6), 0f);
        // A backward refused (a wrong target) keeps the activations for the one run again; a run that diverges
        // after a forward pass leaves nothing pending.
        m.forward(tx, true);
        assertThrows(IllegalArgumentException.class, () -> m.backward(Loss.meanSquaredError(), tensor(y, 3, 2)));
        assertThrows(IllegalStateException.class, () -> m.predict(x, 6), "a refused backward may run again");
        m.backward(Loss.meanSquaredError(), ty);
        assertArrayEquals(alone, m.parameters().get(0).gradient().toArray(), 0f, "the backward run again");
        assertArrayEquals(predicted, m.predict(x, 6), 0f, "after it");
        float[] far = new float[6];
        java.util.Arrays.fill(far, 1e6f);
        assertThrows(dev.nnj.api.train.DivergenceException.class, () -> Trainer.builder().epochs(3).batchSize(2)
                .build().fit(m, Loss.meanSquaredError(), new Sgd(10f), new Dataset(x, 3, far, 1), null));
        assertArrayEquals(predicted, m.predict(x, 6), 0f, "after a divergence, the weights put back");
    }

    /** A custom activation has no file format: saving refuses, naming the layer as the model does, and writes nothing. */
    @Test
    void aModelWithACustomActivationCannotBeSavedAndSaysWhichLayer() throws java.io.IOException {
        Sequential m = model(4, 7);
        m.add(new Dense(8)).add(new CustomActivationLayer(SWISH)).add(new Dense(1));
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("nnj-custom-save");
        try {
            java.nio.file.Path file = dir.resolve("swish.safetensors");
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> dev.nnj.api.io.ModelFiles.save(m, file));
            assertTrue(e.getMessage().startsWith("layer swish_1 is a custom activation (")
                    && e.getMessage().contains("a model file holds no code"), e.getMessage());
            assertTrue(!java.nio.file.Files.exists(file), "nothing written");
        } finally {
            try (java.util.stream.Stream<java.nio.file.Path> left = java.nio.file.Files.list(dir)) {
                assertEquals(0, left.count(), "no temporary file left");
            }
            java.nio.file.Files.delete(dir);
        }
    }

    /**
     * A layer of one's own that describes its (empty) configuration under a type of one's choosing: LeCun's
     * scaled tanh {@code 1.7159 tanh(2z/3)}, forward only.
     */
    static final class ScaledTanh extends AbstractLayer {
        private final String type;
        private Tensor out;

        ScaledTanh(String type) {
            this.type = type;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        protected int createParameters(Random random) {
            return inputWidth();
        }

        @Override
        public Tensor forward(Tensor input, boolean training) {
            if (out == null || out.rows() != input.rows()) {
                close();
                out = backend().zeros(input.rows(), inputWidth());
            }
            backend().mapElements(z -> 1.7159f * (float) Math.tanh(2f * z / 3f), input, out);
            return out;
        }

        @Override
        public Tensor backward(Tensor outputGradient, boolean needInputGradient) {
            throw new UnsupportedOperationException("forward only");
        }

        @Override
        public Map<String, Object> config() {
            return Map.of();
        }

        @Override
        public String describe() {
            return "scaled";
        }

        @Override
        public void close() {
            if (out != null) {
                out.close();
                out = null;
            }
        }
    }

    /**
     * A layer of one's own named like a built-in ({@code tanh}) would load back as that built-in, computing
     * something else; one of a type the loader does not know could be written but never loaded. Model files refuse
     * them before writing, naming the layer and the stateDict route. A checkpoint holds such a model without an
     * architecture: it loads only into the network built in code ({@code Checkpoint.restoreInto}), which must hold the
     * same class, so the built-in {@code tanh} is refused there too.
     */
    @ParameterizedTest(name = "type {0}")
    @ValueSource(strings = {"tanh", "layer_norm"})
    void aLayerOfOnesOwnIsNotSavedEvenWithAConfig(String type, @TempDir Path dir) throws IOException {
        Sequential m = model(2, 1);
        m.add(new Dense(3)).add(new ScaledTanh(type));
        Path file = dir.resolve("m.safetensors");
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> ModelFiles.save(m, file));
        String message = e.getMessage();
        assertTrue(message.startsWith("layer " + type + "_1 (" + ScaledTanh.class.getName() + ") cannot be saved"),
                message);
        assertTrue(message.contains("stateDict") && message.contains("loadStateDict"), message);
        assertTrue(message.contains(type.equals("tanh") ? "back as the built-in Tanh"
                : "unknown layer type 'layer_norm'"), message);
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.count(), "nothing written");
        }
        Path checkpoint = dir.resolve("checkpoint.safetensors");
        try (Sgd sgd = new Sgd(0.1f); Sgd again = new Sgd(0.1f); Sgd builtIn = new Sgd(0.1f)) {
            Checkpoint.save(checkpoint, m, sgd, 0, Preprocessing.none(), Map.of());
            assertThrowsSaying(dev.nnj.api.io.ModelFileException.class, () -> ModelFiles.load(checkpoint, backend()),
                    "Checkpoint.restoreInto");
            Sequential same = model(2, 99);   // another seed: other weights until restored
            same.add(new Dense(3)).add(new ScaledTanh(type));
            assertTrue(!java.util.Arrays.equals(m.parameters().get(0).read(), same.parameters().get(0).read()));
            assertEquals(0, Checkpoint.restoreInto(checkpoint, same, again).epoch());
            assertSameFloats("restored weight", m.parameters().get(0).read(), same.parameters().get(0).read());
            if (type.equals("tanh")) {
                Sequential withBuiltIn = model(2, 1);
                withBuiltIn.add(new Dense(3)).add(new dev.nnj.api.layers.Tanh());
                assertThrowsSaying(dev.nnj.api.io.ModelFileException.class,
                        () -> Checkpoint.restoreInto(checkpoint, withBuiltIn, builtIn),
                        "layer 2: tanh_1 (" + ScaledTanh.class.getName() + ") saved, tanh_1 (tanh {");
            }
        }
    }

    /**
     * A layer's type is a lower-case kind: the model names the layer after it, and every file keys the layer's
     * parameters by that name. {@code "LayerNorm"}, {@code "layer norm"}, {@code ""} and null made layers named
     * {@code LayerNorm_1}, {@code layer norm_1}, {@code _1} and {@code null_1}; each is refused before the layer is
     * built, and the model is unchanged.
     */
    @ParameterizedTest(name = "type \"{0}\"")
    @ValueSource(strings = {"LayerNorm", "layer norm", "", "1dense", "norm-1"})
    void aLayerTypeThatIsNotALowerCaseKindIsRefused(String type) {
        Sequential m = model(2, 1);
        m.add(new Dense(3));
        ScaledTanh layer = new ScaledTanh(type);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.add(layer));
        assertTrue(e.getMessage().startsWith("add: " + ScaledTanh.class.getName() + ".type() is '" + type
                + "'; a layer's type is its lower-case kind"), e.getMessage());
        assertEquals(1, m.layers().size(), "the model is unchanged");
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> m.add(new ScaledTanh(null)));
        assertTrue(none.getMessage().contains(".type() is null;"), none.getMessage());
        m.add(new ScaledTanh("scaled_tanh2"));
        assertEquals("scaled_tanh2_1", m.layers().get(1).name());
    }

    /** A plain ActivationLayer saves: it loads as its named subclass, which computes the same. */
    @Test
    void aPlainActivationLayerStillSavesAndLoadsTheSame(@TempDir Path dir) throws IOException {
        Sequential m = model(2, 1);
        m.add(new Dense(3)).add(new ActivationLayer(Activation.LEAKY_RELU, 0.2f));
        Path file = dir.resolve("m.safetensors");
        ModelFiles.save(m, file);
        float[] x = {0.5f, -1f, 2f, 1f};
        try (SavedModel saved = ModelFiles.load(file, backend())) {
            assertSameFloats("loaded model's predictions", m.predict(x, 2), saved.model().predict(x, 2));
        }
    }

    /** A composite layer around one Dense, whose parameters it names {@code <innerName>.weight} and {@code .bias}. */
    static final class Block extends AbstractLayer {
        private final Dense inner = new Dense(3);
        private final boolean likeTheModel;

        /** @param likeTheModel name the inner Dense {@code dense_1}, as the model names its own first Dense */
        Block(boolean likeTheModel) {
            this.likeTheModel = likeTheModel;
        }

        @Override
        public String type() {
            return "block";
        }

        @Override
        protected int createParameters(Random random) {
            return inner.build(backend(), likeTheModel ? "dense_1" : name() + ".dense", inputWidth(), random);
        }

        @Override
        public java.util.List<dev.nnj.api.layers.Parameter> parameters() {
            return inner.parameters();
        }

        @Override
        public Tensor forward(Tensor input, boolean training) {
            return inner.forward(input, training);
        }

        @Override
        public Tensor backward(Tensor outputGradient, boolean needInputGradient) {
            return inner.backward(outputGradient, needInputGradient);
        }

        @Override
        public String describe() {
            return "";
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    /**
     * Parameter names key the state dict: a composite layer naming its inner Dense {@code dense_1} beside the
     * model's own would have one of them dropped, and a round trip would load one's values into both. {@code add}
     * refuses it naming both layers, and leaves the model as it was.
     */
    @Test
    void aLayerWithAParameterNameTheModelHasIsRefusedAtAdd() {
        Sequential m = model(3, 1);
        m.add(new Dense(3));
        Block clash = new Block(true);
        IllegalArgumentException e = assertThrowsSaying(IllegalArgumentException.class, () -> m.add(clash),
                "layer block_1 (", "'dense_1.weight'", "as layer dense_1 does", "unique");
        clash.close();
        assertEquals(1, m.layers().size(), "the model is unchanged: " + e.getMessage());
        assertEquals(2, m.parameters().size());
        m.add(new Block(false)).add(new Dense(2));
        assertEquals(java.util.List.of("dense_1", "block_1", "dense_2"),
                m.layers().stream().map(dev.nnj.api.layers.Layer::name).toList(), "the refused add used no name");
        Map<String, float[]> state = m.stateDict();
        assertEquals(java.util.List.of("dense_1.weight", "dense_1.bias", "block_1.dense.weight",
                "block_1.dense.bias", "dense_2.weight", "dense_2.bias"), java.util.List.copyOf(state.keySet()));
        float[] x = {1, 2, 3};
        float[] before = m.predict(x, 1);
        m.loadStateDict(state);
        assertSameFloats("predictions after a state dict round trip", before, m.predict(x, 1));
        // The gradient check's table keeps its columns in line past a long name (block_1.dense.weight).
        String report = dev.nnj.api.model.GradientCheck.defaults().check(m, Loss.meanSquaredError(),
                new float[] {1, 2, 3, 0.5f, -1, 2}, new float[] {0.1f, 0.2f, -0.3f, 0.4f}).report();
        java.util.List<String> table = report.lines().skip(1).limit(7).toList();
        int shape = table.get(0).indexOf("shape");
        for (String row : table.subList(1, table.size())) {
            assertEquals('(', row.charAt(shape), "the shape column in line:\n" + report);
        }
    }

    private Sequential network(boolean custom) {
        Sequential m = model(4, 11);
        if (custom) {
            m.add(new Dense(5, Activation.IDENTITY, Initializer.zeros(), Initializer.zeros()))
                    .add(new CustomActivationLayer(TANH))
                    .add(new Dense(3, Activation.IDENTITY, Initializer.zeros(), Initializer.zeros()));
        } else {
            m.add(new Dense(5, Activation.TANH, Initializer.zeros(), Initializer.zeros()))
                    .add(new Dense(3, Activation.IDENTITY, Initializer.zeros(), Initializer.zeros()));
        }
        Random r = random("weights");
        m.parameters().get(0).write(normal(r, 20, 0.7));
        m.parameters().get(1).write(normal(r, 5, 0.2));
        m.parameters().get(2).write(normal(r, 15, 0.7));   // the custom layer has no parameters
        m.parameters().get(3).write(normal(r, 3, 0.2));
        return m;
    }

    private static float[] filled(int n, float v) {
        float[] x = new float[n];
        java.util.Arrays.fill(x, v);
        return x;
    }
}
