package dev.nnj.api.io;

import dev.nnj.api.Backend;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Service-provider interface through which {@link ModelFiles#load(Path, Backend)} (and its stream form) reads model
 * files in formats other than nnj's own safetensors file, found with {@link java.util.ServiceLoader}: with nn-onnx on
 * the class path, {@code ModelFiles.load(Path.of("mlp.onnx"), backend)} reads an ONNX model. Register an
 * implementation in {@code META-INF/services/dev.nnj.api.io.ModelFileFormat}.
 *
 * <p>A format claims files by their name ({@link #reads}), never by reading them, so that which format reads a file
 * does not depend on what else is on the class path; nnj's own format takes every file no other one claims.
 * Implementations must be cheap to construct: {@code ModelFiles} constructs them on each load.
 */
public interface ModelFileFormat {

    /**
     * The format's name for messages, e.g. {@code "onnx"}.
     *
     * @return the name, not blank
     */
    String name();

    /**
     * Whether this format reads the file, by its name alone, e.g. a {@code .onnx} extension in any case.
     *
     * @param name the file's path as {@link ModelFiles#load(Path, Backend)} was given it, or the name given with a
     *             stream (a class-path resource's path)
     * @return true to read it with {@link #load}
     */
    boolean reads(String name);

    /**
     * Loads the file as a saved model: the network on {@code backend}, the preprocessing the file keeps, and its
     * metadata.
     *
     * @param file    the file
     * @param backend where the model's parameters will live
     * @return the model; the caller closes it
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException (or a subclass of it) if the file is not a model this format imports, naming
     *         the file and the reason
     */
    SavedModel load(Path file, Backend backend) throws IOException;

    /**
     * As {@link #load(Path, Backend)}, for a file's bytes: a model packaged as a class-path resource, or downloaded.
     * The stream is read to its end, and closed.
     *
     * @param in      the file's bytes
     * @param name    what messages call it, e.g. the resource's path
     * @param backend where the model's parameters will live
     * @return the model; the caller closes it
     * @throws IOException if reading the stream fails
     * @throws IllegalArgumentException (or a subclass of it) if the bytes are not a model this format imports, naming
     *         {@code name} and the reason
     */
    SavedModel load(InputStream in, String name, Backend backend) throws IOException;
}
