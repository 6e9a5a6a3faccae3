package dev.nnj.cpu;

import static dev.nnj.cpu.VectorGemm.EXACT;
import static dev.nnj.cpu.VectorGemm.L;
import static dev.nnj.cpu.VectorGemm.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The optimizer updates of {@link VectorKernels} on an index range {@code [from, to)} of the parameter, so
 * that large parameters can be split between threads: one pass that reads the parameter, its gradient
 * and the optimizer state and writes them back, whole vectors and then a scalar tail with the reference
 * formula. Each update is memory-bound (Adam moves 28 bytes per parameter), so what counts is touching
 * each array once.
 */
final class VectorOptimizers {
    private VectorOptimizers() {
    }

    /** SGD on {@code [from, to)}, as {@link ReferenceKernels#sgdStep}. */
    static void sgd(float[] p, float[] g, float[] buf, int from, int to, float lr, float momentum, float dampening,
                    float weightDecay, boolean nesterov, boolean firstStep) {
        if (momentum == 0f) {
            // Plain SGD, θ ← θ − η (g + λθ), is the reference's plain loop: C2 vectorizes it by itself, with the
            // same bits (three exactly rounded operations per element), and before C2 has compiled it, it runs at
            // scalar speed where a Vector API loop would allocate every vector for the hundreds of steps a pass
            // run once per step per parameter waits for C2.
            ReferenceKernels.sgdRange(p, g, buf, from, to, lr, momentum, dampening, weightDecay, nesterov, firstStep);
            return;
        }
        int bound = from + S.loopBound(to - from);
        int i = from;
        for (; i < bound; i += L) {
            FloatVector vp = EXACT.cast(FloatVector.fromArray(S, p, i));
            FloatVector gi = EXACT.cast(FloatVector.fromArray(S, g, i)).add(vp.mul(weightDecay));
            // b and step are a branch's vectors, which C2 types only as FloatVector: EXACT.cast gives them
            // their class, so that it binds the operations on them without a type profile.
            FloatVector b = EXACT.cast(firstStep ? gi
                    : EXACT.cast(FloatVector.fromArray(S, buf, i)).mul(momentum).add(gi.mul(1f - dampening)));
            b.intoArray(buf, i);
            FloatVector step = EXACT.cast(nesterov ? gi.add(b.mul(momentum)) : b);
            vp.sub(step.mul(lr)).intoArray(p, i);
        }
        // Scalar tail: the reference formula.
        ReferenceKernels.sgdRange(p, g, buf, i, to, lr, momentum, dampening, weightDecay, nesterov, firstStep);
    }

    /**
     * Adam / AdamW on {@code [from, to)}, as {@link ReferenceKernels#adamStep}, with the step's constants
     * {@code stepSize = lr / (1 - β1^t)} and {@code sqrtBc2 = √(1 - β2^t)} computed once by the caller.
     */
    static void adam(float[] p, float[] g, float[] m, float[] v, float[] vMax, int from, int to, float lr,
                     float beta1, float beta2, float eps, float weightDecay, boolean decoupledWeightDecay,
                     float stepSize, float sqrtBc2) {
        float decay = 1f - lr * weightDecay;
        int bound = from + S.loopBound(to - from);
        int i = from;
        for (; i < bound; i += L) {
            FloatVector vp = EXACT.cast(FloatVector.fromArray(S, p, i));
            FloatVector gi = EXACT.cast(FloatVector.fromArray(S, g, i));
            // AdamW decays p and leaves g alone, as the reference does: g + 0·p would be NaN for an infinite p.
            if (decoupledWeightDecay) {
                vp = vp.mul(decay);
            } else {
                gi = gi.add(vp.mul(weightDecay));
            }
            vp = EXACT.cast(vp);   // a branch's vectors: see sgd
            gi = EXACT.cast(gi);
            FloatVector vm = EXACT.cast(FloatVector.fromArray(S, m, i)).mul(beta1).add(gi.mul(1f - beta1));
            // ((1 − β2) g) g, rounded in the order of the reference loop (not (g g)(1 − β2)): the same bits.
            FloatVector vv = EXACT.cast(FloatVector.fromArray(S, v, i)).mul(beta2).add(gi.mul(1f - beta2).mul(gi));
            vm.intoArray(m, i);
            vv.intoArray(v, i);
            if (vMax != null) {   // AMSGrad: divide by the largest v so far
                vv = EXACT.cast(FloatVector.fromArray(S, vMax, i)).max(vv);
                vv.intoArray(vMax, i);
            }
            vv = EXACT.cast(vv);   // a branch's vector: see sgd
            FloatVector den = vv.lanewise(VectorOperators.SQRT).div(sqrtBc2).add(eps);
            vp.sub(vm.mul(stepSize).div(den)).intoArray(p, i);
        }
        // Scalar tail: the reference formula.
        ReferenceKernels.adamRange(p, g, m, v, vMax, i, to, lr, beta1, beta2, eps, weightDecay, decoupledWeightDecay,
                stepSize, sqrtBc2);
    }

