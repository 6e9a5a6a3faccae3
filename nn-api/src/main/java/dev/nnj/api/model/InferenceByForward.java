package dev.nnj.api.model;

import dev.nnj.api.Tensor;
import dev.nnj.api.internal.DefaultMethods;
import dev.nnj.api.layers.Layer;

/**
 * Whether a layer's class leaves {@link Layer#infer} to the interface's default, which runs the layer's own forward
 * pass (under its lock) and so replaces what that pass keeps for backward. A layer of one's own that only writes
 * {@code forward} gets that default; {@link Sequential} then refuses inference between a training forward pass and
 * its backward. Answered once per class.
 */
final class InferenceByForward {
    private static final ClassValue<Boolean> DEFAULT_INFER = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return DefaultMethods.leftAsDefault(type, Layer.class, "infer", Tensor.class, Tensor.class);
        }
    };

    private InferenceByForward() {
    }

    /**
     * Whether {@code layer}'s infer is the interface's default.
     *
     * @param layer a layer
     * @return true if its class does not override {@link Layer#infer}
     */
    static boolean of(Layer layer) {
        return DEFAULT_INFER.get(layer.getClass());
    }
}
