package dev.nnj.api.conformance;

import static dev.nnj.api.conformance.Checks.assertClose;
import static dev.nnj.api.conformance.Checks.assertFinite;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnj.api.Activation;
import dev.nnj.api.LossKind;
import dev.nnj.api.Tensor;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Losses, the accuracy count, and numerical stability at the extremes, against {@link Reference} and against
 * values worked out by hand (see {@link OpConformance} for why both). Part of {@link BackendConformanceTest};
 * not subclassed directly.
 */
public abstract class LossConformance extends OpConformance {

    /**
     * The rule a failure names where {@code out} starts as NaN: {@code beta = 0} overwrites it without reading it
     * ({@link dev.nnj.api.Backend}'s contract), so a backend computing {@code 0 · out + value} gives NaN.
     */
    static final String BETA_0 = "beta = 0 sets out without reading it; out started as NaN, and 0 · NaN is NaN";

    /** Vectors (one row) and matrices, with a single column among them for the binary case. */
    private static final String[] LOSS_SHAPES = {"1", "17", "1x1", "3x17", "17x1", "65x3", "257x10"};

    /** {@code prediction, target} pairs of the kind each loss sees in training. */
    static float[][] lossInputs(LossKind kind, Random r, int rows, int cols) {
        int n = rows * cols;
        switch (kind) {
            case MSE:
                return new float[][] {normal(r, n, 1), normal(r, n, 1)};
            case BINARY_CROSS_ENTROPY: {
                float[] y = new float[n];
                for (int i = 0; i < n; i++) {
                    // Mostly hard 0/1 labels, every fifth a soft label.
                    y[i] = i % 5 == 4 ? r.nextFloat() : r.nextBoolean() ? 1 : 0;
                }
                return new float[][] {uniform(r, n, 0.001, 0.999), y};
            }
            case CATEGORICAL_CROSS_ENTROPY: {
                float[] y = oneHotRows(r, rows, cols);
                float[] soft = probabilityRows(r, rows, cols, 2);
                for (int i = 3; i < rows; i += 4) {
                    // Every fourth row a soft label (label smoothing, distillation).
                    System.arraycopy(soft, i * cols, y, i * cols, cols);
                }
                return new float[][] {probabilityRows(r, rows, cols, 2), y};
            }
            default:
                throw new IllegalArgumentException(kind.toString());
        }
    }

    @Nested
    @DisplayName("lossSum")
    class LossSum {

        @Test
        void handComputed() {
            // MSE of one row [0.5, 1] against [1, 1]: (0.25 + 0) / 2.
            check(LossKind.MSE, new float[] {0.5f, 1}, new float[] {1, 1}, 1, 2, 0.125);
            // Two rows: (0.125) + ((1 - 0)² + (0 - 2)²) / 2 = 0.125 + 2.5.
            check(LossKind.MSE, new float[] {0.5f, 1, 1, 0}, new float[] {1, 1, 0, 2}, 2, 2, 2.625);
            check(LossKind.BINARY_CROSS_ENTROPY, new float[] {0.5f}, new float[] {1}, 1, 1, Math.log(2));
            // BCE averages over columns: -(log 0.8 + log(1 - 0.4)) / 2.
            check(LossKind.BINARY_CROSS_ENTROPY, new float[] {0.8f, 0.4f}, new float[] {1, 0}, 1, 2,
                    -(Math.log(0.8) + Math.log(0.6)) / 2);
            // CCE sums over columns: -log 0.75.
            check(LossKind.CATEGORICAL_CROSS_ENTROPY, new float[] {0.25f, 0.75f}, new float[] {0, 1}, 1, 2,
                    -Math.log(0.75));
            // Two rows: -log 0.75 - log 0.5, a sum over rows, not a mean.
            check(LossKind.CATEGORICAL_CROSS_ENTROPY, new float[] {0.25f, 0.75f, 0.5f, 0.5f},
                    new float[] {0, 1, 1, 0}, 2, 2, -Math.log(0.75) - Math.log(0.5));
        }

