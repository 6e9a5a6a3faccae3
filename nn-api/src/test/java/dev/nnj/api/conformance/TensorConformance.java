package dev.nnj.api.conformance;

import static dev.nnj.api.conformance.Checks.assertExact;
import static dev.nnj.api.conformance.Checks.assertMessageNames;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.LossKind;
import dev.nnj.api.Tensor;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Tensors and the error contract: shapes, host copies, closing, and the exceptions every op must throw
 * before it touches memory. Part of {@link BackendConformanceTest}; not subclassed directly.
 */
public abstract class TensorConformance extends ConformanceBase {

    @Nested
    @DisplayName("Tensor basics")
    class TensorBasics {

        @Test
        void zerosRankOneIsOneRow() {
            Tensor t = zeros(5);
            assertSame(backend(), t.backend());
            assertArrayEquals(new int[] {5}, t.shape());
            assertEquals(1, t.rank());
            assertEquals(1, t.rows());
            assertEquals(5, t.cols());
            assertEquals(5, t.size());
            assertFalse(t.isClosed());
            assertExact("zeros(5)", 5, new float[5], t.toArray());
        }

        @Test
        void zerosRankTwo() {
            Tensor t = zeros(3, 4);
            assertArrayEquals(new int[] {3, 4}, t.shape());
            assertEquals(2, t.rank());
            assertEquals(3, t.rows());
            assertEquals(4, t.cols());
            assertEquals(12, t.size());
            assertExact("zeros(3, 4)", 4, new float[12], t.toArray());
        }

        @Test
        void shapeIsACopy() {
            Tensor t = zeros(3, 4);
            t.shape()[0] = 99;
            assertArrayEquals(new int[] {3, 4}, t.shape());
        }

        @Test
        void tensorHoldsACopyOfTheData() {
            float[] data = {1, 2, 3, 4, 5, 6};
            Tensor t = tensor(data, 2, 3);
            data[0] = 42;
            assertExact("tensor(data, 2, 3)", 3, new float[] {1, 2, 3, 4, 5, 6}, t.toArray());
        }

        @Test
        void roundTripOfOddShapesIsExact() {
            Random r = random("roundTrip");
            for (int[] s : new int[][] {{1}, {3}, {257}, {1, 1}, {3, 17}, {65, 257}, {257, 65}}) {
                float[] data = ConformanceBase.normal(r, size(s), 10);
                data[0] = -0.0f;
                data[data.length - 1] = Float.MIN_VALUE;
                Tensor t = tensor(data, s);
                assertExact("round trip " + Arrays.toString(s), cols(s), data, t.toArray());
            }
        }

        @Test
        void copyToAndCopyFromWithOffsets() {
            Tensor t = tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
            float[] dst = {-1, -1, -1, -1, -1, -1, -1, -1, -1};
            t.copyTo(dst, 2);
            assertExact("copyTo at offset 2", 0, new float[] {-1, -1, 1, 2, 3, 4, 5, 6, -1}, dst);

            t.copyFrom(new float[] {9, 10, 11, 12, 13, 14, 15, 16}, 1);
            assertExact("copyFrom at offset 1", 3, new float[] {10, 11, 12, 13, 14, 15}, t.toArray());

            t.copyFrom(new float[] {0, 1, 0, 1, 0, 1});
            assertExact("copyFrom(whole array)", 3, new float[] {0, 1, 0, 1, 0, 1}, t.toArray());
        }

        @Test
        void itemReadsTheSingleElement() {
            assertEquals(4.5f, tensor(new float[] {4.5f}, 1).item());
            assertEquals(-2.25f, tensor(new float[] {-2.25f}, 1, 1).item());
            assertThrows(IllegalStateException.class, () -> zeros(2).item());
        }

        @Test
        void hostCopiesOutOfRangeAreRejected() {
            Tensor t = zeros(2, 3);
            assertThrows(IllegalArgumentException.class, () -> t.copyTo(new float[5], 0));
            assertThrows(IllegalArgumentException.class, () -> t.copyTo(new float[6], 1));
            assertThrows(IllegalArgumentException.class, () -> t.copyTo(new float[6], -1));
            assertThrows(IllegalArgumentException.class, () -> t.copyFrom(new float[7], 2));
            assertThrows(IllegalArgumentException.class, () -> t.copyFrom(new float[5]));
            assertThrows(IllegalArgumentException.class, () -> t.copyFrom(new float[7]));
            assertExact("tensor after rejected copies", 3, new float[6], t.toArray());
        }

