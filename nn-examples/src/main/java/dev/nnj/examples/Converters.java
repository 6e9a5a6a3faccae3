package dev.nnj.examples;

import dev.nnj.api.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * Command-line value converters whose error messages say what is allowed, so that picocli reports a bad
 * value as one line: {@code Invalid value for option '--preset': 'foo' is not one of: article, keras}.
 */
final class Converters {
    private Converters() {
    }

    /**
     * Checks a file a command will write, before any work, so that a wrong path does not cost the training or
     * prediction run it would end: its directory exists and is writable, and it is not itself a directory.
     *
     * @param spec        the command, for the usage error
     * @param option      the option that names the file, e.g. {@code --save}, or a parameter's label ({@code OUT})
     * @param file        the path given
     * @param exampleName a file name to suggest when {@code file} is a directory
     * @throws ParameterException naming the option and what is wrong
     */
    static void requireOutputFile(CommandSpec spec, String option, Path file, String exampleName) {
        requireOutputFile(spec, option, file, exampleName, "");
    }

    /**
     * As {@link #requireOutputFile(CommandSpec, String, Path, String)}, with advice added where the name is a pipe or
     * device that cannot be written, e.g. that {@code -} writes to standard output.
     *
     * @param spec         the command, for the usage error
     * @param option       the option that names the file
     * @param file         the path given
     * @param exampleName  a file name to suggest when {@code file} is a directory
     * @param streamAdvice put after the refusal of a pipe or device, e.g. {@code " (- writes to standard output)"}
     * @throws ParameterException naming the option and what is wrong
     */
    static void requireOutputFile(CommandSpec spec, String option, Path file, String exampleName,
                                  String streamAdvice) {
        String invalid = invalidValue(option);
        if (file.toString().isEmpty()) {
            throw new ParameterException(spec.commandLine(), invalid + "an empty name; name the file to write, e.g. "
                    + exampleName);
        }
        requireNotDash(spec, invalid, file, "file", exampleName);
        boolean inPlace = AtomicFile.writesInPlace(file);
        Path destination;
        try {
            // Through symbolic links: the file a write replaces is the one they end at, in that file's directory.
            destination = inPlace ? file.toAbsolutePath() : AtomicFile.destination(file);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), invalid + e.getMessage());
        }
        Path parent = destination.getParent();
        // Normalised for the messages only (a/../b is checked as the system resolves it, through a link a/ may be):
        // ../missing/m.st is reported as the directory it names, not as data/../missing.
        Path shown = parent == null ? null : parent.normalize();
        if (parent != null && Files.exists(parent) && !Files.isDirectory(parent)) {
            throw new ParameterException(spec.commandLine(), invalid + shown + " is a file, not a directory");
        }
        if (parent == null || !Files.isDirectory(parent)) {
            // /proc/x/../m.st: the system cannot go through the missing x, though /proc exists; that is what is said.
            throw new ParameterException(spec.commandLine(), invalid + "the directory " + (shown != null
                    && Files.isDirectory(shown) ? parent : shown) + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new ParameterException(spec.commandLine(), invalid + file + " is a directory; name the file to "
                    + "write, e.g. " + file.resolve(exampleName));
        }
        if (inPlace) {
            // A pipe, a device or /dev/stdout is written as it is (AtomicFile), not replaced: its own permission
            // counts, not its directory's (a user cannot create files in /dev, but may write /dev/stdout).
            if (Files.isWritable(file)) {
                return;
            }
            String kind = streamKind(file);
            throw new ParameterException(spec.commandLine(), invalid + file + " is "
                    + kind + " this user cannot write; name a file" + streamAdvice);
        }
        requireCanCreateFiles(spec, invalid, parent);
        requireReplaceable(spec, option, file);
    }

    /**
     * Refuses, as a usage error, a file the run would write that {@link AtomicFile} will not replace (a read-only
     * one): checked before the work, not when its result is written.
     *
     * @param spec   the command, for the usage error
     * @param option the option that names the file, or the folder it goes in
     * @param file   the file to be written
     * @throws ParameterException naming the option and why
     */
    static void requireReplaceable(CommandSpec spec, String option, Path file) {
        try {
            AtomicFile.requireReplaceable(file);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), invalidValue(option) + e.getMessage());
        }
    }

    /** File name endings of other tools' model formats, which nnj does not write, with the tool each names. */
    private static final Map<String, String> OTHER_MODEL_FORMATS = Map.of(".pt", "PyTorch", ".pth", "PyTorch",
            ".bin", "PyTorch", ".pkl", "pickle", ".joblib", "joblib", ".h5", "Keras", ".keras", "Keras",
            ".pb", "TensorFlow", ".npz", "numpy");

    /**
     * Refuses a model file named for another tool's format ({@code model.pt}, {@code model.h5}): nnj writes
     * safetensors (or ONNX for {@code .onnx}) whatever the name, and a safetensors file called {@code model.pt} fails
     * in {@code torch.load}, the reader its name promises.
     *
     * @param spec   the command, for the usage error
     * @param option the option that names the model file to write, or a parameter's label
     * @param file   the path given to it
     * @param layout the option that writes PyTorch's weight layout ({@code --layout}, {@code --save-layout})
     * @throws ParameterException naming the option, the file, the tool its name points to and the names to use
     */
    static void requireModelFileName(CommandSpec spec, String option, Path file, String layout) {
        String name = String.valueOf(file.getFileName());
        int dot = name.lastIndexOf('.');
        String ending = dot < 0 ? "" : name.substring(dot).toLowerCase(java.util.Locale.ROOT);
        String tool = OTHER_MODEL_FORMATS.get(ending);
        if (tool != null) {
            String stem = name.substring(0, dot);
            throw new ParameterException(spec.commandLine(), invalidValue(option) + file + " names a " + tool
                    + " file (" + ending + "), but nnj writes a safetensors model file (" + stem + ".safetensors; "
                    + "PyTorch reads it with safetensors.torch.load_file, in its layout with " + layout + " pytorch) "
                    + "or an ONNX model (" + stem + ".onnx)");
        }
    }

    /**
     * Refuses to replace a text file with a model: model files are binary (a safetensors file starts with its header's
     * length, an ONNX file with protobuf fields), so a file whose first bytes read as text is data, a script or notes
     * ({@code convert model.safetensors data.csv} would have replaced the CSV file with a model, without a word). A
     * model file, or any other binary one, is replaced, as the help says.
     *
     * @param spec   the command, for the usage error
     * @param option the option that names the model file to write, or a parameter's label
     * @param file   the path given to it
     * @throws ParameterException naming the option, the file and how it begins
     */
    static void requireNotATextFile(CommandSpec spec, String option, Path file) {
        if (AtomicFile.writesInPlace(file) || !Files.isRegularFile(file)) {
            return;
        }
        byte[] start = new byte[64];
        int n;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(start, 0, start.length);
        } catch (IOException unreadable) {
            return;   // the write then says what is wrong with the file, or replaces it
        }
        if (n == 0) {
            return;   // an empty file holds nothing to lose
        }
        for (int i = 0; i < n; i++) {
            int b = start[i] & 0xff;
            if (b < 0x20 && b != '\t' && b != '\n' && b != '\r') {
                return;   // a control byte (a safetensors length's zeros, protobuf's tags): not text
            }
        }
        String begins = new String(start, 0, n, java.nio.charset.StandardCharsets.UTF_8).lines().findFirst()
                .orElse("");
        throw new ParameterException(spec.commandLine(), invalidValue(option) + file + " is a text file (it begins '"
                + (begins.length() > 40 ? begins.substring(0, 40) + "…" : begins) + "'), not a model file; writing "
                + "the model would replace it, so remove it first or name another file");
    }

    /**
     * The start of a usage error about a value, as picocli words its own: an option by its name in quotes
     * ({@code Invalid value for option '--save': }), a positional parameter by its label alone ({@code Invalid value
     * for OUT: }).
     */
    static String invalidValue(String option) {
        return option.startsWith("-") ? "Invalid value for option '" + option + "': "
                : "Invalid value for " + option + ": ";
    }

    /**
     * Refuses to write a command's output over one of its inputs: the write would replace the model or the data the
     * command has just read (a {@code --save} onto the training CSV, a {@code predict --output} onto the model), and
     * the run would end with exit status 0 and the input gone. The same file under another name counts too (a
     * symbolic link, {@code ./a}, a hard link). A pipe or device is written in place, not replaced, so it is let
     * through ({@code --csv /dev/stdin --output /dev/stdout}).
     *
     * @param spec        the command, for the usage error
     * @param option      the option that names the file to write, e.g. {@code --output}, or a parameter's label
     * @param file        the path given to it
     * @param inputOption the option that names the file read, e.g. {@code --model}, or a parameter's label
     * @param input       the path given to that, or null when it was not given
     * @throws ParameterException naming both options and the file
     */
    static void requireNotAnInput(CommandSpec spec, String option, Path file, String inputOption, Path input) {
        if (file == null || input == null || AtomicFile.writesInPlace(file) || !sameFile(file, input)) {
            return;
        }
        String invalid = invalidValue(option);
        throw new ParameterException(spec.commandLine(), invalid + file + " is the file " + inputOption
                + " reads; writing it would replace it, so write to another file");
    }

    /**
     * Refuses, as a usage error, two options of one command that would write the same file: the second write would
     * replace the first's ({@code --metrics} onto {@code --save}'s model).
     *
     * @param spec        the command, for the usage error
     * @param option      the option checked
     * @param file        its file
     * @param otherOption the other option that writes a file
     * @param other       that option's file, or null when it was not given
     * @throws ParameterException naming both options and the file
     */
    static void requireNotWrittenTwice(CommandSpec spec, String option, Path file, String otherOption, Path other) {
        if (file == null || other == null || AtomicFile.writesInPlace(file) || !writesOnto(file, other)) {
            return;
        }
        throw new ParameterException(spec.commandLine(), invalidValue(option) + file + " is " + otherOption
                + "'s file too, and one would replace the other: give each a file of its own");
    }

    /**
     * Refuses, as a usage error, a file named as one the run writes in a folder of another option: a checkpoint in
     * {@code --checkpoint-dir}, a chart ({@code *.png}) in {@code --plots}.
     *
     * @param spec         the command, for the usage error
     * @param option       the option checked
     * @param file         its file
     * @param folderOption the option naming the folder
     * @param folder       that folder, or null when it was not given
     * @param runWrites    whether a name in it is one the run writes there
     * @throws ParameterException naming both options and the file
     */
    static void requireNotAmong(CommandSpec spec, String option, Path file, String folderOption, Path folder,
                                java.util.function.Predicate<String> runWrites) {
        Path target = file == null ? null : written(file);
        Path parent = target == null ? null : target.getParent();
        if (folder == null || parent == null || target.getFileName() == null || !sameFile(parent, folder)
                || !runWrites.test(target.getFileName().toString())) {
            return;
        }
        throw new ParameterException(spec.commandLine(), invalidValue(option) + file + " is a file the run writes "
                + "in " + folderOption + " " + folder + ", and one would replace the other: name a file of its own");
    }

    /**
     * The file a write of {@code file} creates or replaces: at the end of its symbolic links, which the atomic write
     * follows ({@link AtomicFile#destination}), so that a link to a checkpoint counts as the checkpoint.
     *
     * @param file the path given to an option
     * @return that file's absolute, normalised path where it is written
     */
    static Path written(Path file) {
        try {
            return AtomicFile.destination(file).normalize();
        } catch (IOException | RuntimeException e) {
            return file.toAbsolutePath().normalize();   // a loop: the write's own check names it
        }
    }

    /**
     * Whether a write of {@code file} would replace {@code other}: the same file by name or, both existing, on disk,
     * or the same place where the write lands through symbolic links ({@link #written}), which need not exist yet.
     *
     * @param file  the file an option writes
     * @param other another option's file
     * @return true when one would replace the other
     */
    static boolean writesOnto(Path file, Path other) {
        return sameFile(file, other) || written(file).equals(written(other));
    }

    /** Whether two names are one file: the same path once normalised, or, both existing, the same file. */
    static boolean sameFile(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException | RuntimeException e) {
            return false;   // unreadable: the write's own checks speak for it
        }
    }

    /**
     * Why {@code file}, which is not a regular file, cannot be read as one, as a message ends: {@code "does not
     * exist"}, {@code "is a directory"}, {@code "is a pipe"}…
     *
     * @param file a path that {@link Files#isRegularFile} refused
     * @return the words after the path
     */
    static String notAFile(Path file) {
        if (!Files.exists(file) && !Files.notExists(file)) {
            // Neither: the file system would not say, as for a file in a folder this user may not enter.
            return "cannot be reached: permission denied on a folder of its path";
        }
        if (!Files.exists(file)) {
            return Files.isSymbolicLink(file) ? "is a link to a file that does not exist" : "does not exist";
        }
        return Files.isDirectory(file) ? "is a directory" : "is " + streamKind(file);
    }

    /**
     * What an existing name that is neither a regular file nor a directory is, in words: "a pipe", "a device", "a
     * socket"; "not a regular file" where the file system does not say.
     */
    static String streamKind(Path file) {
        try {
            int type = (Integer) Files.getAttribute(file, "unix:mode") & 0170000;   // S_IFMT of st_mode
            switch (type) {
                case 0010000:
                    return "a pipe";
                case 0020000:
                case 0060000:
                    return "a device";
                case 0140000:
                    return "a socket";
                default:
                    return "not a regular file";
            }
        } catch (IOException | RuntimeException e) {
            return "not a regular file";
        }
    }

    /**
     * Creates and deletes a file in {@code dir}: the permission bits alone let through what only an attempt finds (a
     * read-only mount, {@code /proc}, an ACL), and the work before the real write would then be lost.
     */
    private static void requireCanCreateFiles(CommandSpec spec, String invalid, Path dir) {
        if (!Files.isWritable(dir)) {
            throw new ParameterException(spec.commandLine(), invalid + "the directory " + dir.normalize() + " is not writable");
        }
        try {
            Files.delete(Files.createTempFile(dir, ".nnj-probe-", ".tmp"));
        } catch (IOException | RuntimeException e) {
            throw new ParameterException(spec.commandLine(), invalid + "cannot create files in " + dir.normalize() + " ("
                    + reason(e) + ")");
        }
    }

    /**
     * Creates an output folder now, before the work whose results go there, and checks it can take files.
     *
     * @param spec   the command, for the usage error
     * @param option the option, named in the message
     * @param dir    the folder
     * @throws ParameterException naming the option and why, in words rather than an exception's class
     */
    static void requireOutputDirectory(CommandSpec spec, String option, Path dir) {
        String invalid = invalidValue(option);
        if (dir.toString().isEmpty()) {
            // Path.of("") is the current directory: --plots '' would write the charts there, unasked.
            throw new ParameterException(spec.commandLine(), invalid + "an empty name; name the folder to write, e.g. "
                    + "plots");
        }
        requireNotDash(spec, invalid, dir, "folder", "plots");
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ParameterException(spec.commandLine(), invalid + dir.normalize() + " is a file, not a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException | RuntimeException e) {
            throw new ParameterException(spec.commandLine(), invalid + "cannot create the directory " + dir.normalize() + " ("
                    + reason(e) + ")");
        }
        requireCanCreateFiles(spec, invalid, dir);
    }

    /**
     * Refuses {@code -}, which predict's {@code --output} and common tools read as standard output, where a file or
     * folder is written: it made a file named "-" in the working directory without a word.
     */
    private static void requireNotDash(CommandSpec spec, String invalid, Path path, String what, String example) {
        if (path.toString().equals("-")) {
            throw new ParameterException(spec.commandLine(), invalid + "'-', which is not standard output here: this "
                    + "option writes a " + what + "; name it, e.g. " + example);
        }
    }

    /**
     * The message for a model file that could not be read: the file and the reason. A file system's exception
     * ({@link java.nio.file.AccessDeniedException} and the like) has the path alone as its message, which said
     * nothing of why.
     *
     * @param file the file
     * @param e    what reading it threw
     * @return e.g. {@code "cannot read m.safetensors: permission denied"}, or the exception's own message where it
     *         says more than its file
     */
    static String cannotRead(java.nio.file.Path file, java.io.IOException e) {
        if (e instanceof java.nio.file.FileSystemException || e.getMessage() == null) {
            return "cannot read " + file + ": " + why(e);
        }
        return e.getMessage();   // the library's, which names the file
    }

    /**
     * What follows {@code "cannot write FILE: "} for a write of {@code file} that failed: nn-api's atomic write names
     * the file at the head of its message ({@code "FILE: no space left on device (FILE is as it was)"}), which is not
     * said twice; a message that begins with the file otherwise ({@code "FILE is read-only (r--r--r--), ..."}) is
     * kept whole; the JDK's own message is a reason alone ({@link #why}).
     *
     * @param file the file written, as the user gave it
     * @param e    what writing it threw
     * @return the reason
     */
    static String afterFile(java.nio.file.Path file, java.io.IOException e) {
        String m = e.getMessage();
        String head = file + ": ";
        if (m != null && m.startsWith(head)) {
            return m.substring(head.length());
        }
        return m != null && m.startsWith(file.toString()) ? m : why(e);
    }

    /**
     * Why a file operation failed, without the file: a file system exception's reason ("permission denied" where it
     * gives none), else the exception's message.
     *
     * @param e what the operation threw
     * @return the reason
     */
    static String why(java.io.IOException e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return lowerFirst(f.getReason());
        }
        return lowerFirst(reason(e));   // a write's "No space left on device" is a plain IOException's message
    }

    /**
     * The system's words ("Read-only file system", "No space left on device") in the lower case of this program's
     * messages; a name or an acronym ("IOException", "EIO") as it is.
     */
    private static String lowerFirst(String words) {
        return words.length() > 1 && Character.isUpperCase(words.charAt(0)) && Character.isLowerCase(words.charAt(1))
                ? Character.toLowerCase(words.charAt(0)) + words.substring(1) : words;
    }

    /** What went wrong, in words: several of the JDK's file exceptions carry only a path as their message. */
    static String reason(Exception e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return e.getMessage() + " is a file";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    static <E extends Enum<E>> E parseEnum(Class<E> type, String value) {
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) {
            if (e.toString().equals(wanted)) {
                return e;
            }
        }
        throw new TypeConversionException("'" + value + "' is not one of: " + names(type)
                + scikitLearnName(wanted, names(type)));
    }

    /**
     * What a scikit-learn name is called here, for someone moving an {@code MLPClassifier} over: its
     * {@code activation='logistic'} is the sigmoid, and of its solvers only L-BFGS has no counterpart (its
     * {@code solver='sgd'} uses Nesterov momentum 0.9 by default, this program's {@code nesterov}). Empty otherwise.
     */
    static String scikitLearnName(String wanted, String names) {
        if (wanted.equals("logistic") && names.contains("sigmoid")) {
            return " (scikit-learn's 'logistic' is 'sigmoid' here)";
        }
        if (wanted.equals("lbfgs") && names.contains("nesterov")) {
            return " (there is no L-BFGS here; scikit-learn's solver='sgd', with its Nesterov momentum 0.9, is "
                    + "'nesterov', and 'adam' is its adam)";
        }
        return "";
    }

    static <E extends Enum<E>> String names(Class<E> type) {
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.toString());
        }
        return String.join(", ", names);
    }

    static <E extends Enum<E>> Iterator<String> candidates(Class<E> type) {
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.toString());
        }
        return names.iterator();
    }

    /** Parses an enum option by its names ({@code toString()}, any case), naming them all in its error. */
    abstract static class EnumConverter<E extends Enum<E>> implements ITypeConverter<E> {
        private final Class<E> type;

        EnumConverter(Class<E> type) {
            this.type = type;
        }

        @Override
        public E convert(String value) {
            return parseEnum(type, value);
        }
    }

    /** An enum option's names, for its help ({@code ${COMPLETION-CANDIDATES}}) and shell completion. */
    abstract static class EnumNames<E extends Enum<E>> implements Iterable<String> {
        private final Class<E> type;

        EnumNames(Class<E> type) {
            this.type = type;
        }

        @Override
        public Iterator<String> iterator() {
            return candidates(type);
        }
    }

    /** Parses {@code --preset}. */
    static final class PresetConverter extends EnumConverter<DigitsPreset> {
        PresetConverter() {
            super(DigitsPreset.class);
        }
    }

    /** The {@code --preset} names. */
    static final class PresetNames extends EnumNames<DigitsPreset> {
        PresetNames() {
            super(DigitsPreset.class);
        }
    }

    /** Parses {@code --optimizer}. */
    static final class OptimizerConverter extends EnumConverter<OptimizerName> {
        OptimizerConverter() {
            super(OptimizerName.class);
        }
    }

    /** The {@code --optimizer} names. */
    static final class OptimizerNames extends EnumNames<OptimizerName> {
        OptimizerNames() {
            super(OptimizerName.class);
        }
    }

    /** Parses {@code --monitor}, also as the history's column names spell it ({@code macro_f1}). */
    static final class MonitorConverter extends EnumConverter<MonitorChoice> {
        MonitorConverter() {
            super(MonitorChoice.class);
        }

        @Override
        public MonitorChoice convert(String value) {
            try {
                return super.convert(value);
            } catch (TypeConversionException e) {
                if (value.indexOf('_') < 0) {
                    throw e;
                }
                try {
                    return super.convert(value.replace('_', '-'));
                } catch (TypeConversionException again) {
                    throw e;   // the message quotes the value as it was typed
                }
            }
        }
    }

    /** The {@code --monitor} names. */
    static final class MonitorNames extends EnumNames<MonitorChoice> {
        MonitorNames() {
            super(MonitorChoice.class);
        }
    }

    /** Parses {@code --lr-schedule}: a name, or {@code step:N[:G]} or {@code exponential:G}. */
    static final class ScheduleConverter implements ITypeConverter<ScheduleChoice> {
        @Override
        public ScheduleChoice convert(String value) {
            return ScheduleChoice.parse(value);
        }
    }

    /** The {@code --lr-schedule} names. */
    static final class ScheduleNames extends EnumNames<ScheduleChoice.Kind> {
        ScheduleNames() {
            super(ScheduleChoice.Kind.class);
        }
    }

    /**
     * A whole number from {@code min} to {@link Integer#MAX_VALUE}; the message of a bad value says the range,
     * and tells a number that is too large (or small) from text that is not a number at all.
     */
    static int parseInt(String value, int min) {
        String v = value.trim();
        String range = min + ".." + Integer.MAX_VALUE;
        if (v.matches("[+-]?\\d+")) {
            // Any length of digits: compare as a big integer so 99999999999 is "out of range", not "not a number".
            java.math.BigInteger n = new java.math.BigInteger(v);
            if (n.compareTo(java.math.BigInteger.valueOf(min)) >= 0
                    && n.compareTo(java.math.BigInteger.valueOf(Integer.MAX_VALUE)) <= 0) {
                return n.intValue();
            }
            throw new TypeConversionException("'" + value + "' " + (n.signum() < 0 || n.compareTo(
                    java.math.BigInteger.valueOf(min)) < 0 ? "must be at least " + min
                    : "is beyond " + Integer.MAX_VALUE + ", the largest accepted"));
        }
        throw new TypeConversionException("'" + value + "' is not a whole number (accepted: " + range + ")");
    }

    static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return parseInt(value, 1);
        }
    }

    static final class NonNegativeInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return parseInt(value, 0);
        }
    }

    /** A number as it is written on a command line: digits, a point, an exponent; no hex, no Java suffix. */
    private static final java.util.regex.Pattern DECIMAL =
            java.util.regex.Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    /**
     * {@code value} as a double, read only when written as a decimal number: Java's own parsers also take
     * {@code 0x1p-3}, {@code 0.1f}, {@code 0.1d}, {@code NaN} and other scripts' digits, none of which a user means.
     *
     * @throws NumberFormatException for anything else
     */
    static double parseDecimal(String value) {
        String v = value.trim();
        if (!DECIMAL.matcher(v).matches()) {
            throw new NumberFormatException("not a decimal number: " + value);
        }
        return Double.parseDouble(v);
    }

    /** As {@link #parseDecimal}, rounded to float32 as {@link Float#parseFloat} rounds it. */
    static float parseDecimalFloat(String value) {
        parseDecimal(value);
        return Float.parseFloat(value.trim());
    }

    /** A finite float of 0 or more (a weight decay). */
    static final class NonNegativeFloat implements ITypeConverter<Float> {
        @Override
        public Float convert(String value) {
            try {
                float x = parseDecimalFloat(value);
                if (x >= 0 && Float.isFinite(x)) {
                    return x;
                }
                double d = parseDecimal(value);
                if (d > 0 && Double.isFinite(d)) {
                    // A number >= 0 that float32, the backends' type, rounds to infinity.
                    throw new TypeConversionException("'" + value + "' is beyond float32's range (at most about "
                            + "3.4e38)");
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("'" + value + "' is not a number >= 0 (e.g. 0 or 1e-4)");
        }
    }

    /** A finite number of 0 or more, kept as the double written (early stopping's {@code --min-delta}). */
    static final class NonNegativeDecimal implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            try {
                double x = parseDecimal(value);
                if (x >= 0 && Double.isFinite(x)) {
                    return x + 0.0;   // -0 is 0: recorded so, and compared so on --resume
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("'" + value + "' is not a number >= 0 (e.g. 0 or 1e-3)");
        }
    }

    static final class PositiveFloat implements ITypeConverter<Float> {
        @Override
        public Float convert(String value) {
            try {
                float x = parseDecimalFloat(value);
                if (x > 0 && Float.isFinite(x)) {
                    return x;
                }
                double d = parseDecimal(value);
                if (d > 0 && Double.isFinite(d)) {
                    // A positive number that float32, the backends' type, rounds to 0 or infinity.
                    throw new TypeConversionException("'" + value + "' is outside float32's range (from about "
                            + "1.4e-45 to 3.4e38)");
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("'" + value + "' is not a number > 0 (e.g. 0.1 or 1e-3)");
        }
    }

    static final class ClassWeightConverter implements ITypeConverter<ClassWeightChoice> {
        @Override
        public ClassWeightChoice convert(String value) {
            try {
                return ClassWeightChoice.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class SeedConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.trim();
            // ASCII digits alone: Long.parseLong also reads other scripts' digits ('٣' as 3), as no other option does.
            if (!v.matches("[+-]?[0-9]+")) {
                throw new TypeConversionException("'" + value + "' is not a whole number");
            }
            long seed;
            try {
                seed = Long.parseLong(v);
            } catch (NumberFormatException e) {
                seed = -1;   // beyond a long: out of the seeds' range too
            }
            String outside = outsideSeedRange(seed, value);
            if (outside != null) {
                throw new TypeConversionException(outside);
            }
            return seed;
        }
    }

    /** The largest seed: nnj's generators ({@code java.util.Random}) keep the low 48 bits of a seed. */
    static final long MAX_SEED = (1L << 48) - 1;

    /**
     * Why {@code seed} is no seed (beyond 48 bits, two seeds would train the same run), or null when it is one.
     *
     * @param seed the value read
     * @param text how it was written, for the message
     * @return the message, or null
     */
    static String outsideSeedRange(long seed, String text) {
        return seed >= 0 && seed <= MAX_SEED ? null : "'" + text.trim() + "' is outside 0.." + MAX_SEED + ": the "
                + "generators keep 48 bits of a seed, so a seed beyond them would train as another one does";
    }

    /** {@code 0-4}, {@code 1,3,7} or a mix such as {@code 0-2,10}, as {@link SeedList#parse} reads them. */
    static final class SeedListConverter implements ITypeConverter<SeedList> {
        @Override
        public SeedList convert(String value) {
            try {
                return SeedList.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
