package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Flush to zero ({@link Subnormals}): magnitudes up to {@code 2^−126} become a zero of the same sign, every other
 * value keeps its bits, and the fused output gradient has no subnormal in any kernel set, in whole vectors and in
 * the tail.
 */
class SubnormalFlushTest {
    private static final float LARGEST_SUBNORMAL = Math.nextDown(Float.MIN_NORMAL);

    private final WorkerPool pool = new WorkerPool(2, "test");
    private final Kernels[] kernelSets = {new ReferenceKernels(), new ScalarKernels(pool), Vectorization.create(pool)};

    @AfterEach
    void closePool() {
        pool.close();
    }

    @Test
    void flushesExactlyTheSubnormalsAndTheSmallestNormal() {
        float[] zeroed = {Float.MIN_VALUE, LARGEST_SUBNORMAL, Float.MIN_NORMAL, 3e-39f, 0f};
        for (float x : zeroed) {
            assertBits(Math.copySign(0f, x), Subnormals.flush(x), "flush(" + x + ")");
            assertBits(Math.copySign(0f, -x), Subnormals.flush(-x), "flush(" + -x + ")");
        }
        assertBits(-0f, Subnormals.flush(-0f), "flush(-0)");
        float[] kept = {Math.nextUp(Float.MIN_NORMAL), 2 * Float.MIN_NORMAL, 1e-30f, 1f, 3.5f, 1e30f,
            Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NaN};
        for (float x : kept) {
            assertBits(x, Subnormals.flush(x), "flush(" + x + ")");
            assertBits(-x, Subnormals.flush(-x), "flush(" + -x + ")");
        }
        Random random = new Random(3);
        for (int i = 0; i < 100_000; i++) {
            float x = Float.intBitsToFloat(random.nextInt());
            boolean small = Math.abs(x) <= Float.MIN_NORMAL;
            assertBits(small ? Math.copySign(0f, x) : x, Subnormals.flush(x),
                    "flush of bits " + Float.floatToRawIntBits(x));
        }
    }

    /** {@code (p − y) / N} below {@code 2^−126} is written as 0, in every kernel set, for vectors and the tail. */
    @Test
    void theFusedOutputGradientHasNoSubnormals() {
        int n = 3 * 16 + 5;   // three 512-bit vectors and a tail
        float[] p = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            p[i] = i % 3 == 0 ? 1e-37f : i % 3 == 1 ? 0.25f : 1f;   // 1e-37 / 32 is subnormal
            y[i] = i % 3 == 2 ? 1f : 0f;
        }
        for (Kernels k : kernelSets) {
            float[] g = new float[n];
            k.scaledDifference(1f / 32, p, y, g, n);
            for (int i = 0; i < n; i++) {
                float expected = i % 3 == 0 ? 0f : i % 3 == 1 ? 0.25f / 32 : 0f;
                assertBits(expected, g[i], k.getClass().getSimpleName() + " gradient " + i);
            }
        }
    }

    /**
     * The same once C2 has compiled the loop, vectorized, for every kind of value: subnormal, ±0, the threshold
     * and its neighbours, normal, ±∞ and NaN (C2's vector {@code min} and {@code max} must treat NaN and −0 as
     * {@link Math#min} does).
     */
    @Test
    void theCompiledLoopFlushesAsTheFormulaSays() {
        Random random = new Random(5);
        int n = 4096;
        float[] a = new float[n];
        float[] b = new float[n];
        float[] special = {0f, -0f, Float.MIN_VALUE, -LARGEST_SUBNORMAL, Float.MIN_NORMAL,
            -Math.nextUp(Float.MIN_NORMAL), 1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        for (int i = 0; i < n; i++) {
            a[i] = i % 3 == 0 ? special[random.nextInt(special.length)] : Float.intBitsToFloat(random.nextInt());
            b[i] = i % 5 == 0 ? 0f : Float.intBitsToFloat(random.nextInt());
        }
        ReferenceKernels reference = new ReferenceKernels();
        float[] g = new float[n];
        for (int round = 0; round < 20_000; round++) {   // until C2 has compiled the loop
            reference.scaledDifference(0.5f, a, b, g, n);
        }
        for (int i = 0; i < n; i++) {
            float d = 0.5f * (a[i] - b[i]);
            float expected = Math.abs(d) <= Float.MIN_NORMAL ? Math.copySign(0f, d) : d;
            assertBits(expected, g[i], "element " + i + " of 0.5 (" + a[i] + " - " + b[i] + ")");
        }
    }

    /** The same bits; for NaN, any NaN (arithmetic quiets a signalling NaN's payload). */
    private static void assertBits(float expected, float actual, String what) {
        if (Float.isNaN(expected)) {
            assertTrue(Float.isNaN(actual), what + ": expected NaN, got " + actual);
            return;
        }
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                what + ": expected " + expected + ", got " + actual);
    }
}
