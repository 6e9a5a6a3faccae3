package dev.nnj.api.conformance;

import static dev.nnj.api.conformance.Checks.assertClose;
import static dev.nnj.api.conformance.Checks.assertExact;
import static dev.nnj.api.conformance.TensorConformance.filled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.Tensor;
import dev.nnj.api.spi.DropoutRng;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Linear algebra, elementwise ops, dropout masks and activations against {@link Reference}.
 *
 * <p>Each op has hand-computed cases and random ones. The hand cases pin down what the op means (which
 * operand is transposed, which axis is summed, what softmax of {@code [1, 2, 3]} is) independently of the
 * reference, which could share a misreading of the contract with a backend; the random cases on odd shapes
 * reach the tails, edges and tiling boundaries that a 2×2 example never touches. Part of
 * {@link BackendConformanceTest}; not subclassed directly.
 */
public abstract class OpConformance extends TensorConformance {

    /** The alpha/beta pairs every gemm and column-sum case runs: set, accumulate, scaled set, scaled mix. */
    private static final float[][] ALPHA_BETA = {{1, 0}, {1, 1}, {-0.75f, 0}, {2.5f, -0.5f}};

    @Nested
    @DisplayName("gemm")
    class Gemm {

        private final float[] a = {1, 2, 3, 4};
        private final float[] b = {5, 6, 7, 8};

        @Test
        void handComputed2x2InAllFourTransposeCombinations() {
            // A = [[1, 2], [3, 4]], B = [[5, 6], [7, 8]]
            check2x2(false, false, new double[] {19, 22, 43, 50});  // A·B
            check2x2(true, false, new double[] {26, 30, 38, 44});   // Aᵀ·B
            check2x2(false, true, new double[] {17, 23, 39, 53});   // A·Bᵀ
            check2x2(true, true, new double[] {23, 31, 34, 46});    // Aᵀ·Bᵀ = (B·A)ᵀ
        }

        private void check2x2(boolean ta, boolean tb, double[] expected) {
            Tensor c = full(Float.NaN, 2, 2);
            backend().gemm(ta, tb, 1, tensor(a, 2, 2), tensor(b, 2, 2), 0, c);
            assertClose("gemm(transposeA=" + ta + ", transposeB=" + tb + ") of the 2x2 example", expected, c);
        }

        @Test
        void handComputedAlphaAndBeta() {
            Tensor c = tensor(new float[] {1, 1, 1, 1}, 2, 2);
            backend().gemm(false, false, 2, tensor(a, 2, 2), tensor(b, 2, 2), -1, c);
            assertClose("2 · A·B - 1 · C", new double[] {37, 43, 85, 99}, c);
            backend().gemm(false, false, 0.5f, tensor(a, 2, 2), tensor(b, 2, 2), 1, c);
            assertClose("then 0.5 · A·B + C", new double[] {46.5, 54, 106.5, 124}, c);
        }

        @Test
        void rankOneOperandsAreRows() {
            // x (3) is the row (1, 3): x·W with W (3, 2) gives a (2) or (1, 2) result.
            Tensor x = tensor(new float[] {1, 2, 3}, 3);
            Tensor w = tensor(new float[] {1, 0, 0, 1, 1, 1}, 3, 2);
            Tensor c = full(Float.NaN, 2);
            backend().gemm(false, false, 1, x, w, 0, c);
            assertClose("x(3)·W(3, 2) into (2)", new double[] {4, 5}, c);
            Tensor c2 = full(Float.NaN, 1, 2);
            backend().gemm(false, false, 1, x, w, 0, c2);
            assertClose("x(3)·W(3, 2) into (1, 2)", new double[] {4, 5}, c2);
            // xᵀ·x is the (3, 3) outer product.
            Tensor outer = full(Float.NaN, 3, 3);
            backend().gemm(true, false, 1, x, x, 0, outer);
            assertClose("xᵀ·x", new double[] {1, 2, 3, 2, 4, 6, 3, 6, 9}, outer);
        }

