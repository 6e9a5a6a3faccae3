package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorExp} against {@link Math#exp} in double: on a dense sweep of {@code [−90, 0]} (where softmax
 * and the sigmoid use it), and at the edges a kernel must get right (0, the underflow bound, −∞, NaN).
 */
class VectorExpTest {

    private static float[] exp(float... x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i += VectorGemm.L) {
            float[] lane = new float[VectorGemm.L];
            int n = Math.min(VectorGemm.L, x.length - i);
            System.arraycopy(x, i, lane, 0, n);
            float[] y = new float[VectorGemm.L];
            VectorExp.expNonPositive(FloatVector.fromArray(VectorGemm.S, lane, 0)).intoArray(y, 0);
            System.arraycopy(y, 0, out, i, n);
        }
        return out;
    }

    @Test
    void withinThreeUlpOfTheTrueExponentialOnTheWholeRange() {
        int count = 200_001;
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = (float) (-87.0 * i / (count - 1));
        }
        float[] y = exp(x);
        double worst = 0;
        for (int i = 0; i < count; i++) {
            double exact = Math.exp(x[i]);
            worst = Math.max(worst, Math.abs(y[i] - exact) / Math.ulp((float) exact));
        }
        assertTrue(worst <= 3, "worst error " + worst + " ulp");
    }

    @Test
    void edges() {
        float[] y = exp(0f, -0f, -87.5f, -1000f, Float.NEGATIVE_INFINITY, Float.NaN, 5f);
        assertEquals(1f, y[0]);
        assertEquals(1f, y[1]);
        assertEquals(0f, y[2], "below the smallest normal float");
        assertEquals(0f, y[3]);
        assertEquals(0f, y[4]);
        assertTrue(Float.isNaN(y[5]), "NaN stays NaN");
        assertEquals(1f, y[6], "inputs above 0 are taken as 0");
    }
}
