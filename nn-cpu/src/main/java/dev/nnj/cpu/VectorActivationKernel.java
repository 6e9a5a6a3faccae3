package dev.nnj.cpu;

import static dev.nnj.cpu.LaneFormulas.E10;
import static dev.nnj.cpu.LaneFormulas.E3;
import static dev.nnj.cpu.LaneFormulas.E4;
import static dev.nnj.cpu.LaneFormulas.E5;
import static dev.nnj.cpu.LaneFormulas.E6;
import static dev.nnj.cpu.LaneFormulas.E7;
import static dev.nnj.cpu.LaneFormulas.E8;
import static dev.nnj.cpu.LaneFormulas.E9;
import static dev.nnj.cpu.LaneFormulas.EXPM1_SMALL;
import static dev.nnj.cpu.LaneFormulas.SIGN_BIT;
import static dev.nnj.cpu.LaneFormulas.T0;
import static dev.nnj.cpu.LaneFormulas.T1;
import static dev.nnj.cpu.LaneFormulas.T2;
import static dev.nnj.cpu.LaneFormulas.T3;
import static dev.nnj.cpu.LaneFormulas.T4;
import static dev.nnj.cpu.LaneFormulas.TANH_SMALL;
import static dev.nnj.cpu.VectorGemm.EXACT;
import static dev.nnj.cpu.VectorGemm.INT_EXACT;
import static dev.nnj.cpu.VectorGemm.INT_S;
import static dev.nnj.cpu.VectorGemm.L;
import static dev.nnj.cpu.VectorGemm.ONE;
import static dev.nnj.cpu.VectorGemm.S;
import static dev.nnj.cpu.VectorGemm.ZERO;

