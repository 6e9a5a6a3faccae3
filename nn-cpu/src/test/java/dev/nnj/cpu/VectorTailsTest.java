package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnj.api.LossKind;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The last {@code n mod L} elements of the Vector API loss and optimizer kernels are computed by the
 * reference formulas themselves, so there they give the reference's bits exactly (the loss kernels' whole
 * vectors may round differently, and are checked with a tolerance in {@link ElementwiseKernelsTest}; the
 * optimizers' whole vectors round as the reference too, checked there bit for bit). Every op here is
 * elementwise, so each tail element depends only on its own inputs and can be compared alone.
 */
class VectorTailsTest {
    private final Random rnd = new Random(13);
    private final ReferenceKernels reference = new ReferenceKernels();

    /** Sizes with a tail of every kind: shorter than a vector, whole vectors plus a tail, a long odd one. */
    private static int[] sizes() {
        int l = VectorGemm.L;
        return new int[] {1, l - 1, 3 * l + 5, 7 * 133};
    }

    @Test
    void lossGradientTailsAreTheReferenceBits() {
        assumeTrue(Vectorization.enabled(), "the Vector API fast path is not enabled");
        Kernels tuned = Vectorization.create(null);
        for (int n : sizes()) {
            float[] p = new float[n];
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                p[i] = i % 5 == 0 ? 0f : rnd.nextFloat();
                y[i] = rnd.nextFloat() < 0.3f ? 1f : rnd.nextFloat();
            }
            for (LossKind kind : LossKind.values()) {
                float[] expected = new float[n];
                float[] actual = new float[n];
                reference.lossGradient(kind, p, y, expected, 1, n);
                tuned.lossGradient(kind, p, y, actual, 1, n);
                assertTailBits(kind + " gradient, n = " + n, expected, actual);
                if (n < VectorGemm.L) {
                    // All tail: the sum is the reference's, bit for bit, too.
                    assertEquals(Double.doubleToRawLongBits(reference.lossSum(kind, p, y, 1, n)),
                            Double.doubleToRawLongBits(tuned.lossSum(kind, p, y, 1, n)), kind + " sum, n = " + n);
                }
            }
        }
    }

    @Test
    void optimizerTailsAreTheReferenceBits() {
        assumeTrue(Vectorization.enabled(), "the Vector API fast path is not enabled");
        Kernels tuned = Vectorization.create(null);
        for (int n : sizes()) {
            float[] p0 = random(n);
            float[] g = random(n);
            float[] s0 = random(n);
            for (int i = 0; i < n; i++) {
                s0[i] = Math.abs(s0[i]) + 0.5f;
            }
            for (int variant = 0; variant < 4; variant++) {
                boolean flag = (variant & 1) != 0;
                boolean momentum = (variant & 2) != 0;
                String what = " (n = " + n + ", variant " + variant + ")";
                float[][] e = {p0.clone(), s0.clone(), s0.clone(), s0.clone()};
                float[][] a = {p0.clone(), s0.clone(), s0.clone(), s0.clone()};
                reference.sgdStep(e[0], g, e[1], n, 0.1f, momentum ? 0.9f : 0f, 0.1f, 0.01f, flag, !momentum);
                tuned.sgdStep(a[0], g, a[1], n, 0.1f, momentum ? 0.9f : 0f, 0.1f, 0.01f, flag, !momentum);
                assertTailBits("sgd" + what, e, a);
                // With momentum's variants, AMSGrad: e[3]/a[3] its largest second moment (s0, above most new v).
                reference.adamStep(e[0], g, e[1], e[2], momentum ? e[3] : null, n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f,
                        flag, 0.0123f, 0.0447f);
                tuned.adamStep(a[0], g, a[1], a[2], momentum ? a[3] : null, n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f,
                        flag, 0.0123f, 0.0447f);
                assertTailBits("adam" + what, e, a);
                // A centered RMSProp needs sq ≥ gAvg²: the squares positive, the average starting at zero.
                java.util.Arrays.fill(e[2], 0f);
                java.util.Arrays.fill(a[2], 0f);
                reference.rmspropStep(e[0], g, e[1], flag ? e[2] : null, e[3], n, 1e-2f, 0.99f, 1e-8f, 0.01f,
                        momentum ? 0.9f : 0f);
                tuned.rmspropStep(a[0], g, a[1], flag ? a[2] : null, a[3], n, 1e-2f, 0.99f, 1e-8f, 0.01f,
                        momentum ? 0.9f : 0f);
                assertTailBits("rmsprop" + what, e, a);
                reference.adagradStep(e[0], g, e[1], n, 1e-2f, 1e-10f, 0.01f);
                tuned.adagradStep(a[0], g, a[1], n, 1e-2f, 1e-10f, 0.01f);
                assertTailBits("adagrad" + what, e, a);
            }
        }
    }

    /** Each array of the state in turn. Earlier steps may leave the whole vectors apart, never the tail. */
    private static void assertTailBits(String what, float[][] expected, float[][] actual) {
        for (int s = 0; s < expected.length; s++) {
            assertTailBits(what + " array " + s, expected[s], actual[s]);
        }
    }

    private static void assertTailBits(String what, float[] expected, float[] actual) {
        int n = expected.length;
        for (int i = n - n % VectorGemm.L; i < n; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    what + ": tail element " + i + " (" + expected[i] + " vs " + actual[i] + ")");
        }
    }

    private float[] random(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextFloat() * 2f - 1f;
        }
        return x;
    }
}
