package dev.nnj.cpu;

import static dev.nnj.cpu.VectorGemm.L;
import static dev.nnj.cpu.VectorGemm.S;

import dev.nnj.api.Activation;
import java.util.Arrays;

/**
 * Elementwise kernels of {@link VectorKernels} on the Vector API: bias plus activation fused in one pass,
 * the activations' backward passes.
 * Softmax, the one row-wise activation, is delegated to {@link VectorSoftmax}.
 *
 * <p>Every loop has the same shape: whole vectors of {@code L} lanes up to {@code S.loopBound(n)}, then a
 * scalar tail with the same formula as the lanes for the last {@code n mod L} elements. Each elementwise activation's
 * loops are in {@link VectorActivationKernel}, which says why. The methods work on a range of rows so that
 * {@link RangeTask} can split a large tensor between threads.
 */
final class VectorActivations {
    private VectorActivations() {
    }

    /**
     * One pass: load {@code z}, add the bias, apply {@code f}, store. Without a bias the tensor is one flat
     * run, taken in pieces of at most {@link ExpScratch#SIZE} with a bias of −0s, so that short rows
     * still fill whole vectors; with a bias and rows shorter than a vector (a 10-class output), the bias is added
     * row by row and {@code f} applied to the block as one flat run, so that the exponentials stay vectorised.
     * The activations built on the exponential take rows of up to half a chunk
     * ({@link VectorActivationKernel#CHUNK}) a few at a time, the bias added first: a row of 64 alone made every
     * pass of the exponential a loop of four vectors, with its call and set-up each time. The sigmoid of the
     * digits trainer's (1437, 64) hidden layer takes 92-105 µs so against 107-170 µs (one thread, medians of 20,000
     * calls in each of ten JVMs, one of them at 152 µs; tanh 104-111 against 113-132 µs, ELU 123-163 against
     * 140-183, a (1437, 20) sigmoid 33-37 against 84-126). Runs on rows {@code [i0, i1)}, the exponentials in
     * {@code scratch}, which no other thread may use meanwhile (the part's own: {@link BiasActivationTask}).
     */
    static void biasActivationRows(float[] z, float[] bias, int cols, Activation f, float alpha, float[] out, int i0,
                                   int i1, ExpScratch scratch) {
        if (f == Activation.SOFTMAX) {
            if (cols < L) {
                VectorSoftmax.shortSoftmaxRows(z, bias, cols, out, i0, i1, scratch.powers);
            } else {
                float[] b = bias != null ? bias : noBias(cols);
                for (int i = i0; i < i1; i++) {
                    VectorSoftmax.vectorSoftmaxRow(z, b, i * cols, cols, out, scratch.powers);
                }
            }
            return;
        }
        VectorActivationKernel kernel = VectorActivationKernel.of(f);
        if (bias == null) {
            flatRun(kernel, z, i0 * cols, i1 * cols, alpha, out, scratch);
            return;
        }
        // Rows shorter than a vector go together, all of them; an exponential's rows as many as fill a chunk (its
        // passes over a row of 64 run 4 vectors each). Either way they are biased into out, then activated in place
        // as one run (the same bits: z + bias rounds once either way).
        boolean together = cols < L || kernel.exponential() && VectorActivationKernel.CHUNK / cols >= 2;
        if (!together) {
            for (int i = i0; i < i1; i++) {
                kernel.forwardRow(z, bias, i * cols, cols, alpha, out, scratch);
            }
            return;
        }
        int rowsPerRun = cols < L ? i1 - i0 : VectorActivationKernel.CHUNK / cols;
        for (int i = i0; i < i1; i += rowsPerRun) {
            int end = Math.min(i1, i + rowsPerRun);
            for (int r = i; r < end; r++) {
                VectorActivationKernel.addBias(z, bias, r * cols, cols, out);
            }
            flatRun(kernel, out, i * cols, end * cols, alpha, out, scratch);
        }
    }

    /** {@code out[i] = f(z[i])} for {@code i} in {@code [from, to)}, in pieces as long as {@link #NO_BIAS}. */
    private static void flatRun(VectorActivationKernel kernel, float[] z, int from, int to, float alpha, float[] out,
                                ExpScratch scratch) {
        for (int r = from; r < to; r += NO_BIAS.length) {
            kernel.forwardRow(z, NO_BIAS, r, Math.min(NO_BIAS.length, to - r), alpha, out, scratch);
        }
    }

    /**
     * At least {@code n} −0s, the bias of a layer without one: {@code z + (−0)} is {@code z} for every float
     * (+0 stays +0, −0 stays −0), so the row kernels add a bias on every path and never choose a vector by a
     * branch. Shared and never written; a longer one is made (once) for a softmax over more classes.
     *
     * @param n the row length
     * @return an array of at least {@code n} −0s
     */
    static float[] noBias(int n) {
        float[] b = noBiasRow;
        if (b.length < n) {
            b = negativeZeros(Math.max(n, 2 * b.length));
            noBiasRow = b;
        }
        return b;
    }

    /**
     * The bias of a flat run's pieces: {@link ExpScratch#SIZE} −0s (16 KB), few pieces per run and small enough
     * to stay in the L1 cache beside the two arrays streaming through.
     */
    private static final float[] NO_BIAS = negativeZeros(ExpScratch.SIZE);
    /** The longest row of −0s made so far ({@link #noBias}); racing threads at worst each make one. */
    private static volatile float[] noBiasRow = NO_BIAS;

    private static float[] negativeZeros(int n) {
        float[] b = new float[n];
        Arrays.fill(b, -0f);
        return b;
    }

    /**
     * {@code dZ = dA ⊙ f'(z)} from {@code a = f(z)} on rows {@code [i0, i1)}: elementwise in one pass, SOFTMAX
     * row by row.
     */
    static void activationBackwardRows(Activation f, float alpha, float[] a, float[] dA, float[] dZ, int cols,
                                       int i0, int i1) {
        if (f == Activation.SOFTMAX) {
            for (int r = i0; r < i1; r++) {
                VectorSoftmax.softmaxBackwardRow(a, dA, dZ, r * cols, cols);
            }
            return;
        }
        VectorActivationKernel.of(f).backward(alpha, a, dA, dZ, i0 * cols, i1 * cols);
    }
}