import dev.nnj.api.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * One elementwise activation's vector loops, forward beside backward:
 * <pre>
 *   forward   out[r + j] = f(z[r + j] + bias[j])      one row of {@code cols}, whole vectors then a scalar tail
 *   backward  dZ[i] = dA[i] · f'(a[i]),  a = f(z)       one flat run
 * </pre>
 * The scalar tails compute the same formulas as the vector lanes, in the same order, so every element gets the
 * same bits wherever a row or run was cut; for the sigmoid, tanh and ELU that is what
 * {@link LaneFormulas#sigmoid}, {@link LaneFormulas#tanh} and {@link LaneFormulas#elu} are.
 *
 * <p>The sigmoid, tanh and ELU are built on {@link VectorExp}'s exponential, made of exactly rounded operations,
 * so that their bits do not depend on the JIT tier (the Vector API's {@code TANH} and {@code EXPM1} do: their C2
 * intrinsics and Java fallbacks differ in the last bit, so a training run's result depended on when the JIT
 * finished). Each runs in passes over the row: the exponential's argument, then the exponential in place, then
 * the activation from it and the input.
 *
 * <p>No vector is passed to or returned from a method of this class: a vector crossing a call that C2 does not
 * inline is boxed, an allocation per vector, and whether C2 inlines a call depends on everything else compiled
 * into the same caller. Two activations of one network are both inlined into the one dispatching caller, and
 * such pairs did allocate (a sigmoid beside a ReLU, 18 KB per (48, 70) call, in one JVM of a few) while each
 * was fine alone. So the loops are written out in every constant, with Vector API calls only
 * ({@code ActivationAllocationTest} runs all of them in one JVM, {@code ActivationPairAllocationTest} every pair
 * in a JVM of its own, and both require 0 bytes per call).
 * The constants are vectors ({@code T0_V}, {@code ONE}), not floats broadcast at every use, and every loaded or
 * reinterpreted vector an operation is called on is cast to its exact class ({@link VectorGemm#EXACT}), so that
 * C2 compiles each kernel without a type profile ({@code KernelInliningTest}); the exponential is a method of its
 * own that C2 never inlines ({@link VectorExp#expNonPositiveInPlace}), so each forward pass stays within C2's
 * parse-time inlining budget. Before both, some JIT histories made C2 box these kernels
 * ({@code ActivationJitHistoryAllocationTest}).
 *
 * <p>The sigmoid's and tanh's backward passes, {@code dA · a(1 − a)} and {@code dA · (1 − a²)}, are plain loops:
 * C2 vectorizes them by itself, as fast as the Vector API once compiled, with the same bits (two or three exactly
 * rounded operations per element, the reference's formula, which they call); before C2 has compiled them they run at scalar speed,
 * where the Vector API version ran far slower and allocated every vector, for the hundreds of steps a pass run
 * once per step waits for C2.
 */
enum VectorActivationKernel {
    IDENTITY {
        @Override
        void forwardRow(float[] z, float[] bias, int r, int cols, float alpha, float[] out, ExpScratch scratch) {
            addBias(z, bias, r, cols, out);
        }

        @Override
        void backward(float alpha, float[] a, float[] dA, float[] dZ, int from, int to) {
            System.arraycopy(dA, from, dZ, from, to - from);
        }

    },

    SIGMOID {
        @Override
        boolean exponential() {
            return true;
        }

        /** Per chunk of the row: {@code e = −|v|}, then {@code e^e} in place, then {@link LaneFormulas#sigmoid} of v and e. */
        @Override
        void forwardRow(float[] z, float[] bias, int r, int cols, float alpha, float[] out, ExpScratch scratch) {
            float[] e = scratch.values;
            for (int c = 0; c < cols; c += CHUNK) {
                int n = Math.min(CHUNK, cols - c);
                int bound = S.loopBound(n);
                int j = 0;
                for (; j < bound; j += L) {
                    FloatVector v = EXACT.cast(FloatVector.fromArray(S, z, r + c + j));
                    v = v.add(FloatVector.fromArray(S, bias, c + j));
                    v.min(v.mul(MINUS_ONE_V)).intoArray(e, j);                    // −|v|, see sigmoid
                }
                for (; j < n; j++) {
                    e[j] = -Math.abs(input(z, bias, r, c + j));
                }
                VectorExp.expNonPositiveInPlace(e, 0, n, scratch.powers);
                for (j = 0; j < bound; j += L) {
                    FloatVector v = EXACT.cast(FloatVector.fromArray(S, z, r + c + j));
                    v = v.add(FloatVector.fromArray(S, bias, c + j));
                    FloatVector ve = EXACT.cast(FloatVector.fromArray(S, e, j));
                    // The numerator, 1 or e, chosen by arithmetic rather than compare-and-blend (a kind of vector
                    // operation the JIT would otherwise compile for the digits trainer's first epochs): see sigmoid.
                    FloatVector step = v.mul(TWO_TO_100_V).max(ZERO).min(ONE);
                    step.fma(EXACT.cast(ONE).sub(ve), ve).div(ve.add(ONE)).intoArray(out, r + c + j);
                }
                for (; j < n; j++) {
                    out[r + c + j] = LaneFormulas.sigmoid(input(z, bias, r, c + j), e[j]);
                }
            }
        }

        /** {@code σ' = a (1 − a)}. */
        @Override
        void backward(float alpha, float[] a, float[] dA, float[] dZ, int from, int to) {
            referenceBackward(Activation.SIGMOID, alpha, a, dA, dZ, from, to);   // a plain loop: see the class comment
        }

    },

    TANH {
        @Override
        boolean exponential() {
            return true;
        }

        /** Per chunk of the row: {@code e = −2|v|}, then {@code e^e} in place, then {@link LaneFormulas#tanh} of v and e. */
        @Override
        void forwardRow(float[] z, float[] bias, int r, int cols, float alpha, float[] out, ExpScratch scratch) {
            float[] e = scratch.values;
            for (int c = 0; c < cols; c += CHUNK) {
                int n = Math.min(CHUNK, cols - c);
                int bound = S.loopBound(n);
                int j = 0;
                for (; j < bound; j += L) {
                    FloatVector v = EXACT.cast(FloatVector.fromArray(S, z, r + c + j));
                    v = v.add(FloatVector.fromArray(S, bias, c + j));
                    v.abs().mul(MINUS_TWO_V).intoArray(e, j);
                }
                for (; j < n; j++) {
                    e[j] = Math.abs(input(z, bias, r, c + j)) * -2f;
                }
                VectorExp.expNonPositiveInPlace(e, 0, n, scratch.powers);
                for (j = 0; j < bound; j += L) {
                    FloatVector v = EXACT.cast(FloatVector.fromArray(S, z, r + c + j));
                    v = v.add(FloatVector.fromArray(S, bias, c + j));
                    FloatVector ve = EXACT.cast(FloatVector.fromArray(S, e, j));
                    FloatVector x = v.abs();
                    FloatVector large = ve.neg().add(ONE).div(ve.add(ONE));
                    FloatVector s = x.mul(x);
                    FloatVector p = s.fma(T0_V, T1_V);
                    p = p.fma(s, T2_V);
                    p = p.fma(s, T3_V);
                    p = p.fma(s, T4_V);
                    FloatVector small = p.fma(s.mul(x), x);
                    FloatVector t = large.blend(small, x.compare(VectorOperators.LT, TANH_SMALL_V));
                    // tanh is odd: |tanh v| with the sign bit of v (so tanh(−0) = −0). Reinterpreted vectors are
                    // cast to their exact class, so that C2 binds the next operation without a type profile.
                    IntVector sign = INT_EXACT.cast(v.reinterpretAsInts()).and(SIGN_BIT_V);
                    FloatVector signed = INT_EXACT.cast(t.reinterpretAsInts()).or(sign).reinterpretAsFloats();
                    EXACT.cast(signed).intoArray(out, r + c + j);
                }
                for (; j < n; j++) {
                    out[r + c + j] = LaneFormulas.tanh(input(z, bias, r, c + j), e[j]);
                }
            }
        }

        /** {@code tanh' = 1 − a²}. */
        @Override
        void backward(float alpha, float[] a, float[] dA, float[] dZ, int from, int to) {
            referenceBackward(Activation.TANH, alpha, a, dA, dZ, from, to);   // a plain loop: see the class comment
        }

    },

    RELU {
        @Override
        void forwardRow(float[] z, float[] bias, int r, int cols, float alpha, float[] out, ExpScratch scratch) {
            int bound = S.loopBound(cols);
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector v = EXACT.cast(FloatVector.fromArray(S, z, r + j));
                v = v.add(FloatVector.fromArray(S, bias, j));
                v.max(ZERO).intoArray(out, r + j);
            }
            for (; j < cols; j++) {
                out[r + j] = ReferenceKernels.activate(Activation.RELU, alpha, input(z, bias, r, j));
            }
        }

        /**
         * {@code 1} where {@code a > 0}, else {@code 0} (a NaN output passes {@code dA} through): {@code dA} where
         * {@code a > 0}, +0 elsewhere. First by arithmetic, {@code dA · min(max(a · 2^149, 0), 1) + 0}: the factor
         * is 1 for every {@code a > 0} (the smallest is 2^−149) and 0 for {@code a ≤ 0}, and adding +0 turns −0
         * into +0, so the result is exact unless it is NaN or infinite: a NaN {@code a}, or a NaN or infinite
         * {@code dA} where {@code a ≤ 0} (NaN times 0), make it NaN. A run with such a result ({@code r − r} is then
         * NaN) is done again with compare and blend, which gives every case exactly; so is every run whose
         * {@code dZ} is {@code a} or {@code dA} (in place), whose inputs the first pass would have overwritten.
         * The point: a network of
         * ReLU and softmax then needs no mask code unless its numbers go bad, and the JIT no longer compiles the
         * Vector API's mask fallbacks in its first epochs (the keras preset of the digits trainer starts 0.3 s
         * sooner).
         */
        @Override
        void backward(float alpha, float[] a, float[] dA, float[] dZ, int from, int to) {
            int bound = from + S.loopBound(to - from);
            boolean inPlace = dZ == a || dZ == dA;
            FloatVector finite = FloatVector.zero(S);
            for (int i = from; !inPlace && i < bound; i += L) {
                FloatVector va = EXACT.cast(FloatVector.fromArray(S, a, i));
                FloatVector g = EXACT.cast(FloatVector.fromArray(S, dA, i));
                FloatVector r = g.mul(va.mul(TWO_TO_127_V).mul(TWO_TO_22_V).max(ZERO).min(ONE));
                r.add(ZERO).intoArray(dZ, i);
                finite = r.sub(r).add(finite);   // finite as the operand: C2 types a loop's vector only vaguely
            }
            if (inPlace || Float.isNaN(EXACT.cast(finite).reduceLanes(VectorOperators.ADD))) {
                for (int i = from; i < bound; i += L) {
                    FloatVector va = EXACT.cast(FloatVector.fromArray(S, a, i));
                    VectorMask<Float> off = va.compare(VectorOperators.LE, ZERO);
                    EXACT.cast(FloatVector.fromArray(S, dA, i)).blend(ZERO, off).intoArray(dZ, i);
                }
            }
            referenceBackward(Activation.RELU, alpha, a, dA, dZ, bound, to);
        }

    },

    LEAKY_RELU {
        @Override
        void forwardRow(float[] z, float[] bias, int r, int cols, float alpha, float[] out, ExpScratch scratch) {
            int bound = S.loopBound(cols);
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector v = EXACT.cast(FloatVector.fromArray(S, z, r + j));
                v = v.add(FloatVector.fromArray(S, bias, j));
                v.blend(v.mul(alpha), v.compare(VectorOperators.LE, ZERO)).intoArray(out, r + j);
            }
            for (; j < cols; j++) {
                out[r + j] = ReferenceKernels.activate(Activation.LEAKY_RELU, alpha, input(z, bias, r, j));
            }
        }

        /** {@code 1} where {@code a > 0}, else the slope {@code alpha}. */
        @Override
        void backward(float alpha, float[] a, float[] dA, float[] dZ, int from, int to) {
            int i = from;
            for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
                VectorMask<Float> off = EXACT.cast(FloatVector.fromArray(S, a, i)).compare(VectorOperators.LE, ZERO);
                FloatVector g = EXACT.cast(FloatVector.fromArray(S, dA, i));
                g.blend(g.mul(alpha), off).intoArray(dZ, i);
            }
            referenceBackward(Activation.LEAKY_RELU, alpha, a, dA, dZ, i, to);
        }

    },

    ELU {
        @Override
        boolean exponential() {
            return true;
        }

        /** Per chunk of the row: {@code e = min(v, 0)}, then {@code e^e} in place, then {@link LaneFormulas#elu} of v and e. */
        @Override
        void forwardRow(float[] z, float[] bias, int r, int cols, float alpha, float[] out, ExpScratch scratch) {
            float[] e = scratch.values;
            for (int c = 0; c < cols; c += CHUNK) {
                int n = Math.min(CHUNK, cols - c);
                int bound = S.loopBound(n);
                int j = 0;
                for (; j < bound; j += L) {
                    FloatVector v = EXACT.cast(FloatVector.fromArray(S, z, r + c + j));
                    v = v.add(FloatVector.fromArray(S, bias, c + j));
                    v.min(ZERO).intoArray(e, j);
                }
                for (; j < n; j++) {
                    e[j] = Math.min(input(z, bias, r, c + j), 0f);
                }
                VectorExp.expNonPositiveInPlace(e, 0, n, scratch.powers);
                for (j = 0; j < bound; j += L) {
                    FloatVector v = EXACT.cast(FloatVector.fromArray(S, z, r + c + j));
                    v = v.add(FloatVector.fromArray(S, bias, c + j));
                    FloatVector ve = EXACT.cast(FloatVector.fromArray(S, e, j));
                    FloatVector x = v.min(ZERO);
                    FloatVector p = x.fma(E10_V, E9_V);
                    p = p.fma(x, E8_V);
                    p = p.fma(x, E7_V);
                    p = p.fma(x, E6_V);
                    p = p.fma(x, E5_V);
                    p = p.fma(x, E4_V);
                    p = p.fma(x, E3_V);
                    p = p.fma(x, HALF_V);
                    FloatVector series = p.fma(x.mul(x), x);
                    FloatVector expm1 = ve.sub(ONE).blend(series, x.compare(VectorOperators.GT, EXPM1_SMALL_V));
                    v.blend(expm1.mul(alpha), v.compare(VectorOperators.LE, ZERO)).intoArray(out, r + c + j);
                }
                for (; j < n; j++) {
                    out[r + c + j] = LaneFormulas.elu(input(z, bias, r, c + j), e[j], alpha);
                }
            }
        }

        /** {@code 1} where {@code a > 0}, else {@code a + alpha} (that is, {@code alpha · e^z}). */
        @Override
        void backward(float alpha, float[] a, float[] dA, float[] dZ, int from, int to) {
            int i = from;
            for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
                FloatVector va = EXACT.cast(FloatVector.fromArray(S, a, i));
                FloatVector g = EXACT.cast(FloatVector.fromArray(S, dA, i));
                g.blend(g.mul(va.add(alpha)), va.compare(VectorOperators.LE, ZERO)).intoArray(dZ, i);
            }
            referenceBackward(Activation.ELU, alpha, a, dA, dZ, i, to);
        }

    };

    /** Elements per chunk of a row whose exponentials are computed together, in {@link ExpScratch#values}. */
    static final int CHUNK = 256;
    // The constants as vectors: a constant costs C2 no operation, where a float operand is broadcast at every
    // use, and each operation counts against the size up to which C2 inlines at parse time.
    private static final FloatVector HALF_V = FloatVector.broadcast(S, 0.5f);
    private static final FloatVector MINUS_ONE_V = FloatVector.broadcast(S, -1f);
    private static final FloatVector MINUS_TWO_V = FloatVector.broadcast(S, -2f);
    private static final FloatVector TWO_TO_22_V = FloatVector.broadcast(S, 0x1p22f);
    private static final FloatVector TWO_TO_100_V = FloatVector.broadcast(S, 0x1p100f);
    private static final FloatVector TWO_TO_127_V = FloatVector.broadcast(S, 0x1p127f);
    private static final IntVector SIGN_BIT_V = IntVector.broadcast(INT_S, SIGN_BIT);
    private static final FloatVector TANH_SMALL_V = FloatVector.broadcast(S, TANH_SMALL);
    private static final FloatVector T0_V = FloatVector.broadcast(S, T0);
    private static final FloatVector T1_V = FloatVector.broadcast(S, T1);
    private static final FloatVector T2_V = FloatVector.broadcast(S, T2);
    private static final FloatVector T3_V = FloatVector.broadcast(S, T3);
    private static final FloatVector T4_V = FloatVector.broadcast(S, T4);
    private static final FloatVector EXPM1_SMALL_V = FloatVector.broadcast(S, EXPM1_SMALL);
    private static final FloatVector E3_V = FloatVector.broadcast(S, E3);
    private static final FloatVector E4_V = FloatVector.broadcast(S, E4);
    private static final FloatVector E5_V = FloatVector.broadcast(S, E5);
    private static final FloatVector E6_V = FloatVector.broadcast(S, E6);
    private static final FloatVector E7_V = FloatVector.broadcast(S, E7);
    private static final FloatVector E8_V = FloatVector.broadcast(S, E8);
    private static final FloatVector E9_V = FloatVector.broadcast(S, E9);
    private static final FloatVector E10_V = FloatVector.broadcast(S, E10);

    private static final VectorActivationKernel[] BY_ACTIVATION = byActivation();

    /**
     * {@code out[r + j] = f(z[r + j] + bias[j])} for {@code j < cols}; {@code out} may be {@code z}. There is
     * always a bias, at least {@code cols} long: without one the caller passes −0s
     * ({@link VectorActivations#noBias}; {@code z + (−0)} is {@code z}, bit for bit), so that no vector is chosen
     * by a branch ({@code bias == null ? v : v.add(b)} merges two vectors, which C2 may keep boxed once both
     * branches have run: softmax allocated 1.2 MB per (1437, 64) call in such a JVM in one experiment). Without
     * the branch the sigmoid's forward pass also got faster: 60-66 µs against 69-77 µs per (1437, 64) call with a
     * bias, five JVMs each. Called once per row, as the row kernels always
     * were: with many calls and short loops HotSpot compiles it whole early on, rather than from a loop in
     * progress (on-stack replacement), which made {@link VectorSoftmax}'s multi-loop method bimodal.
     *
     * @param scratch the exponentials of a chunk go to its {@link ExpScratch#values} ({@code out} may be {@code z},
     *                whose values the last pass still needs); the caller's, used by no other thread meanwhile
     */
    abstract void forwardRow(float[] z, float[] bias, int r, int cols, float alpha, float[] out, ExpScratch scratch);

    /** Whether the forward pass computes an exponential (in chunks of {@link #CHUNK}, in the scratch). */
    boolean exponential() {
        return false;
    }

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

    /** {@code z[r + j] + bias[j]}, as the vector lanes compute it. */
    private static float input(float[] z, float[] bias, int r, int j) {
        return z[r + j] + bias[j];
    }

    /** {@code out[r + j] = z[r + j] + bias[j]} over a row. */
    static void addBias(float[] z, float[] bias, int r, int cols, float[] out) {
        int bound = S.loopBound(cols);
        int j = 0;
        for (; j < bound; j += L) {
            EXACT.cast(FloatVector.fromArray(S, z, r + j)).add(FloatVector.fromArray(S, bias, j)).intoArray(out, r + j);
        }
        for (; j < cols; j++) {
            out[r + j] = z[r + j] + bias[j];
        }
    }

    /**
     * {@code dZ = dA · f'(a)} on {@code [i, to)} with the reference derivative: the scalar tail of a backward run,
     * and the whole pass where a plain loop serves (sigmoid, tanh).
     */
    private static void referenceBackward(Activation f, float alpha, float[] a, float[] dA, float[] dZ, int i, int to) {
        for (; i < to; i++) {
            dZ[i] = dA[i] * ReferenceKernels.derivative(f, alpha, a[i]);
        }
    }
}