        static Stream<Arguments> shapesAndTransposes() {
            int[][] mkn = {{1, 1, 1}, {3, 17, 65}, {65, 257, 17}, {257, 65, 129}, {1, 65, 1}, {65, 1, 257},
                {17, 3, 1}, {2, 129, 3}};
            Stream.Builder<Arguments> cases = Stream.builder();
            for (int[] s : mkn) {
                for (boolean ta : new boolean[] {false, true}) {
                    for (boolean tb : new boolean[] {false, true}) {
                        cases.add(Arguments.of(s[0], s[1], s[2], ta, tb));
                    }
                }
            }
            return cases.build();
        }

        @ParameterizedTest(name = "(m, k, n) = ({0}, {1}, {2}), transposeA={3}, transposeB={4}")
        @MethodSource("shapesAndTransposes")
        void matchesReference(int m, int k, int n, boolean ta, boolean tb) {
            Random r = random("gemm", m, k, n, ta, tb);
            int aRows = ta ? k : m;
            int aCols = ta ? m : k;
            int bRows = tb ? n : k;
            int bCols = tb ? k : n;
            float[] aData = uniform(r, m * k, -1, 1);
            float[] bData = uniform(r, k * n, -1, 1);
            Tensor at = tensor(aData, aRows, aCols);
            Tensor bt = tensor(bData, bRows, bCols);
            for (float[] ab : ALPHA_BETA) {
                float alpha = ab[0];
                float beta = ab[1];
                // With beta = 0 the old contents must be ignored, so start from NaN garbage.
                float[] c0 = beta == 0 ? filled(m * n, Float.NaN) : uniform(r, m * n, -2, 2);
                Tensor c = tensor(c0, m, n);
                backend().gemm(ta, tb, alpha, at, bt, beta, c);
                double[] expected = Reference.gemm(ta, tb, alpha, aData, aRows, aCols, bData, bRows, bCols, beta, c0);
                double[] magnitude =
                        Reference.gemmMagnitude(ta, tb, alpha, aData, aRows, aCols, bData, bRows, bCols, beta, c0);
                assertClose("gemm alpha=" + alpha + " beta=" + beta, n, expected, c.toArray(),
                        Checks.reductionTolerance(expected, magnitude, k));
            }
            assertExact("a after gemm", aCols, aData, at.toArray());
            assertExact("b after gemm", bCols, bData, bt.toArray());
        }
    }

    @Nested
    @DisplayName("columnSums")
    class ColumnSums {

        @Test
        void handComputed() {
            Tensor x = tensor(new float[] {1, 2, 3, 4}, 2, 2);
            Tensor out = full(Float.NaN, 2);
            backend().columnSums(x, 1, 0, out);
            assertClose("column sums of [[1, 2], [3, 4]]", new double[] {4, 6}, out);
            Tensor acc = tensor(new float[] {1, 1}, 2);
            backend().columnSums(x, 0.5f, 2, acc);
            assertClose("0.5 · sums + 2 · [1, 1]", new double[] {4, 5}, acc);
        }

        @ParameterizedTest(name = "x {0}")
        @MethodSource("dev.nnj.api.conformance.OpConformance#columnSumShapes")
        void matchesReference(String shapeText) {
            int[] s = shape(shapeText);
            int rows = rows(s);
            int cols = cols(s);
            Random r = random("columnSums", shapeText);
            float[] x = uniform(r, rows * cols, -1, 1);
            Tensor xt = tensor(x, s);
            for (float[] ab : ALPHA_BETA) {
                float alpha = ab[0];
                float beta = ab[1];
                float[] out0 = uniform(r, cols, -2, 2);
                // Half the cases write into a rank-1 (cols) output, half into a (1, cols) one.
                Tensor out = alpha > 0 ? tensor(out0, cols) : tensor(out0, 1, cols);
                backend().columnSums(xt, alpha, beta, out);
                double[] expected = Reference.columnSums(x, rows, cols, alpha, beta, out0);
                double[] magnitude = Reference.columnSumsMagnitude(x, rows, cols, alpha, beta, out0);
                assertClose("columnSums alpha=" + alpha + " beta=" + beta + " into " + Arrays.toString(out.shape()),
                        cols, expected, out.toArray(), Checks.reductionTolerance(expected, magnitude, rows));
            }
            assertExact("x after columnSums", cols, x, xt.toArray());
        }
    }

