package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnj.api.Activation;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every activation gives the same bits before and after HotSpot has compiled it, so that a run's result does not
 * depend on when the JIT finished (a checkpoint resumed in a fresh JVM, a retried task, two threads of one op in
 * different tiers). In a fresh JVM ({@link #main}), each activation's first call (interpreted) is compared bit
 * for bit with its result once warm (C2). The Vector API's own {@code TANH} and {@code EXPM1}, which tanh and ELU
 * used before, differed there in 300 and 10 of these 65,536 values.
 */
class ActivationTierTest {
    private static final int N = 65_536;
    private static final int WARM_UP = 3000;

    @Test
    void firstCallsAndCompiledCodeGiveTheSameBits() throws Exception {
        assumeTrue(Vectorization.create(null) instanceof VectorKernels, "the Vector API fast path is not in use");
        String out = ChildJvm.run(ActivationTierTest.class);
        assertTrue(!out.contains("DIFFERS"), out);
        assertTrue(out.contains("checked " + (Activation.values().length)), out);
    }

    /**
     * Prints {@code DIFFERS <activation> <count>} for every activation whose warm forward or backward pass differs
     * from its first, then {@code checked <activations>}.
     *
     * @param args none
     */
    public static void main(String[] args) {
        Kernels kernels = Vectorization.create(null);
        Random rnd = new Random(17);
        float[] z = new float[N];
        for (int i = 0; i < N; i++) {
            z[i] = (float) (rnd.nextGaussian() * (i % 3 == 0 ? 30 : 3));
        }
        float[] dA = TestArrays.gaussian(rnd, N);
        Activation[] all = Activation.values();
        float[][] first = new float[all.length][];
        float[][] firstBack = new float[all.length][];
        for (Activation f : all) {
            first[f.ordinal()] = forward(kernels, f, z);
            firstBack[f.ordinal()] = backward(kernels, f, first[f.ordinal()], dA);
        }
        float[] small = java.util.Arrays.copyOf(z, 640);
        float[] smallDA = java.util.Arrays.copyOf(dA, 640);
        for (int i = 0; i < WARM_UP; i++) {
            for (Activation f : all) {
                backward(kernels, f, forward(kernels, f, small), smallDA);
            }
        }
        for (Activation f : all) {
            float[] warm = forward(kernels, f, z);
            float[] warmBack = backward(kernels, f, warm, dA);
            int differ = 0;
            for (int i = 0; i < N; i++) {
                if (Float.floatToIntBits(warm[i]) != Float.floatToIntBits(first[f.ordinal()][i])
                        || Float.floatToIntBits(warmBack[i]) != Float.floatToIntBits(firstBack[f.ordinal()][i])) {
                    differ++;
                }
            }
            if (differ > 0) {
                System.out.println("DIFFERS " + f + " " + differ);
            }
        }
        System.out.println("checked " + all.length);
    }

    /** Rows of 64 with a bias, or 10 (SOFTMAX's 10-class rows), as the digits networks use them. */
    private static float[] forward(Kernels k, Activation f, float[] z) {
        int cols = f == Activation.SOFTMAX ? 10 : 64;
        int rows = z.length / cols;
        float[] bias = new float[cols];
        for (int j = 0; j < cols; j++) {
            bias[j] = 0.1f * j - 1f;
        }
        float[] out = new float[z.length];
        k.biasActivation(z, bias, rows, cols, f, 0.3f, out);
        return out;
    }

    private static float[] backward(Kernels k, Activation f, float[] a, float[] dA) {
        int cols = f == Activation.SOFTMAX ? 10 : 64;
        float[] dZ = new float[a.length];
        k.activationBackward(f, 0.3f, a, dA, dZ, a.length / cols, cols);
        return dZ;
    }
}
