package dev.nnj.cpu;

import static dev.nnj.cpu.VectorGemm.L;
import static dev.nnj.cpu.VectorGemm.S;

import dev.nnj.api.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * One elementwise activation's vector loops, forward beside backward:
 * <pre>
 *   forward   out[r + j] = f(z[r + j] + bias[j])      one row of {@code cols}, whole vectors then a scalar tail
 *   backward  dZ[i] = dA[i] · f'(a[i]),  a = f(z)       one flat run
 * </pre>
 * The scalar tails use {@link ReferenceKernels#activate} and {@link ReferenceKernels#derivative}.
 *
 * <p>Why a constant per activation rather than a {@code switch} in one method: a JVM that has run several
 * activations (a test suite, a server training several models) would compile that one method with every case
 * hot, and past C2's limit on the size of what it inlines, the helper calls it leaves out of line
 * ({@link #load}, {@link #sigmoid}) return their vectors boxed, an allocation per vector.
 * Called through this enum (per row forward, per pass backward), each constant's loops are compiled on their
 * own: once more than two activations are in use the call is megamorphic and C2 keeps it out of line, and a
 * network's one or two activations stay small enough to inline ({@code ActivationAllocationTest} runs all of
 * them in one JVM and requires 0 bytes per call). The loop around each constant's vector expression is written
 * out in every constant for the same reason: a shared loop taking the expression as a function would pass
 * vectors across a call, and every vector passed that way is boxed.
 */
enum VectorActivationKernel {
    IDENTITY {
        @Override
        void forwardRow(float[] z, float[] bias, int r, int cols, float alpha, float[] out) {
            int bound = S.loopBound(cols);
            int j = 0;
            for (; j < bound; j += L) {
                load(z, bias, r, j).intoArray(out, r + j);
            }
            tail(Activation.IDENTITY, z, bias, alpha, out, r, j, cols);
        }

        @Override
        void backward(float alpha, float[] a, float[] dA, float[] dZ, int from, int to) {
            System.arraycopy(dA, from, dZ, from, to - from);
        }
    },

    SIGMOID {
        @Override
        void forwardRow(float[] z, float[] bias, int r, int cols, float alpha, float[] out) {
            int bound = S.loopBound(cols);
            int j = 0;
            for (; j < bound; j += L) {
                sigmoid(load(z, bias, r, j)).intoArray(out, r + j);
            }
            tail(Activation.SIGMOID, z, bias, alpha, out, r, j, cols);
        }

        /** {@code σ' = a (1 − a)}. */
        @Override
        void backward(float alpha, float[] a, float[] dA, float[] dZ, int from, int to) {
            int i = from;
            for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
                FloatVector va = FloatVector.fromArray(S, a, i);
                FloatVector.fromArray(S, dA, i).mul(va.mul(va.neg().add(1f))).intoArray(dZ, i);
            }
            backwardTail(Activation.SIGMOID, alpha, a, dA, dZ, i, to);
        }
    },

    TANH {
        @Override
        void forwardRow(float[] z, float[] bias, int r, int cols, float alpha, float[] out) {
            int bound = S.loopBound(cols);
            int j = 0;
            for (; j < bound; j += L) {
                load(z, bias, r, j).lanewise(VectorOperators.TANH).intoArray(out, r + j);
            }
            tail(Activation.TANH, z, bias, alpha, out, r, j, cols);
        }

        /** {@code tanh' = 1 − a²}. */
        @Override
        void backward(float alpha, float[] a, float[] dA, float[] dZ, int from, int to) {
            int i = from;
            for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
                FloatVector va = FloatVector.fromArray(S, a, i);
                FloatVector.fromArray(S, dA, i).mul(va.mul(va).neg().add(1f)).intoArray(dZ, i);
            }
            backwardTail(Activation.TANH, alpha, a, dA, dZ, i, to);
        }
    },

    RELU {
        @Override
        void forwardRow(float[] z, float[] bias, int r, int cols, float alpha, float[] out) {
            int bound = S.loopBound(cols);
            int j = 0;
            for (; j < bound; j += L) {
                load(z, bias, r, j).max(0f).intoArray(out, r + j);
            }
            tail(Activation.RELU, z, bias, alpha, out, r, j, cols);
        }

        /** {@code 1} where {@code a > 0}, else {@code 0} (a NaN output passes {@code dA} through). */
        @Override
        void backward(float alpha, float[] a, float[] dA, float[] dZ, int from, int to) {
            int i = from;
            for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
                VectorMask<Float> off = FloatVector.fromArray(S, a, i).compare(VectorOperators.LE, 0f);
                FloatVector.fromArray(S, dA, i).blend(0f, off).intoArray(dZ, i);
            }
            backwardTail(Activation.RELU, alpha, a, dA, dZ, i, to);
        }
    },

    LEAKY_RELU {
        @Override
        void forwardRow(float[] z, float[] bias, int r, int cols, float alpha, float[] out) {
            int bound = S.loopBound(cols);
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector v = load(z, bias, r, j);
                v.blend(v.mul(alpha), v.compare(VectorOperators.LE, 0f)).intoArray(out, r + j);
            }
            tail(Activation.LEAKY_RELU, z, bias, alpha, out, r, j, cols);
        }

        /** {@code 1} where {@code a > 0}, else the slope {@code alpha}. */
        @Override
        void backward(float alpha, float[] a, float[] dA, float[] dZ, int from, int to) {
            int i = from;
            for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
                VectorMask<Float> off = FloatVector.fromArray(S, a, i).compare(VectorOperators.LE, 0f);
                FloatVector g = FloatVector.fromArray(S, dA, i);
                g.blend(g.mul(alpha), off).intoArray(dZ, i);
            }
            backwardTail(Activation.LEAKY_RELU, alpha, a, dA, dZ, i, to);
        }
    },

    ELU {
        @Override
        void forwardRow(float[] z, float[] bias, int r, int cols, float alpha, float[] out) {
            int bound = S.loopBound(cols);
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector v = load(z, bias, r, j);
                FloatVector neg = v.lanewise(VectorOperators.EXPM1).mul(alpha);
                v.blend(neg, v.compare(VectorOperators.LE, 0f)).intoArray(out, r + j);
            }
            tail(Activation.ELU, z, bias, alpha, out, r, j, cols);
        }

        /** {@code 1} where {@code a > 0}, else {@code a + alpha} (that is, {@code alpha · e^z}). */
        @Override
        void backward(float alpha, float[] a, float[] dA, float[] dZ, int from, int to) {
            int i = from;
            for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
                FloatVector va = FloatVector.fromArray(S, a, i);
                FloatVector g = FloatVector.fromArray(S, dA, i);
                g.blend(g.mul(va.add(alpha)), va.compare(VectorOperators.LE, 0f)).intoArray(dZ, i);
            }
            backwardTail(Activation.ELU, alpha, a, dA, dZ, i, to);
        }
    };

    private static final VectorActivationKernel[] BY_ACTIVATION = byActivation();

    /**
     * {@code out[r + j] = f(z[r + j] + bias[j])} for {@code j < cols} ({@code bias} null: {@code f(z[r + j])}, and
     * a flat run is one long row). Called once per row, as the row kernels always were: with many calls and
     * short loops HotSpot compiles it whole early on, rather than from a loop in progress (on-stack
     * replacement), which made {@link VectorSoftmax}'s multi-loop method bimodal.
     */
    abstract void forwardRow(float[] z, float[] bias, int r, int cols, float alpha, float[] out);

    /** {@code dZ[i] = dA[i] · f'(a[i])} for {@code i} in {@code [from, to)}, from the outputs {@code a = f(z)}. */
    abstract void backward(float alpha, float[] a, float[] dA, float[] dZ, int from, int to);

    /**
     * The kernel of an elementwise activation.
     *
     * @param f any activation but SOFTMAX
     * @return its loops
     * @throws IllegalArgumentException for SOFTMAX, which is row-wise ({@link VectorSoftmax})
     */
    static VectorActivationKernel of(Activation f) {
        VectorActivationKernel k = BY_ACTIVATION[f.ordinal()];
        if (k == null) {
            throw new IllegalArgumentException(f + " is not elementwise");
        }
        return k;
    }

    private static VectorActivationKernel[] byActivation() {
        VectorActivationKernel[] table = new VectorActivationKernel[Activation.values().length];
        for (VectorActivationKernel k : values()) {
            table[Activation.valueOf(k.name()).ordinal()] = k;
        }
        return table;
    }

    /** {@code z[r + j ..] + bias[j ..]} as one vector; just {@code z} without a bias. */
    static FloatVector load(float[] z, float[] bias, int r, int j) {
        FloatVector v = FloatVector.fromArray(S, z, r + j);
        return bias == null ? v : v.add(FloatVector.fromArray(S, bias, j));
    }

    /**
     * Stable for both signs with one exponential: {@code e = e^-|z| ≤ 1} never overflows;
     * {@code 1 / (1 + e)} for {@code z ≥ 0}, {@code e / (1 + e)} below.
     */
    static FloatVector sigmoid(FloatVector z) {
        FloatVector e = VectorExp.expNonPositive(z.abs().neg());
        // The numerator, 1 or e, chosen by arithmetic rather than compare-and-blend (why: VectorExp). step is 0
        // for z ≤ 0 and 1 for z ≥ 2^-100; between, e rounds to 1 and so does either choice. Then
        // e + step · (1 − e), rounded once, is exactly e or exactly 1.
        FloatVector step = z.mul(0x1p100f).max(0f).min(1f);
        return step.fma(e.neg().add(1f), e).div(e.add(1f));
    }

    /** The scalar tail of a row: columns {@code j .. cols} with the reference formula. */
    private static void tail(Activation f, float[] z, float[] bias, float alpha, float[] out, int r, int j, int cols) {
        for (; j < cols; j++) {
            float v = bias == null ? z[r + j] : z[r + j] + bias[j];
            out[r + j] = ReferenceKernels.activate(f, alpha, v);
        }
    }

    /** The scalar tail of a backward run with the reference derivative. */
    private static void backwardTail(Activation f, float alpha, float[] a, float[] dA, float[] dZ, int i, int to) {
        for (; i < to; i++) {
            dZ[i] = dA[i] * ReferenceKernels.derivative(f, alpha, a[i]);
        }
    }
}
