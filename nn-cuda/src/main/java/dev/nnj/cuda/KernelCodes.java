package dev.nnj.cuda;

import dev.nnj.api.Activation;
import dev.nnj.api.LossKind;

/**
 * The integer codes the kernels switch on ({@code NNJ_SIGMOID}, {@code NNJ_BCE}, … in {@code kernels.cu}).
 * Spelled out rather than taken from {@code ordinal()}, so reordering an enum in nn-api cannot silently change
 * which function a kernel computes.
 */
final class KernelCodes {
    private KernelCodes() {
    }

    /** {@code NNJ_IDENTITY} … {@code NNJ_ELU}; SOFTMAX has its own kernels and no code. */
    static int activation(Activation f) {
        switch (f) {
            case IDENTITY:
                return 0;
            case SIGMOID:
                return 1;
            case TANH:
                return 2;
            case RELU:
                return 3;
            case LEAKY_RELU:
                return 4;
            case ELU:
                return 5;
            default:
                throw new IllegalArgumentException(f + " is not an elementwise activation");
        }
    }

    /** {@code NNJ_MSE}, {@code NNJ_BCE}, {@code NNJ_CCE}. */
    static int loss(LossKind kind) {
        switch (kind) {
            case MSE:
                return 0;
            case BINARY_CROSS_ENTROPY:
                return 1;
            case CATEGORICAL_CROSS_ENTROPY:
                return 2;
            default:
                throw new IllegalArgumentException("unknown loss " + kind);
        }
    }
}
