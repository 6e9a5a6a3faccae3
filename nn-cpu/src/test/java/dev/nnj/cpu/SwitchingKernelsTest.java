package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@link SwitchingKernels}: every op goes to the first kernels until the readiness flag is set, then to the
 * second for good, and the flag is no longer asked.
 */
class SwitchingKernelsTest {

    /** Reference kernels that count the ops they run. */
    private static final class Counting extends ReferenceKernels {
        int ops;

        @Override
        public void gemm(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha, float[] a,
                         float[] b, float beta, float[] c) {
            ops++;
            super.gemm(transposeA, transposeB, m, n, k, alpha, a, b, beta, c);
        }

        @Override
        public void biasActivation(float[] z, float[] bias, int rows, int cols, Activation f, float alpha,
                                   float[] out) {
            ops++;
            super.biasActivation(z, bias, rows, cols, f, alpha, out);
        }
    }

    @Test
    void usesTheFirstKernelsUntilReadyThenTheSecondForGood() {
        Counting first = new Counting();
        Counting second = new Counting();
        AtomicBoolean ready = new AtomicBoolean();
        int[] asked = new int[1];
        SwitchingKernels k = new SwitchingKernels(first, second, () -> {
            asked[0]++;
            return ready.get();
        });
        float[] a = {1, 2, 3, 4};
        float[] b = {5, 6, 7, 8};
        float[] c = new float[4];
        k.gemm(false, false, 2, 2, 2, 1f, a, b, 0f, c);
        k.biasActivation(c, null, 2, 2, Activation.RELU, 0f, c);
        assertEquals(2, first.ops);
        assertEquals(0, second.ops);
        assertFalse(k.switched());

        ready.set(true);
        k.gemm(false, false, 2, 2, 2, 1f, a, b, 0f, c);
        assertTrue(k.switched());
        assertEquals(1, second.ops);
        // [1 2; 3 4] · [5 6; 7 8] computed by the second kernels.
        assertEquals(19f, c[0]);
        assertEquals(50f, c[3]);

        int askedAtSwitch = asked[0];
        ready.set(false);
        k.biasActivation(c, null, 2, 2, Activation.RELU, 0f, c);
        k.gemm(false, false, 2, 2, 2, 1f, a, b, 0f, c);
        assertEquals(2, first.ops, "no op goes back to the first kernels");
        assertEquals(3, second.ops);
        assertEquals(askedAtSwitch, asked[0], "the flag is not read after the switch");
    }

    @Test
    void labelsItselfByTheKernelsItSwitchesTo() {
        SwitchingKernels k = new SwitchingKernels(new ScalarKernels(null), new ReferenceKernels(), () -> false);
        assertEquals(new ReferenceKernels().label(), k.label());
    }
}
