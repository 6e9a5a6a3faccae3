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
     * {@return the encoded network, with extra string metadata that {@link #decode} gives back} The default stores no
     * metadata, and refuses some.
     *
     * @param spec       the architecture
     * @param parameters parameter values by name ({@code dense_1.weight}, …), in model order
     * @param metadata   entries to store beside the network (a regressor's label scaling), keys starting
     *                   {@code spark.}
     * @throws UnsupportedOperationException if this codec stores no metadata and some is given
     */
    default byte[] encode(NetworkSpec spec, Map<String, float[]> parameters, Map<String, String> metadata) {
        if (!metadata.isEmpty()) {
            throw new UnsupportedOperationException(getClass().getName() + " stores no metadata, given "
                    + metadata.keySet());
        }
        return encode(spec, parameters);
    }

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
        private final Map<String, String> metadata;

        /**
         * A network read back.
         *
         * @param spec       the architecture
         * @param parameters parameter values by name, in model order
         */
        public Decoded(NetworkSpec spec, Map<String, float[]> parameters) {
            this(spec, parameters, Map.of());
        }

        /**
         * A network read back with the metadata stored beside it.
         *
         * @param spec       the architecture
         * @param parameters parameter values by name, in model order
         * @param metadata   the entries given to {@code encode}
         */
        public Decoded(NetworkSpec spec, Map<String, float[]> parameters, Map<String, String> metadata) {
            this.spec = spec;
            this.parameters = parameters;
            this.metadata = Map.copyOf(metadata);
        }

        /** {@return the metadata stored beside the network (keys starting {@code spark.}); empty for none} */
        public Map<String, String> metadata() {
            return metadata;
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