        private void check(LossKind kind, float[] p, float[] y, int rows, int cols, double expected) {
            Tensor out = tensor(new float[] {Float.NaN}, 1);
            backend().lossSum(kind, tensor(p, rows, cols), tensor(y, rows, cols), 0, out);
            assertClose(kind + " of " + Arrays.toString(p) + " against " + Arrays.toString(y) + " (" + BETA_0 + ")",
                    new double[] {expected}, out);
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(LossKind.class)
        void matchesReferenceAndAccumulates(LossKind kind) {
            for (String shapeText : LOSS_SHAPES) {
                int[] s = shape(shapeText);
                int rows = rows(s);
                int cols = cols(s);
                float[][] py = lossInputs(kind, random("lossSum", kind, shapeText), rows, cols);
                Tensor p = tensor(py[0], s);
                Tensor y = tensor(py[1], s);
                // beta = 0 overwrites whatever was there, NaN included; beta = 1 accumulates (an epoch's running
                // sum).
                for (float[] start : new float[][] {{0, Float.NaN}, {1, 2.5f}, {0.5f, 3}}) {
                    float beta = start[0];
                    Tensor out = tensor(new float[] {start[1]}, 1);
                    backend().lossSum(kind, p, y, beta, out);
                    double expected = Reference.lossSum(kind, py[0], py[1], rows, cols, beta, start[1]);
                    assertClose(kind + " " + shapeText + " beta=" + beta + " from " + start[1]
                            + (beta == 0 ? " (" + BETA_0 + ")" : ""), new double[] {expected}, out);
                }
            }
        }
    }

    @Nested
    @DisplayName("lossGradient")
    class LossGradient {

        @Test
        void handComputed() {
            // MSE, N = 1, C = 2: 2 (p - y) / 2.
            check(LossKind.MSE, new float[] {0.5f, 1}, new float[] {1, 1}, 1, 2, new double[] {-0.5, 0});
            // MSE, N = 2, C = 1: 2 (p - y) / 2.
            check(LossKind.MSE, new float[] {3, -1}, new float[] {1, 1}, 2, 1, new double[] {2, -2});
            // BCE: (0.5 - 1) / (0.5 · 0.5) = -2.
            check(LossKind.BINARY_CROSS_ENTROPY, new float[] {0.5f}, new float[] {1}, 1, 1, new double[] {-2});
            // BCE, N = 1, C = 2: (0.8 - 1) / 0.16 / 2, (0.4 - 0) / 0.24 / 2.
            check(LossKind.BINARY_CROSS_ENTROPY, new float[] {0.8f, 0.4f}, new float[] {1, 0}, 1, 2,
                    new double[] {-0.625, 0.4 / 0.24 / 2});
            // CCE: -y / p / N.
            check(LossKind.CATEGORICAL_CROSS_ENTROPY, new float[] {0.25f, 0.75f}, new float[] {0, 1}, 1, 2,
                    new double[] {0, -1 / 0.75});
            check(LossKind.CATEGORICAL_CROSS_ENTROPY, new float[] {0.25f, 0.75f, 0.5f, 0.5f},
                    new float[] {0, 1, 1, 0}, 2, 2, new double[] {0, -1 / 0.75 / 2, -1, 0});
        }

        private void check(LossKind kind, float[] p, float[] y, int rows, int cols, double[] expected) {
            Tensor g = full(Float.NaN, rows, cols);
            backend().lossGradient(kind, tensor(p, rows, cols), tensor(y, rows, cols), g);
            assertClose(kind + " gradient at " + Arrays.toString(p) + " against " + Arrays.toString(y), expected, g);
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(LossKind.class)
        void matchesReference(LossKind kind) {
            for (String shapeText : LOSS_SHAPES) {
                int[] s = shape(shapeText);
                int rows = rows(s);
                int cols = cols(s);
                float[][] py = lossInputs(kind, random("lossGradient", kind, shapeText), rows, cols);
                Tensor g = full(Float.NaN, s);
                backend().lossGradient(kind, tensor(py[0], s), tensor(py[1], s), g);
                assertClose(kind + " gradient " + shapeText, cols,
                        Reference.lossGradient(kind, py[0], py[1], rows, cols), g.toArray());
            }
        }
    }

    @Nested
    @DisplayName("countCorrect")
    class CountCorrect {

        @Test
        void argmaxWithTiesTakesTheFirstMaximum() {
            float[] p = {
                0.1f, 0.7f, 0.2f,  // arg-max 1
                0.5f, 0.5f, 0.0f,  // tie: 0
                0.5f, 0.5f, 0.0f,  // tie: 0
                0.3f, 0.3f, 0.4f,  // 2
                0.2f, 0.4f, 0.4f,  // tie: 1
            };
            float[] y = {
                0, 1, 0,           // 1: correct
                0, 1, 0,           // 1: wrong (the tie goes to column 0)
                1, 0, 0,           // 0: correct
                1, 0, 0,           // 0: wrong
                0, 0.5f, 0.5f,     // soft tie: 1, correct
            };
            assertEquals(3, count(p, y, 5, 3, 0, 9), "rows with agreeing arg-max");
        }