        @Test
        void invalidShapesAreRejected() {
            Backend b = backend();
            assertThrows(IllegalArgumentException.class, () -> track(b.zeros()));
            assertThrows(IllegalArgumentException.class, () -> track(b.zeros(0)));
            assertThrows(IllegalArgumentException.class, () -> track(b.zeros(-3)));
            assertThrows(IllegalArgumentException.class, () -> track(b.zeros(2, 0)));
            assertThrows(IllegalArgumentException.class, () -> track(b.zeros(2, 3, 4)));
            ModelTestSupport.assertThrowsSaying(IllegalArgumentException.class,
                    () -> track(b.tensor(new float[5], 2, 3)), "tensor: data has 5 values, the shape [2, 3] holds 6");
            assertThrows(IllegalArgumentException.class, () -> track(b.tensor(new float[7], 2, 3)));
        }

        @Test
        void closingTwiceIsANoOp() {
            Tensor t = backend().zeros(3, 4);
            assertFalse(t.isClosed());
            t.close();
            assertTrue(t.isClosed());
            t.close();
            assertTrue(t.isClosed());
        }

        @Test
        void usingAClosedTensorThrowsIllegalStateNamingItsShape() {
            Tensor closed = backend().zeros(3, 4);
            closed.close();
            Tensor open = zeros(3, 4);
            Tensor scalar = backend().zeros(1);
            scalar.close();
            expectClosed(closed, closed::toArray);
            expectClosed(closed, () -> closed.copyTo(new float[12], 0));
            expectClosed(closed, () -> closed.copyFrom(new float[12], 0));
            expectClosed(scalar, scalar::item);
            expectClosed(closed, () -> backend().fill(closed, 1));
            expectClosed(closed, () -> backend().copy(open, closed));
            expectClosed(closed, () -> backend().copy(closed, open));
            expectClosed(closed, () -> backend().multiply(open, closed, open));
            expectClosed(closed, () -> backend().biasActivation(closed, null, Activation.RELU, 0, open));
            Tensor a = zeros(3, 3);
            expectClosed(closed, () -> backend().gemm(false, false, 1, a, open, 0, closed));
        }

        private void expectClosed(Tensor closed, Executable use) {
            IllegalStateException e = assertThrows(IllegalStateException.class, use);
            String shape = dev.nnj.api.spi.Checks.toString(closed.shape());
            assertTrue(e.getMessage() != null && e.getMessage().contains(shape),
                    "message should name the closed tensor's shape " + shape + ": " + e.getMessage());
        }
    }

    /**
     * Every op validates shapes and ownership before any kernel runs, and throws
     * {@link IllegalArgumentException} naming the argument and the shapes; outputs stay untouched.
     */
    @Nested
    @DisplayName("Error contract")
    class ErrorContract {

        @Test
        void gemmWithWrongOutputShapeNamesC() {
            Tensor a = zeros(2, 3);
            Tensor b = zeros(3, 4);
            Tensor c = full(7, 2, 5);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> backend().gemm(false, false, 1, a, b, 0, c));
            assertMessageNames(e, new String[] {"c"}, "(2, 5)", "(2, 4)");
            assertExact("c after the rejected gemm", 5, filled(10, 7), c.toArray());
        }

