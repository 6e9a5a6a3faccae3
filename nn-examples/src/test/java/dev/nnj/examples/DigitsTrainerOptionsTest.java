package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Bad values must give exactly one line that names the option and what it accepts, and exit status 2. */
class DigitsTrainerOptionsTest {

    /** Exit status, stdout and stderr of one invocation. */
    record Outcome(int status, String out, String err) {
    }

    static Outcome run(String... args) {
        return run(new DigitsTrainer(), args);
    }

    /**
     * Runs {@code args}, words separated by spaces, and asserts a usage error: exit status 2 and one line on stderr
     * that contains {@code expected}, in any case.
     */
    static void assertOneLineUsageError(String args, String expected) {
        Outcome o = run(args.strip().split(" +"));
        assertEquals(2, o.status(), o.out() + o.err());
        String err = o.err().strip();
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertTrue(err.toLowerCase(Locale.ROOT).contains(expected.strip().toLowerCase(Locale.ROOT)), err);
    }

    /** Runs {@code trainer}'s command line, so that a test can read the trainer's results afterwards too. */
    /** {@code head} then {@code tail}: a run's common options and its own. */
    static String[] concat(String[] head, String... tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    /**
     * The resume contract of one training setting: a run of {@code settings} checkpointed after 2 epochs refuses
     * {@code contradiction} (one line, containing {@code refusal}, which may name the checkpoint as {@code LAST}),
     * resumes to 3 epochs without the setting given, and ends with the weights of 3 epochs straight.
     *
     * @param dir           a scratch folder
     * @param settings      the run's options, the setting among them
     * @param contradiction the setting given otherwise on the resume, e.g. {@code --weight-decay 0.01}
     * @param refusal       what the refusal says
     * @param what          the weights' comparison, for its message
     */
    static void assertResumeKeeps(java.nio.file.Path dir, String[] settings, String contradiction, String refusal,
                                  String what) throws java.io.IOException {
        java.nio.file.Path checkpoints = dir.resolve("ck");
        assertEquals(0, run(concat(settings, "--epochs", "2", "--checkpoint-dir", checkpoints.toString())).status());
        String last = checkpoints.resolve("last.safetensors").toString();
        assertOneLineUsageError("--backend cpu --epochs 3 --resume " + last + " " + contradiction,
                refusal.replace("LAST", last));
        java.nio.file.Path resumed = dir.resolve("resumed.safetensors");
        Outcome more = run("--backend", "cpu", "--epochs", "3", "--progress-every", "0", "--resume", last, "--save",
                resumed.toString());
        assertEquals(0, more.status(), more.err());
        java.nio.file.Path straight = dir.resolve("straight.safetensors");
        assertEquals(0, run(concat(settings, "--epochs", "3", "--save", straight.toString())).status());
        assertSameWeights(straight, resumed, what);
    }

    /** Asserts that two model files the trainer saved hold the same weights, bit for bit. */
    static void assertSameWeights(java.nio.file.Path expected, java.nio.file.Path actual, String what)
            throws java.io.IOException {
        try (dev.nnj.api.Backend be = dev.nnj.api.Backends.get("cpu");
             dev.nnj.api.io.SavedModel a = dev.nnj.api.io.ModelFiles.load(expected, be);
             dev.nnj.api.io.SavedModel b = dev.nnj.api.io.ModelFiles.load(actual, be)) {
            assertSameWeights(a.model(), b.model(), what);
        }
    }

    /** Asserts that two models hold the same parameters, by name, bit for bit. */
    static void assertSameWeights(dev.nnj.api.model.Sequential expected, dev.nnj.api.model.Sequential actual,
                                  String what) {
        java.util.Map<String, float[]> want = expected.stateDict();
        java.util.Map<String, float[]> got = actual.stateDict();
        assertEquals(want.keySet(), got.keySet(), what);
        want.forEach((name, values) -> org.junit.jupiter.api.Assertions.assertArrayEquals(values, got.get(name),
                name + ": " + what));
    }

    /** {@code predict} of a CSV file with a header and a label column called {@code y}, scored against it. */
    static Outcome predictLabelled(java.nio.file.Path model, java.nio.file.Path csv) {
        return run("predict", "--model", model.toString(), "--csv", csv.toString(), "--header", "--label", "y");
    }

    /** The lines of predict's output that show a row's prediction ({@code row 1: ...}). */
    static java.util.List<String> rowLines(String out) {
        return out.lines().filter(l -> l.startsWith("row ")).toList();
    }

    static Outcome run(DigitsTrainer trainer, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = DigitsTrainer.commandLine(trainer);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new Outcome(status, out.toString(), err.toString());
    }

    /** A heap run out names what helps the command that ran: predict has no --hidden or --batch-size. */
    @Test
    void aHeapRunOutAdvisesWhatTheCommandHas() {
        OutOfMemoryError e = new OutOfMemoryError("Java heap space");
        String reading = DigitsTrainer.outOfMemory(e, new String[] {"--csv", "big.csv"}, false);
        String training = DigitsTrainer.outOfMemory(e, new String[] {"--csv", "big.csv"}, true);
        String predicting = DigitsTrainer.outOfMemory(e, new String[] {"predict", "--model", "m.safetensors"}, false);
        assertTrue(reading.startsWith("digits: error: the Java heap ran out (Java heap space; maximum ")
                && reading.endsWith("NNJ_JAVA_OPTS=-Xmx<size>; the data did not fit (a CSV file is read whole, about "
                + "20 bytes of heap per value)"), reading);
        // Once training has begun, the data fitted: the network is what did not (a trial was pointed at the CSV).
        assertTrue(training.contains("NNJ_JAVA_OPTS=-Xmx<size>, or use a smaller --hidden or --batch-size: training "
                + "had begun"), training);
        assertTrue(predicting.contains("NNJ_JAVA_OPTS=-Xmx<size>; predict reads a CSV file a part at a time")
                && !predicting.contains("--hidden"), predicting);
        // The rows' outputs are named only where predict keeps them: with --label or --show-all.
        assertTrue(!predicting.contains("--label"), predicting);
        assertTrue(DigitsTrainer.outOfMemory(e, new String[] {"predict", "--model", "m.safetensors", "--csv", "x.csv",
                "--label", "y"}, false).contains("with --label or --show-all keeps each row's outputs"));
        // A thread the system would not start is no heap: it blamed the heap and a CSV file the run never read.
        String threads = DigitsTrainer.outOfMemory(new OutOfMemoryError("unable to create native thread: possibly "
                + "out of memory or process/resource limits reached"), new String[] {"--preset", "article"}, true);
        assertTrue(threads.startsWith("digits: error: could not start a thread (unable to create native thread")
                && threads.contains("the system's limit on processes or threads was reached")
                && !threads.contains("-Xmx") && !threads.contains("CSV"), threads);
    }

    /** --seed beside --seeds would be dropped unsaid: refused, as other options that would do nothing are. */
    @Test
    void seedAndSeedsTogetherAreRefused() {
        assertOneLineUsageError("--seeds 0-1 --seed 5",
                "--seed and --seeds both choose the seeds; give one (--seeds 5 runs that seed alone)");
    }

    /**
     * A value holding a line break is shown with it escaped (the message used to end at it, as
     * {@code invalid value for option '--delimiter': '}); a weight decay beyond float32 says so, not "not a number".
     */
    @Test
    void aValueWithALineBreakIsShownWholeAndAWeightDecayBeyondFloat32SaysSo(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path data = java.nio.file.Files.writeString(dir.resolve("data.csv"), "1,2\n3,4\n");
        Outcome o = run("--csv", data.toString(), "--label", "0", "--delimiter", "\n");
        assertEquals(2, o.status(), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().contains("'--delimiter': '\\n'"), o.err());
        assertOneLineUsageError("--weight-decay 1e40", "'1e40' is beyond float32's range (at most about 3.4e38)");
        // The first line ends at a line break outside a quoted value; apostrophes are no quotes.
        assertEquals("the columns' names are a, b",
                UsageErrors.firstLine("the columns' names are a, b\nUsage: digits"));
        assertEquals("isn't 'x\\ny' allowed", UsageErrors.firstLine("isn't 'x\ny' allowed\nUsage: digits"));
        // Begun in lower case, as every message is, but for a file's name, which the message must give as typed.
        assertEquals("missing required option: '--model'", UsageErrors.lowerFirstWord("Missing required option: "
                + "'--model'"));
        assertEquals("Ck/last.safetensors was saved after epoch 15", UsageErrors.lowerFirstWord("Ck/last.safetensors "
                + "was saved after epoch 15"));
        assertEquals("Model.safetensors: no such file", UsageErrors.lowerFirstWord("Model.safetensors: no such file"));
        assertEquals("ONNX models", UsageErrors.lowerFirstWord("ONNX models"));
        assertEquals("My Models/last.safetensors was saved", UsageErrors.lowerFirstWord("My Models/last.safetensors "
                + "was saved"));
        assertEquals("invalid value for option '--epochs'", UsageErrors.lowerFirstWord("Invalid value for option "
                + "'--epochs'"));
        assertEquals("", UsageErrors.lowerFirstWord(""));
    }

    /** java.util.Random keeps 48 bits of a seed: 2^48 would train as 0 does, -1 as 2^48 - 1. Both are refused. */
    @Test
    void seedsBeyond48BitsAreRefused() {
        assertOneLineUsageError("--seed 281474976710656", "'281474976710656' is outside 0..281474976710655: the "
                + "generators keep 48 bits of a seed, so a seed beyond them would train as another one does");
        assertOneLineUsageError("--seed -1", "'-1' is outside 0..281474976710655");
        assertOneLineUsageError("--split-seed 99999999999999999999", "is outside 0..281474976710655");
        assertOneLineUsageError("--seeds 281474976710655-281474976710656", "'281474976710656' is outside");
    }

    /** '-' for standard input, as --output takes it for standard output, points to /dev/stdin. */
    @Test
    void aCsvOfDashPointsToStandardInput() {
        assertOneLineUsageError("--csv - --label 0", "'--csv': '-' is not a file; read standard input as /dev/stdin");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--preset=foo         | '--preset': 'foo' is not one of: article, keras",
        "--preset=           | '--preset': '' is not one of: article, keras",
        "--optimizer=lbfgs    | '--optimizer': 'lbfgs' is not one of: sgd, momentum, nesterov, adam, adamw, rmsprop, adagrad",
        "--optimizer=lbfgs    | (there is no L-BFGS here; scikit-learn's solver='sgd', with its Nesterov momentum",
        "--activation=logistic | 'logistic' is not one of: sigmoid, tanh, relu, leaky_relu, elu (scikit-learn's",
        "--activation=logistic | (scikit-learn's 'logistic' is 'sigmoid' here)",
        "--epochs=0           | '--epochs': '0' must be at least 1",
        "--epochs=ten         | '--epochs': 'ten' is not a whole number (accepted: 1..2147483647)",
        "--epochs=99999999999 | '--epochs': '99999999999' is beyond 2147483647, the largest accepted",
        "--hidden=-99999999999 | '--hidden': '-99999999999' must be at least 1",
        "--batch-size=-1      | '--batch-size': '-1' must be at least 0",
        "--learning-rate=-0.1 | '--learning-rate': '-0.1' is not a number > 0",
        "--learning-rate=1e-50 | '--learning-rate': '1e-50' is outside float32's range",
        "--hidden=x           | '--hidden': 'x' is not a whole number (accepted: 1..2147483647)",
        "--patience=0         | '--patience': '0' must be at least 1",
        "--seeds=3-1          | '--seeds': '3-1' is not a seed list such as 0-4 or 1,3,7 (ranges go up: 1-3)",
        "--seeds=0-1000       | '--seeds': '0-1000' lists at least 1001 seeds; 1000 at most",
        "--seeds=0-998,5,6    | '--seeds': '0-998,5,6' lists at least 1001 seeds; 1000 at most",
        "--seed=one           | '--seed': 'one' is not a whole number",
        "--learning-rate=0x1p-3 | '--learning-rate': '0x1p-3' is not a number > 0",
        "--learning-rate=0.1f | '--learning-rate': '0.1f' is not a number > 0",
        "--dropout=0.2d       | '--dropout': '0.2d' is not a rate",
        "--backend=tpu        | '--backend': 'tpu' is not a backend here; allowed: ",
        "--class-weight=heavy | '--class-weight': 'heavy' is not balanced, none, or a weight per class such as 1,5",
        "--class-weight=1,-2  | '--class-weight': '1,-2': class weights: the weight of class 1 must be a finite number of at least 0",
        "--class-weight=3     | '--class-weight': '3': class weights: one per class, at least 2, got 1",
        "--class-weight=1,1e40 | '--class-weight': '1,1e40': class weights: the weight of class 1, 1.0E40, is beyond the float range",
        "--seed=99999999999999999999 | '--seed': '99999999999999999999' is outside 0..281474976710655",
        "--seed=\u0663        | '--seed': '\u0663' is not a whole number",
        "--seeds=0-\u0663     | '--seeds': '0-\u0663' is not a seed list",
    })
    void aBadValueIsOneLineNamingTheOptionAndTheAllowedValues(String arg, String expected) {
        Outcome o = run(arg.strip());
        assertEquals(2, o.status());
        String err = o.err().strip();
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertTrue(err.startsWith("digits: invalid value for option "), err);
        assertTrue(err.contains(expected.strip()), err);
        assertEquals("", o.out());
    }

