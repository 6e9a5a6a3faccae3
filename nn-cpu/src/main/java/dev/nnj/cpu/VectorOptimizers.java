package dev.nnj.cpu;

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
        int bound = from + S.loopBound(to - from);
        int i = from;
        if (momentum == 0f) {
            for (; i < bound; i += L) {
                FloatVector vp = FloatVector.fromArray(S, p, i);
                FloatVector gi = FloatVector.fromArray(S, g, i).add(vp.mul(weightDecay));
                vp.sub(gi.mul(lr)).intoArray(p, i);
            }
        } else {
            for (; i < bound; i += L) {
                FloatVector vp = FloatVector.fromArray(S, p, i);
                FloatVector gi = FloatVector.fromArray(S, g, i).add(vp.mul(weightDecay));
                FloatVector b = firstStep ? gi
                        : FloatVector.fromArray(S, buf, i).mul(momentum).add(gi.mul(1f - dampening));
                b.intoArray(buf, i);
                FloatVector step = nesterov ? gi.add(b.mul(momentum)) : b;
                vp.sub(step.mul(lr)).intoArray(p, i);
            }
        }
        // Scalar tail.
        for (; i < to; i++) {
            float gi = g[i] + weightDecay * p[i];
            if (momentum == 0f) {
                p[i] -= lr * gi;
                continue;
            }
            buf[i] = firstStep ? gi : momentum * buf[i] + (1f - dampening) * gi;
            p[i] -= lr * (nesterov ? gi + momentum * buf[i] : buf[i]);
        }
    }

    /**
     * Adam / AdamW on {@code [from, to)}, as {@link ReferenceKernels#adamStep}, with the step's constants
     * {@code stepSize = lr / (1 - β1^t)} and {@code sqrtBc2 = √(1 - β2^t)} computed once by the caller.
     */
    static void adam(float[] p, float[] g, float[] m, float[] v, int from, int to, float lr, float beta1,
                     float beta2, float eps, float weightDecay, boolean decoupledWeightDecay, float stepSize,
                     float sqrtBc2) {
        float decay = 1f - lr * weightDecay;
        float wd = decoupledWeightDecay ? 0f : weightDecay;
        int bound = from + S.loopBound(to - from);
        int i = from;
        for (; i < bound; i += L) {
            FloatVector vp = FloatVector.fromArray(S, p, i);
            if (decoupledWeightDecay) {
                vp = vp.mul(decay);
            }
            FloatVector gi = FloatVector.fromArray(S, g, i).add(vp.mul(wd));
            FloatVector vm = FloatVector.fromArray(S, m, i).mul(beta1).add(gi.mul(1f - beta1));
            FloatVector vv = FloatVector.fromArray(S, v, i).mul(beta2).add(gi.mul(gi).mul(1f - beta2));
            vm.intoArray(m, i);
            vv.intoArray(v, i);
            FloatVector den = vv.lanewise(VectorOperators.SQRT).div(sqrtBc2).add(eps);
            vp.sub(vm.mul(stepSize).div(den)).intoArray(p, i);
        }
        // Scalar tail.
        for (; i < to; i++) {
            float gi = g[i];
            if (decoupledWeightDecay) {
                p[i] *= decay;
            } else {
                gi += weightDecay * p[i];
            }
            m[i] = beta1 * m[i] + (1f - beta1) * gi;
            v[i] = beta2 * v[i] + (1f - beta2) * gi * gi;
            p[i] -= stepSize * m[i] / ((float) Math.sqrt(v[i]) / sqrtBc2 + eps);
        }
    }

    /** RMSProp on {@code [from, to)}, as {@link ReferenceKernels#rmspropStep}. */
    static void rmsprop(float[] p, float[] g, float[] sq, float[] gAvg, float[] buf, int from, int to, float lr,
                        float alpha, float eps, float weightDecay, float momentum) {
        int bound = from + S.loopBound(to - from);
        int i = from;
        for (; i < bound; i += L) {
            FloatVector vp = FloatVector.fromArray(S, p, i);
            FloatVector gi = FloatVector.fromArray(S, g, i).add(vp.mul(weightDecay));
            FloatVector vs = FloatVector.fromArray(S, sq, i).mul(alpha).add(gi.mul(gi).mul(1f - alpha));
            vs.intoArray(sq, i);
            FloatVector d;
            if (gAvg != null) {
                FloatVector va = FloatVector.fromArray(S, gAvg, i).mul(alpha).add(gi.mul(1f - alpha));
                va.intoArray(gAvg, i);
                d = vs.sub(va.mul(va)).lanewise(VectorOperators.SQRT).add(eps);
            } else {
                d = vs.lanewise(VectorOperators.SQRT).add(eps);
            }
            if (momentum != 0f) {
                FloatVector vb = FloatVector.fromArray(S, buf, i).mul(momentum).add(gi.div(d));
                vb.intoArray(buf, i);
                vp.sub(vb.mul(lr)).intoArray(p, i);
            } else {
                vp.sub(gi.mul(lr).div(d)).intoArray(p, i);
            }
        }
        // Scalar tail.
        for (; i < to; i++) {
            float gi = g[i] + weightDecay * p[i];
            sq[i] = alpha * sq[i] + (1f - alpha) * gi * gi;
            float d;
            if (gAvg != null) {
                gAvg[i] = alpha * gAvg[i] + (1f - alpha) * gi;
                d = (float) Math.sqrt(sq[i] - gAvg[i] * gAvg[i]) + eps;
            } else {
                d = (float) Math.sqrt(sq[i]) + eps;
            }
            if (momentum != 0f) {
                buf[i] = momentum * buf[i] + gi / d;
                p[i] -= lr * buf[i];
            } else {
                p[i] -= lr * gi / d;
            }
        }
    }

    /** AdaGrad on {@code [from, to)}, as {@link ReferenceKernels#adagradStep}. */
    static void adagrad(float[] p, float[] g, float[] sum, int from, int to, float clr, float eps,
                        float weightDecay) {
        int bound = from + S.loopBound(to - from);
        int i = from;
        for (; i < bound; i += L) {
            FloatVector vp = FloatVector.fromArray(S, p, i);
            FloatVector gi = FloatVector.fromArray(S, g, i).add(vp.mul(weightDecay));
            FloatVector vs = FloatVector.fromArray(S, sum, i).add(gi.mul(gi));
            vs.intoArray(sum, i);
            vp.sub(gi.mul(clr).div(vs.lanewise(VectorOperators.SQRT).add(eps))).intoArray(p, i);
        }
        // Scalar tail.
        for (; i < to; i++) {
            float gi = g[i] + weightDecay * p[i];
            sum[i] += gi * gi;
            p[i] -= clr * gi / ((float) Math.sqrt(sum[i]) + eps);
        }
    }
}
