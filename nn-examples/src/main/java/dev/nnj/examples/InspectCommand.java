package dev.nnj.examples;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.data.ColumnScaler;
import dev.nnj.api.data.MinMaxScaler;
import dev.nnj.api.internal.Printable;
import dev.nnj.api.io.Checkpoint;
import dev.nnj.api.io.ModelFileException;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.Preprocessing;
import dev.nnj.api.io.SafeTensors;
import dev.nnj.api.io.SavedModel;
import dev.nnj.onnx.OnnxModelFileFormat;
import dev.nnj.onnx.proto.OnnxProto.ModelProto;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code digits inspect FILE}: what a model file holds, read and checked whole as {@code predict} reads it: the
 * format and the nnj that wrote it, the network layer by layer ({@code Sequential.summary()}), the preprocessing saved
 * with it, a checkpoint's progress, and the training run's recorded settings. Nothing is computed or written.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        versionProvider = DigitsTrainer.Version.class,
        description = {"Describes a model file (nnj's safetensors file, a checkpoint, or an ONNX model): its format "
                + "and writer, the network layer by layer, the preprocessing saved with it, a checkpoint's progress "
                + "and the training run's recorded settings. The file is read and checked whole, as predict reads it.",
            ""},
        footer = {"", "Examples:",
            "  ./digits inspect digits.safetensors",
            "  ./digits inspect checkpoints/last.safetensors"})
