package dev.nnj.cpu;

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
 * same bits wherever a row or run was cut; for the sigmoid, tanh and ELU that is what {@link #sigmoid},
 * {@link #tanh} and {@link #elu} are.
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

        @Override
        float apply(float v, float alpha) {
            return v;
        }
    },

    SIGMOID {
        @Override
        boolean exponential() {
            return true;
        }

        /** Per chunk of the row: {@code e = −|v|}, then {@code e^e} in place, then {@link #sigmoid} of v and e. */
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
                    out[r + c + j] = sigmoid(input(z, bias, r, c + j), e[j]);
                }
            }
        }

        /** {@code σ' = a (1 − a)}. */
        @Override
        void backward(float alpha, float[] a, float[] dA, float[] dZ, int from, int to) {
            referenceBackward(Activation.SIGMOID, alpha, a, dA, dZ, from, to);   // a plain loop: see the class comment
        }

        @Override
        float apply(float v, float alpha) {
            return sigmoid(v, VectorExp.expNonPositive(-Math.abs(v)));
        }
    },

    TANH {
        @Override
        boolean exponential() {
            return true;
        }

        /** Per chunk of the row: {@code e = −2|v|}, then {@code e^e} in place, then {@link #tanh} of v and e. */
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
                    out[r + c + j] = tanh(input(z, bias, r, c + j), e[j]);
                }
            }
        }

        /** {@code tanh' = 1 − a²}. */
        @Override
        void backward(float alpha, float[] a, float[] dA, float[] dZ, int from, int to) {
            referenceBackward(Activation.TANH, alpha, a, dA, dZ, from, to);   // a plain loop: see the class comment
        }

        @Override
        float apply(float v, float alpha) {
            return tanh(v, VectorExp.expNonPositive(Math.abs(v) * -2f));
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

        @Override
        float apply(float v, float alpha) {
            return ReferenceKernels.activate(Activation.RELU, alpha, v);
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

        @Override
        float apply(float v, float alpha) {
            return ReferenceKernels.activate(Activation.LEAKY_RELU, alpha, v);
        }
    },

    ELU {
        @Override
        boolean exponential() {
            return true;
        }

        /** Per chunk of the row: {@code e = min(v, 0)}, then {@code e^e} in place, then {@link #elu} of v and e. */
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
                    out[r + c + j] = elu(input(z, bias, r, c + j), e[j], alpha);
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

        @Override
        float apply(float v, float alpha) {
            return elu(v, VectorExp.expNonPositive(Math.min(v, 0f)), alpha);
        }
    };

    /** Elements per chunk of a row whose exponentials are computed together, in {@link ExpScratch#values}. */
    static final int CHUNK = 256;
    /** The sign bit of a float. */
    static final int SIGN_BIT = 0x80000000;
    /** Below this, tanh takes Cephes' odd polynomial; from it on, {@code (1 − e) / (1 + e)}. */
    static final float TANH_SMALL = 0.625f;
    /** Cephes {@code tanhf}: {@code tanh x ≈ x + x³ · (T4 + T3 x² + … + T0 x⁸)} for {@code |x| < 0.625}. */
    static final float T0 = -5.70498872745e-3f;
    static final float T1 = 2.06390887954e-2f;
    static final float T2 = -5.37397155531e-2f;
    static final float T3 = 1.33314422036e-1f;
    static final float T4 = -3.33332819422e-1f;
    /**
     * Above this ({@code −ln 2}), {@code e^x − 1} takes its Taylor series; at or below, {@code e^x − 1} itself,
     * which no longer cancels ({@code e^x ≤ ½}).
     */
    static final float EXPM1_SMALL = -0.6931472f;
    /** {@code 1/k!}: {@code e^x − 1 ≈ x + x² (1/2 + x/3! + … + x⁸/10!)}, within 1e-9 relative on (−ln 2, 0]. */
    static final float E3 = 1f / 6;
    static final float E4 = 1f / 24;
    static final float E5 = 1f / 120;
    static final float E6 = 1f / 720;
    static final float E7 = 1f / 5040;
    static final float E8 = 1f / 40320;
    static final float E9 = 1f / 362880;
    static final float E10 = 1f / 3628800;

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

    /**
     * {@code f(v)} for one element, as the scalar tails of {@link #forwardRow} compute it: the vector lanes'
     * formula in scalar Java (the exponential by {@link VectorExp#expNonPositive(float)}), so the same bits as a
     * lane. For {@link SmallOps}, which runs a few rows without the Vector API.
     *
     * @param v     the input, {@code z + bias}
     * @param alpha the activation's parameter (leaky ReLU's slope, ELU's scale)
     * @return {@code f(v)}
     */
    abstract float apply(float v, float alpha);

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
     * The logistic sigmoid from {@code v} and {@code e = e^{−|v|}} (≤ 1, so nothing overflows):
     * {@code 1 / (1 + e)} for {@code v ≥ 0}, {@code e / (1 + e)} below, as the vector lanes compute it. The
     * numerator is chosen by arithmetic: {@code step} is 0 for {@code v ≤ 0} and 1 for {@code v ≥ 2^−100}
     * (between, {@code e} rounds to 1 and so does either choice), and {@code e + step · (1 − e)}, rounded once,
     * is then exactly {@code e} or exactly 1 (checked for every float {@code e} in {@code [0, 1]}).
     *
     * <p>The vector lanes take {@code −|v|} as {@code min(v, −1 · v)} and {@code 1 − e} as a subtraction, the
     * same values as {@code abs}, {@code neg} and {@code −e + 1}: so the digits trainer's sigmoid network uses no
     * unary vector operation, whose Java fallbacks (and their own compiles) would run before C2 has compiled the
     * pass.
     */
    static float sigmoid(float v, float e) {
        float step = Math.min(Math.max(v * 0x1p100f, 0f), 1f);
        return Math.fma(step, -e + 1f, e) / (e + 1f);
    }

    /**
     * {@code tanh v} from {@code v} and {@code e = e^{−2|v|}}, as the vector lanes compute it (Cephes'
     * {@code tanhf}): for {@code |v| < 0.625} the odd polynomial, else {@code (1 − e) / (1 + e)}, which does not
     * cancel there ({@code e ≤ 0.29}); then the sign of {@code v}. Within 3 ulp of {@link Math#tanh}.
     */
    static float tanh(float v, float e) {
        float x = Math.abs(v);
        float large = (-e + 1f) / (e + 1f);
        float s = x * x;
        float p = Math.fma(s, T0, T1);
        p = Math.fma(p, s, T2);
        p = Math.fma(p, s, T3);
        p = Math.fma(p, s, T4);
        float small = Math.fma(p, s * x, x);
        float t = x < TANH_SMALL ? small : large;
        return Float.intBitsToFloat(Float.floatToRawIntBits(t) | (Float.floatToRawIntBits(v) & SIGN_BIT));
    }

    /**
     * ELU, {@code v} for {@code v > 0} and {@code alpha · (e^v − 1)} at or below, from {@code v} and
     * {@code e = e^{min(v, 0)}}, as the vector lanes compute it: {@code e^v − 1} by its Taylor series above
     * {@code −ln 2}, where subtracting 1 would cancel, and as {@code e − 1} from there down. Within 3 ulp of
     * {@link Math#expm1}.
     */
    static float elu(float v, float e, float alpha) {
        float x = Math.min(v, 0f);
        float p = Math.fma(x, E10, E9);
        p = Math.fma(p, x, E8);
        p = Math.fma(p, x, E7);
        p = Math.fma(p, x, E6);
        p = Math.fma(p, x, E5);
        p = Math.fma(p, x, E4);
        p = Math.fma(p, x, E3);
        p = Math.fma(p, x, 0.5f);
        float expm1 = x > EXPM1_SMALL ? Math.fma(p, x * x, x) : e - 1f;
        return v <= 0f ? expm1 * alpha : v;
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