    /** RMSProp on {@code [from, to)}, as {@link ReferenceKernels#rmspropStep}. */
    static void rmsprop(float[] p, float[] g, float[] sq, float[] gAvg, float[] buf, int from, int to, float lr,
                        float alpha, float eps, float weightDecay, float momentum) {
        int bound = from + S.loopBound(to - from);
        int i = from;
        for (; i < bound; i += L) {
            FloatVector vp = EXACT.cast(FloatVector.fromArray(S, p, i));
            FloatVector gi = EXACT.cast(FloatVector.fromArray(S, g, i)).add(vp.mul(weightDecay));
            // ((1 − α) g) g, in the reference's order (see adam).
            FloatVector vs = EXACT.cast(FloatVector.fromArray(S, sq, i)).mul(alpha).add(gi.mul(1f - alpha).mul(gi));
            vs.intoArray(sq, i);
            FloatVector d;
            if (gAvg != null) {
                FloatVector va = EXACT.cast(FloatVector.fromArray(S, gAvg, i)).mul(alpha).add(gi.mul(1f - alpha));
                va.intoArray(gAvg, i);
                d = vs.sub(va.mul(va)).lanewise(VectorOperators.SQRT).add(eps);
            } else {
                d = vs.lanewise(VectorOperators.SQRT).add(eps);
            }
            if (momentum != 0f) {
                FloatVector vb = EXACT.cast(FloatVector.fromArray(S, buf, i)).mul(momentum).add(gi.div(d));
                vb.intoArray(buf, i);
                vp.sub(vb.mul(lr)).intoArray(p, i);
            } else {
                vp.sub(gi.mul(lr).div(d)).intoArray(p, i);
            }
        }
        // Scalar tail: the reference formula.
        ReferenceKernels.rmspropRange(p, g, sq, gAvg, buf, i, to, lr, alpha, eps, weightDecay, momentum);
    }

    /** AdaGrad on {@code [from, to)}, as {@link ReferenceKernels#adagradStep}. */
    static void adagrad(float[] p, float[] g, float[] sum, int from, int to, float clr, float eps,
                        float weightDecay) {
        int bound = from + S.loopBound(to - from);
        int i = from;
        for (; i < bound; i += L) {
            FloatVector vp = EXACT.cast(FloatVector.fromArray(S, p, i));
            FloatVector gi = EXACT.cast(FloatVector.fromArray(S, g, i)).add(vp.mul(weightDecay));
            FloatVector vs = EXACT.cast(FloatVector.fromArray(S, sum, i)).add(gi.mul(gi));
            vs.intoArray(sum, i);
            vp.sub(gi.mul(clr).div(vs.lanewise(VectorOperators.SQRT).add(eps))).intoArray(p, i);
        }
        // Scalar tail: the reference formula.
        ReferenceKernels.adagradRange(p, g, sum, i, to, clr, eps, weightDecay);
    }
}
