package dev.nnj.onnx;

/**
 * An ONNX model that {@link OnnxImporter} cannot turn into an nnj network: an operator or attribute it does not
 * import, a graph that is not one chain, or weights it cannot read. The message names the node and what to change.
 */
public final class OnnxImportException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * An import refused for the given reason.
     *
     * @param message what is wrong, naming the node or tensor
     */
    public OnnxImportException(String message) {
        super(message);
    }
}