    static Stream<String> columnSumShapes() {
        return Stream.of("1x1", "1x17", "3x1", "17x65", "257x3", "65x257", "257x65", "257");
    }

    @Nested
    @DisplayName("copy, fill, multiply, scaledDifference")
    class Elementwise {

        @Test
        void handComputed() {
            Tensor a = tensor(new float[] {1, -2, 3}, 3);
            Tensor b = tensor(new float[] {4, 5, -6}, 3);
            Tensor out = full(Float.NaN, 3);
            backend().multiply(a, b, out);
            assertClose("[1, -2, 3] ⊙ [4, 5, -6]", new double[] {4, -10, -18}, out);
            backend().scaledDifference(0.5f, a, b, out);
            assertClose("0.5 · ([1, -2, 3] - [4, 5, -6])", new double[] {-1.5, -3.5, 4.5}, out);
            backend().fill(out, -0.25f);
            assertExact("fill -0.25", 3, new float[] {-0.25f, -0.25f, -0.25f}, out.toArray());
            backend().copy(a, out);
            assertExact("copy", 3, new float[] {1, -2, 3}, out.toArray());
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(ODD_SHAPES)
        void fillSetsEveryElement(String shapeText) {
            int[] s = shape(shapeText);
            Tensor t = tensor(uniform(random("fill", shapeText), size(s), -1, 1), s);
            backend().fill(t, 3.25f);
            assertExact("fill 3.25", cols(s), filled(size(s), 3.25f), t.toArray());
            backend().fill(t, 0);
            assertExact("fill 0", cols(s), new float[size(s)], t.toArray());
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(ODD_SHAPES)
        void copyIsExact(String shapeText) {
            int[] s = shape(shapeText);
            float[] src = normal(random("copy", shapeText), size(s), 3);
            Tensor srcT = tensor(src, s);
            Tensor dst = full(Float.NaN, s);
            backend().copy(srcT, dst);
            assertExact("copy", cols(s), src, dst.toArray());
            // Only the element count has to match: a matrix copies into a vector of its size.
            Tensor flat = full(Float.NaN, size(s));
            backend().copy(srcT, flat);
            assertExact("copy into (" + size(s) + ")", cols(s), src, flat.toArray());
            assertExact("src after copy", cols(s), src, srcT.toArray());
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(ODD_SHAPES)
        void multiplyMatchesReferenceAlsoInPlace(String shapeText) {
            int[] s = shape(shapeText);
            Random r = random("multiply", shapeText);
            float[] a = normal(r, size(s), 2);
            float[] b = normal(r, size(s), 2);
            double[] expected = new double[a.length];
            double[] squares = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                expected[i] = (double) a[i] * b[i];
                squares[i] = (double) a[i] * a[i];
            }
            Tensor out = full(Float.NaN, s);
            backend().multiply(tensor(a, s), tensor(b, s), out);
            assertClose("a ⊙ b", cols(s), expected, out.toArray());

            Tensor at = tensor(a, s);
            backend().multiply(at, tensor(b, s), at);
            assertClose("a ⊙ b into a", cols(s), expected, at.toArray());
            Tensor bt = tensor(b, s);
            backend().multiply(tensor(a, s), bt, bt);
            assertClose("a ⊙ b into b", cols(s), expected, bt.toArray());
            Tensor sq = tensor(a, s);
            backend().multiply(sq, sq, sq);
            assertClose("a ⊙ a into a", cols(s), squares, sq.toArray());
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(ODD_SHAPES)
        void scaledDifferenceMatchesReferenceAlsoInPlace(String shapeText) {
            int[] s = shape(shapeText);
            Random r = random("scaledDifference", shapeText);
            float[] a = normal(r, size(s), 2);
            float[] b = normal(r, size(s), 2);
            float scale = 1f / 17;
            double[] expected = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                expected[i] = (double) scale * ((double) a[i] - b[i]);
            }
            Tensor out = full(Float.NaN, s);
            backend().scaledDifference(scale, tensor(a, s), tensor(b, s), out);
            assertClose("scale · (a - b)", cols(s), expected, out.toArray());

            Tensor at = tensor(a, s);
            backend().scaledDifference(scale, at, tensor(b, s), at);
            assertClose("scale · (a - b) into a", cols(s), expected, at.toArray());
            Tensor bt = tensor(b, s);
            backend().scaledDifference(scale, tensor(a, s), bt, bt);
            assertClose("scale · (a - b) into b", cols(s), expected, bt.toArray());
        }
    }

    @Nested
    @DisplayName("dropoutMask")
    class DropoutMask {

        /** The mask the contract defines, drawn from {@link DropoutRng} exactly as a backend must. */
        private float[] expectedMask(float rate, long seed, int n) {
            float keep = 1f / (1f - rate);
            float[] mask = new float[n];
            for (int i = 0; i < n; i++) {
                mask[i] = DropoutRng.uniform(seed, i) >= rate ? keep : 0;
            }
            return mask;
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(ODD_SHAPES)
        void matchesDropoutRngElementForElement(String shapeText) {
            int[] s = shape(shapeText);
            for (float rate : new float[] {0.1f, 0.5f, 0.9f}) {
                for (long seed : new long[] {0, 42, -7, Long.MAX_VALUE}) {
                    Tensor mask = full(Float.NaN, s);
                    backend().dropoutMask(rate, seed, mask);
                    float[] actual = mask.toArray();
                    float[] expected = expectedMask(rate, seed, size(s));
                    String what = "dropoutMask rate=" + rate + " seed=" + seed;
                    // Which units are dropped must match exactly; the kept value within float rounding of 1/(1-rate)
                    // (a backend may compute it in double and round).
                    float[] dropped = new float[actual.length];
                    float[] expectedDropped = new float[actual.length];
                    double[] expectedValues = new double[actual.length];
                    for (int i = 0; i < actual.length; i++) {
                        dropped[i] = actual[i] == 0 ? 1 : 0;
                        expectedDropped[i] = expected[i] == 0 ? 1 : 0;
                        expectedValues[i] = expected[i] == 0 ? 0 : 1.0 / (1.0 - rate);
                    }
                    assertExact(what + ": dropped units (1 = dropped)", cols(s), expectedDropped, dropped);
                    assertClose(what + ": values", cols(s), expectedValues, actual, relative(expectedValues, 1e-6));
                }
            }
        }

        private double[] relative(double[] expected, double rel) {
            double[] tol = new double[expected.length];
            for (int i = 0; i < tol.length; i++) {
                tol[i] = rel * Math.abs(expected[i]);
            }
            return tol;
        }

        @Test
        void keepsAboutOneMinusRateAndPreservesTheMean() {
            int rows = 257;
            int cols = 257;
            for (float rate : new float[] {0.2f, 0.5f, 0.8f}) {
                Tensor mask = zeros(rows, cols);
                backend().dropoutMask(rate, 2024, mask);
                float[] m = mask.toArray();
                int kept = 0;
                double sum = 0;
                for (float v : m) {
                    assertTrue(v == 0 || Math.abs(v - 1 / (1 - rate)) <= 1e-6 / (1 - rate),
                            "mask values are 0 or 1/(1-rate), got " + v);
                    kept += v != 0 ? 1 : 0;
                    sum += v;
                }
                // 66 049 Bernoulli draws: the standard deviation of the kept fraction is below 0.002.
                double fraction = (double) kept / m.length;
                assertEquals(1 - rate, fraction, 0.01, "fraction kept at rate " + rate);
                assertEquals(1, sum / m.length, 0.03, "mean of the inverted-dropout mask at rate " + rate);
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(ODD_SHAPES)
        void rateZeroKeepsEverything(String shapeText) {
            int[] s = shape(shapeText);
            Tensor mask = full(Float.NaN, s);
            backend().dropoutMask(0, 99, mask);
            assertExact("dropoutMask rate=0", cols(s), filled(size(s), 1), mask.toArray());
        }

        @Test
        void sameSeedSameMaskOtherSeedOtherMask() {
            Tensor first = zeros(65, 17);
            Tensor again = zeros(65, 17);
            Tensor other = zeros(65, 17);
            backend().dropoutMask(0.5f, 7, first);
            backend().dropoutMask(0.5f, 7, again);
            backend().dropoutMask(0.5f, 8, other);
            assertExact("same seed", 17, first.toArray(), again.toArray());
            assertNotEquals(Arrays.toString(first.toArray()), Arrays.toString(other.toArray()),
                    "seeds 7 and 8 drew the same mask");
        }
    }

    /** Activations take {@code α = 0.7}: the slope of LEAKY_RELU, the scale of ELU, ignored by the others. */
    static final float ALPHA = 0.7f;

    /** Pre-activations uniform in [-4, 4) with every seventh exactly 0, the kink of ReLU and its kin. */
    static float[] preActivations(Random r, int n) {
        float[] z = uniform(r, n, -4, 4);
        for (int i = 0; i < n; i += 7) {
            z[i] = 0;
        }
        return z;
    }

    @Nested
    @DisplayName("biasActivation")
    class BiasActivation {

        @Test
        void handComputed() {
            check(Activation.SIGMOID, 0, new float[] {0}, null, new double[] {0.5});
            check(Activation.TANH, 0, new float[] {0}, null, new double[] {0});
            check(Activation.IDENTITY, 0, new float[] {1, 2, 3}, new float[] {1, -2, 0.5f}, new double[] {2, 0, 3.5});
            check(Activation.RELU, 0, new float[] {-1, 0, 2}, null, new double[] {0, 0, 2});
            check(Activation.LEAKY_RELU, 0.1f, new float[] {-2, 0, 2}, null, new double[] {-0.2, 0, 2});
            check(Activation.ELU, 1, new float[] {-1, 0, 2}, null, new double[] {Math.exp(-1) - 1, 0, 2});
            check(Activation.ELU, 2, new float[] {-1}, null, new double[] {2 * (Math.exp(-1) - 1)});
            double[] softmax123 = {0.09003057317038046, 0.24472847105479764, 0.6652409557748219};
            check(Activation.SOFTMAX, 0, new float[] {1, 2, 3}, null, softmax123);
            check(Activation.SOFTMAX, 0, new float[] {0, 0, 0}, new float[] {1, 2, 3}, softmax123);
            check(Activation.SOFTMAX, 0, new float[] {5}, null, new double[] {1});
            // Two rows of softmax: each row on its own.
            Tensor z = tensor(new float[] {1, 2, 3, 0, 0, 0}, 2, 3);
            Tensor out = full(Float.NaN, 2, 3);
            backend().biasActivation(z, null, Activation.SOFTMAX, 0, out);
            assertClose("softmax by rows", new double[] {softmax123[0], softmax123[1], softmax123[2],
                1.0 / 3, 1.0 / 3, 1.0 / 3}, out);
        }

        private void check(Activation f, float alpha, float[] z, float[] bias, double[] expected) {
            Tensor out = full(Float.NaN, z.length);
            backend().biasActivation(tensor(z, z.length), bias == null ? null : tensor(bias, bias.length), f, alpha,
                    out);
            assertClose(f + "(" + Arrays.toString(z) + (bias == null ? "" : " + " + Arrays.toString(bias)) + ")",
                    expected, out);
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Activation.class)
        void matchesReferenceWithAndWithoutBiasAndInPlace(Activation f) {
            for (String shapeText : new String[] {"1", "17", "1x1", "3x17", "17x1", "65x257", "257x3"}) {
                int[] s = shape(shapeText);
                int rows = rows(s);
                int cols = cols(s);
                Random r = random("biasActivation", f, shapeText);
                float[] z = preActivations(r, rows * cols);
                float[] bias = uniform(r, cols, -1, 1);
                for (boolean withBias : new boolean[] {false, true}) {
                    float[] b = withBias ? bias : null;
                    double[] expected = Reference.biasActivation(z, b, rows, cols, f, ALPHA);
                    String what = f + " " + shapeText + (withBias ? " with bias" : " without bias");

                    Tensor zt = tensor(z, s);
                    Tensor bt = withBias ? tensor(bias, cols) : null;
                    Tensor out = full(Float.NaN, s);
                    backend().biasActivation(zt, bt, f, ALPHA, out);
                    assertClose(what, cols, expected, out.toArray());
                    assertExact(what + ": z unchanged", cols, z, zt.toArray());

                    backend().biasActivation(zt, bt, f, ALPHA, zt);
                    assertClose(what + ", in place (out == z)", cols, expected, zt.toArray());
                }
            }
        }
    }

    @Nested
    @DisplayName("activationBackward")
    class ActivationBackward {

        @Test
        void handComputed() {
            check(Activation.IDENTITY, 0, new float[] {-3, 5}, new float[] {2, -1}, new double[] {2, -1});
            check(Activation.SIGMOID, 0, new float[] {0.5f}, new float[] {1}, new double[] {0.25});
            check(Activation.TANH, 0, new float[] {0.5f}, new float[] {2}, new double[] {1.5});
            check(Activation.RELU, 0, new float[] {0, 2}, new float[] {3, 3}, new double[] {0, 3});
            check(Activation.LEAKY_RELU, 0.1f, new float[] {-0.2f, 0, 2}, new float[] {3, 3, 3},
                    new double[] {0.3, 0.3, 3});
            check(Activation.ELU, 1, new float[] {-0.5f, 2}, new float[] {2, 2}, new double[] {1, 2});
            // Softmax a = [0.5, 0.5], dA = [1, 0]: Σ dA·a = 0.5, dZ = a ⊙ (dA - 0.5).
            check(Activation.SOFTMAX, 0, new float[] {0.5f, 0.5f}, new float[] {1, 0}, new double[] {0.25, -0.25});
            // a = [0.2, 0.3, 0.5], dA = [1, 2, 3]: Σ = 2.3, dZ = [0.2·-1.3, 0.3·-0.3, 0.5·0.7].
            check(Activation.SOFTMAX, 0, new float[] {0.2f, 0.3f, 0.5f}, new float[] {1, 2, 3},
                    new double[] {-0.26, -0.09, 0.35});
        }

        private void check(Activation f, float alpha, float[] a, float[] dA, double[] expected) {
            Tensor dZ = full(Float.NaN, a.length);
            backend().activationBackward(f, alpha, tensor(a, a.length), tensor(dA, dA.length), dZ);
            assertClose(f + " backward at a=" + Arrays.toString(a) + ", dA=" + Arrays.toString(dA), expected, dZ);
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Activation.class)
        void matchesReference(Activation f) {
            for (String shapeText : new String[] {"1", "17", "1x1", "3x17", "17x1", "65x257", "257x3"}) {
                int[] s = shape(shapeText);
                int rows = rows(s);
                int cols = cols(s);
                Random r = random("activationBackward", f, shapeText);
                // The backward pass sees outputs of the forward one, so draw z and apply f.
                float[] a = toFloat(Reference.biasActivation(preActivations(r, rows * cols), null, rows, cols, f,
                        ALPHA));
                float[] dA = normal(r, rows * cols, 1);
                double[] expected = Reference.activationBackward(f, ALPHA, a, dA, rows, cols);

                Tensor at = tensor(a, s);
                Tensor dAt = tensor(dA, s);
                Tensor dZ = full(Float.NaN, s);
                backend().activationBackward(f, ALPHA, at, dAt, dZ);
                assertClose(f + " backward " + shapeText, cols, expected, dZ.toArray());
                assertExact(f + " backward " + shapeText + ": a unchanged", cols, a, at.toArray());
                assertExact(f + " backward " + shapeText + ": dA unchanged", cols, dA, dAt.toArray());
                if (f.isElementwise()) {
                    backend().activationBackward(f, ALPHA, at, dAt, dAt);
                    assertClose(f + " backward " + shapeText + ", in place (dZ == dA)", cols, expected, dAt.toArray());
                }
            }
        }
    }
}
