package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.LossKind;
import dev.nnj.api.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A few ops against values worked out by hand; the shared conformance suite covers every op on random
 * odd shapes against a double-precision reference.
 */
class CpuSmokeTest {
    private final Backend cpu = new CpuBackend();

    @AfterEach
    void close() {
        cpu.close();
    }

    @Test
    void discoveredByServiceLoader() {
        try (Backend b = Backends.get("cpu")) {
            assertEquals("cpu", b.name());
            assertTrue(b.description().startsWith("cpu: pure Java"), b.description());
        }
    }

    @Test
    void gemmAllTransposes() {
        // a = [[1, 2, 3], [4, 5, 6]], b = [[7, 8], [9, 10], [11, 12]]: a·b = [[58, 64], [139, 154]].
        Tensor a = cpu.tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = cpu.tensor(new float[] {7, 8, 9, 10, 11, 12}, 3, 2);
        Tensor at = cpu.tensor(new float[] {1, 4, 2, 5, 3, 6}, 3, 2);
        Tensor bt = cpu.tensor(new float[] {7, 9, 11, 8, 10, 12}, 2, 3);
        Tensor c = cpu.zeros(2, 2);
        float[] expected = {58, 64, 139, 154};
        cpu.gemm(false, false, 1f, a, b, 0f, c);
        assertArrayEquals(expected, c.toArray());
        cpu.gemm(true, false, 1f, at, b, 0f, c);
        assertArrayEquals(expected, c.toArray());
        cpu.gemm(false, true, 1f, a, bt, 0f, c);
        assertArrayEquals(expected, c.toArray());
        // alpha = 2, beta = 1 on top of the previous result: 3x.
        cpu.gemm(true, true, 2f, at, bt, 1f, c);
        assertArrayEquals(new float[] {174, 192, 417, 462}, c.toArray());
    }

    @Test
    void gemmBetaZeroIgnoresNaN() {
        Tensor a = cpu.tensor(new float[] {1, 2}, 1, 2);
        Tensor b = cpu.tensor(new float[] {3, 4}, 2, 1);
        Tensor c = cpu.tensor(new float[] {Float.NaN}, 1, 1);
        cpu.gemm(false, false, 1f, a, b, 0f, c);
        assertEquals(11f, c.item());
    }

    @Test
    void sigmoidAndSoftmaxAreStable() {
        Tensor z = cpu.tensor(new float[] {-1000f, 0f, 1000f}, 1, 3);
        Tensor out = cpu.zeros(1, 3);
        cpu.biasActivation(z, null, Activation.SIGMOID, 0f, out);
        assertArrayEquals(new float[] {0f, 0.5f, 1f}, out.toArray());
        cpu.biasActivation(z, null, Activation.SOFTMAX, 0f, out);
        assertArrayEquals(new float[] {0f, 0f, 1f}, out.toArray());
        // softmax(0, ln 3) = (1/4, 3/4), with the bias added first.
        Tensor z2 = cpu.tensor(new float[] {1f, 1f}, 1, 2);
        Tensor bias = cpu.tensor(new float[] {-1f, (float) Math.log(3) - 1f}, 2);
        cpu.biasActivation(z2, bias, Activation.SOFTMAX, 0f, z2);
        assertArrayEquals(new float[] {0.25f, 0.75f}, z2.toArray(), 1e-6f);
    }

    @Test
    void lossesAreClamped() {
        Tensor p = cpu.tensor(new float[] {0f, 1f}, 1, 2);
        Tensor y = cpu.tensor(new float[] {1f, 0f}, 1, 2);
        Tensor out = cpu.zeros(1);
        cpu.lossSum(LossKind.BINARY_CROSS_ENTROPY, p, y, 0f, out);
        // -(1/2) (log 0 + log 0) with each log floored at -100.
        assertEquals(100f, out.item());
        Tensor g = cpu.zeros(1, 2);
        cpu.lossGradient(LossKind.CATEGORICAL_CROSS_ENTROPY, p, y, g);
        assertEquals(-1f / LossKind.GRAD_EPSILON, g.toArray()[0], 1e6f);
        assertEquals(0f, g.toArray()[1], 0f);
    }

    @Test
    void columnSumsAccumulate() {
        Tensor x = cpu.tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor out = cpu.tensor(new float[] {1, 1, 1}, 3);
        cpu.columnSums(x, 2f, 1f, out);
        assertArrayEquals(new float[] {11, 15, 19}, out.toArray());
    }

    @Test
    void rejectsOtherBackendsAndBadShapes() {
        try (Backend other = new CpuBackend(1)) {
            Tensor foreign = other.zeros(2, 2);
            Tensor mine = cpu.zeros(2, 2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> cpu.multiply(mine, foreign, mine));
            assertTrue(e.getMessage().contains("'b'"), e.getMessage());
        }
        Tensor a = cpu.zeros(2, 3);
        Tensor c = cpu.zeros(2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cpu.gemm(false, false, 1f, a, a, 0f, c));
        assertTrue(e.getMessage().contains("(2, 3)"), e.getMessage());
        Tensor closed = cpu.zeros(3);
        closed.close();
        assertThrows(IllegalStateException.class, () -> cpu.fill(closed, 1f));
    }
}
