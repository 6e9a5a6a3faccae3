package dev.nnj.api.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.LossKind;
import dev.nnj.api.Tensor;
import dev.nnj.api.init.Initializer;
import dev.nnj.api.layers.ActivationLayer;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.layers.Layer;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.Sequential;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every loss against the definitions of {@link LossKind}, written out in double in {@link ReferenceMlp}: the value,
 * the gradient (against the closed form and against central differences of the backend's own loss value), the
 * fused softmax + categorical cross-entropy and sigmoid + binary cross-entropy paths against the unfused chain rule,
 * and saturated outputs, which must give large finite losses and exact fused gradients, never NaN or infinity.
 *
 * <p>Tolerances: a loss value is a sum of non-negative terms, so float32 keeps it within a few {@code u√n}
 * relative ({@code 1e-4} relative leaves a wide margin). Gradients of a network are sums over the batch that may
 * cancel, so they are compared with {@code 1e-4 · |expected| + 1e-5 · max|expected|} per tensor: the absolute part
 * is the float32 error of a cancelling sum relative to the tensor's scale, far below what a wrong formula gives.
 * Finite differences use the step rule and rounding bound described in {@link LayerConformance}.
 */
public abstract class ModelLossConformance extends ModelTestSupport {

    static Stream<Arguments> lossCases() {
        int[][] shapes = {{1, 1}, {3, 17}, {17, 3}, {17, 65}, {1, 65}};
        List<Arguments> cases = new ArrayList<>();
        for (LossKind kind : LossKind.values()) {
            for (int[] s : shapes) {
                cases.add(Arguments.of(kind, s[0], s[1]));
            }
        }
        return cases.stream();
    }

    /** Predictions and targets of the kind the loss is meant for: {@code {p, y}}. */
    static float[][] lossData(LossKind kind, Random r, int rows, int cols) {
        int n = rows * cols;
        switch (kind) {
            case MSE:
                return new float[][] {normal(r, n, 1), normal(r, n, 1)};
            case BINARY_CROSS_ENTROPY:
                // Hard targets, and soft ones on the (17, 3) shape: the definition covers both.
                return new float[][] {uniform(r, n, 0.02, 0.98),
                    rows == 17 && cols == 3 ? uniform(r, n, 0, 1) : binaryRows(r, rows, cols)};
            default:
                return new float[][] {probabilityRows(r, rows, cols, 1),
                    rows == 17 && cols == 3 ? probabilityRows(r, rows, cols, 1) : oneHotRows(r, rows, cols)};
        }
    }

    @ParameterizedTest(name = "{0} on ({1}, {2})")
    @MethodSource("dev.nnj.api.conformance.ModelLossConformance#lossCases")
    void lossValueMatchesTheDefinition(LossKind kind, int rows, int cols) {
        float[][] py = lossData(kind, random("value", kind, rows, cols), rows, cols);
        Tensor p = tensor(py[0], rows, cols);
        Tensor y = tensor(py[1], rows, cols);
        double expected = ReferenceMlp.meanLoss(kind, toDouble(py[0]), toDouble(py[1]), rows, cols);
        float actual = Loss.of(kind).value(backend(), p, y);
        assertClose(kind + " value", 1, new double[] {expected}, new float[] {actual}, 1e-4, 1e-7);
    }

    @ParameterizedTest(name = "{0} on ({1}, {2})")
    @MethodSource("dev.nnj.api.conformance.ModelLossConformance#lossCases")
    void lossGradientMatchesTheDefinitionAndFiniteDifferences(LossKind kind, int rows, int cols) {
        Random r = random("gradient", kind, rows, cols);
        float[][] py = lossData(kind, r, rows, cols);
        float[] p = py[0];
        float[] y = py[1];
        Loss loss = Loss.of(kind);
        Tensor pt = tensor(p, rows, cols);
        Tensor yt = tensor(y, rows, cols);
        Tensor gt = zeros(rows, cols);
        loss.gradient(backend(), pt, yt, false, gt);
        float[] g = gt.toArray();
        double[] closedForm = ReferenceMlp.lossGradient(kind, toDouble(p), y, rows, cols);
        assertClose(kind + " gradient against the closed form of LossKind", cols, closedForm, g, 1e-4,
                1e-6 * maxAbs(closedForm));

        // ∂(mean loss)/∂p[i, j] = (1/N) ∂ℓ_i/∂p[i, j]: difference ℓ_i alone, the loss of row i as a batch of one,
        // so the float32 noise is that of one row, not of the whole batch.
        Tensor row = zeros(1, cols);
        Tensor rowTarget = zeros(1, cols);
        List<Integer> elements = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            elements.add(i);
        }
        Collections.shuffle(elements, r);
        List<Integer> chosen = elements.subList(0, Math.min(24, elements.size()));
        double[] expected = toDouble(g);
        double[] tol = new double[g.length];
        double[] fd = new double[chosen.size()];
        double[] noise = new double[chosen.size()];
        for (int c = 0; c < chosen.size(); c++) {
            int e = chosen.get(c);
            int i = e / cols;
            float[] rowValues = java.util.Arrays.copyOfRange(p, i * cols, (i + 1) * cols);
            rowTarget.copyFrom(java.util.Arrays.copyOfRange(y, i * cols, (i + 1) * cols));
            // MSE is quadratic (any step is exact); the logarithms need a step relative to their distance from the
            // pole: log p for CCE, log p and log(1 − p) for BCE.
            double h = kind == LossKind.MSE ? 1e-2
                    : kind == LossKind.CATEGORICAL_CROSS_ENTROPY ? 0.05 * p[e] : 0.05 * Math.min(p[e], 1 - p[e]);
            double[] d1 = rowDifference(loss, row, rowTarget, rowValues, e % cols, h, cols);
            double[] d2 = rowDifference(loss, row, rowTarget, rowValues, e % cols, h / 2, cols);
            fd[c] = (d2[0] + (d2[0] - d1[0]) / 3) / rows;
            noise[c] = (4 * d2[1] + d1[1]) / 3 / rows;
        }
        double largest = maxAbs(fd);
        for (int c = 0; c < chosen.size(); c++) {
            int e = chosen.get(c);
            expected[e] = fd[c];
            tol[e] = 1e-4 * Math.abs(fd[c]) + noise[c] + 1e-6 * largest;
        }
        Checks.assertClose(kind + " gradient against central differences of the loss", cols, expected, g, tol);
    }

    /** {@code {D(h), rounding bound}} of the one-row loss with respect to column {@code j}. */
    private double[] rowDifference(Loss loss, Tensor row, Tensor rowTarget, float[] values, int j, double h,
                                   int cols) {
        float[] v = values.clone();
        float up = (float) (values[j] + h);
        float down = (float) (values[j] - h);
        v[j] = up;
        row.copyFrom(v);
        double plus = loss.value(backend(), row, rowTarget);
        v[j] = down;
        row.copyFrom(v);
        double minus = loss.value(backend(), row, rowTarget);
        double step = (double) up - down;
        // ℓ is a mean (or sum) of C non-negative terms: a float32 evaluation is within about (2 + log2 C) u of it.
        double bound = (2 + Math.log(cols) / Math.log(2)) * U * (Math.abs(plus) + Math.abs(minus));
        return new double[] {(plus - minus) / step, bound / step};
    }

    @Test
    void saturatedOutputsGiveLargeFiniteLossesAndGradients() {
        // BCE: p = 0 with y = 1 and p = 1 with y = 0 hit the floor of the logarithm (−100 each); p = 1 with y = 1 and
        // p = 0 with y = 0 must give 0, not 0 · log 0 = NaN.
        float[] p = {0f, 1f, 1f, 0f, 0.5f, 1f};
        float[] y = {1f, 0f, 1f, 0f, 1f, 1f};
        checkSaturated(LossKind.BINARY_CROSS_ENTROPY, p, y, 2, 3, (100 + 100 + 0 + 0 - Math.log(0.5) + 0) / 6);
        // CCE: a one-hot prediction of the wrong class costs 100; zero probabilities of the other classes add nothing.
        float[] q = {0f, 1f, 0f, 1f, 0f, 0f, 0.25f, 0.75f, 0f};
        float[] t = {1f, 0f, 0f, 1f, 0f, 0f, 0f, 1f, 0f};
        checkSaturated(LossKind.CATEGORICAL_CROSS_ENTROPY, q, t, 3, 3, (100 + 0 - Math.log(0.75)) / 3);
    }

    private void checkSaturated(LossKind kind, float[] p, float[] y, int rows, int cols, double expected) {
        Loss loss = Loss.of(kind);
        Tensor pt = tensor(p, rows, cols);
        Tensor yt = tensor(y, rows, cols);
        float value = loss.value(backend(), pt, yt);
        assertTrue(Float.isFinite(value), kind + " of saturated outputs must be finite, got " + value);
        assertEquals(expected, value, 1e-4 * expected, kind + " of saturated outputs (logarithms floored at −100)");
        assertEquals(ReferenceMlp.meanLoss(kind, toDouble(p), toDouble(y), rows, cols), expected, 1e-9,
                "the test's own arithmetic");
        Tensor g = zeros(rows, cols);
        loss.gradient(backend(), pt, yt, false, g);
        Checks.assertFinite(kind + " gradient of saturated outputs", cols, g.toArray());
        loss.gradient(backend(), pt, yt, true, g);
        Checks.assertFinite(kind + " fused gradient of saturated outputs", cols, g.toArray());
    }

    @Test
    void fusedGradientIsTheScaledDifference() {
        Random r = random("fused-difference");
        for (LossKind kind : new LossKind[] {LossKind.BINARY_CROSS_ENTROPY, LossKind.CATEGORICAL_CROSS_ENTROPY}) {
            int rows = 17;
            int cols = 3;
            float[][] py = lossData(kind, r, rows, cols);
            Tensor g = zeros(rows, cols);
            Loss.of(kind).gradient(backend(), tensor(py[0], rows, cols), tensor(py[1], rows, cols), true, g);
            // (a − y) / (N C) for binary cross-entropy (its mean runs over the C outputs too), (a − y) / N for CCE.
            double divisor = kind == LossKind.BINARY_CROSS_ENTROPY ? rows * cols : rows;
            double[] expected = new double[rows * cols];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = ((double) py[0][i] - py[1][i]) / divisor;
            }
            assertClose(kind + " fused gradient", cols, expected, g.toArray(), 1e-5, 1e-9);
        }
    }

    @Test
    void onlyTheMatchingActivationFuses() {
        for (LossKind kind : LossKind.values()) {
            for (Activation f : Activation.values()) {
                boolean expected = kind == LossKind.BINARY_CROSS_ENTROPY && f == Activation.SIGMOID
                        || kind == LossKind.CATEGORICAL_CROSS_ENTROPY && f == Activation.SOFTMAX;
                assertEquals(expected, Loss.of(kind).fusesWith(f), kind + " fuses with " + f);
            }
            assertFalse(Loss.of(kind).fusesWith(null), kind + " fuses with a layer without activation");
        }
    }

    // ---------------------------------------------------------------- fused against unfused

    static Stream<Arguments> fusionCases() {
        return Stream.of(
                Arguments.of(LossKind.CATEGORICAL_CROSS_ENTROPY, Activation.SOFTMAX, 1, 3),
                Arguments.of(LossKind.CATEGORICAL_CROSS_ENTROPY, Activation.SOFTMAX, 17, 17),
                Arguments.of(LossKind.CATEGORICAL_CROSS_ENTROPY, Activation.SOFTMAX, 3, 65),
                Arguments.of(LossKind.BINARY_CROSS_ENTROPY, Activation.SIGMOID, 1, 1),
                Arguments.of(LossKind.BINARY_CROSS_ENTROPY, Activation.SIGMOID, 17, 3),
                Arguments.of(LossKind.BINARY_CROSS_ENTROPY, Activation.SIGMOID, 3, 17),
                // Pairs that must not fuse: the chain rule runs through the activation's own derivative.
                Arguments.of(LossKind.MSE, Activation.SIGMOID, 17, 3),
                Arguments.of(LossKind.MSE, Activation.SOFTMAX, 3, 17),
                Arguments.of(LossKind.BINARY_CROSS_ENTROPY, Activation.SOFTMAX, 17, 3),
                Arguments.of(LossKind.CATEGORICAL_CROSS_ENTROPY, Activation.SIGMOID, 3, 17));
    }

    /**
     * Four float32 paths to the same parameter gradients, each against the double chain rule: {@code Dense(C, f)} and
     * {@code Dense(C)} followed by an activation layer, each through {@link Sequential#backward} (fused where the
     * loss allows) and through the unfused chain {@code Loss.gradient(…, fused = false)} → every layer's
     * {@link Layer#backward}.
     */
    @ParameterizedTest(name = "{0} after {1}, batch {2}, {3} outputs")
    @MethodSource("dev.nnj.api.conformance.ModelLossConformance#fusionCases")
    void fusedAndUnfusedPathsAgree(LossKind kind, Activation f, int batch, int outputs) {
        Random r = random("fusion", kind, f, batch, outputs);
        int in = 3;
        int hidden = 17;
        float[] w1 = uniform(r, in * hidden, -0.8, 0.8);
        float[] b1 = normal(r, hidden, 0.3);
        float[] w2 = uniform(r, hidden * outputs, -0.5, 0.5);
        float[] b2 = normal(r, outputs, 0.3);
        float[] x = normal(r, batch * in, 1);
        float[] y = kind == LossKind.MSE ? uniform(r, batch * outputs, 0, 1)
                : kind == LossKind.BINARY_CROSS_ENTROPY ? binaryRows(r, batch, outputs) : oneHotRows(r, batch, outputs);

        ReferenceMlp reference = new ReferenceMlp()
                .add(new ReferenceMlp.Layer(in, hidden, Activation.TANH, 0, w1, b1))
                .add(new ReferenceMlp.Layer(hidden, outputs, f, 0, w2, b2));
        ReferenceMlp.Pass expected = reference.backward(x, y, batch, kind);

        Sequential fusedInDense = model(in, 1)
                .add(new Dense(hidden, Activation.TANH))
                .add(new Dense(outputs, f));
        Sequential separate = model(in, 1)
                .add(new Dense(hidden, Activation.TANH))
                .add(new Dense(outputs))
                .add(new ActivationLayer(f, 0f));
        Tensor xt = tensor(x, batch, in);
        Tensor yt = tensor(y, batch, outputs);
        Loss loss = Loss.of(kind);
        for (Sequential m : List.of(fusedInDense, separate)) {
            String name = m == fusedInDense ? "Dense(" + outputs + ", " + f.label() + ")"
                    : "Dense(" + outputs + ") + " + f.label() + " layer";
            m.parameter("dense_1.weight").write(w1);
            m.parameter("dense_1.bias").write(b1);
            m.parameter("dense_2.weight").write(w2);
            m.parameter("dense_2.bias").write(b2);

            Tensor out = m.forward(xt, true);
            assertClose(name + " output", outputs, expected.output(), out.toArray(), 1e-4, 1e-6);
            assertClose(name + " loss", 1, new double[] {expected.loss},
                    new float[] {loss.value(backend(), out, yt)}, 1e-4, 1e-7);
            m.backward(loss, yt);
            checkGradients(name + " via Sequential.backward", m, expected);

            clearGradients(m);
            out = m.forward(xt, true);
            Tensor g = zeros(batch, outputs);
            loss.gradient(backend(), out, yt, false, g);
            List<Layer> layers = m.layers();
            Tensor grad = g;
            for (int i = layers.size() - 1; i >= 0; i--) {
                grad = layers.get(i).backward(grad, i > 0);
            }
            checkGradients(name + " via the unfused chain rule", m, expected);
        }
    }

    private static void clearGradients(Sequential m) {
        for (Parameter p : m.parameters()) {
            p.gradient().copyFrom(new float[p.size()]);
        }
    }

    static void checkGradients(String what, Sequential m, ReferenceMlp.Pass expected) {
        for (int l = 0; l < expected.dw.size(); l++) {
            String layer = "dense_" + (l + 1);
            checkTensor(what + ": " + layer + ".weight gradient", m.parameter(layer + ".weight").shape()[1],
                    expected.dw.get(l), m.parameter(layer + ".weight").readGradient());
            checkTensor(what + ": " + layer + ".bias gradient", 0, expected.db.get(l),
                    m.parameter(layer + ".bias").readGradient());
        }
    }

    /** {@code |actual − expected| ≤ 1e-4 |expected| + 1e-5 max|expected|}: see the class comment. */
    static void checkTensor(String what, int cols, double[] expected, float[] actual) {
        assertClose(what, cols, expected, actual, 1e-4, 1e-5 * maxAbs(expected) + 1e-12);
    }

    // ---------------------------------------------------------------- saturation in a model

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = LossKind.class, names = {"BINARY_CROSS_ENTROPY", "CATEGORICAL_CROSS_ENTROPY"})
    void fusedModelGradientIsExactWhereOutputsSaturate(LossKind kind) {
        // Logits of several hundred: exp overflows float32 unless softmax subtracts the row maximum, and sigmoid is
        // exactly 0 or 1, where the unfused chain −y/p · p(1 − p) would lose the gradient (0 · huge) or give NaN.
        int batch = 5;
        int in = 3;
        int classes = 3;
        Random r = random("saturated", kind);
        float[] w = awayFromZero(r, in * classes, 50, 200);
        float[] b = normal(r, classes, 10);
        float[] x = awayFromZero(r, batch * in, 0.5, 2);
        float[] y = kind == LossKind.CATEGORICAL_CROSS_ENTROPY ? oneHotRows(r, batch, classes)
                : binaryRows(r, batch, classes);
        Activation f = kind.fusedActivation();
        Sequential m = model(in, 2).add(new Dense(classes, f, Initializer.zeros(), Initializer.zeros()));
        m.parameter("dense_1.weight").write(w);
        m.parameter("dense_1.bias").write(b);
        ReferenceMlp.Pass expected = new ReferenceMlp()
                .add(new ReferenceMlp.Layer(in, classes, f, 0, w, b))
                .backward(x, y, batch, kind);
        double saturated = 0;
        for (double a : expected.output()) {
            saturated += a < 1e-30 || a > 1 - 1e-12 ? 1 : 0;
        }
        assertTrue(saturated >= batch, "the test needs saturated outputs, got " + saturated);

        Tensor yt = tensor(y, batch, classes);
        Tensor out = m.forward(tensor(x, batch, in), true);
        float[] a = out.toArray();
        Checks.assertFinite(kind + " saturated outputs", classes, a);
        assertClose(kind + " saturated outputs", classes, expected.output(), a, 1e-4, 1e-6);
        float value = Loss.of(kind).value(backend(), out, yt);
        assertClose(kind + " loss of saturated outputs", 1, new double[] {expected.loss}, new float[] {value},
                1e-4, 1e-5);
        m.backward(Loss.of(kind), yt);
        Checks.assertFinite("weight gradient", classes, m.parameter("dense_1.weight").readGradient());
        checkGradients(kind + " saturated", m, expected);
    }
}
