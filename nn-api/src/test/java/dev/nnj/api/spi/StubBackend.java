package dev.nnj.api.spi;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.ElementFunction;
import dev.nnj.api.LossKind;
import dev.nnj.api.PairFunction;
import dev.nnj.api.Tensor;

/**
 * The least a backend written as docs/backends.md says can be: heap tensors whose host copies call only
 * {@code checkHostRange}, and no op beyond allocation. For tests of the spi base classes themselves.
 */
final class StubBackend extends AbstractBackend {
    private final String name;
    private final String description;

    StubBackend(String name, String description) {
        this.name = name;
        this.description = description;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    /** The backend the tensors made here say they belong to: this one, unless a test sets another (a bug). */
    StubBackend tensorsOwner = this;

    @Override
    protected Tensor doZeros(int[] shape) {
        return new StubTensor(tensorsOwner, shape);
    }

    /** A tensor in a heap array, as a third-party backend writes one. */
    static final class StubTensor extends AbstractTensor {
        private final Backend backend;
        private float[] data;

        StubTensor(Backend backend, int... shape) {
            super(shape);
            this.backend = backend;
            this.data = new float[size()];
        }

        @Override
        public Backend backend() {
            return backend;
        }

        @Override
        public void copyTo(float[] dst, int offset) {
            checkHostRange("copyTo", dst, offset);
            System.arraycopy(data, 0, dst, offset, data.length);
        }

        @Override
        public void copyFrom(float[] src, int offset) {
            checkHostWrite(src, offset);
            System.arraycopy(src, offset, data, 0, data.length);
        }

        @Override
        protected void release() {
            data = null;
        }
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("the stub backend runs no ops");
    }

    @Override
    protected void doCopy(Tensor src, Tensor dst) {
        throw unsupported();
    }

    @Override
    protected void doFill(Tensor t, float value) {
        throw unsupported();
    }

    @Override
    protected void doGemm(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha, Tensor a,
                          Tensor b, float beta, Tensor c) {
        throw unsupported();
    }

    @Override
    protected void doColumnSums(Tensor x, float alpha, float beta, Tensor out) {
        throw unsupported();
    }

    @Override
    protected void doBiasActivation(Tensor z, Tensor bias, Activation f, float alpha, Tensor out) {
        throw unsupported();
    }

    @Override
    protected void doActivationBackward(Activation f, float alpha, Tensor a, Tensor dA, Tensor dZ) {
        throw unsupported();
    }

    @Override
    protected void doMultiply(Tensor a, Tensor b, Tensor out) {
        throw unsupported();
    }

    @Override
    protected void doScaledDifference(float scale, Tensor a, Tensor b, Tensor out) {
        throw unsupported();
    }

    @Override
    protected void doDropoutMask(float rate, long seed, Tensor mask) {
        throw unsupported();
    }

    @Override
    protected void doLossSum(LossKind kind, Tensor prediction, Tensor target, float beta, Tensor out) {
        throw unsupported();
    }

    @Override
    protected void doLossGradient(LossKind kind, Tensor prediction, Tensor target, Tensor gradient) {
        throw unsupported();
    }

    @Override
    protected void doCountCorrect(Tensor prediction, Tensor target, float beta, Tensor out) {
        throw unsupported();
    }

    @Override
    protected void doSgdStep(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum, float dampening,
                             float weightDecay, boolean nesterov, boolean firstStep) {
        throw unsupported();
    }

    @Override
    protected void doAdamStep(Tensor param, Tensor grad, Tensor m, Tensor v, Tensor vMax, float lr, float beta1,
                              float beta2, float eps, float weightDecay, boolean decoupledWeightDecay, float stepSize,
                              float sqrtBiasCorrection2) {
        throw unsupported();
    }

    @Override
    protected void doRmspropStep(Tensor param, Tensor grad, Tensor sq, Tensor gAvg, Tensor buf, float lr,
                                 float alpha, float eps, float weightDecay, float momentum) {
        throw unsupported();
    }

    @Override
    protected void doAdagradStep(Tensor param, Tensor grad, Tensor sum, float clr, float eps, float weightDecay) {
        throw unsupported();
    }

    @Override
    protected void doSumOfSquares(Tensor x, float beta, Tensor out) {
        throw unsupported();
    }

    @Override
    protected void doClipByNorm(Tensor x, Tensor sumOfSquares, float maxNorm) {
        throw unsupported();
    }

    @Override
    protected void doClipByValue(Tensor x, float limit) {
        throw unsupported();
    }

    @Override
    protected void doMapElements(ElementFunction f, Tensor x, Tensor out) {
        throw unsupported();
    }

    @Override
    protected void doMapPairs(PairFunction f, float scale, Tensor a, Tensor b, Tensor out) {
        throw unsupported();
    }

    @Override
    protected void doSumPairs(PairFunction f, float scale, Tensor a, Tensor b, float beta, Tensor out) {
        throw unsupported();
    }

    @Override
    protected void doClose() {
    }
}
