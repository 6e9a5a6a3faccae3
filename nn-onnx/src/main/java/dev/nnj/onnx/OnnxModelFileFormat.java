package dev.nnj.onnx;

import dev.nnj.api.Backend;
import dev.nnj.api.io.ModelFileFormat;
import dev.nnj.api.io.SavedModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * ONNX models for {@link dev.nnj.api.io.ModelFiles#load}: a file named {@code *.onnx} (any case) is read by
 * {@link OnnxImporter#loadSaved}, with the preprocessing of nnj's own export. Registered in
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
    public boolean reads(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    @Override
    public SavedModel load(Path file, Backend backend) throws IOException {
        return OnnxImporter.loadSaved(file, backend);
    }
}