    /** An argument the JVM could not decode (a Latin-1 file name) is refused: it was saved under another name. */
    @Test
    void anArgumentThatIsNotUtf8IsRefused() {
        String latin = "lat" + (char) 0xFFFD + ".safetensors";
        String message = DigitsTrainer.undecodableArgument(new String[] {"--epochs", "1", "--save", latin});
        assertTrue(message != null && message.startsWith("argument 4, '" + latin + "', holds bytes that are not "
                + "UTF-8"), message);
        assertEquals(null, DigitsTrainer.undecodableArgument(new String[] {"--save", "latö.safetensors"}));
    }

    @Test
    void patienceWithoutEarlyStoppingIsAUsageError() {
        Outcome o = run("--patience", "5", "--epochs", "1");
        assertEquals(2, o.status(), o.err());
        String err = o.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("'--patience' has no effect without '--early-stopping'"), err);
        assertEquals("", o.out(), "nothing ran");
    }

    @ParameterizedTest
    @CsvSource({"0", "-3", "abc"})
    void anInvalidThreadsPropertyIsNamedEvenWithBackendCpu(String value) {
        String old = System.getProperty("nnj.cpu.threads");
        System.setProperty("nnj.cpu.threads", value);
        try {
            Outcome o = run("--backend", "cpu", "--epochs", "1");
            assertEquals(1, o.status(), o.err());
            String err = o.err().strip();
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.contains("-Dnnj.cpu.threads='" + value + "'"), err);
            assertTrue(err.contains("a whole number from 1 to 32768"), err);
            assertTrue(!err.contains("--backend"), "the option is not to blame: " + err);
            assertTrue(!err.contains("no nnj backend is available"), err);
            assertEquals("", o.out());
        } finally {
            if (old == null) {
                System.clearProperty("nnj.cpu.threads");
            } else {
                System.setProperty("nnj.cpu.threads", old);
            }
        }
    }

    @Test
    void anUnknownOptionIsOneLineToo() {
        Outcome o = run("--epoch", "5");
        assertEquals(2, o.status());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().contains("--epoch"), o.err());
    }

    @Test
    void helpListsEveryOptionAndExitsZero() {
        Outcome o = run("--help");
        assertEquals(0, o.status());
        for (String option : new String[] {"--preset", "--backend", "--seed", "--seeds", "--epochs", "--learning-rate",
            "--hidden", "--batch-size", "--optimizer", "--early-stopping", "--patience", "--progress-every"}) {
            assertTrue(o.out().contains(option), option);
        }
        String flat = o.out().replaceAll("\\s+", " ");
        assertTrue(flat.contains("One of sgd, momentum, nesterov, adam, adamw, rmsprop, adagrad"), flat);
        assertTrue(flat.contains("article or keras; see Presets above. Default: article for the digits, keras with "
                + "--csv."), flat);
        assertTrue(flat.contains("holds out 10% of the training rows"), "a % in a description is escaped: " + flat);
    }

    @Test
    void enumValuesAreCaseInsensitiveAndSeedListsExpand() {
        DigitsTrainer t = new DigitsTrainer();
        new CommandLine(t).parseArgs("--preset", "KERAS", "--optimizer", "Nesterov", "--seeds", "0-2, 7");
        assertEquals(DigitsPreset.KERAS, t.preset);
        assertEquals(OptimizerName.NESTEROV, t.optimizer);
        assertArrayEquals(new long[] {0, 1, 2, 7}, t.seeds.seeds());
        DigitsTrainer n = new DigitsTrainer();
        new CommandLine(n).parseArgs("--seeds", "+2-+3");   // signs are read; negative seeds are refused
        assertArrayEquals(new long[] {2, 3}, n.seeds.seeds());
    }

    @Test
    void theSubcommandsAreOnTheCommandLineWheneverTheyCanBeNamedOrListed() {
        assertTrue(DigitsTrainer.mayNameSubcommand(new String[] {"predict", "--model", "m.safetensors"}));
        assertTrue(DigitsTrainer.mayNameSubcommand(new String[] {"--backend", "cpu", "predict"}));
        assertTrue(DigitsTrainer.mayNameSubcommand(new String[] {"convert", "a.onnx", "b.safetensors"}));
        assertTrue(DigitsTrainer.mayNameSubcommand(new String[] {"--help"}));
        assertTrue(DigitsTrainer.mayNameSubcommand(new String[] {"-h"}));
        assertTrue(DigitsTrainer.mayNameSubcommand(new String[] {"-Vh"}));
        assertFalse(DigitsTrainer.mayNameSubcommand(new String[] {"-V"}));
        assertFalse(DigitsTrainer.mayNameSubcommand(new String[] {"--hidden", "32"}));
        assertFalse(DigitsTrainer.mayNameSubcommand(new String[] {"--preset", "article"}));
        assertFalse(DigitsTrainer.mayNameSubcommand(new String[0]));
        assertTrue(DigitsTrainer.commandLine(new DigitsTrainer(), false).getSubcommands().isEmpty());
        assertEquals(UsageErrors.SUBCOMMANDS,
                List.copyOf(DigitsTrainer.commandLine(new DigitsTrainer()).getSubcommands().keySet()));
    }

    @Test
    void aMistypedSubcommandGetsTheSameErrorWithOrWithoutPredict() {
        for (boolean withPredict : new boolean[] {true, false}) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cl = DigitsTrainer.commandLine(new DigitsTrainer(), withPredict);
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            assertEquals(2, cl.execute("predit"), "predict on the command line: " + withPredict);
            assertEquals("digits: unexpected argument 'predit'; did you mean the subcommand 'predict'? (see digits --help)",
                    err.toString().strip());
            assertEquals("", out.toString());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // a value after an unknown option is no second unknown option
        "--epoch 3                      | digits: unknown option '--epoch'; did you mean '--epochs'? (see digits --help)",
        "--epoch=3                      | digits: unknown option '--epoch'; did you mean '--epochs'? (see digits --help)",
        "--learningrate 0.1             | digits: unknown option '--learningrate'; did you mean '--learning-rate'?",
        "--early                        | digits: unknown option '--early'; did you mean '--early-stopping'?",
        "--frobnicate                   | digits: unknown option '--frobnicate' (see digits --help)",
        "predcit                        | digits: unexpected argument 'predcit'; did you mean the subcommand 'predict'?",
        "predcit --model m.st --csv x   | digits: unexpected argument 'predcit'; did you mean the subcommand 'predict'?",
        "foo                            | digits: unexpected argument 'foo'; digits takes options and the subcommand",
        // picocli reported the missing --model, never the typo that left it missing
        "predict --modle m.st           | digits: unknown option '--modle'; did you mean '--model'? (see digits predict --help)",
        "predict --model m.st --outptu x | digits: unknown option '--outptu'; did you mean '--output'?",
    })
    void aMistypedOptionOrSubcommandIsNamedWithTheClosestName(String args, String expected) {
        Outcome o = run(args.strip().split(" +"));
        assertEquals(2, o.status(), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().startsWith(expected.strip()), o.err());
        assertEquals("", o.out());
    }

    @Test
    void aBackendNamedByPropertyOrEnvironmentIsRefusedAsTheOptionIs() {
        // NNJ_BACKEND takes the same path as -Dnnj.backend, which a test can set.
        String old = System.getProperty("nnj.backend");
        System.setProperty("nnj.backend", "tpu");
        try {
            Outcome o = run("--epochs", "1");
            assertEquals(2, o.status(), o.err());
            assertEquals(1, o.err().strip().lines().count(), o.err());
            assertTrue(o.err().startsWith("digits: invalid value for -Dnnj.backend: 'tpu' is not a backend here; "
                    + "allowed: "), o.err());
            assertEquals("", o.out());
        } finally {
            if (old == null) {
                System.clearProperty("nnj.backend");
            } else {
                System.setProperty("nnj.backend", old);
            }
        }
    }
}
