package dev.nnj.examples;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.Preprocessing;
import dev.nnj.api.io.SavedModel;
import dev.nnj.onnx.OnnxExporter;
import dev.nnj.onnx.OnnxModelFileFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code digits convert IN OUT}: a model file from one format to the other, as {@code ModelFiles.load} reads and
 * {@code --save} writes them. An ONNX model (from nnj, PyTorch or Keras) to nnj's safetensors file, or nnj's file to
 * ONNX, raw features in with the scaler in the graph; the preprocessing and the run's settings go along.
 */
@Command(name = "convert", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        versionProvider = DigitsTrainer.Version.class,
        description = {"Converts a model file: nnj's safetensors file to ONNX, or an ONNX model from nnj, PyTorch or "
                + "Keras to nnj's file; OUT is written as ONNX when its name ends in .onnx. The preprocessing and "
                + "the training run's settings saved with it go along.", ""},
        footer = {"", "Examples:",
            "  ./digits convert digits.safetensors digits.onnx",
            "  ./digits convert mlp.onnx mlp.safetensors",
            "  ./digits convert mlp.onnx torch-layout.safetensors --layout pytorch"})
final class ConvertCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "The model file to read: safetensors, or ONNX (.onnx).")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT",
            description = "The model file to write: ONNX when it ends in .onnx, else safetensors. An existing file is "
                    + "replaced, in one step and keeping its permissions, once the conversion has succeeded.")
    Path out;

    @Option(names = "--layout", paramLabel = "LAYOUT", converter = ModelOptions.LayoutConverter.class,
            description = "Weight layout of a safetensors OUT: nnj (in, out; default) or pytorch (out, in).")
    ModelOptions.Layout layout = ModelOptions.Layout.NNJ;

    @Option(names = "--scaled-input",
            description = "For an ONNX OUT: the graph takes features already scaled by the saved scaler, which travels "
                    + "as metadata (default: raw features in, the scaler in the graph).")
    boolean scaledInput;

    @Override
    public Integer call() {
        PrintWriter console = spec.commandLine().getOut();
        if (!Files.isRegularFile(in)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for IN: " + in + " "
                    + Converters.notAFile(in));
        }
        boolean toOnnx = OnnxModelFileFormat.isOnnx(out);
        if (toOnnx && spec.commandLine().getParseResult().hasMatchedOption("--layout")) {
            throw new ParameterException(spec.commandLine(), "--layout lays out a safetensors file; an ONNX file's "
                    + "weights are laid out as its Gemm nodes read them");
        }
        if (!toOnnx && scaledInput) {
            throw new ParameterException(spec.commandLine(), "--scaled-input is for an ONNX OUT (a name ending in "
                    + ".onnx)");
        }
        Converters.requireOutputFile(spec, "OUT", out, toOnnx ? "model.onnx" : "model.safetensors");
        Converters.requireNotAnInput(spec, "OUT", out, "IN", in);
        Converters.requireModelFileName(spec, "OUT", out, "--layout");
        Converters.requireNotATextFile(spec, "OUT", out);
        // The host's backend: a conversion copies parameters, it computes nothing.
        try (Backend backend = Backends.get("cpu");
             SavedModel saved = load(backend)) {
            write(saved, toOnnx);
            String from = OnnxModelFileFormat.isOnnx(in) ? "ONNX" : "safetensors";
            // Raw against scaled features only where there is a scaler to put in the graph or leave out.
            boolean scaler = saved.preprocessing().minMaxScaler() != null
                    || saved.preprocessing().standardScaler() != null;
            String to = !toOnnx ? "safetensors, " + layout + " layout" : (!scaler ? "ONNX"
                    : scaledInput ? "ONNX, scaled features in" : "ONNX, raw features in")
                    + OnnxInputNote.of(saved.preprocessing());
            console.printf(Locale.ROOT, "Converted %s (%s, %d parameters%s) to %s (%s)%n", in, from,
                    saved.model().parameterCount(), describe(saved.preprocessing()), out, to);
            console.flush();
        }
        return 0;
    }

    private SavedModel load(Backend backend) {
        try {
            return ModelFiles.load(in, backend);
        } catch (IOException e) {
            throw new UncheckedIOException(Converters.cannotRead(in, e), e);
        }
    }

    private void write(SavedModel saved, boolean toOnnx) {
        try {
            if (toOnnx && !scaledInput && saved.preprocessing().imputer() != null) {
                throw new IllegalArgumentException(in + " fills in missing values (" + saved.preprocessing().imputer()
                        + "), which an ONNX graph of raw features cannot hold; convert it with --scaled-input (the "
                        + "graph then takes imputed, scaled features, and the imputer travels as its metadata)");
            }
            if (toOnnx) {
                OnnxExporter.export(saved, out, scaledInput ? OnnxExporter.Input.SCALED_FEATURES
                        : OnnxExporter.Input.RAW_FEATURES);
            } else {
                ModelFiles.save(saved.model(), out, layout.layout, saved.preprocessing(), saved.extraMetadata());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + Converters.afterFile(out, e), e);
        }
    }

    /** What the preprocessing holds, for the summary line. */
    private static String describe(Preprocessing p) {
        if (p.isEmpty()) {
            return ", no preprocessing";
        }
        // What it holds, joined by "and"; "no feature scaler" after them, never read as "no class names" too.
        List<String> held = new ArrayList<>();
        if (p.imputer() != null) {
            held.add("imputer (" + p.imputer().strategy() + ")");
        }
        String scaler = p.minMaxScaler() != null ? "min-max scaler" : p.standardScaler() != null ? "standard scaler"
                : null;
        if (scaler != null) {
            held.add(scaler);
        }
        if (p.classNames() != null) {
            held.add("class names");
        }
        if (p.targets() >= 0) {
            held.add("target scaler");
        }
        String what = String.join(" and ", held) + (scaler == null ? (held.isEmpty() ? "no feature scaler"
                : ", no feature scaler") : "");
        return ", " + what
                + (p.categories().isEmpty() ? "" : "; the categories of " + String.join(", ", p.categories().keySet()))
                + (p.ignoredColumns().isEmpty() ? "" : "; the columns left out (" + String.join(", ",
                p.ignoredColumns()) + ")");
    }
}
