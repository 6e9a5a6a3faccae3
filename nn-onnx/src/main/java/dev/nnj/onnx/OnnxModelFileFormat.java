package dev.nnj.onnx;

import dev.nnj.api.Backend;
import dev.nnj.api.io.ModelFileFormat;
import dev.nnj.api.io.SavedModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * ONNX models for {@link dev.nnj.api.io.ModelFiles#load}: a file named {@code *.onnx} (any case), or a stream given
 * such a name, is read by {@link OnnxImporter#loadSaved}, with the preprocessing of nnj's own export. Registered in
 * {@code META-INF/services/dev.nnj.api.io.ModelFileFormat}, so nn-onnx on the class path is all it takes.
 */
public final class OnnxModelFileFormat implements ModelFileFormat {
    /** Constructs the format; {@link java.util.ServiceLoader} does. */
    public OnnxModelFileFormat() {
    }

    @Override
    public String name() {
        return "onnx";
    }

    @Override
    public boolean reads(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    /**
     * Whether a file is an ONNX model by its name ({@code *.onnx}, any case): the rule {@code ModelFiles.load} goes by
     * ({@link #reads}), for a program that writes one.
     *
     * @param file a model file's path
     * @return true for an ONNX model's name
     */
    public static boolean isOnnx(Path file) {
        return new OnnxModelFileFormat().reads(file.toString());
    }

    @Override
    public SavedModel load(Path file, Backend backend) throws IOException {
        return OnnxImporter.loadSaved(file, backend);
    }

    @Override
    public SavedModel load(InputStream in, String name, Backend backend) throws IOException {
        return OnnxImporter.loadSaved(in, name, backend);
    }
}