        @Test
        void singleColumnThresholdsAtOneHalf() {
            float[] p = {0.2f, 0.5f, 0.7f, 0.49999f, 0.5f, 0.9f};
            float[] y = {0, 1, 1, 1, 0.5f, 0};
            // correct, wrong (0.5 is class 0, as scikit-learn's and Keras' thresholds have it, and as a two-column
            // tie is), correct, wrong, correct (both class 0), wrong
            assertEquals(3, count(p, y, 6, 1, 0, 9), "single-column decisions");
        }

        @Test
        void accumulatesWithBeta() {
            float[] p = {0.9f, 0.1f, 0.2f, 0.8f};
            float[] y = {1, 0, 1, 0};
            assertEquals(1, count(p, y, 2, 2, 0, Float.NaN), "beta = 0 overwrites: " + BETA_0);
            assertEquals(11, count(p, y, 2, 2, 1, 10), "beta = 1 adds to 10");
            assertEquals(6, count(p, y, 2, 2, 0.5f, 10), "beta = 0.5 halves 10 then adds");
        }

        private float count(float[] p, float[] y, int rows, int cols, float beta, float start) {
            Tensor out = tensor(new float[] {start}, 1);
            backend().countCorrect(tensor(p, rows, cols), tensor(y, rows, cols), beta, out);
            return out.item();
        }

        @Test
        void matchesReferenceOnRandomRows() {
            for (String shapeText : new String[] {"10", "1x1", "257x1", "3x17", "257x10", "65x3"}) {
                int[] s = shape(shapeText);
                int rows = rows(s);
                int cols = cols(s);
                Random r = random("countCorrect", shapeText);
                float[] p = new float[rows * cols];
                float[] y;
                if (cols == 1) {
                    // Around the threshold, 0.5 itself included.
                    for (int i = 0; i < p.length; i++) {
                        p[i] = r.nextInt(5) * 0.25f;
                    }
                    y = new float[rows];
                    for (int i = 0; i < rows; i++) {
                        y[i] = r.nextBoolean() ? 1 : 0;
                    }
                } else {
                    // Coarse values, so that rows with tied maxima are common.
                    for (int i = 0; i < p.length; i++) {
                        p[i] = r.nextInt(4) * 0.25f;
                    }
                    y = oneHotRows(r, rows, cols);
                }
                int expected = Reference.countCorrect(p, y, rows, cols);
                assertEquals(expected, count(p, y, rows, cols, 0, Float.NaN), "countCorrect " + shapeText + " ("
                        + BETA_0 + ")");
                assertEquals(expected + 100, count(p, y, rows, cols, 1, 100), "countCorrect " + shapeText + " + 100");
            }
        }
    }

    /**
     * Saturated activations and probabilities of exactly 0 and 1 are routine in training (a confident
     * network, a float that rounded to 1); they must give finite values, never NaN or infinity.
     */
    @Nested
    @DisplayName("Numerical stability")
    class NumericalStability {

        private double[] activate(Activation f, float alpha, float[] z, int rows, int cols) {
            Tensor out = full(Float.NaN, rows, cols);
            backend().biasActivation(tensor(z, rows, cols), null, f, alpha, out);
            float[] a = out.toArray();
            assertFinite(f + " of " + Arrays.toString(z), cols, a);
            return toDouble(a);
        }

        @Test
        void saturatedElementwiseActivations() {
            float[] z = {-100, 100, -1000, 1000, -88.8f, 89, Float.MAX_VALUE, -Float.MAX_VALUE};
            int n = z.length;
            assertClose("sigmoid at the extremes", n, new double[] {0, 1, 0, 1, 0, 1, 1, 0},
                    toFloat(activate(Activation.SIGMOID, 0, z, 1, n)));
            assertClose("tanh at the extremes", n, new double[] {-1, 1, -1, 1, -1, 1, 1, -1},
                    toFloat(activate(Activation.TANH, 0, z, 1, n)));
            float[] negative = {-100, -1000, -Float.MAX_VALUE};
            assertClose("elu(α = 0.5) far below 0", 3, new double[] {-0.5, -0.5, -0.5},
                    toFloat(activate(Activation.ELU, 0.5f, negative, 1, 3)));
        }

