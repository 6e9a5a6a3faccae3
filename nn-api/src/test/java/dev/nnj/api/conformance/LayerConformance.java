package dev.nnj.api.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnj.api.Activation;
import dev.nnj.api.Tensor;
import dev.nnj.api.init.Initializer;
import dev.nnj.api.layers.ActivationLayer;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.layers.Dropout;
import dev.nnj.api.layers.ELU;
import dev.nnj.api.layers.Layer;
import dev.nnj.api.layers.LeakyReLU;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.layers.ReLU;
import dev.nnj.api.layers.Sigmoid;
import dev.nnj.api.layers.Softmax;
import dev.nnj.api.layers.Tanh;
import dev.nnj.api.model.GradientCheck;
import dev.nnj.api.model.Sequential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every layer's backward pass against central finite differences of its own forward pass.
 *
 * <p>The scalar checked is {@code L = Σ output ⊙ R} for a fixed random {@code R}, so {@code ∂L/∂output = R} is
 * what {@link Layer#backward} receives and {@code ∂L/∂input}, {@code ∂L/∂W} and {@code ∂L/∂b} are what it must
 * return or set. The layer runs in float32 on the backend under test; the differences are taken in double from
 * its float32 outputs.
 *
 * <h2>Step and tolerance</h2>
 * A central difference {@code D(h) = (L(θ + h) − L(θ − h)) / 2h} has a truncation error {@code h² L'''/6} and a
 * rounding error {@code ≈ Σ_k |R_k| (e_k⁺ + e_k⁻) / 2h}, where {@code e_k} is the float32 error of output {@code k}.
 * The step is {@code h = 1e-2}, and Richardson extrapolation {@code D = D(h/2) + (D(h/2) − D(h)) / 3} removes the
 * {@code h²} term, leaving {@code O(h⁴) ≈ 1e-8} relative on these smooth, moderately scaled functions, so what is
 * left is rounding. Each element is accepted when
 * <pre>
 *   |analytic − D| ≤ 1e-4 · |D| + noise + 1e-6 · max|D|
 * </pre>
 * where {@code noise} is the rounding bound summed over the outputs the step actually changed (the others are
 * bit-identical and cancel), with {@code e_k = 2u (|out_k| + √K · Σ_l |x_l W_lk| + |b_k|)} for an elementwise
 * activation and {@code e_k = 2u |out_k| (1 + 2√K · max_row(Σ_l |x_l W_lk| + |b_k|))} for softmax ({@code u = 2⁻²⁴},
 * {@code K} the length of the dot product): a few roundings of the activation plus the usual {@code √K} growth of a
 * float32 dot product, which softmax turns into a relative error. On the CPU backend (and the CUDA backend's
 * emulated device) the observed errors stay below a seventh of this tolerance, which for most elements is
 * {@code 1e-3} of the gradient or less: a wrong derivative, a missing factor or a transposed product is off by far
 * more. Steps are the float32 numbers actually reached, {@code fl(θ + h) − fl(θ − h)}, not {@code 2h}.
 *
 * <p>ReLU, leaky ReLU and ELU have a kink (or a jump of the second derivative) at zero. Each element's step is
 * shrunk to {@code min(h, 0.45 · d)}, where {@code d} is how far it can move before some pre-activation it feeds
 * reaches zero (computed in double), so both {@code h} and {@code h/2} stay on one side; elements that would need
 * a step below {@code h / 100} are skipped, and at least nine in ten must be checkable.
 *
 * <p>Shapes are odd (batch 1, 3, 17; widths 1, 3, 17, 65) because edges and tails are where kernels break.
 */
public abstract class LayerConformance extends ModelTestSupport {
    /** The larger finite-difference step; the extrapolation also uses {@code H / 2}. {@link GradientCheck}'s too. */
    static final double H = GradientCheck.DEFAULT_STEP;
    /** At most this many elements of each tensor are differenced (always including the first and the last). */
    static final int MAX_CHECKED = 24;
    /** Forward and backward passes repeated on each large shape. */
    static final int LARGE_SHAPE_RUNS = 40;

    // ---------------------------------------------------------------- Dense

    /** Every activation of Dense, each on a few odd {@code (batch, in, out)} shapes. */
    static Stream<Arguments> denseCases() {
        int[][] shapes = {{1, 1, 1}, {1, 3, 17}, {3, 17, 3}, {17, 65, 3}, {3, 3, 65}, {17, 17, 1}};
        List<Arguments> cases = new ArrayList<>();
        int s = 0;
        for (Activation f : Activation.values()) {
            // Four shapes per activation, rotating through the list, so every shape meets several activations.
            for (int k = 0; k < 4; k++) {
                int[] shape = shapes[(s + k) % shapes.length];
                cases.add(Arguments.of(f, shape[0], shape[1], shape[2]));
            }
            s += 2;
        }
        // The edge that matters most for softmax: one unit (its output is constantly 1, every gradient 0).
        cases.add(Arguments.of(Activation.SOFTMAX, 3, 17, 1));
        return cases.stream();
    }

    @ParameterizedTest(name = "Dense({3}, {0}) on ({1}, {2})")
    @MethodSource("dev.nnj.api.conformance.LayerConformance#denseCases")
    void denseGradientsMatchFiniteDifferences(Activation f, int batch, int in, int out) {
        Random r = random("dense", f, batch, in, out);
        float alpha = f == Activation.LEAKY_RELU ? 0.1f : f == Activation.ELU ? 0.7f : 1f;
        Sequential model = model(in, 7);
        Dense dense = new Dense(out, f, alpha, Initializer.zeros(), Initializer.zeros());
        model.add(dense);
        Parameter weight = dense.parameters().get(0);
        Parameter bias = dense.parameters().get(1);
        float[] w = uniform(r, in * out, -1.5 / Math.sqrt(in), 1.5 / Math.sqrt(in));
        float[] b = normal(r, out, 0.5);
        float[] x = normal(r, batch * in, 1.0);
        float[] rr = normal(r, batch * out, 1.0);
        weight.write(w);
        bias.write(b);
        Tensor xt = tensor(x, batch, in);
        Tensor rt = tensor(rr, batch, out);

        dense.forward(xt, true);
        Tensor dxt = dense.backward(rt, true);
        float[] dx = dxt.toArray();
        float[] dw = weight.readGradient();
        float[] db = bias.readGradient();

        // Pre-activations and their rounding magnitude Σ|x W| + |b|, in double, for the kink rule and the noise bound.
        double[] z = new double[batch * out];
        double[] mag = new double[batch * out];
        for (int i = 0; i < batch; i++) {
            for (int k = 0; k < out; k++) {
                double sum = b[k];
                double m = Math.abs(b[k]);
                for (int l = 0; l < in; l++) {
                    sum += (double) x[i * in + l] * w[l * out + k];
                    m += Math.abs((double) x[i * in + l] * w[l * out + k]);
                }
                z[i * out + k] = sum;
                mag[i * out + k] = m;
            }
        }
        OutputError error = OutputError.of(mag, batch, out, in, f == Activation.SOFTMAX);
        boolean kink = hasKink(f);
        Supplier<float[]> forward = () -> dense.forward(xt, true).toArray();

        // ∂L/∂x[i, l]: moving x[i, l] moves z[i, k] by h · W[l, k] for every k.
        checkGradient("Dense(" + f.label() + ") ∂L/∂input", in, x, xt::copyFrom, forward, rr, error, dx,
                index -> kink ? kinkFreeInputStep(z, out, index / in, w, index % in) : Double.POSITIVE_INFINITY);
        // ∂L/∂W[l, k]: moves z[i, k] by h · x[i, l] for every row i.
        checkGradient("Dense(" + f.label() + ") ∂L/∂weight", out, w, weight::write, forward, rr, error, dw,
                index -> kink ? kinkFreeColumnStep(z, batch, out, index % out, x, in, index / out)
                        : Double.POSITIVE_INFINITY);
        // ∂L/∂b[k]: moves z[i, k] by h for every row i.
        checkGradient("Dense(" + f.label() + ") ∂L/∂bias", out, b, bias::write, forward, rr, error, db,
                index -> kink ? kinkFreeColumnStep(z, batch, out, index, null, in, -1) : Double.POSITIVE_INFINITY);
    }

    /**
     * Shapes that cross the blocking boundaries of tuned GEMMs (register tiles, cache blocks, thread splits), which
     * the small shapes above never reach: Dense's forward {@code x·W}, weight gradient {@code xᵀ·dZ} and input
     * gradient {@code dZ·Wᵀ} against the chain rule in double. Finite differences would be too slow here and add
     * nothing: the small shapes already pin the formulas, these pin the products.
     *
     * <p>Tolerance per element: {@code 1e-4 |r| + 1e-5 √K Σ|terms|}, the reduction bound of {@link Checks}, with
     * {@code K} the length of the sum and {@code Σ|terms|} its absolute magnitude (computed in double).
     */
    @ParameterizedTest(name = "Dense({2}, {3}) on ({0}, {1})")
    @CsvSource({"7, 600, 260, TANH", "600, 7, 260, TANH", "200, 513, 70, SIGMOID", "97, 257, 130, SOFTMAX",
        "151, 3, 4200, IDENTITY", "64, 64, 64, RELU"})
    void denseMatchesTheChainRuleOnLargeShapes(int batch, int in, int out, Activation f) {
        Random r = random("dense-large", batch, in, out, f);
        Sequential model = model(in, 5);
        Dense dense = new Dense(out, f, Initializer.zeros(), Initializer.zeros());
        model.add(dense);
        float[] w = uniform(r, in * out, -1.5 / Math.sqrt(in), 1.5 / Math.sqrt(in));
        float[] b = normal(r, out, 0.5);
        float[] x = normal(r, batch * in, 1.0);
        float[] rr = normal(r, batch * out, 1.0);
        dense.parameters().get(0).write(w);
        dense.parameters().get(1).write(b);
        Tensor xt = tensor(x, batch, in);
        Tensor rt = tensor(rr, batch, out);

        ReferenceMlp.Layer layer = new ReferenceMlp.Layer(in, out, f, 0, w, b);
        ReferenceMlp.Pass p = new ReferenceMlp().add(layer).forward(x, batch);
        double[] z = p.z.get(0);
        double[] dz = ReferenceMlp.activationBackward(layer, z, p.output(), toDouble(rr), batch);
        double[] zMag = new double[batch * out];
        double[] dw = new double[in * out];
        double[] dwMag = new double[in * out];
        double[] db = new double[out];
        double[] dbMag = new double[out];
        double[] dxRef = new double[batch * in];
        double[] dxMag = new double[batch * in];
        for (int i = 0; i < batch; i++) {
            for (int k = 0; k < out; k++) {
                double g = dz[i * out + k];
                zMag[i * out + k] = Math.abs(b[k]);
                db[k] += g;
                dbMag[k] += Math.abs(g);
                for (int l = 0; l < in; l++) {
                    zMag[i * out + k] += Math.abs((double) x[i * in + l] * w[l * out + k]);
                    dw[l * out + k] += x[i * in + l] * g;
                    dwMag[l * out + k] += Math.abs(x[i * in + l] * g);
                    dxRef[i * in + l] += g * w[l * out + k];
                    dxMag[i * in + l] += Math.abs(g * w[l * out + k]);
                }
            }
        }
        // The output error is the pre-activation's (f' ≤ 1), for softmax spread over the row as a relative error.
        double[] aTol = new double[batch * out];
        for (int i = 0; i < batch; i++) {
            double rowMax = 0;
            for (int k = 0; k < out; k++) {
                rowMax = Math.max(rowMax, zMag[i * out + k]);
            }
            for (int k = 0; k < out; k++) {
                double zTol = 1e-5 * Math.sqrt(in) * (f == Activation.SOFTMAX ? 2 * rowMax : zMag[i * out + k]);
                double ref = p.output()[i * out + k];
                aTol[i * out + k] = 1e-4 * Math.abs(ref) + (f == Activation.SOFTMAX ? Math.abs(ref) * zTol : zTol);
            }
        }
        double[] dwTol = Checks.reductionTolerance(dw, dwMag, batch);
        double[] dbTol = Checks.reductionTolerance(db, dbMag, batch);
        double[] dxTol = Checks.reductionTolerance(dxRef, dxMag, out);
        // The same pass several times over: a multithreaded product must give a right answer every time, not
        // only when its threads happen to run in a lucky order.
        for (int run = 1; run <= LARGE_SHAPE_RUNS; run++) {
            String name = "Dense(" + out + ", " + f.label() + ") on (" + batch + ", " + in + "), run " + run;
            Checks.assertClose(name + " output", out, p.output(), dense.forward(xt, true).toArray(), aTol);
            float[] dx = dense.backward(rt, true).toArray();
            Checks.assertClose(name + " ∂L/∂weight", out, dw, dense.parameters().get(0).readGradient(), dwTol);
            Checks.assertClose(name + " ∂L/∂bias", out, db, dense.parameters().get(1).readGradient(), dbTol);
            Checks.assertClose(name + " ∂L/∂input", in, dxRef, dx, dxTol);
        }
    }

    @Test
    void denseBackwardSetsGradientsAndSkipsInputGradientOnRequest() {
        Random r = random("dense-sets");
        Sequential model = model(3, 11);
        Dense dense = new Dense(17, Activation.TANH);
        model.add(dense);
        Tensor x = tensor(normal(r, 5 * 3, 1), 5, 3);
        Tensor g = tensor(normal(r, 5 * 17, 1), 5, 17);
        dense.forward(x, true);
        float[] dx1 = dense.backward(g, true).toArray();
        float[] dw1 = dense.parameters().get(0).readGradient();
        float[] db1 = dense.parameters().get(1).readGradient();
        // A second backward of the same forward must give the same gradients: they are set, not accumulated.
        float[] dx2 = dense.backward(g, true).toArray();
        assertSameFloats("input gradient of a repeated backward", dx1, dx2);
        assertSameFloats("weight gradient of a repeated backward", dw1, dense.parameters().get(0).readGradient());
        assertSameFloats("bias gradient of a repeated backward", db1, dense.parameters().get(1).readGradient());
        // The first layer of a model asks for no input gradient: null, but the parameter gradients are still set.
        dense.parameters().get(0).gradient().copyFrom(new float[3 * 17]);
        assertNull(dense.backward(g, false), "backward(…, false) returns no input gradient");
        assertSameFloats("weight gradient without input gradient", dw1, dense.parameters().get(0).readGradient());
    }

    @Test
    void defaultSlopesArePyTorchs() {
        // Dense(units, LEAKY_RELU) and LeakyReLU() use PyTorch's negative slope 0.01; Dense(units, ELU) and ELU()
        // use α = 1. With z = (2, −2): leaky ReLU gives (2, −0.02), ELU gives (2, e^−2 − 1).
        Tensor x = tensor(new float[] {2f}, 1, 1);
        Tensor z = tensor(new float[] {2f, -2f}, 1, 2);
        double elu = Math.expm1(-2);
        for (Activation f : new Activation[] {Activation.LEAKY_RELU, Activation.ELU}) {
            double[] expected = {2, f == Activation.ELU ? elu : -0.02};
            Sequential dense = model(1, 0).add(new Dense(2, f));
            dense.parameter("dense_1.weight").write(new float[] {1f, -1f});
            assertClose("Dense(2, " + f.label() + ") default slope", 2, expected, dense.forward(x, false).toArray(),
                    1e-6, 1e-7);
            Sequential layer = model(2, 0).add(f == Activation.ELU ? new ELU() : new LeakyReLU());
            assertClose(f.label() + " layer default slope", 2, expected, layer.forward(z, false).toArray(), 1e-6,
                    1e-7);
        }
    }

    // ---------------------------------------------------------------- activation layers

    /** Each activation layer on a few {@code (batch, width)} shapes. */
    static Stream<Arguments> activationCases() {
        int[][] shapes = {{1, 1}, {3, 17}, {17, 65}, {17, 3}, {1, 65}};
        String[] layers = {"sigmoid", "tanh", "relu", "leaky_relu", "leaky_relu(0.2)", "elu", "elu(0.5)",
            "softmax"};
        List<Arguments> cases = new ArrayList<>();
        for (String layer : layers) {
            for (int[] shape : shapes) {
                cases.add(Arguments.of(layer, shape[0], shape[1]));
            }
        }
        return cases.stream();
    }

    static ActivationLayer activationLayer(String name) {
        switch (name) {
            case "sigmoid":
                return new Sigmoid();
            case "tanh":
                return new Tanh();
            case "relu":
                return new ReLU();
            case "leaky_relu":
                return new LeakyReLU();
            case "leaky_relu(0.2)":
                return new LeakyReLU(0.2f);
            case "elu":
                return new ELU();
            case "elu(0.5)":
                return new ELU(0.5f);
            case "softmax":
                return new Softmax();
            default:
                throw new IllegalArgumentException(name);
        }
    }

    @ParameterizedTest(name = "{0} on ({1}, {2})")
    @MethodSource("dev.nnj.api.conformance.LayerConformance#activationCases")
    void activationLayerGradientMatchesFiniteDifferences(String name, int batch, int width) {
        Random r = random("activation", name, batch, width);
        ActivationLayer layer = activationLayer(name);
        Sequential model = model(width, 3);
        model.add(layer);
        assertEquals(width, layer.outputWidth(), name + " keeps the width");
        // Inputs kept at least 0.1 away from the kinks at zero (the largest step is 0.01), at most 3 in size.
        float[] x = awayFromZero(r, batch * width, 0.1, 3.0);
        float[] rr = normal(r, batch * width, 1.0);
        Tensor xt = tensor(x, batch, width);
        Tensor rt = tensor(rr, batch, width);
        layer.forward(xt, true);
        float[] dx = layer.backward(rt, true).toArray();
        assertTrue(layer.parameters().isEmpty(), name + " has no parameters");

        double[] mag = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            mag[i] = Math.abs(x[i]);
        }
        OutputError error = OutputError.of(mag, batch, width, 1, layer.function() == Activation.SOFTMAX);
        checkGradient(name + " ∂L/∂input", width, x, xt::copyFrom, () -> layer.forward(xt, true).toArray(), rr,
                error, dx, index -> hasKink(layer.function()) ? Math.abs(x[index]) : Double.POSITIVE_INFINITY);
    }

    // ---------------------------------------------------------------- Dropout

    @ParameterizedTest(name = "rate {0} on ({1}, {2})")
    @CsvSource({"0.3, 1, 1", "0.3, 3, 17", "0.5, 17, 65", "0.1, 17, 3"})
    void dropoutTrainingGradientMatchesFiniteDifferencesWithAFixedMask(float rate, int batch, int width) {
        Random r = random("dropout", rate, batch, width);
        float[] x = awayFromZero(r, batch * width, 0.1, 3.0);
        float[] rr = normal(r, batch * width, 1.0);
        Tensor xt = tensor(x, batch, width);
        Tensor rt = tensor(rr, batch, width);
        long seed = 1234;
        // A freshly built model with the same seed draws the same first mask: each evaluation below builds one, so
        // the mask is fixed while the input moves, and the finite differences see the function x ↦ x ⊙ m.
        Supplier<float[]> forward = () -> {
            try (Sequential m = new Sequential(backend(), width, seed)) {
                m.add(new Dropout(rate));
                return m.forward(xt, true).toArray();
            }
        };
        Sequential model = model(width, seed);
        Dropout dropout = new Dropout(rate);
        model.add(dropout);
        float[] out = dropout.forward(xt, true).toArray();
        float[] dx = dropout.backward(rt, true).toArray();
        assertSameFloats("the same seed draws the same first mask", out, forward.get());

        // Inverted dropout: each element is dropped (0) or kept and scaled by 1 / (1 - rate).
        float keep = (float) (1.0 / (1.0 - rate));
        int kept = 0;
        for (int i = 0; i < x.length; i++) {
            if (out[i] == 0f) {
                assertTrue(dx[i] == 0f, "gradient of dropped element " + i + " must be 0, got " + dx[i]);
                continue;
            }
            kept++;
            assertEquals(x[i] * keep, out[i], 1e-6 * Math.abs(x[i] * keep), "kept element " + i
                    + " is scaled by 1 / (1 - rate)");
            assertEquals(rr[i] * keep, dx[i], 1e-6 * Math.abs(rr[i] * keep), "gradient of kept element " + i);
        }
        if (x.length >= 1000) {
            // Binomial(n, 1 - rate): five standard deviations either side.
            double expected = x.length * (1 - rate);
            double sd = Math.sqrt(x.length * rate * (1 - rate));
            assertTrue(Math.abs(kept - expected) <= 5 * sd, "kept " + kept + " of " + x.length + " at rate " + rate
                    + ", expected about " + expected);
        }
        // One rounding per output (x · m), which the bound already counts from the outputs: no extra scale.
        checkGradient("dropout(" + rate + ") ∂L/∂input", width, x, xt::copyFrom, forward, rr,
                OutputError.outputsOnly(x.length), dx, i -> Double.POSITIVE_INFINITY);
    }

    @Test
    void dropoutDrawsAFreshMaskEveryTrainingStep() {
        Random r = random("dropout-fresh");
        float[] x = awayFromZero(r, 17 * 65, 0.1, 3.0);
        Tensor xt = tensor(x, 17, 65);
        Sequential model = model(65, 99);
        Dropout dropout = new Dropout(0.5f);
        model.add(dropout);
        float[] first = dropout.forward(xt, true).toArray();
        float[] second = dropout.forward(xt, true).toArray();
        assertTrue(!Arrays.equals(first, second), "two training steps must not reuse the same dropout mask");

        Sequential same = model(65, 99);
        same.add(new Dropout(0.5f));
        assertSameFloats("a model with the same seed reproduces the first mask", first,
                same.forward(xt, true).toArray());
        assertSameFloats("… and the second", second, same.forward(xt, true).toArray());
        Sequential other = model(65, 100);
        other.add(new Dropout(0.5f));
        assertTrue(!Arrays.equals(first, other.forward(xt, true).toArray()),
                "another seed must draw another mask");
    }

    @ParameterizedTest(name = "rate {0}")
    @CsvSource({"0.0", "0.5", "0.9"})
    void dropoutIsTheIdentityInInference(float rate) {
        Random r = random("dropout-inference", rate);
        float[] x = normal(r, 3 * 17, 1);
        float[] g = normal(r, 3 * 17, 1);
        Tensor xt = tensor(x, 3, 17);
        Tensor gt = tensor(g, 3, 17);
        Sequential model = model(17, 5);
        Dropout dropout = new Dropout(rate);
        model.add(dropout);
        assertSameFloats("inference forward", x, dropout.forward(xt, false).toArray());
        assertSameFloats("backward after an inference forward", g, dropout.backward(gt, true).toArray());
        assertSameFloats("model.predict", x, model.predict(x, 3));
        if (rate == 0f) {
            assertSameFloats("rate 0 is the identity in training too", x, dropout.forward(xt, true).toArray());
        }
    }

    // ---------------------------------------------------------------- finite differences

    /**
     * How large the float32 rounding error of each output can be, {@code e_k = u (C |out_k| (1 + rel_k) + C abs_k)}:
     * {@code abs_k} for an error in the pre-activation passed on through an elementwise {@code f} (whose
     * derivatives here are at most 1), {@code rel_k} for one that softmax turns into a relative error of the output.
     */
    static final class OutputError {
        /** Roundings per output: the activation's own few plus headroom for other summation orders. */
        static final double C = 2;
        final double[] rel;
        final double[] abs;

        OutputError(double[] rel, double[] abs) {
            this.rel = rel;
            this.abs = abs;
        }

        /** Rounding of the outputs alone (dropout: one product per output). */
        static OutputError outputsOnly(int n) {
            return new OutputError(new double[n], new double[n]);
        }

        /**
         * The pre-activation {@code z[i, k]} carries an error of about {@code √K · u · mag[i, k]} (a float32 dot
         * product of {@code K} terms whose absolute values sum to {@code mag}); an elementwise {@code f} passes it
         * on scaled by {@code f' ≤ 1}, softmax as a relative error of at most twice the largest of its row.
         */
        static OutputError of(double[] mag, int rows, int cols, int k, boolean softmax) {
            double[] rel = new double[mag.length];
            double[] abs = new double[mag.length];
            for (int i = 0; i < rows; i++) {
                double rowMax = 0;
                for (int j = 0; j < cols; j++) {
                    rowMax = Math.max(rowMax, mag[i * cols + j]);
                }
                for (int j = 0; j < cols; j++) {
                    if (softmax) {
                        rel[i * cols + j] = 2 * Math.sqrt(k) * rowMax;
                    } else {
                        abs[i * cols + j] = Math.sqrt(k) * mag[i * cols + j];
                    }
                }
            }
            return new OutputError(rel, abs);
        }

        double bound(int k, float out) {
            return C * U * (Math.abs(out) * (1 + rel[k]) + abs[k]);
        }
    }

    static boolean hasKink(Activation f) {
        return f == Activation.RELU || f == Activation.LEAKY_RELU || f == Activation.ELU;
    }

    /** The largest step of {@code x[row, l]} that moves no {@code z[row, k]} (by {@code step · W[l, k]}) to zero. */
    static double kinkFreeInputStep(double[] z, int out, int row, float[] w, int l) {
        double step = Double.POSITIVE_INFINITY;
        for (int k = 0; k < out; k++) {
            step = Math.min(step, Math.abs(z[row * out + k]) / Math.abs(w[l * out + k]));
        }
        return step;
    }

    /**
     * The largest step of {@code W[l, k]} (which moves {@code z[i, k]} by {@code step · x[i, l]}), or of
     * {@code b[k]} when {@code x} is null (by {@code step}), that moves no pre-activation of column {@code k} to zero.
     */
    static double kinkFreeColumnStep(double[] z, int batch, int out, int k, float[] x, int in, int l) {
        double step = Double.POSITIVE_INFINITY;
        for (int i = 0; i < batch; i++) {
            double perUnit = x == null ? 1 : Math.abs(x[i * in + l]);
            step = Math.min(step, Math.abs(z[i * out + k]) / perUnit);
        }
        return step;
    }

    /** Writes a whole tensor (an input, a parameter) from a host array. */
    interface Writer {
        void write(float[] values);
    }

    /**
     * Differences {@code L = Σ forward() ⊙ r} with respect to up to {@link #MAX_CHECKED} elements of {@code base}
     * (written through {@code writer}, restored afterwards) and compares with {@code analytic}.
     *
     * @param kinkFree for each element, the largest step that stays on one side of every kink (infinite for
     *                 smooth functions); the step used is {@code min(H, 0.45 · kinkFree)} so that both {@code h} and
     *                 {@code h/2} stay clear, and elements that would need a step below {@code H / 100} are skipped
     */
    static void checkGradient(String what, int cols, float[] base, Writer writer, Supplier<float[]> forward,
                              float[] r, OutputError error, float[] analytic, IntToDoubleFunction kinkFree) {
        assertEquals(base.length, analytic.length, what + ": gradient size");
        List<Integer> candidates = new ArrayList<>();
        double[] steps = new double[base.length];
        for (int i = 0; i < base.length; i++) {
            steps[i] = Math.min(H, 0.45 * kinkFree.applyAsDouble(i));
            if (steps[i] >= H / 100) {
                candidates.add(i);
            }
        }
        // Nearly every element must be checkable, or the kink rule could hide a broken gradient.
        assertTrue(candidates.size() * 10 >= base.length * 9,
                what + ": only " + candidates.size() + " of " + base.length + " elements are away from a kink");
        List<Integer> chosen = choose(candidates, what);

        double[] expected = toDouble(analytic);   // unchecked elements compare equal with zero tolerance
        double[] tol = new double[base.length];
        double[] fd = new double[chosen.size()];
        double[] noise = new double[chosen.size()];
        float[] v = base.clone();
        for (int c = 0; c < chosen.size(); c++) {
            int i = chosen.get(c);
            double[] d1 = centralDifference(i, steps[i], base, v, writer, forward, r, error);
            double[] d2 = centralDifference(i, steps[i] / 2, base, v, writer, forward, r, error);
            fd[c] = GradientCheck.richardson(d1[0], d2[0]);   // cancels the h² term
            noise[c] = (4 * d2[1] + d1[1]) / 3;
        }
        writer.write(base);
        double largest = maxAbs(fd);
        for (int c = 0; c < chosen.size(); c++) {
            int i = chosen.get(c);
            expected[i] = fd[c];
            tol[i] = 1e-4 * Math.abs(fd[c]) + noise[c] + 1e-6 * largest;
        }
        Checks.assertClose(what + " (against central differences)", cols, expected, analytic, tol);
    }

    /** {@code {D(h), rounding bound of D(h)}} for element {@code i}. */
    private static double[] centralDifference(int i, double h, float[] base, float[] v, Writer writer,
                                              Supplier<float[]> forward, float[] r, OutputError error) {
        float up = (float) (base[i] + h);
        float down = (float) (base[i] - h);
        v[i] = up;
        writer.write(v);
        float[] plus = forward.get();
        v[i] = down;
        writer.write(v);
        float[] minus = forward.get();
        v[i] = base[i];
        double step = (double) up - down;
        double diff = 0;
        double noise = 0;
        for (int k = 0; k < plus.length; k++) {
            // Outputs the step did not touch are bit-identical and add neither difference nor noise.
            if (Float.floatToIntBits(plus[k]) == Float.floatToIntBits(minus[k])) {
                continue;
            }
            diff += r[k] * ((double) plus[k] - minus[k]);
            noise += Math.abs(r[k]) * (error.bound(k, plus[k]) + error.bound(k, minus[k]));
        }
        if (!Double.isFinite(diff)) {
            fail(what(i) + " gave a non-finite output with step " + h);
        }
        return new double[] {diff / step, noise / step};
    }

    private static String what(int i) {
        return "moving element " + i;
    }

    /** Up to {@link #MAX_CHECKED} of the candidates: the first, the last and a seeded sample in between. */
    private static List<Integer> choose(List<Integer> candidates, String what) {
        if (candidates.size() <= MAX_CHECKED) {
            return candidates;
        }
        List<Integer> rest = new ArrayList<>(candidates.subList(1, candidates.size() - 1));
        Collections.shuffle(rest, random("choose", what, candidates.size()));
        List<Integer> chosen = new ArrayList<>();
        chosen.add(candidates.get(0));
        chosen.add(candidates.get(candidates.size() - 1));
        chosen.addAll(rest.subList(0, MAX_CHECKED - 2));
        return chosen;
    }
}