        @Test
        void gemmWithMismatchedInnerDimensionsIsRejected() {
            Tensor a = zeros(2, 3);
            Tensor b = zeros(4, 5);
            Tensor c = full(7, 2, 5);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> backend().gemm(false, false, 1, a, b, 0, c));
            assertMessageNames(e, new String[] {"a", "b"});
            assertTrue(e.getMessage().contains("(2, 3)") || e.getMessage().contains("(4, 5)"),
                    "message should contain the shape of a or b: " + e.getMessage());
            // Transposing b makes (5, 4) of it: still no match for a's 3 columns.
            assertThrows(IllegalArgumentException.class, () -> backend().gemm(false, true, 1, a, b, 0, c));
            // Transposing a gives (3, 2): b would need 2 rows.
            assertThrows(IllegalArgumentException.class, () -> backend().gemm(true, false, 1, a, b, 0, c));
            assertExact("c after the rejected gemms", 5, filled(10, 7), c.toArray());
        }

        @Test
        void elementwiseShapeMismatchNamesBothShapes() {
            Tensor a = zeros(3, 4);
            Tensor b = zeros(4, 3);
            Tensor out = full(7, 3, 4);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> backend().multiply(a, b, out));
            assertMessageNames(e, new String[] {"a", "b"}, "(3, 4)", "(4, 3)");
            e = assertThrows(IllegalArgumentException.class, () -> backend().scaledDifference(1, a, b, out));
            assertMessageNames(e, new String[] {"a", "b"}, "(3, 4)", "(4, 3)");
            Tensor wrongOut = zeros(12);
            e = assertThrows(IllegalArgumentException.class, () -> backend().multiply(a, a, wrongOut));
            assertMessageNames(e, new String[] {"out", "a"}, "(12)", "(3, 4)");
            assertExact("out after the rejected ops", 4, filled(12, 7), out.toArray());
        }

        @Test
        void copyNeedsTheSameNumberOfElements() {
            Tensor src = zeros(3, 4);
            Tensor dst = full(7, 13);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> backend().copy(src, dst));
            assertTrue(e.getMessage().contains("(3, 4)") || e.getMessage().contains("(13)"),
                    "message should contain a shape: " + e.getMessage());
            assertExact("dst after the rejected copy", 13, filled(13, 7), dst.toArray());
        }

        @Test
        void tensorsOfAnotherInstanceOfTheSameBackendAreRefusedByName() {
            // Two instances of one backend share a name, so "lives on cpu, op runs on cpu" would not explain
            // anything: the message says the tensor belongs to another instance.
            try (Backend other = provider().create()) {
                Tensor foreign = other.zeros(2, 3);
                Tensor mine = zeros(2, 3);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> backend().multiply(mine, foreign, mine));
                assertTrue(e.getMessage().contains("'b' (2, 3) belongs to another " + backend().name()
                        + " backend instance"), e.getMessage());
                foreign.close();
            }
        }

        @Test
        void aClosedBackendRefusesEveryOpNamingIt() {
            Backend other = provider().create();
            Tensor t = other.zeros(3);
            t.close();
            other.close();
            other.close(); // a no-op
            // The backend's state is checked first, so the message is about the backend, not the tensor.
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.fill(t, 1f));
            assertTrue(e.getMessage().contains("fill: the " + other.name() + " backend is closed"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> other.zeros(2));
        }

        /** Host copies too: on an accelerator the memory is gone, so no backend lets them through. */
        @Test
        void aTensorStillOpenOnAClosedBackendRefusesHostCopies() {
            Backend other = provider().create();
            Tensor t = other.tensor(new float[] {1, 2}, 1, 2);
            other.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, t::toArray);
            assertTrue(e.getMessage().contains("copyTo: the " + other.name() + " backend is closed"), e.getMessage());
            e = assertThrows(IllegalStateException.class, () -> t.copyFrom(new float[2], 0));
            assertTrue(e.getMessage().contains("copyFrom: the " + other.name() + " backend is closed"),
                    e.getMessage());
            t.close();   // allowed, frees nothing more
        }

        @Test
        void biasActivationChecksBiasAndOutput() {
            Tensor z = zeros(3, 4);
            Tensor bias = zeros(3);
            Tensor out = full(7, 3, 4);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> backend().biasActivation(z, bias, Activation.SIGMOID, 0, out));
            assertMessageNames(e, new String[] {"bias"}, "(3)");
            Tensor wrongOut = zeros(4, 3);
            e = assertThrows(IllegalArgumentException.class,
                    () -> backend().biasActivation(z, null, Activation.SOFTMAX, 0, wrongOut));
            assertMessageNames(e, new String[] {"out", "z"}, "(4, 3)");
            assertExact("out after the rejected op", 4, filled(12, 7), out.toArray());
        }

        @Test
        void activationBackwardNeedsOneShape() {
            Tensor a = zeros(3, 4);
            Tensor dA = zeros(4, 3);
            Tensor dZ = zeros(3, 4);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> backend().activationBackward(Activation.TANH, 0, a, dA, dZ));
            assertMessageNames(e, new String[] {"a", "dA"}, "(4, 3)");
            Tensor dZWrong = zeros(2, 6);
            e = assertThrows(IllegalArgumentException.class,
                    () -> backend().activationBackward(Activation.SOFTMAX, 0, a, a, dZWrong));
            assertMessageNames(e, new String[] {"dZ", "a", "dA"}, "(2, 6)");
        }

        @Test
        void columnSumsChecksTheOutputSize() {
            Tensor x = zeros(5, 4);
            Tensor out = full(7, 5);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> backend().columnSums(x, 1, 0, out));
            assertMessageNames(e, new String[] {"out"}, "(5)");
            assertExact("out after the rejected op", 5, filled(5, 7), out.toArray());
        }

        @Test
        void lossesAndMetricsCheckPredictionAgainstTarget() {
            Tensor p = zeros(4, 3);
            Tensor y = zeros(4, 2);
            Tensor out = full(7, 1);
            Tensor grad = zeros(4, 3);
            for (LossKind kind : LossKind.values()) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> backend().lossSum(kind, p, y, 0, out), kind::toString);
                assertMessageNames(e, new String[] {"prediction", "target"}, "(4, 2)");
                e = assertThrows(IllegalArgumentException.class,
                        () -> backend().lossGradient(kind, p, y, grad), kind::toString);
                assertMessageNames(e, new String[] {"prediction", "target"}, "(4, 2)");
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> backend().countCorrect(p, y, 0, out));
            assertMessageNames(e, new String[] {"prediction", "target"}, "(4, 2)");
            assertEquals(7f, out.item(), "out after the rejected ops");
        }

        @Test
        void optimizerStepsCheckTheirState() {
            Tensor p = zeros(3, 4);
            Tensor g = zeros(3, 4);
            Tensor wrong = zeros(4, 3);
            Tensor right = zeros(3, 4);
            assertThrows(IllegalArgumentException.class,
                    () -> backend().sgdStep(p, wrong, null, 0.1f, 0, 0, 0, false, true));
            assertThrows(IllegalArgumentException.class,
                    () -> backend().sgdStep(p, g, wrong, 0.1f, 0.9f, 0, 0, false, true));
            assertThrows(IllegalArgumentException.class,
                    () -> backend().adamStep(p, g, wrong, right, null, 0.1f, 0.9f, 0.999f, 1e-8f, 0, false, 1f, 1f));
            assertThrows(IllegalArgumentException.class,
                    () -> backend().adamStep(p, g, right, wrong, null, 0.1f, 0.9f, 0.999f, 1e-8f, 0, false, 1f, 1f));
            assertThrows(IllegalArgumentException.class,
                    () -> backend().rmspropStep(p, g, wrong, null, null, 0.1f, 0.99f, 1e-8f, 0, 0));
            assertThrows(IllegalArgumentException.class,
                    () -> backend().adagradStep(p, g, wrong, 0.1f, 1e-10f, 0));
            assertExact("param after the rejected steps", 4, new float[12], p.toArray());
        }

        @Test
        void tensorsOfAnotherBackendInstanceAreRejected() {
            // Another Backend object from the same provider is another owner: mixing must fail with
            // IllegalArgumentException (never ClassCastException, never silently working on foreign memory).
            try (Backend other = provider().create()) {
                Tensor foreign = other.zeros(3, 4);
                Tensor foreignSquare = other.zeros(4, 4);
                try {
                    Tensor mine = zeros(3, 4);
                    Tensor mineSquare = zeros(4, 4);
                    Tensor out = full(7, 3, 4);
                    expectForeign(() -> backend().fill(foreign, 1));
                    expectForeign(() -> backend().copy(foreign, mine));
                    expectForeign(() -> backend().copy(mine, foreign));
                    expectForeign(() -> backend().multiply(mine, foreign, out));
                    expectForeign(() -> backend().multiply(mine, mine, foreign));
                    expectForeign(() -> backend().gemm(false, false, 1, mine, foreignSquare, 0, out));
                    expectForeign(() -> backend().gemm(false, false, 1, mine, mineSquare, 0, foreign));
                    expectForeign(() -> backend().biasActivation(mine, track(other.zeros(4)), Activation.RELU, 0, out));
                    expectForeign(() -> backend().sgdStep(mine, foreign, null, 0.1f, 0, 0, 0, false, true));
                    // And the other way round: the second backend rejects tensors of the first.
                    expectForeign(() -> other.fill(mine, 1));
                    expectForeign(() -> other.multiply(foreign, mine, foreign));
                    assertExact("out after the rejected ops", 4, filled(12, 7), out.toArray());
                    assertExact("foreign tensor after the rejected ops", 4, new float[12], foreign.toArray());
                } finally {
                    foreign.close();
                    foreignSquare.close();
                    closeTensors(); // before the other backend goes away
                }
            }
        }

        private void expectForeign(Executable op) {
            Throwable t = assertThrows(Throwable.class, op);
            assertTrue(t instanceof IllegalArgumentException,
                    () -> "a tensor of another backend must be rejected with IllegalArgumentException, got " + t);
        }
    }

    /** {@code n} copies of {@code value}: the expected contents of an output that must stay untouched. */
    static float[] filled(int n, float value) {
        float[] x = new float[n];
        Arrays.fill(x, value);
        return x;
    }
}