        @Test
        void softmaxOfHugeLogits() {
            assertClose("softmax [1000, 0, -1000]", 3, new double[] {1, 0, 0},
                    toFloat(activate(Activation.SOFTMAX, 0, new float[] {1000, 0, -1000}, 1, 3)));
            assertClose("softmax [-1000, -1000]", 2, new double[] {0.5, 0.5},
                    toFloat(activate(Activation.SOFTMAX, 0, new float[] {-1000, -1000}, 1, 2)));
            assertClose("softmax [1000, 1000, 999]", 3,
                    new double[] {1 / (2 + Math.exp(-1)), 1 / (2 + Math.exp(-1)), Math.exp(-1) / (2 + Math.exp(-1))},
                    toFloat(activate(Activation.SOFTMAX, 0, new float[] {1000, 1000, 999}, 1, 3)));
            // The bias is added before the row maximum is taken.
            Tensor out = full(Float.NaN, 2);
            backend().biasActivation(tensor(new float[] {500, 0}, 2), tensor(new float[] {500, 0}, 2),
                    Activation.SOFTMAX, 0, out);
            assertClose("softmax [500, 0] + [500, 0]", new double[] {1, 0}, out);
        }

        @Test
        void backwardAtSaturation() {
            Tensor dZ = full(Float.NaN, 4);
            Tensor dA = tensor(new float[] {1, -1, 1e30f, -1e30f}, 4);
            backend().activationBackward(Activation.SIGMOID, 0, tensor(new float[] {0, 1, 1, 0}, 4), dA, dZ);
            assertClose("sigmoid backward at a = 0 and 1", new double[] {0, 0, 0, 0}, dZ);
            backend().activationBackward(Activation.SOFTMAX, 0, tensor(new float[] {1, 0, 0, 0}, 4),
                    tensor(new float[] {1, 2, 3, 4}, 4), dZ);
            assertClose("softmax backward at a one-hot output", new double[] {0, 0, 0, 0}, dZ);
        }

        @Test
        void crossEntropyLossesOfExactZerosAndOnesAreFinite() {
            // BCE, one row, C = 4: the two confident mistakes cost -LOG_FLOOR each, the two hits 0
            // (0 · log 0 must be 0, not NaN): (100 + 100) / 4.
            float[] p = {0, 1, 0, 1};
            float[] y = {0, 1, 1, 0};
            Tensor out = full(Float.NaN, 1);
            backend().lossSum(LossKind.BINARY_CROSS_ENTROPY, tensor(p, 1, 4), tensor(y, 1, 4), 0, out);
            assertClose("BCE of p = [0, 1, 0, 1] against [0, 1, 1, 0]",
                    new double[] {-2 * LossKind.LOG_FLOOR / 4.0}, out);
            // CCE, two rows: -log 0 floored to 100 for the first, 0 · log 0 + 1 · log 1 = 0 for the second.
            float[] pc = {0, 1, 0, 1};
            float[] yc = {1, 0, 0, 1};
            backend().lossSum(LossKind.CATEGORICAL_CROSS_ENTROPY, tensor(pc, 2, 2), tensor(yc, 2, 2), 0, out);
            assertClose("CCE of p = [[0, 1], [0, 1]] against [[1, 0], [0, 1]]",
                    new double[] {-LossKind.LOG_FLOOR}, out);
            // A denormal probability: log p is about -103.3, floored to -100.
            backend().lossSum(LossKind.BINARY_CROSS_ENTROPY, tensor(new float[] {Float.MIN_VALUE * 10}, 1, 1),
                    tensor(new float[] {1}, 1, 1), 0, out);
            assertClose("BCE of p = 1.4e-44 against 1", new double[] {-LossKind.LOG_FLOOR}, out);
        }

        @Test
        void crossEntropyGradientsOfExactZerosAndOnesAreFinite() {
            double eps = LossKind.GRAD_EPSILON;
            Tensor g = full(Float.NaN, 1, 4);
            backend().lossGradient(LossKind.BINARY_CROSS_ENTROPY, tensor(new float[] {0, 1, 0, 1}, 1, 4),
                    tensor(new float[] {0, 1, 1, 0}, 1, 4), g);
            assertFinite("BCE gradient", 4, g.toArray());
            // (p - y) / max(p (1 - p), ε) / (N C) with N C = 4.
            assertClose("BCE gradient at p = [0, 1, 0, 1], y = [0, 1, 1, 0]",
                    new double[] {0, 0, -1 / eps / 4, 1 / eps / 4}, g);

            Tensor gc = full(Float.NaN, 2, 2);
            backend().lossGradient(LossKind.CATEGORICAL_CROSS_ENTROPY, tensor(new float[] {0, 1, 0, 1}, 2, 2),
                    tensor(new float[] {1, 0, 0, 1}, 2, 2), gc);
            assertFinite("CCE gradient", 2, gc.toArray());
            // -y / max(p, ε) / N with N = 2; y = 0 at p = 0 gives 0, not 0/0.
            assertClose("CCE gradient at p = [[0, 1], [0, 1]], y = [[1, 0], [0, 1]]",
                    new double[] {-1 / eps / 2, 0, 0, -0.5}, gc);
        }
    }
}
