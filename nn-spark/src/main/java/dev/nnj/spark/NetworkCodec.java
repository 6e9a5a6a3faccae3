package dev.nnj.spark;

import java.util.Map;

/**
 * Turns a trained network (architecture and parameters) into bytes and back; the one place that decides
 * how a {@link NnjClassificationModel} stores its network, so the file format can change without touching
 * the Spark ML persistence around it.
 */
public interface NetworkCodec {

    /**
     * {@return the encoded network}
     *
     * @param spec       the architecture
     * @param parameters parameter values by name ({@code dense_1.weight}, …), in model order
     */
    byte[] encode(NetworkSpec spec, Map<String, float[]> parameters);

    /**
     * {@return the architecture and parameters}
     *
     * @param bytes  what {@link #encode} wrote
     * @param source where the bytes came from, for error messages
     * @throws IllegalArgumentException naming {@code source} and the problem, for any malformed input
     */
    Decoded decode(byte[] bytes, String source);

    /** A decoded network. */
    final class Decoded {
        private final NetworkSpec spec;
        private final Map<String, float[]> parameters;

        /**
         * A network read back.
         *
         * @param spec       the architecture
         * @param parameters parameter values by name, in model order
         */
        public Decoded(NetworkSpec spec, Map<String, float[]> parameters) {
            this.spec = spec;
            this.parameters = parameters;
        }

        /** {@return the architecture} */
        public NetworkSpec spec() {
            return spec;
        }

        /** {@return parameter values by name, in model order} */
        public Map<String, float[]> parameters() {
            return parameters;
        }
    }
}