final class InspectCommand implements Callable<Integer> {
    /** Names and values listed in full up to this many; then the first ones and a count. */
    private static final int LISTED = 10;
    /** A recorded setting's value is cut at this many characters (a file's metadata may be anything). */
    private static final int VALUE_CHARS = 100;
    /** A code-built network's layers JSON is cut at this many characters. */
    private static final int LAYERS_CHARS = 2000;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The model file: safetensors, or ONNX (.onnx).")
    Path file;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for FILE: " + file + " "
                    + Converters.notAFile(file));
        }
        PrintWriter console = spec.commandLine().getOut();
        boolean onnx = OnnxModelFileFormat.isOnnx(file);
        // The host's backend: the file is only read and described.
        try (Backend backend = Backends.get("cpu");
             SavedModel saved = load(backend, onnx, console)) {
            if (saved == null) {
                return 0;   // a checkpoint of a model built in code, described from its metadata
            }
            console.println(file + ": " + (onnx ? onnxFormat(file) : format(saved.metadata())));
            console.print(saved.model().summary());
            console.println("Preprocessing:" + (saved.preprocessing().isEmpty() ? " none (features go to the network "
                    + "as they come)" : ""));
            for (String line : preprocessing(saved.preprocessing(), fittedOn(saved.metadata()))) {
                console.println("  " + line);
            }
            if (!onnx && saved.metadata().containsKey(Checkpoint.CHECKPOINT_KEY)) {
                console.println(checkpoint(Checkpoint.inspect(file)));
            }
            recorded(console, saved.extraMetadata());
        } catch (IOException e) {
            throw new UncheckedIOException(Converters.cannotRead(file, e), e);
        }
        return 0;
    }

    /**
     * The file loaded as {@code predict} loads it; or, for a checkpoint of a model built in code (a layer of its own,
     * whose code no file holds, so that it loads only into that model), null once its metadata is described.
     */
    private SavedModel load(Backend backend, boolean onnx, PrintWriter console) throws IOException {
        try {
            return ModelFiles.load(file, backend);
        } catch (ModelFileException e) {
            if (onnx) {
                throw e;
            }
            Checkpoint.Info info;
            try {
                info = Checkpoint.inspect(file);
            } catch (IOException notACheckpoint) {
                throw e;   // the load's reason is the one to give
            }
            if (!info.metadata().containsKey(Checkpoint.CODE_LAYERS_KEY)) {
                throw e;
            }
            // Its data checked against its checksum too, as loading checks a model file's: the format line says so.
            try (SafeTensors.Reader reader = SafeTensors.open(file)) {
                reader.verify();
            }
            console.println(file + ": " + format(info.metadata()));
            console.println("Network: built in code, with a layer of its own, so it is restored into that code's "
                    + "model (Checkpoint.restoreInto); its layers: " + cut(Checkpoint.savedLayersJson(
                    info.metadata()), LAYERS_CHARS));
            console.println(checkpoint(info));
            Map<String, String> recorded = new java.util.LinkedHashMap<>(info.metadata());
            recorded.keySet().removeIf(key -> key.startsWith("nnj."));
            recorded(console, recorded);
            return null;
        }
    }

    /** The metadata a program added, such as the digits trainer's run settings: one aligned line each. */
    private static void recorded(PrintWriter console, Map<String, String> recorded) {
        console.println("Recorded with it:" + (recorded.isEmpty() ? " nothing else" : ""));
        int width = Math.max(1, recorded.keySet().stream().mapToInt(key -> cut(key).length()).max().orElse(1));
        recorded.forEach((key, value) -> console.printf(Locale.ROOT, "  %-" + width + "s  %s%n", cut(key),
                cut(value)));
        console.flush();
    }

    /**
     * The format line of nnj's own file: its version, its weight layout, its writer where recorded, and the checksums
     * loading verified (a file without them, from an older nnj or another tool, was read without that check).
     */
    static String format(Map<String, String> metadata) {
        String kind = metadata.containsKey(Checkpoint.CHECKPOINT_KEY) ? "an nnj checkpoint" : "an nnj model file";
        String writer = metadata.get(ModelFiles.WRITTEN_BY_KEY);
        boolean data = metadata.containsKey(SafeTensors.CHECKSUM_KEY);
        boolean header = metadata.containsKey(SafeTensors.HEADER_CHECKSUM_KEY);
        String checked = data && header ? "its header and data match their checksums"
                : data ? "its data matches its checksum (its header has none)"
                : "it holds no checksums, so damage to it cannot be told apart (write it again to add them)";
        String layout = metadata.get(ModelFiles.LAYOUT_KEY);
        // What a reader outside nnj must know first: PyTorch's nn.Linear takes (out, in), nnj's own file (in, out).
        String weights = "out_in".equals(layout) ? ", Dense weights (out, in) as PyTorch's nn.Linear.weight"
                : "in_out".equals(layout) ? ", Dense weights (in, out), nnj's layout" : "";
        return kind + " (safetensors, format " + metadata.get(ModelFiles.VERSION_KEY) + weights + "), "
                + (writer != null ? "written by " + cut(writer) : "its writer not recorded (an older nnj or another "
                + "tool)") + "; " + checked;
    }

    /**
     * The format line of an ONNX model: its IR version, operator sets and producer as the file records them (read
     * again: the import keeps the network, not the message).
     */
    static String onnxFormat(Path file) throws IOException {
        ModelProto proto;
        try (InputStream in = Files.newInputStream(file)) {
            proto = ModelProto.parseFrom(in);
        }
        String producer = cut((proto.getProducerName() + " " + proto.getProducerVersion()).strip());
        String opsets = proto.getOpsetImportList().stream().map(o -> (o.getDomain().isEmpty() ? "" : o.getDomain()
                + " ") + "opset " + o.getVersion()).collect(Collectors.joining(", "));
        return "an ONNX model (IR version " + proto.getIrVersion() + (opsets.isEmpty() ? "" : ", " + opsets)
                + (producer.isEmpty() ? ", producer not recorded" : ", from " + producer) + ")";
    }

    /**
     * The rows the file's scalers were fitted on, as its metadata tells: this trainer scales the digits on all
     * images, as the article does, and a CSV file's features and targets on its training rows; a file of another
     * program does not say.
     */
    static String fittedOn(Map<String, String> metadata) {
        String data = metadata.get(DataRecord.DATA_KEY);
        if ("digits".equals(data)) {
            return "all 1797 images (as the article scales them)";
        }
        return "csv".equals(data) ? "the training rows" : "the rows it was fitted on";
    }

    /**
     * One line per part of the preprocessing, in the order {@code predict} applies them.
     *
     * @param p        the preprocessing
     * @param fittedOn the rows its scalers were fitted on ({@link #fittedOn})
     */
    static List<String> preprocessing(Preprocessing p, String fittedOn) {
        List<String> lines = new ArrayList<>();
        if (p.featureNames() != null) {
            lines.add("columns    " + p.featureNames().size() + " named: " + listed(p.featureNames()));
        }
        if (!p.ignoredColumns().isEmpty()) {
            lines.add("left out   " + listed(p.ignoredColumns()));
        }
        p.categories().forEach((column, values) -> lines.add("one-hot    " + column + ": " + values.size()
                + " categories, " + listed(values)));
        if (p.imputer() != null) {
            lines.add("imputer    missing values filled with each column's " + p.imputer().strategy().name()
                    .toLowerCase(Locale.ROOT) + " over " + p.imputer().columns() + " columns");
        }
        if (p.scaler() != null) {
            lines.add("features   " + scaler(p.scaler(), fittedOn));
        }
        if (p.classNames() != null) {
            lines.add("classes    " + p.classNames().size() + ": " + listed(p.classNames()));
        }
        if (p.targetScaler() != null) {
            lines.add("targets    " + scaler(p.targetScaler(), fittedOn) + "; predictions are given back in the "
                    + "targets' units");
        }
        return lines;
    }

    private static String scaler(ColumnScaler scaler, String fittedOn) {
        String columns = scaler.columns() + (scaler.columns() == 1 ? " column" : " columns");
        if (scaler instanceof MinMaxScaler minMax) {
            return columns + ", min-max scaled to [" + number(minMax.low()) + ", "
                    + number(minMax.high()) + "] by the minimum and maximum of " + fittedOn;
        }
        return columns + ", standardised by the mean and standard deviation of " + fittedOn;
    }

    /** The checkpoint's progress: what a {@code --resume} of it goes on from. */
    static String checkpoint(Checkpoint.Info info) {
        return String.format(Locale.ROOT, "Checkpoint: %d epoch%s done; %s after %d step%s, %s", info.epoch(),
                info.epoch() == 1 ? "" : "s", info.optimizer(), info.steps(), info.steps() == 1 ? "" : "s",
                rate(number(info.learningRate()), info.metadata().get(RunSettings.SCHEDULE_KEY)));
    }

    /**
     * What the recorded rate is. Between epochs, where checkpoints are saved, a scheduled optimizer holds the
     * schedule's base rate η₀ (a step or cosine schedule's starting rate, one-cycle's peak), from which a resumed
     * run's schedule sets each epoch's or batch's; without a schedule it holds the rate itself, which
     * reduce-on-plateau may have lowered.
     *
     * @param rate     the recorded rate, as text
     * @param schedule the digits trainer's recorded {@code --lr-schedule}, or null for a file of another program
     */
    private static String rate(String rate, String schedule) {
        if (schedule == null) {
            return "learning rate " + rate + " (with a learning-rate schedule, the schedule's base rate)";
        }
        if (schedule.equals("constant") || schedule.startsWith("plateau")) {
            return "learning rate " + rate + ", which a resumed run goes on with";
        }
        return "base learning rate " + rate + ", from which its schedule (" + cut(schedule) + ") sets the rate as "
                + "training goes on";
    }

    /**
     * Names as a list: each {@link #cut}, and quoted where it would blur into its neighbours ({@link NameLists#listed}:
     * a class {@code big, yes}); past {@value #LISTED}, the first ones and a count.
     */
    private static String listed(List<String> names) {
        List<String> shown = names.size() <= LISTED + 1 ? names : names.subList(0, LISTED);
        String list = String.join(", ", shown.stream().map(n -> NameLists.listed(cut(n))).toList());
        return names.size() == shown.size() ? list : list + ", … (" + (names.size() - LISTED) + " more)";
    }

    private static String cut(String value) {
        return cut(value, VALUE_CHARS);
    }

    /**
     * A value from the file as one line of text: control characters escaped (a line break or a terminal's escape
     * sequence in a hand-made file would otherwise print as lines or colours of this command's own), cut at
     * {@code chars}.
     */
    private static String cut(String value, int chars) {
        long length = value.codePoints().count();
        String kept = length <= chars ? value : value.substring(0, value.offsetByCodePoints(0, chars));
        String shown = Printable.of(kept);
        return length <= chars ? shown : shown + "… (" + length + " characters)";
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Float.toString((float) value);
    }
}
