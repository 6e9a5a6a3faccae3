package dev.nnj.examples;

import static dev.nnj.examples.DigitsTrainerOptionsTest.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.io.NamedTensor;
import dev.nnj.api.io.SafeTensors;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The trainer's model options and {@code digits predict}, end to end on the CPU backend: a saved model predicts
 * the test set with the accuracy the trainer reported; 2 epochs, a checkpoint and 2 resumed epochs save the same
 * model bit for bit as 4 straight; bad combinations and broken files give one-line errors.
 */
class ModelCommandsTest {
    /** The cpu backend's kernel choice ({@code dev.nnj.cpu.CpuBackend#KERNELS_PROPERTY}). */
    private static final String KERNELS_PROPERTY = "nnj.cpu.kernels";

    @TempDir
    Path dir;

    private static DigitsTrainerOptionsTest.Outcome run(String... args) {
        return DigitsTrainerOptionsTest.run(args);
    }

    private static String testAccuracy(String out) {
        Matcher m = Pattern.compile("test +loss [0-9.]+ +accuracy ([0-9.]+)").matcher(out);
        assertTrue(m.find(), out);
        return m.group(1);
    }

    @Test
    void aSavedModelPredictsTheTestSetOneImageAndCsvRows() throws Exception {
        Path model = dir.resolve("model.safetensors");
        DigitsTrainerOptionsTest.Outcome trained = run("--preset", "keras", "--backend", "cpu", "--epochs", "3",
                "--hidden", "16", "--progress-every", "0", "--save", model.toString());
        assertEquals(0, trained.status(), trained.err());
        assertTrue(trained.out().contains("Saved the model to " + model), trained.out());

        Path probabilities = dir.resolve("p.csv");
        DigitsTrainerOptionsTest.Outcome predicted = run("predict", "--model", model.toString(), "--backend", "cpu",
                "--output", probabilities.toString());
        assertEquals(0, predicted.status(), predicted.err());
        assertTrue(predicted.out().contains("accuracy " + testAccuracy(trained.out())),
                "predict reports the trainer's test accuracy:\n" + trained.out() + "\n" + predicted.out());
        List<String> lines = Files.readAllLines(probabilities);
        assertEquals(361, lines.size(), "header + 360 rows");
        assertEquals("class,p_0,p_1,p_2,p_3,p_4,p_5,p_6,p_7,p_8,p_9,label", lines.get(0));
        assertTrue(lines.stream().skip(1).allMatch(l -> l.matches("[0-9],(\\S+,){10}[0-9]")), lines.get(1));

        DigitsTrainerOptionsTest.Outcome image = run("predict", "--model", model.toString(), "--backend", "cpu",
                "--index", "3");
        assertEquals(0, image.status(), image.err());
        assertTrue(image.out().contains("Image 3 (label 3)"), image.out());
        assertTrue(image.out().contains("image 3: class ") && !image.out().contains("row 1"), image.out());

        Path csv = dir.resolve("rows.csv");
        String zeros = "0,".repeat(63) + "0";
        String ones = "16,".repeat(63) + "16";
        Files.writeString(csv, zeros + "\n" + ones + "\n", StandardCharsets.UTF_8);
        DigitsTrainerOptionsTest.Outcome rows = run("predict", "--model", model.toString(), "--backend", "cpu",
                "--csv", csv.toString());
        assertEquals(0, rows.status(), rows.err());
        assertTrue(rows.out().contains("row 1: class ") && rows.out().contains("row 2: class ")
                && !rows.out().contains("row 0"), "numbered from 1, as errors count data rows: " + rows.out());
    }

    /**
     * {@code digits inspect} describes a model file, a checkpoint and an ONNX export: the writer and checksums, the
     * network's table, the preprocessing, a checkpoint's progress and the run's settings; a file with no writer or
     * checksums says so, and a missing file is a usage error.
     */
    @Test
    void inspectDescribesModelFilesCheckpointsAndOnnx() throws Exception {
        Path model = dir.resolve("model.safetensors");
        Path checkpoints = dir.resolve("checkpoints");
        DigitsTrainerOptionsTest.Outcome trained = run("--preset", "keras", "--backend", "cpu", "--epochs", "2",
                "--hidden", "16", "--progress-every", "0", "--save", model.toString(), "--checkpoint-dir",
                checkpoints.toString());
        assertEquals(0, trained.status(), trained.err());

        DigitsTrainerOptionsTest.Outcome shown = run("inspect", model.toString());
        assertEquals(0, shown.status(), shown.err());
        String out = shown.out();
        assertTrue(out.startsWith(model + ": an nnj model file (safetensors, format 1, Dense weights (in, out), nnj's "
                + "layout), written by "
                + dev.nnj.api.io.ModelFiles.WRITER + "; its header and data match their checksums\n"), out);
        assertTrue(out.contains("input (N, 64)") && out.contains("Total parameters: 1210"), out);
        // The digits are scaled on all images, as the article does (not on the training rows, as a CSV file is).
        assertTrue(out.contains("  features   64 columns, min-max scaled to [0, 1] by the minimum and maximum of all "
                + "1797 images (as the article scales them)\n"), out);
        assertEquals("the training rows", InspectCommand.fittedOn(java.util.Map.of("digits.data", "csv")));
        assertEquals("the rows it was fitted on", InspectCommand.fittedOn(java.util.Map.of()), "another program's");
        assertTrue(out.contains("  classes    10: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9\n"), out);
        assertTrue(out.matches("(?s).*\n  digits\\.preset +keras\n.*"), out);
        assertFalse(out.contains("Checkpoint:"), out);

        DigitsTrainerOptionsTest.Outcome checkpoint = run("inspect", checkpoints.resolve("last.safetensors")
                .toString());
        assertEquals(0, checkpoint.status(), checkpoint.err());
        assertTrue(checkpoint.out().contains(": an nnj checkpoint (safetensors, format 1, Dense weights (in, out)"),
                checkpoint.out());
        assertTrue(checkpoint.out().contains("Checkpoint: 2 epochs done; Adam after 90 steps, learning rate 0.001, "
                + "which a resumed run goes on with"), checkpoint.out());

        // Under a schedule the recorded rate is its starting one, from which a resumed run's schedule goes on.
        Path scheduled = dir.resolve("scheduled");
        assertEquals(0, run("--preset", "keras", "--backend", "cpu", "--epochs", "2", "--hidden", "8",
                "--progress-every", "0", "--lr-schedule", "step:1:0.5", "--checkpoint-dir", scheduled.toString())
                .status());
        DigitsTrainerOptionsTest.Outcome stepped = run("inspect", scheduled.resolve("last.safetensors").toString());
        assertTrue(stepped.out().contains("base learning rate 0.001, from which its schedule (step"),
                stepped.out());

        // PyTorch's layout, which a reader of the file outside nnj needs to know first.
        Path torch = dir.resolve("torch.safetensors");
        assertEquals(0, run("convert", model.toString(), torch.toString(), "--layout", "pytorch").status());
        DigitsTrainerOptionsTest.Outcome torchLayout = run("inspect", torch.toString());
        assertTrue(torchLayout.out().startsWith(torch + ": an nnj model file (safetensors, format 1, Dense weights "
                + "(out, in) as PyTorch's nn.Linear.weight), written by "), torchLayout.out());

        Path onnx = dir.resolve("model.onnx");
        assertEquals(0, run("convert", model.toString(), onnx.toString()).status());
        DigitsTrainerOptionsTest.Outcome fromOnnx = run("inspect", onnx.toString());
        assertEquals(0, fromOnnx.status(), fromOnnx.err());
        assertTrue(fromOnnx.out().startsWith(onnx + ": an ONNX model (IR version ")
                && fromOnnx.out().contains(", opset 13, from nnj ") && fromOnnx.out().contains("Total "
                + "parameters: 1210") && fromOnnx.out().contains("  classes    10: "), fromOnnx.out());

        // As another tool or an older nnj writes it: no writer, no checksums (nnj's writer adds both).
        byte[] bytes = Files.readAllBytes(model);
        int length = (int) java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, length, StandardCharsets.UTF_8)
                .replaceAll("\"nnj\\.(written_by|data_crc32c|header_crc32c)\":\"[^\"]*\",?", "").replace(",}", "}")
                .strip();
        header += " ".repeat((8 - header.length() % 8) % 8);
        byte[] bareHeader = header.getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream bare = new java.io.ByteArrayOutputStream();
        bare.write(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(bareHeader.length)
                .array());
        bare.write(bareHeader);
        bare.write(bytes, 8 + length, bytes.length - 8 - length);
        Path other = dir.resolve("other.safetensors");
        Files.write(other, bare.toByteArray());
        DigitsTrainerOptionsTest.Outcome old = run("inspect", other.toString());
        assertEquals(0, old.status(), old.err());
        assertTrue(old.out().startsWith(other + ": an nnj model file (safetensors, format 1, Dense weights (in, out), "
                + "nnj's layout), its writer not "
                + "recorded (an older nnj or another tool); it holds no checksums"), old.out());

        // A checkpoint of a model built in code (a layer of its own): described from its metadata.
        Path code = dir.resolve("code.safetensors");
        try (dev.nnj.api.Backend cpu = dev.nnj.api.Backends.get("cpu");
             dev.nnj.api.model.Sequential custom = new dev.nnj.api.model.Sequential(cpu, 4, 1)
                     .add(new dev.nnj.api.layers.Dense(3))
                     .add(new dev.nnj.api.layers.CustomActivationLayer(new dev.nnj.examples.custom.Swish()));
             dev.nnj.api.optim.Sgd sgd = new dev.nnj.api.optim.Sgd(0.1f)) {
            dev.nnj.api.io.Checkpoint.save(code, custom, sgd, 7, dev.nnj.api.io.Preprocessing.none(),
                    Map.of("run", "mine"));
        }
        DigitsTrainerOptionsTest.Outcome fromCode = run("inspect", code.toString());
        assertEquals(0, fromCode.status(), fromCode.err());
        assertTrue(fromCode.out().contains(": an nnj checkpoint (safetensors, format 1, Dense weights (in, out), "
                + "nnj's layout), written by ")
                && fromCode.out().contains("Network: built in code, with a layer of its own")
                && fromCode.out().contains("Swish")
                && fromCode.out().contains("Checkpoint: 7 epochs done; Sgd after 0 steps, learning rate 0.1 (with a "
                        + "learning-rate schedule, the schedule's base rate)")
                && fromCode.out().matches("(?s).*\n  run  mine\n.*"), fromCode.out());

        DigitsTrainerOptionsTest.Outcome missing = run("inspect", dir.resolve("none.safetensors").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("invalid value for FILE: ")
                && missing.err().contains("does not exist"), missing.err());
    }

    /**
     * {@code --save model.onnx} writes an ONNX model of raw pixels in, and {@code predict} reads it back with its
     * scaler and class names: the same probabilities, to the bit, as from the same training saved as nnj's model
     * file; a graph without preprocessing (as from PyTorch) gets the article's scaling.
     */
    @Test
    void anOnnxModelSavesAndPredictsAsTheModelFileDoes() throws Exception {
        String[] training = {"--preset", "keras", "--backend", "cpu", "--epochs", "3", "--hidden", "16",
            "--progress-every", "0"};
        Path onnx = dir.resolve("model.onnx");
        Path safetensors = dir.resolve("model.safetensors");
        DigitsTrainerOptionsTest.Outcome trained = run(concat(training, "--save", onnx.toString()));
        assertEquals(0, trained.status(), trained.err());
        assertTrue(trained.out().contains("Saved the model to " + onnx + " (ONNX, opset 13: raw features in, its "
                + "min-max scaler in the graph; class names and the run's settings as metadata)"), trained.out());
        assertEquals(0, run(concat(training, "--save", safetensors.toString())).status());

        Path fromOnnx = dir.resolve("onnx.csv");
        Path fromFile = dir.resolve("safetensors.csv");
        DigitsTrainerOptionsTest.Outcome predicted = run("predict", "--model", onnx.toString(), "--backend", "cpu",
                "--output", fromOnnx.toString());
        assertEquals(0, predicted.status(), predicted.err());
        assertTrue(predicted.out().contains("applying its saved scaler"), predicted.out());
        assertTrue(predicted.out().contains("accuracy " + testAccuracy(trained.out())), predicted.out());
        assertEquals(0, run("predict", "--model", safetensors.toString(), "--backend", "cpu", "--output",
                fromFile.toString()).status());
        assertEquals(Files.readAllLines(fromFile), Files.readAllLines(fromOnnx));

        // A graph without nnj's metadata, as from PyTorch: the network alone, which was trained on the article's
        // scaling; the extension in capitals.
        Path plain = dir.resolve("PLAIN.ONNX");
        try (dev.nnj.api.Backend cpu = dev.nnj.api.Backends.get("cpu");
             dev.nnj.api.io.SavedModel saved = dev.nnj.api.io.ModelFiles.load(safetensors, cpu)) {
            dev.nnj.onnx.OnnxExporter.export(saved.model(), plain);
        }
        DigitsTrainerOptionsTest.Outcome foreign = run("predict", "--model", plain.toString(), "--backend", "cpu");
        assertEquals(0, foreign.status(), foreign.err());
        assertTrue(foreign.out().contains("no scaler saved with it: the digits get the article's min-max scaling"),
                foreign.out());
        assertTrue(foreign.out().contains("accuracy " + testAccuracy(trained.out())), foreign.out());

        DigitsTrainerOptionsTest.Outcome layout = run(concat(training, "--save", onnx.toString(), "--save-layout",
                "pytorch"));
        assertEquals(2, layout.status());
        assertTrue(layout.err().startsWith("digits: --save-layout lays out a safetensors file; an ONNX file's weights "
                + "are laid out as its Gemm nodes read them"), layout.err());
        Path broken = dir.resolve("broken.onnx");
        Files.writeString(broken, "not a model");
        DigitsTrainerOptionsTest.Outcome refused = run("predict", "--model", broken.toString(), "--backend", "cpu");
        assertEquals(1, refused.status());
        assertTrue(refused.err().startsWith("digits: error: " + broken + ": not an ONNX model ("), refused.err());
    }

    /**
     * {@code digits convert}: nnj's file to ONNX and back, with its preprocessing and the run's settings, predicts the
     * same rows to the bit; ONNX with scaled features in; the PyTorch layout; and the refusals.
     */
    @Test
    void convertTurnsAModelFileIntoOnnxAndBack() throws Exception {
        Path trained = dir.resolve("trained.safetensors");
        assertEquals(0, run("--preset", "keras", "--backend", "cpu", "--epochs", "3", "--hidden", "16",
                "--progress-every", "0", "--save", trained.toString()).status());
        Path onnx = dir.resolve("trained.onnx");
        DigitsTrainerOptionsTest.Outcome toOnnx = run("convert", trained.toString(), onnx.toString());
        assertEquals(0, toOnnx.status(), toOnnx.err());
        assertEquals("Converted " + trained + " (safetensors, 1210 parameters, min-max scaler and class names) to "
                + onnx + " (ONNX, raw features in)", toOnnx.out().strip());
        // A model file is replaced; a text file (data) is not, and neither command writes anything then.
        assertEquals(0, run("convert", trained.toString(), onnx.toString()).status());
        Path data = Files.writeString(dir.resolve("data.csv"), "a,b,kind\n1,2,x\n");
        DigitsTrainerOptionsTest.Outcome ontoData = run("convert", trained.toString(), data.toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, ontoData.status());
        assertTrue(ontoData.err().contains("OUT: " + data + " is a text file (it begins 'a,b,kind'), not a model "
                + "file; writing the model would replace it, so remove it first or name another file"), ontoData.err());
        DigitsTrainerOptionsTest.Outcome saveOntoData = run("--backend", "cpu", "--epochs", "1", "--save",
                data.toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, saveOntoData.status());
        assertTrue(saveOntoData.err().contains("'--save': " + data + " is a text file"), saveOntoData.err());
        assertEquals("a,b,kind\n1,2,x\n", Files.readString(data), "the data file is intact");
        // A read-only model is refused before training, not after it (the trained model would be lost).
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews()
                .contains("posix"), "no POSIX permissions");
        Files.setPosixFilePermissions(trained, java.nio.file.attribute.PosixFilePermissions.fromString("r--r--r--"));
        DigitsTrainerOptionsTest.Outcome readOnly = run("--backend", "cpu", "--epochs", "1", "--save",
                trained.toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, readOnly.status());
        assertTrue(readOnly.err().contains("'--save': " + trained + " is read-only (r--r--r--), so it is not replaced")
                && !readOnly.out().contains("epoch"), readOnly.out() + readOnly.err());
        Files.setPosixFilePermissions(trained, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Path back = dir.resolve("back.safetensors");
        DigitsTrainerOptionsTest.Outcome toFile = run("convert", onnx.toString(), back.toString(), "--layout",
                "pytorch");
        assertEquals(0, toFile.status(), toFile.err());
        assertTrue(toFile.out().contains("to " + back + " (safetensors, pytorch layout)"), toFile.out());
        Path scaled = dir.resolve("scaled.onnx");
        assertEquals(0, run("convert", trained.toString(), scaled.toString(), "--scaled-input").status());

        List<String> expected = null;
        for (Path model : new Path[] {trained, onnx, back, scaled}) {
            Path probabilities = dir.resolve(model.getFileName() + ".csv");
            DigitsTrainerOptionsTest.Outcome p = run("predict", "--model", model.toString(), "--backend", "cpu",
                    "--output", probabilities.toString());
            assertEquals(0, p.status(), p.err());
            assertTrue(p.out().contains("applying its saved scaler"), p.out());
            List<String> lines = Files.readAllLines(probabilities);
            if (expected == null) {
                expected = lines;
            }
            assertEquals(expected, lines, model + " predicts what the trained model does, to the bit");
        }
        try (dev.nnj.api.Backend cpu = dev.nnj.api.Backends.get("cpu");
             dev.nnj.api.io.SavedModel original = dev.nnj.api.io.ModelFiles.load(trained, cpu);
             dev.nnj.api.io.SavedModel converted = dev.nnj.api.io.ModelFiles.load(back, cpu)) {
            assertEquals(original.metadata().get("digits.preset"), converted.metadata().get("digits.preset"),
                    "the run's settings travel");
            assertEquals("out_in", converted.metadata().get(dev.nnj.api.io.ModelFiles.LAYOUT_KEY));
        }

        DigitsTrainerOptionsTest.Outcome same = run("convert", onnx.toString(), onnx.toString());
        assertEquals(2, same.status());
        assertTrue(same.err().startsWith("digits: invalid value for OUT: " + onnx + " is the file IN reads; "
                + "writing it would replace it"), same.err());
        DigitsTrainerOptionsTest.Outcome third = run("convert", onnx.toString(), back.toString(), "extra");
        assertEquals(2, third.status());
        assertTrue(third.err().contains("unexpected argument 'extra'; convert takes IN, OUT and options"), third.err());
        Path link = Files.createSymbolicLink(dir.resolve("link.onnx"), onnx);
        DigitsTrainerOptionsTest.Outcome throughLink = run("convert", onnx.toString(), link.toString());
        assertEquals(2, throughLink.status(), "the same file under another name: " + throughLink.err());
        assertTrue(throughLink.err().contains("is the file IN reads"), throughLink.err());
        DigitsTrainerOptionsTest.Outcome layout = run("convert", trained.toString(), onnx.toString(), "--layout",
                "pytorch");
        assertEquals(2, layout.status());
        assertTrue(layout.err().startsWith("digits: --layout lays out a safetensors file"), layout.err());
        DigitsTrainerOptionsTest.Outcome missing = run("convert", dir.resolve("none.onnx").toString(),
                back.toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("none.onnx does not exist"), missing.err());
        DigitsTrainerOptionsTest.Outcome folder = run("predict", "--model", dir.toString());
        assertEquals(2, folder.status());
        assertTrue(folder.err().contains(dir + " is a directory"), folder.err());
    }

    /**
     * A classifier that ends in logits (no softmax, as PyTorch's trained with CrossEntropyLoss): predict says so and
     * shows their softmax, rows of probabilities that sum to 1, with the same arg-max.
     */
    @Test
    void aModelEndingInLogitsGetsItsSoftmaxShownAsProbabilities() throws Exception {
        Path file = dir.resolve("logits.safetensors");
        float[] logits;
        try (dev.nnj.api.Backend cpu = dev.nnj.api.Backends.get("cpu");
             dev.nnj.api.model.Sequential model = new dev.nnj.api.model.Sequential(cpu, 64, 9)) {
            model.add(new dev.nnj.api.layers.Dense(16, dev.nnj.api.Activation.RELU))
                    .add(new dev.nnj.api.layers.Dense(10, dev.nnj.api.Activation.IDENTITY));
            dev.nnj.api.io.ModelFiles.save(model, file);
            dev.nnj.api.data.IndexSplit.Datasets digits = dev.nnj.api.data.Digits.scaledArticleSplit();
            logits = model.predict(digits.test().features(), digits.test().size());
        }
        Path probabilities = dir.resolve("p.csv");
        DigitsTrainerOptionsTest.Outcome p = run("predict", "--model", file.toString(), "--backend", "cpu",
                "--output", probabilities.toString());
        assertEquals(0, p.status(), p.err());
        assertTrue(p.out().contains("  its outputs are logits (the last layer, dense_2, has no softmax): the "
                + "probabilities shown are their softmax"), p.out());
        List<String> lines = Files.readAllLines(probabilities);
        assertEquals(361, lines.size());
        for (int row = 0; row < 360; row++) {
            String[] fields = lines.get(row + 1).split(",");
            double sum = 0;
            int argmax = 0;
            for (int k = 0; k < 10; k++) {
                double v = Double.parseDouble(fields[k + 1]);
                assertTrue(v >= 0 && v <= 1, "a probability: " + lines.get(row + 1));
                sum += v;
                argmax = logits[row * 10 + k] > logits[row * 10 + argmax] ? k : argmax;
            }
            assertEquals(1, sum, 1e-4, lines.get(row + 1));
            assertEquals(Integer.toString(argmax), fields[0], "the logits' arg-max");
        }
    }

    /**
     * Early stopping continues across a resumption: a run stopped one epoch after its best epoch and resumed stops
     * where the uninterrupted run stops and restores the same best epoch's weights (before checkpoints held early
     * stopping's progress, the resumed run counted its patience from 0 and ended on another epoch).
     */
    @Test
    void earlyStoppingContinuesAcrossAResumption() throws Exception {
        String kernels = System.getProperty(KERNELS_PROPERTY);
        System.setProperty(KERNELS_PROPERTY, "reference");   // bit for bit in every JIT tier, as below
        try {
            String[] settings = {"--preset", "keras", "--backend", "cpu", "--hidden", "16", "--seed", "3",
                "--learning-rate", "0.02", "--validation-split", "0.2", "--early-stopping", "--patience", "2",
                "--progress-every", "0"};
            Path straight = dir.resolve("straight.safetensors");
            Path whole = dir.resolve("whole");
            DigitsTrainerOptionsTest.Outcome all = run(concat(settings, "--epochs", "40", "--save",
                    straight.toString(), "--checkpoint-dir", whole.toString()));
            assertEquals(0, all.status(), all.err());
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                    "result: (\\d+) epochs? in .*, stopped early; best epoch (\\d+) restored").matcher(all.out());
            assertTrue(m.find(), "the uninterrupted run stops early: " + all.out());
            int stop = Integer.parseInt(m.group(1));
            int best = Integer.parseInt(m.group(2));
            assertTrue(best < stop - 1, "best epoch " + best + " before the checkpoint's epoch " + (stop - 1));

            Path checkpoints = dir.resolve("checkpoints");
            assertEquals(0, run(concat(settings, "--epochs", Integer.toString(stop - 1), "--checkpoint-dir",
                    checkpoints.toString())).status());
            Path resumed = dir.resolve("resumed.safetensors");
            // As the docs say: --resume and --epochs, nothing else. The checkpoint records early stopping and its
            // patience (before, such a resume trained on to epoch 40 without a word, and ended on another model).
            DigitsTrainerOptionsTest.Outcome o = run("--backend", "cpu", "--epochs", "40", "--progress-every", "0",
                    "--resume", checkpoints.resolve("last.safetensors").toString(), "--save", resumed.toString());
            assertEquals(0, o.status(), o.err());
            assertTrue(o.out().contains("seed 3, early stopping (patience 2); epochs " + stop + " to 40"), o.out());
            assertTrue(o.out().contains("  early stopping so far: best epoch " + best + " (validation loss "),
                    o.out());
            assertTrue(o.out().contains("result: 1 epoch in ") && o.out().contains("stopped early; best epoch " + best
                    + " restored"), o.out());
            Map<String, NamedTensor> a = SafeTensors.read(straight).tensors();
            Map<String, NamedTensor> b = SafeTensors.read(resumed).tensors();
            for (String name : a.keySet()) {
                assertArrayEquals(a.get(name).values(), b.get(name).values(), name + " bit for bit");
            }
            // The checkpoint of the stop itself, resumed: nothing left to train, and the same model saved.
            Path again = dir.resolve("again.safetensors");
            DigitsTrainerOptionsTest.Outcome stopped = run("--backend", "cpu", "--epochs", "40", "--early-stopping",
                    "--patience", "2", "--progress-every", "0", "--resume",
                    whole.resolve("last.safetensors").toString(), "--save", again.toString());
            assertEquals(0, stopped.status(), stopped.err());
            assertTrue(stopped.out().contains("result: 0 epochs in ") && stopped.out().contains(" s, stopped early; "
                    + "best epoch " + best + " restored"), stopped.out());
            Map<String, NamedTensor> c = SafeTensors.read(again).tensors();
            for (String name : a.keySet()) {
                assertArrayEquals(a.get(name).values(), c.get(name).values(), name + " bit for bit, stopped again");
            }
            // The options, given again, agree; another patience, or early stopping on a run without it, is refused.
            DigitsTrainerOptionsTest.Outcome told = run("--backend", "cpu", "--epochs", "40", "--early-stopping",
                    "--patience", "2", "--progress-every", "0", "--resume",
                    checkpoints.resolve("last.safetensors").toString());
            assertEquals(0, told.status(), told.err());
            assertTrue(told.out().contains("stopped early; best epoch " + best + " restored"), told.out());
            DigitsTrainerOptionsTest.Outcome patience = run("--backend", "cpu", "--epochs", "40", "--patience", "5",
                    "--resume", checkpoints.resolve("last.safetensors").toString());
            assertEquals(DigitsTrainer.EXIT_USAGE, patience.status(), patience.err());
            assertTrue(patience.err().contains("'--patience': 5 differs from the 2 that "), patience.err());
            Path without = dir.resolve("without");
            assertEquals(0, run("--preset", "keras", "--backend", "cpu", "--hidden", "8", "--epochs", "2",
                    "--validation-split", "0.2", "--progress-every", "0", "--checkpoint-dir", without.toString())
                    .status());
            DigitsTrainerOptionsTest.Outcome added = run("--backend", "cpu", "--epochs", "3", "--early-stopping",
                    "--resume", without.resolve("last.safetensors").toString());
            assertEquals(DigitsTrainer.EXIT_USAGE, added.status(), added.err());
            assertTrue(added.err().contains("was trained without early stopping; a resumed run continues with the "
                    + "checkpoint's settings, so leave --early-stopping out"), added.err());

            // A checkpoint from before early stopping was recorded: resumed as told, with a note when not told.
            SafeTensors.Contents contents = SafeTensors.read(checkpoints.resolve("last.safetensors"));
            Map<String, String> metadata = new java.util.LinkedHashMap<>(contents.metadata());
            metadata.keySet().removeIf(key -> key.equals(RunSettings.EARLY_STOPPING_KEY)
                    || key.equals("nnj.header_crc32c"));
            Path older = dir.resolve("older.safetensors");
            SafeTensors.write(older, new java.util.ArrayList<>(contents.tensors().values()), metadata);
            DigitsTrainerOptionsTest.Outcome plain = run("--backend", "cpu", "--epochs", Integer.toString(stop),
                    "--progress-every", "0", "--resume", older.toString());
            assertEquals(0, plain.status(), plain.err());
            assertFalse(plain.out().contains("early stopping so far"), plain.out());
            assertTrue(plain.out().contains("run stopped early (best epoch " + best + " so far), and its file does "
                    + "not record the patience; this run does not stop early: add --early-stopping --patience N"),
                    plain.out());
        } finally {
            if (kernels == null) {
                System.clearProperty(KERNELS_PROPERTY);
            } else {
                System.setProperty(KERNELS_PROPERTY, kernels);
            }
        }
    }

    @Test
    void fourEpochsEqualTwoPlusTwoResumedFromACheckpoint() throws Exception {
        // Bit for bit needs kernels whose results do not depend on the JIT tier: the Vector API exponential
        // (softmax) is compiled by C2 to an intrinsic that can differ by an ulp from its interpreted fallback,
        // and the first of these runs starts cold. The reference kernels use Math.exp, alike in every tier.
        String kernels = System.getProperty(KERNELS_PROPERTY);
        System.setProperty(KERNELS_PROPERTY, "reference");
        try {
            Path straight = dir.resolve("straight.safetensors");
            assertEquals(0, run("--preset", "keras", "--backend", "cpu", "--epochs", "4", "--hidden", "16", "--seed", "3",
                    "--progress-every", "0", "--save", straight.toString()).status());
            Path checkpoints = dir.resolve("checkpoints");
            assertEquals(0, run("--preset", "keras", "--backend", "cpu", "--epochs", "2", "--hidden", "16", "--seed", "3",
                    "--progress-every", "0", "--checkpoint-dir", checkpoints.toString()).status());
            assertTrue(Files.isRegularFile(checkpoints.resolve("last.safetensors")), "last checkpoint");
            assertTrue(Files.isRegularFile(checkpoints.resolve("best.safetensors")), "best checkpoint");
            Path resumed = dir.resolve("resumed.safetensors");
            // No --preset, --hidden or --seed: the network and the settings come from the checkpoint.
            DigitsTrainerOptionsTest.Outcome o = run("--backend", "cpu", "--epochs", "4",
                    "--progress-every", "0", "--resume", checkpoints.resolve("last.safetensors").toString(),
                    "--save", resumed.toString());
            assertEquals(0, o.status(), o.err());
            assertTrue(o.out().contains("Resuming with the checkpoint's settings: preset keras, adam, learning rate "
                    + "0.001, batch size 32, seed 3"), o.out());
            assertTrue(o.out().contains("Training: Adam(lr=0.001"), o.out());
            assertTrue(o.out().contains("after epoch 2"), o.out());
            Map<String, NamedTensor> a = SafeTensors.read(straight).tensors();
            Map<String, NamedTensor> b = SafeTensors.read(resumed).tensors();
            assertEquals(a.keySet(), b.keySet(), "tensor names");
            for (String name : a.keySet()) {
                assertArrayEquals(a.get(name).values(), b.get(name).values(), name + " bit for bit");
            }
        } finally {
            if (kernels == null) {
                System.clearProperty(KERNELS_PROPERTY);
            } else {
                System.setProperty(KERNELS_PROPERTY, kernels);
            }
        }
    }

    @Test
    void badCombinationsAndBrokenFilesGiveOneLineErrors() throws Exception {
        DigitsTrainerOptionsTest.Outcome seeds = run("--seeds", "0-1", "--save", dir.resolve("m").toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, seeds.status());
        assertTrue(seeds.err().contains("--save, --checkpoint-dir and --resume train one model"), seeds.err());

        DigitsTrainerOptionsTest.Outcome every = run("--checkpoint-every", "5");
        assertEquals(DigitsTrainer.EXIT_USAGE, every.status());
        assertTrue(every.err().contains("--checkpoint-every needs --checkpoint-dir DIR"), every.err());

        DigitsTrainerOptionsTest.Outcome layout = run("--save-layout", "pytorch");
        assertEquals(DigitsTrainer.EXIT_USAGE, layout.status());
        assertTrue(layout.err().contains("--save-layout needs --save FILE"), layout.err());

        DigitsTrainerOptionsTest.Outcome missing = run("--resume", dir.resolve("nope.safetensors").toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, missing.status());
        assertTrue(missing.err().contains("'--resume'")
                && missing.err().contains("nope.safetensors does not exist"), missing.err());

        Path broken = dir.resolve("broken.safetensors");
        Files.write(broken, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        DigitsTrainerOptionsTest.Outcome bad = run("predict", "--model", broken.toString(), "--backend", "cpu");
        assertEquals(DigitsTrainer.EXIT_FAILURE, bad.status());
        assertTrue(bad.err().startsWith("digits: error: " + broken + ": header length"), bad.err());
        assertEquals(1, bad.err().strip().split("\n").length, "one line: " + bad.err());

        Path model = dir.resolve("model.safetensors");
        assertEquals(0, run("--preset", "keras", "--backend", "cpu", "--epochs", "1", "--hidden", "8",
                "--progress-every", "0", "--save", model.toString()).status());
        DigitsTrainerOptionsTest.Outcome notACheckpoint = run("--resume", model.toString(), "--backend", "cpu");
        assertEquals(DigitsTrainer.EXIT_FAILURE, notACheckpoint.status());
        assertTrue(notACheckpoint.err().contains("not a checkpoint"), notACheckpoint.err());
        Path onnx = Files.copy(model, dir.resolve("model.onnx"));   // its name alone decides
        DigitsTrainerOptionsTest.Outcome fromOnnx = run("--resume", onnx.toString(), "--backend", "cpu");
        assertEquals(DigitsTrainer.EXIT_USAGE, fromOnnx.status(), fromOnnx.err());
        assertTrue(fromOnnx.err().contains("model.onnx is an ONNX model, which holds no optimizer state or epoch"),
                fromOnnx.err());
        DigitsTrainerOptionsTest.Outcome version = run("predict", "-V");
        assertEquals(0, version.status());
        assertTrue(version.out().startsWith("nnj digits trainer"), "predict's -V prints the version: " + version.out());
        DigitsTrainerOptionsTest.Outcome showOne = run("predict", "--model", model.toString(), "--index", "3",
                "--show", "5");
        assertEquals(DigitsTrainer.EXIT_USAGE, showOne.status());
        assertTrue(showOne.err().contains("'--show' applies to the test set or a CSV"), showOne.err());
        DigitsTrainerOptionsTest.Outcome showBoth = run("predict", "--model", model.toString(), "--show", "0",
                "--show-all");
        assertEquals(DigitsTrainer.EXIT_USAGE, showBoth.status());
        assertTrue(showBoth.err().contains("give one"), showBoth.err());
        DigitsTrainerOptionsTest.Outcome noBackend = run("predict", "--model", model.toString(), "--backend", "tpu");
        assertEquals(DigitsTrainer.EXIT_USAGE, noBackend.status(), "as training says it: " + noBackend.err());
        assertTrue(noBackend.err().contains("'tpu' is not a backend here; allowed: "), noBackend.err());
        Path probabilities = dir.resolve("p.csv");
        DigitsTrainerOptionsTest.Outcome written = run("predict", "--model", model.toString(), "--backend", "cpu",
                "--output", probabilities.toString());
        assertEquals(0, written.status(), written.err());
        assertTrue(written.out().contains("Wrote the class and 10 probabilities of 360 rows to " + probabilities)
                && written.out().contains("(350 more rows; --show-all prints them)\n"), written.out());
        DigitsTrainerOptionsTest.Outcome index = run("predict", "--model", model.toString(), "--index", "1797");
        assertEquals(DigitsTrainer.EXIT_USAGE, index.status());
        assertTrue(index.err().contains("1797 is not an image"), index.err());
        assertTrue(index.err().strip().endsWith("(see digits predict --help)"), "the subcommand's help: " + index.err());
    }

    @Test
    void aResumedRunRefusesOptionsThatContradictItsCheckpoint() throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        assertEquals(0, run("--preset", "keras", "--backend", "cpu", "--epochs", "1", "--hidden", "8",
                "--progress-every", "0", "--checkpoint-dir", checkpoints.toString()).status());
        String last = checkpoints.resolve("last.safetensors").toString();
        String[][] contradictions = {
            {"--hidden", "16", "differs from the 8 hidden units"},
            {"--learning-rate", "0.5", "0.5 differs from the 0.001"},
            {"--batch-size", "64", "64 differs from the 32"},
            {"--preset", "article", "article differs from the keras"},
            {"--optimizer", "sgd", "sgd differs from the adam"},
            {"--class-weight", "balanced", "balanced differs from the none"},
        };
        for (String[] c : contradictions) {
            DigitsTrainerOptionsTest.Outcome o = run("--backend", "cpu", "--epochs", "2", "--progress-every", "0",
                    "--resume", last, c[0], c[1]);
            assertEquals(DigitsTrainer.EXIT_USAGE, o.status(), c[0] + ": " + o.out() + o.err());
            assertTrue(o.err().contains("'" + c[0] + "'") && o.err().contains(c[2])
                    && o.err().contains("leave " + c[0] + " out"), o.err());
            assertTrue(!o.out().contains("result:"), c[0] + " must stop before training: " + o.out());
        }
        // A checkpoint whose recorded settings cannot be read says which, and nothing else of its metadata.
        SafeTensors.Contents contents = SafeTensors.read(Path.of(last));
        Map<String, String> metadata = new java.util.LinkedHashMap<>(contents.metadata());
        metadata.put(RunSettings.PRESET_KEY, "imagenet");
        Path odd = dir.resolve("odd.safetensors");
        SafeTensors.write(odd, List.copyOf(contents.tensors().values()), metadata);
        DigitsTrainerOptionsTest.Outcome unreadable = run("--backend", "cpu", "--epochs", "2", "--resume",
                odd.toString());
        assertEquals(DigitsTrainer.EXIT_FAILURE, unreadable.status());
        assertTrue(unreadable.err().contains("unreadable run settings in its metadata {digits.batch-size=32, "
                + "digits.class-weight=none, digits.clip-gradients=none, digits.data=digits, "
                + "digits.early-stopping=off, digits.epochs=1, "
                + "digits.lr-schedule=constant, "
                + "digits.optimizer=adam, digits.preset=imagenet, digits.seed=0, digits.training-rows=1437 rows, "
                + "crc32c c39fe749, digits.validation-split=none, digits.weight-decay=0.0}"),
                unreadable.err());
        // Options that agree with the checkpoint are fine.
        DigitsTrainerOptionsTest.Outcome agreeing = run("--backend", "cpu", "--epochs", "2", "--progress-every", "0",
                "--resume", last, "--preset", "keras", "--hidden", "8", "--batch-size", "32", "--learning-rate",
                "0.001", "--optimizer", "adam");
        assertEquals(0, agreeing.status(), agreeing.err());
    }

    @Test
    void aResumedCsvRunSplitsAndScalesAsTheRunItContinues() throws Exception {
        StringBuilder csv = new StringBuilder("a,b,kind\n");
        for (int i = 0; i < 90; i++) {
            int k = i % 3;
            csv.append(k * 10 + i % 7).append(',').append(i % 5 * 100).append(',').append("xyz".charAt(k)).append('\n');
        }
        Path data = Files.writeString(dir.resolve("kinds.csv"), csv);
        String[] common = {"--csv", data.toString(), "--header", "--label", "kind", "--backend", "cpu",
            "--progress-every", "0"};
        Path checkpoints = dir.resolve("ck");
        DigitsTrainerOptionsTest.Outcome first = run(concat(common, "--preset", "keras", "--hidden", "8",
                "--scaler", "standard", "--validation-split", "0.2", "--split-seed", "5", "--epochs", "2",
                "--checkpoint-dir", checkpoints.toString()));
        assertEquals(0, first.status(), first.err());
        String last = checkpoints.resolve("last.safetensors").toString();
        String[][] contradictions = {
            {"--scaler", "minmax", "minmax differs from the standard"},
            {"--split-seed", "6", "6 differs from the 5"},
            {"--seed", "3", "3 differs from the 0"},
            {"--test-split", "0.3", "0.3 differs from the 0.2"},
            {"--validation-split", "0.1", "0.1 differs from the 0.2"},
        };
        for (String[] c : contradictions) {
            DigitsTrainerOptionsTest.Outcome o = run(concat(common, "--epochs", "3", "--resume", last, c[0], c[1]));
            assertEquals(DigitsTrainer.EXIT_USAGE, o.status(), c[0] + ": " + o.out() + o.err());
            assertTrue(o.err().contains("'" + c[0] + "'") && o.err().contains(c[2])
                    && o.err().contains("leave " + c[0] + " out"), o.err());
        }
        // A checkpoint from before --scaler was recorded, resumed without it: another kind of scaler, not other data.
        SafeTensors.Contents contents = SafeTensors.read(Path.of(last));
        Map<String, String> metadata = new java.util.LinkedHashMap<>(contents.metadata());
        metadata.keySet().removeIf(key -> key.equals(DataRecord.SCALER_KEY) || key.equals("nnj.header_crc32c"));
        Path unrecorded = dir.resolve("unrecorded.safetensors");
        SafeTensors.write(unrecorded, List.copyOf(contents.tensors().values()), metadata);
        DigitsTrainerOptionsTest.Outcome minmax = run(concat(common, "--epochs", "3", "--resume",
                unrecorded.toString()));
        assertEquals(DigitsTrainer.EXIT_USAGE, minmax.status(), minmax.out() + minmax.err());
        assertTrue(minmax.err().contains("was trained with the standard scaler, and this run fits minmax: pass "
                + "--scaler standard to resume it"), minmax.err());
        assertEquals(0, run(concat(common, "--epochs", "3", "--resume", unrecorded.toString(), "--scaler",
                "standard")).status());
        DigitsTrainerOptionsTest.Outcome unscaled = run(concat(common, "--epochs", "3", "--resume",
                unrecorded.toString(), "--scaler", "none"));
        assertEquals(DigitsTrainer.EXIT_USAGE, unscaled.status(), unscaled.out() + unscaled.err());
        assertTrue(unscaled.err().contains("was trained with the standard scaler, and this run scales nothing: pass "
                + "--scaler standard"), unscaled.err());
        // A standard scaler keeps no range: a value far from it is counted in standard deviations from the mean.
        Path far = Files.writeString(dir.resolve("far.csv"), "a,b\n100000,0\n");
        DigitsTrainerOptionsTest.Outcome farOff = run("predict", "--model", last, "--backend", "cpu", "--csv",
                far.toString(), "--header");
        assertEquals(0, farOff.status(), farOff.err());
        assertTrue(farOff.err().contains("warning: 1 of 2 values lie more than 10 standard deviations from the "
                + "training mean the scaler was fitted on (row 1, column a: 100000.0 against mean "), farOff.err());
        // On the digits, a split seed without a validation split would do nothing: refused.
        DigitsTrainerOptionsTest.Outcome seedAlone = run("--backend", "cpu", "--epochs", "1", "--split-seed", "9");
        assertEquals(DigitsTrainer.EXIT_USAGE, seedAlone.status());
        assertTrue(seedAlone.err().contains("'--split-seed' has no effect on the digits without --validation-split"),
                seedAlone.err());
        DigitsTrainerOptionsTest.Outcome digits = run("--backend", "cpu", "--epochs", "3", "--resume", last);
        assertEquals(DigitsTrainer.EXIT_USAGE, digits.status());
        assertTrue(digits.err().contains("was trained on a CSV file; give it with --csv FILE"), digits.err());
        // Another file with the same columns but other classes (or other values) would be trained on silently.
        Path other = Files.writeString(dir.resolve("other.csv"), csv.toString().replace(",x\n", ",w\n"));
        DigitsTrainerOptionsTest.Outcome otherData = run("--csv", other.toString(), "--header", "--label", "kind",
                "--backend", "cpu", "--progress-every", "0", "--epochs", "3", "--resume", last);
        assertEquals(DigitsTrainer.EXIT_USAGE, otherData.status(), otherData.out() + otherData.err());
        assertTrue(otherData.err().contains("was trained on other data: its classes are [x, y, z], this data's "
                + "[w, y, z]"), otherData.err());
        Path scaled = Files.writeString(dir.resolve("scaled.csv"), csv.toString().replace("00,", "01,"));
        DigitsTrainerOptionsTest.Outcome otherValues = run("--csv", scaled.toString(), "--header", "--label", "kind",
                "--backend", "cpu", "--progress-every", "0", "--epochs", "3", "--resume", last);
        assertEquals(DigitsTrainer.EXIT_USAGE, otherValues.status(), otherValues.out() + otherValues.err());
        assertTrue(otherValues.err().contains("its scaler differs"), otherValues.err());
        // The same data with its feature columns swapped: the order is named, not the scaler it also changes.
        StringBuilder swapped = new StringBuilder("b,a,kind\n");
        for (String line : csv.toString().split("\n")) {
            String[] f = line.split(",");
            if (!f[0].equals("a")) {
                swapped.append(f[1]).append(',').append(f[0]).append(',').append(f[2]).append('\n');
            }
        }
        Path reordered = Files.writeString(dir.resolve("reordered.csv"), swapped);
        DigitsTrainerOptionsTest.Outcome otherOrder = run("--csv", reordered.toString(), "--header", "--label",
                "kind", "--backend", "cpu", "--progress-every", "0", "--epochs", "3", "--resume", last);
        assertEquals(DigitsTrainer.EXIT_USAGE, otherOrder.status(), otherOrder.out() + otherOrder.err());
        assertTrue(otherOrder.err().contains("its feature columns are [a, b], this file has them in another order, "
                + "[b, a]"), otherOrder.err());
        // Left out, the settings come from the checkpoint: the same split and scaling, so 2 + 1 epochs equal 3.
        DigitsTrainerOptionsTest.Outcome resumed = run(concat(common, "--epochs", "3", "--resume", last,
                "--save", dir.resolve("resumed.safetensors").toString()));
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("Resuming with the checkpoint's settings"), resumed.out());
        DigitsTrainerOptionsTest.Outcome straight = run(concat(common, "--preset", "keras", "--hidden", "8",
                "--scaler", "standard", "--validation-split", "0.2", "--split-seed", "5", "--epochs", "3",
                "--save", dir.resolve("straight.safetensors").toString()));
        assertEquals(0, straight.status(), straight.err());
        Map<String, NamedTensor> a = SafeTensors.read(dir.resolve("resumed.safetensors")).tensors();
        Map<String, NamedTensor> b = SafeTensors.read(dir.resolve("straight.safetensors")).tensors();
        for (String name : b.keySet()) {
            assertArrayEquals(b.get(name).values(), a.get(name).values(), name + ": 2 + 1 epochs equal 3");
        }
    }

    /**
     * Two training rows swapped: the classes, columns and scaler are all the same (every row is a training row with
     * --test-csv), but the rows trained on are not, so the run would not continue the one it resumes.
     */
    @Test
    void aResumeOnOtherTrainingRowsWithTheSameScalerIsRefused() throws Exception {
        StringBuilder csv = new StringBuilder("a,b,kind\n");
        for (int i = 0; i < 60; i++) {
            csv.append(i % 3 * 10 + i % 7).append(',').append(i % 5 * 100).append(',').append("xyz".charAt(i % 3))
                    .append('\n');
        }
        Path train = Files.writeString(dir.resolve("train.csv"), csv);
        Path test = Files.writeString(dir.resolve("test.csv"), "a,b,kind\n1,100,x\n11,200,y\n21,300,z\n");
        Path checkpoints = dir.resolve("ck");
        String[] common = {"--header", "--label", "kind", "--test-csv", test.toString(), "--backend", "cpu",
            "--progress-every", "0"};
        assertEquals(0, run(concat(new String[] {"--csv", train.toString(), "--epochs", "1", "--checkpoint-dir",
            checkpoints.toString()}, common)).status());
        String[] lines = csv.toString().split("\n");
        String first = lines[1];
        lines[1] = lines[2];
        lines[2] = first;
        Path swapped = Files.writeString(dir.resolve("swapped.csv"), String.join("\n", lines) + "\n");
        DigitsTrainerOptionsTest.Outcome otherRows = run(concat(new String[] {"--csv", swapped.toString(),
            "--epochs", "2", "--resume", checkpoints.resolve("last.safetensors").toString()}, common));
        assertEquals(DigitsTrainer.EXIT_USAGE, otherRows.status(), otherRows.out() + otherRows.err());
        assertTrue(otherRows.err().contains("was trained on other data: its training rows (60 rows, crc32c ")
                && otherRows.err().contains("a value changed, or rows were added, removed or reordered"),
                otherRows.err());
        DigitsTrainerOptionsTest.Outcome same = run(concat(new String[] {"--csv", train.toString(), "--epochs", "2",
            "--resume", checkpoints.resolve("last.safetensors").toString()}, common));
        assertEquals(0, same.status(), same.err());
        // What an interrupted run says of it: the epoch the file holds, not the one the run was in. Only a file this
        // run wrote is named: not before training starts (a checkpoint an earlier run left there would continue
        // that run, not this one), nor one this run resumed from and has not written since.
        Path last = checkpoints.resolve("last.safetensors");
        ModelOptions options = new ModelOptions();
        options.checkpointDir = checkpoints;
        assertEquals(null, options.lastCheckpointNote(), "before training: an earlier run's checkpoint");
        options.rememberLastCheckpoint();
        assertEquals(null, options.lastCheckpointNote(), "not written since training started");
        options.resume = last;
        assertEquals(null, options.lastCheckpointNote(), "resumed from, not written");
        options.resume = null;
        Path copy = dir.resolve("copy.safetensors");
        Files.copy(last, copy);
        Files.move(copy, last, java.nio.file.StandardCopyOption.REPLACE_EXISTING);   // as a checkpoint replaces it
        assertEquals(last + " (the last checkpoint, after epoch 1; --resume " + last + " --checkpoint-dir "
                + checkpoints + " continues)", options.lastCheckpointNote());
        options.save = dir.resolve("my model's.safetensors");
        assertTrue(options.lastCheckpointNote().endsWith(" --save '" + dir + "/my model'\\''s.safetensors' continues)"),
                options.lastCheckpointNote());
        // A CSV run's resume needs the options that read its data: the command it is told, run, continues it (it
        // said "--resume ... continues" alone, which was refused: "trained on a CSV file; give it with --csv").
        DigitsTrainer parsed = new DigitsTrainer();
        new picocli.CommandLine(parsed).parseArgs(concat(new String[] {"--csv", train.toString(), "--epochs", "3",
            "--delimiter", ","}, common));
        List<String> reading = DataOptions.readingOptions(parsed.spec);
        assertEquals(List.of("--csv", train.toString(), "--label", "kind", "--header", "--delimiter", ",",
                "--test-csv", test.toString()), reading);
        options.save = null;
        // A checkpoint of the run's last epoch (interrupted while its files were written) offers no resume, which
        // would be refused for want of an epoch to train.
        assertEquals(last + " (the last checkpoint, after epoch 1, the run's last: training had ended, so no "
                + "--resume continues it; ./digits predict --model " + last + " scores its weights)",
                options.lastCheckpointNote(reading, 1));
        String note = options.lastCheckpointNote(reading, 3);
        String command = note.substring(note.indexOf("; --resume ") + 2, note.lastIndexOf(" continues)"));
        DigitsTrainerOptionsTest.Outcome told = run(concat(command.split(" "), "--epochs", "3", "--backend", "cpu",
                "--progress-every", "0"));
        assertEquals(0, told.status(), command + ": " + told.err());
        assertTrue(told.out().contains("Resumed from " + last + " after epoch "), told.out());
    }

    /**
     * A run interrupted at epoch 2 of 4 resumes to epoch 4 without --epochs (it went to the default, 1000, which
     * trained another run); a finished run's checkpoint is refused before the data is read and the header printed.
     */
    @Test
    void aResumeWithoutEpochsEndsWhereTheRunItContinuesWould() throws Exception {
        Path checkpoints = dir.resolve("ck");
        assertEquals(0, run("--preset", "keras", "--backend", "cpu", "--epochs", "2", "--hidden", "8",
                "--progress-every", "0", "--checkpoint-dir", checkpoints.toString()).status());
        Path last = checkpoints.resolve("last.safetensors");
        DigitsTrainerOptionsTest.Outcome finished = run("--backend", "cpu", "--resume", last.toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, finished.status(), finished.out() + finished.err());
        assertTrue(finished.err().contains("was saved after epoch 2; pass --epochs above 2 to train on")
                && !finished.out().contains("Data:"), finished.out() + finished.err());
        // As if interrupted after epoch 2 of a run of 4: the run's epochs recorded as 4.
        SafeTensors.Contents contents = SafeTensors.read(last);
        Map<String, String> metadata = new java.util.LinkedHashMap<>(contents.metadata());
        metadata.put(RunSettings.EPOCHS_KEY, "4");
        metadata.remove("nnj.header_crc32c");
        Path interrupted = dir.resolve("interrupted.safetensors");
        SafeTensors.write(interrupted, List.copyOf(contents.tensors().values()), metadata);
        DigitsTrainerOptionsTest.Outcome resumed = run("--backend", "cpu", "--progress-every", "0", "--resume",
                interrupted.toString());
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("; epochs 3 to 4 (the run's own)")
                && resumed.out().contains("result: 2 epochs"), resumed.out());
    }

    /** The article preset steps plain SGD, whose saved state is its step count alone: it resumes too. */
    @Test
    void theArticlePresetResumesAndItsCheckpointsAreNotOverwrittenBySave() throws Exception {
        Path checkpoints = dir.resolve("sgd");
        assertEquals(0, run("--backend", "cpu", "--epochs", "2", "--hidden", "8", "--progress-every", "0",
                "--checkpoint-dir", checkpoints.toString()).status());
        String last = checkpoints.resolve("last.safetensors").toString();
        DigitsTrainerOptionsTest.Outcome resumed = run("--backend", "cpu", "--epochs", "3", "--progress-every", "0",
                "--resume", last);
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("Resumed from " + last + " after epoch 2 (SGD(lr="), resumed.out());

        DigitsTrainerOptionsTest.Outcome ontoResume = run("--backend", "cpu", "--epochs", "3", "--resume", last,
                "--save", last);
        assertEquals(DigitsTrainer.EXIT_USAGE, ontoResume.status());
        assertTrue(ontoResume.err().contains("is the checkpoint --resume reads"), ontoResume.err());
        DigitsTrainerOptionsTest.Outcome ontoBest = run("--backend", "cpu", "--epochs", "1", "--checkpoint-dir",
                checkpoints.toString(), "--save", checkpoints.resolve("best.safetensors").toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, ontoBest.status());
        assertTrue(ontoBest.err().contains("is the best.safetensors checkpoint --checkpoint-dir writes"),
                ontoBest.err());
        // The same through a symbolic link, which the write follows: the checkpoint would become a model file.
        Path toLast = Files.createSymbolicLink(dir.resolve("to-last.safetensors"), Path.of(last).toAbsolutePath());
        DigitsTrainerOptionsTest.Outcome linkedResume = run("--backend", "cpu", "--epochs", "3", "--resume", last,
                "--save", toLast.toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, linkedResume.status(), linkedResume.out());
        assertTrue(linkedResume.err().contains("is the checkpoint --resume reads"), linkedResume.err());
        Path toBest = Files.createSymbolicLink(dir.resolve("to-best.safetensors"),
                checkpoints.resolve("best.safetensors").toAbsolutePath());
        DigitsTrainerOptionsTest.Outcome linkedBest = run("--backend", "cpu", "--epochs", "1", "--checkpoint-dir",
                checkpoints.toString(), "--save", toBest.toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, linkedBest.status(), linkedBest.out());
        assertTrue(linkedBest.err().contains("checkpoint --checkpoint-dir writes"), linkedBest.err());
        Path fresh = dir.resolve("fresh-checkpoints");
        DigitsTrainerOptionsTest.Outcome saveInside = run("--backend", "cpu", "--epochs", "1", "--hidden", "8",
                "--progress-every", "0", "--checkpoint-dir", fresh.toString(), "--save",
                fresh.resolve("model.safetensors").toString());
        assertEquals(0, saveInside.status(), "--save into the --checkpoint-dir it makes: " + saveInside.err());
        assertTrue(Files.isRegularFile(fresh.resolve("model.safetensors")), "saved");
        DigitsTrainerOptionsTest.Outcome noEpochsLeft = run("--backend", "cpu", "--epochs", "2", "--resume", last);
        assertEquals(DigitsTrainer.EXIT_USAGE, noEpochsLeft.status(), "a command-line error: " + noEpochsLeft.err());
        assertTrue(noEpochsLeft.err().contains("pass --epochs above 2"), noEpochsLeft.err());
        // That run did not stop early (and held out no validation rows, which early stopping would have to watch).
        DigitsTrainerOptionsTest.Outcome earlyOnTest = run("--backend", "cpu", "--epochs", "4", "--early-stopping",
                "--resume", last);
        assertEquals(DigitsTrainer.EXIT_USAGE, earlyOnTest.status(), earlyOnTest.err());
        assertTrue(earlyOnTest.err().contains(last + " was trained without early stopping; a resumed run continues "
                + "with the checkpoint's settings, so leave --early-stopping out"), earlyOnTest.err());
    }

    /** A checkpoint a program of one's own saved, with no class names or scaler in it: nothing to compare, resumed. */
    @Test
    void aCheckpointWithoutPreprocessingResumes() throws Exception {
        Path file = dir.resolve("own.safetensors");
        try (dev.nnj.api.Backend cpu = dev.nnj.api.Backends.get("cpu");
             dev.nnj.api.model.Sequential model = DigitsPreset.ARTICLE.buildModel(cpu, 16, 0);
             dev.nnj.api.optim.Sgd sgd = new dev.nnj.api.optim.Sgd(0.1f)) {
            dev.nnj.api.io.Checkpoint.save(file, model, sgd, 1, dev.nnj.api.io.Preprocessing.none(), Map.of());
        }
        DigitsTrainerOptionsTest.Outcome o = run("--backend", "cpu", "--epochs", "2", "--progress-every", "0",
                "--resume", file.toString());
        assertEquals(0, o.status(), o.out() + o.err());
        assertTrue(o.out().contains("after epoch 1"), o.out());
    }


    @Test
    void outputPathsAreCheckedBeforeAnyWork() throws Exception {
        DigitsTrainerOptionsTest.Outcome save = run("--backend", "cpu", "--epochs", "1", "--save", dir.toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, save.status());
        assertTrue(save.err().contains("'--save'") && save.err().contains("is a directory"), save.err());
        assertTrue(!save.out().contains("result:"), save.out());

        Path file = Files.writeString(dir.resolve("a-file"), "x");
        DigitsTrainerOptionsTest.Outcome checkpoint = run("--backend", "cpu", "--epochs", "1", "--checkpoint-dir",
                file.toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, checkpoint.status());
        assertTrue(checkpoint.err().contains("is a file, not a directory"), checkpoint.err());
        if (Files.isDirectory(Path.of("/proc/self"))) {
            // Writable by its permission bits to root, yet no file can be made there: found by trying, before training.
            DigitsTrainerOptionsTest.Outcome proc = run("--backend", "cpu", "--epochs", "1", "--save", "/proc/m.st");
            assertEquals(DigitsTrainer.EXIT_USAGE, proc.status());
            assertTrue(proc.err().contains("cannot create files in /proc (no such file or directory)")
                    && !proc.out().contains("result:"), proc.out() + proc.err());
        }
        DigitsTrainerOptionsTest.Outcome underFile = run("--backend", "cpu", "--epochs", "1", "--save",
                file.resolve("m.safetensors").toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, underFile.status());
        assertTrue(underFile.err().contains(file + " is a file, not a directory"), underFile.err());

        Path model = dir.resolve("model.safetensors");
        assertEquals(0, run("--backend", "cpu", "--epochs", "1", "--hidden", "8", "--progress-every", "0",
                "--save", model.toString()).status());
        DigitsTrainerOptionsTest.Outcome intoDirectory = run("predict", "--model", model.toString(), "--output",
                dir.toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, intoDirectory.status());
        assertTrue(intoDirectory.err().contains("'--output'") && intoDirectory.err().contains("is a directory"),
                intoDirectory.err());
        DigitsTrainerOptionsTest.Outcome noDirectory = run("predict", "--model", model.toString(), "--output",
                dir.resolve("missing").resolve("p.csv").toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, noDirectory.status());
        assertTrue(noDirectory.err().contains("does not exist"), noDirectory.err());
    }

    @Test
    void predictOutputDashIsTheCsvAloneOnStdoutAndANamedPipeIsWrittenInto() throws Exception {
        Path model = dir.resolve("model.safetensors");
        assertEquals(0, run("--backend", "cpu", "--epochs", "1", "--hidden", "8", "--progress-every", "0",
                "--save", model.toString()).status());
        DigitsTrainerOptionsTest.Outcome dash = run("predict", "--model", model.toString(), "--output", "-");
        assertEquals(0, dash.status(), dash.err());
        List<String> lines = dash.out().lines().toList();
        // What `--output - | cut -d, -f1` needs: the header and the 360 rows, nothing else, on stdout.
        assertEquals(361, lines.size(), dash.out());
        assertTrue(lines.get(0).startsWith("class,p_0,"), lines.get(0));
        assertTrue(lines.stream().skip(1).allMatch(l -> l.matches("[0-9],.*")), dash.out());
        assertTrue(dash.err().contains("Test set: ") && dash.err().contains("Model ")
                && dash.err().contains("to standard output"), dash.err());
        assertFalse(Files.exists(Path.of("-")), "no file named -");

        // Standard output that cannot be written (a full disk behind '> file'): an error and status 1, not "Wrote".
        StringWriter err = new StringWriter();
        CommandLine cl = DigitsTrainer.commandLine(new DigitsTrainer());
        cl.setOut(new PrintWriter(new java.io.Writer() {
            @Override
            public void write(char[] chars, int off, int len) throws java.io.IOException {
                throw new java.io.IOException("No space left on device");
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        }));
        cl.setErr(new PrintWriter(err, true));
        assertEquals(DigitsTrainer.EXIT_FAILURE, cl.execute("predict", "--model", model.toString(), "--output", "-"));
        assertTrue(err.toString().contains("digits: error: cannot write the predictions to standard output")
                && !err.toString().contains("to standard output\n"), err.toString());

        // A named pipe (as a shell's >(cmd), /dev/fd/N, is): the CSV goes into it, the pipe stays a pipe.
        Path fifo = dir.resolve("predictions.fifo");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (java.io.IOException noMkfifo) {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "no mkfifo here");
            return;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
        java.util.concurrent.CompletableFuture<String> reader = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return Files.readString(fifo);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
        DigitsTrainerOptionsTest.Outcome toPipe = run("predict", "--model", model.toString(), "--output",
                fifo.toString());
        assertEquals(0, toPipe.status(), toPipe.err());
        String csv = reader.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(361, csv.lines().count(), "the header and 360 rows through the pipe");
        assertEquals("a pipe", Converters.streamKind(fifo), "still a pipe, not replaced by a file");
    }

    /** A link into a missing directory is refused before training: the write would go there, not beside the link. */
    @Test
    void aSaveThroughALinkIsCheckedWhereTheLinkLeads() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("link.safetensors"), Path.of("missing", "m.safetensors"));
        DigitsTrainerOptionsTest.Outcome o = run("--backend", "cpu", "--epochs", "1", "--progress-every", "0",
                "--save", link.toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, o.status(), o.err());
        assertTrue(o.err().contains("missing") && o.err().contains("does not exist"), o.err());
        assertFalse(o.out().contains("epoch"), "refused before training: " + o.out());
    }

    @Test
    void anEmptyPlotsNameIsRefusedAndPathsInMessagesAreNormalised() throws Exception {
        // --plots '' was the current directory: the charts went there, unasked.
        DigitsTrainerOptionsTest.Outcome empty = run("--backend", "cpu", "--epochs", "1", "--plots", "");
        assertEquals(DigitsTrainer.EXIT_USAGE, empty.status());
        assertEquals("digits: invalid value for option '--plots': an empty name; name the folder to write, e.g. plots "
                + "(see digits --help)", empty.err().strip());
        // '-' is standard output to predict's --output; where a file or folder is written it made one named "-".
        DigitsTrainerOptionsTest.Outcome dash = run("--backend", "cpu", "--epochs", "1", "--save", "-");
        assertEquals(DigitsTrainer.EXIT_USAGE, dash.status());
        assertEquals("digits: invalid value for option '--save': '-', which is not standard output here: this option "
                + "writes a file; name it, e.g. digits.safetensors (see digits --help)", dash.err().strip());
        DigitsTrainerOptionsTest.Outcome dashPlots = run("--backend", "cpu", "--epochs", "1", "--plots", "-");
        assertEquals(DigitsTrainer.EXIT_USAGE, dashPlots.status());
        assertTrue(dashPlots.err().contains("'-', which is not standard output here: this option writes a folder"),
                dashPlots.err());
        assertFalse(Files.exists(Path.of("-")), "no file or folder named '-'");
        Path sub = Files.createDirectory(dir.resolve("sub"));
        DigitsTrainerOptionsTest.Outcome missing = run("--backend", "cpu", "--epochs", "1", "--save",
                sub.resolve("..").resolve("missing").resolve("m.st").toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, missing.status());
        assertTrue(missing.err().contains("the directory " + dir.toAbsolutePath().resolve("missing") + " does not exist"),
                missing.err());
    }

    @Test
    void predictListsTheTenMostProbableClassesOfAModelWithMore() throws Exception {
        Path data = dir.resolve("twelve.csv");
        StringBuilder rows = new StringBuilder("x,y,kind\n");
        for (int i = 0; i < 48; i++) {
            rows.append(i % 12).append(',').append(i / 12).append(",k").append(i % 12).append('\n');
        }
        Files.writeString(data, rows);
        Path model = dir.resolve("twelve.safetensors");
        assertEquals(0, run("--csv", data.toString(), "--header", "--label", "kind", "--backend", "cpu", "--epochs",
                "1", "--progress-every", "0", "--save", model.toString()).status());
        Path probabilities = dir.resolve("p.csv");
        DigitsTrainerOptionsTest.Outcome o = run("predict", "--model", model.toString(), "--csv", data.toString(),
                "--header", "--label", "kind", "--show", "1", "--output", probabilities.toString());
        assertEquals(0, o.status(), o.err());
        String row0 = o.out().lines().filter(l -> l.startsWith("row 1:")).findFirst().orElseThrow();
        assertTrue(row0.endsWith(", … (2 more)]"), row0);
        assertEquals(10, row0.substring(row0.indexOf('[')).split(": ").length - 1, row0);
        assertEquals(14, Files.readAllLines(probabilities).get(0).split(",").length, "--output writes them all: the "
                + "class, 12 probabilities, the label");
    }

    @Test
    void predictReadsTheCsvAModelWasTrainedOnAndWarnsOfValuesFarOutsideItsRange() throws Exception {
        // Three classes told apart by the first feature; a header line and a text label column, as users keep them.
        StringBuilder csv = new StringBuilder("size,weight,kind\n");
        String[] kinds = {"small", "medium", "large"};
        for (int i = 0; i < 90; i++) {
            int k = i % 3;
            csv.append(k * 10 + i % 7).append(',').append(i % 5).append(',').append(kinds[k]).append('\n');
        }
        Path data = Files.writeString(dir.resolve("data.csv"), csv);
        Path model = dir.resolve("kinds.safetensors");
        DigitsTrainerOptionsTest.Outcome trained = run("--csv", data.toString(), "--label", "kind", "--header",
                "--preset", "keras", "--backend", "cpu", "--epochs", "60", "--hidden", "8", "--progress-every", "0",
                "--save", model.toString());
        assertEquals(0, trained.status(), trained.err());

        DigitsTrainerOptionsTest.Outcome labelled = run("predict", "--model", model.toString(), "--backend", "cpu",
                "--csv", data.toString(), "--header", "--label", "kind", "--show", "2");
        assertEquals(0, labelled.status(), labelled.err());
        Matcher m = Pattern.compile("data.csv: (\\d+) of 90 rows correct, accuracy ([0-9.]+)").matcher(labelled.out());
        assertTrue(m.find(), labelled.out());
        assertEquals(Integer.parseInt(m.group(1)) / 90.0, Double.parseDouble(m.group(2)), 1e-4, "accuracy");
        assertTrue(labelled.out().contains("row 1: class "), labelled.out());
        assertTrue(!labelled.err().contains("warning"), "values within the fitted range: " + labelled.err());

        // An output onto an input is refused before anything is written: the model and the data are left as they
        // were (both once replaced with exit status 0), and the training CSV too.
        byte[] modelBytes = Files.readAllBytes(model);
        DigitsTrainerOptionsTest.Outcome ontoModel = run("predict", "--model", model.toString(), "--backend", "cpu",
                "--csv", data.toString(), "--header", "--label", "kind", "--output", model.toString());
        assertEquals(2, ontoModel.status(), ontoModel.err());
        assertTrue(ontoModel.err().contains("invalid value for option '--output': " + model + " is the file --model "
                + "reads"), ontoModel.err());
        DigitsTrainerOptionsTest.Outcome ontoCsv = run("predict", "--model", model.toString(), "--backend", "cpu",
                "--csv", data.toString(), "--header", "--label", "kind", "--output", dir.resolve("./data.csv")
                        .toString());
        assertEquals(2, ontoCsv.status(), ontoCsv.err());
        assertTrue(ontoCsv.err().contains("is the file --csv reads"), ontoCsv.err());
        DigitsTrainerOptionsTest.Outcome saveOntoCsv = run("--csv", data.toString(), "--label", "kind", "--header",
                "--backend", "cpu", "--epochs", "1", "--save", data.toString());
        assertEquals(2, saveOntoCsv.status(), saveOntoCsv.err());
        assertTrue(saveOntoCsv.err().contains("invalid value for option '--save': " + data + " is the file --csv "
                + "reads"), saveOntoCsv.err());
        assertArrayEquals(modelBytes, Files.readAllBytes(model), "the model is as it was");
        assertEquals(csv.toString(), Files.readString(data), "the data are as they were");

        // The class column read as a feature: the error says which option names it.
        DigitsTrainerOptionsTest.Outcome noLabel = run("predict", "--model", model.toString(), "--backend", "cpu",
                "--csv", data.toString(), "--header");
        assertEquals(DigitsTrainer.EXIT_FAILURE, noLabel.status(), noLabel.err());
        assertTrue(noLabel.err().contains("line 2, column 3: 'small' is not a number; if column 'kind' is the class, "
                + "name it with --label kind"), noLabel.err());

        // The same by index, and a label the model never saw.
        Path odd = Files.writeString(dir.resolve("odd.csv"), "size,weight,kind\n5,1,huge\n");
        DigitsTrainerOptionsTest.Outcome unknown = run("predict", "--model", model.toString(), "--backend", "cpu",
                "--csv", odd.toString(), "--header", "--label", "-1");
        assertEquals(DigitsTrainer.EXIT_FAILURE, unknown.status());
        assertTrue(unknown.err().contains("label 'huge' is not one of the model's classes [large, medium, small]"),
                unknown.err());

        // A header read as data names the option that reads it; a label without --csv, a name without --header,
        // a label column that is not there: one-line usage errors.
        DigitsTrainerOptionsTest.Outcome headerAsData = run("predict", "--model", model.toString(), "--backend", "cpu",
                "--csv", data.toString(), "--label", "-1");
        assertEquals(DigitsTrainer.EXIT_FAILURE, headerAsData.status());
        assertTrue(headerAsData.err().strip().endsWith("read it as a header (--header)"), headerAsData.err());
        // No header, no --label, and the class column still there: a row of numbers and one word is data, so the
        // hint is the class column's option, not --header.
        Path noHeader = Files.writeString(dir.resolve("no-header.csv"), "5,1,small\n6,2,large\n");
        DigitsTrainerOptionsTest.Outcome classAsFeature = run("predict", "--model", model.toString(), "--backend",
                "cpu", "--csv", noHeader.toString());
        assertEquals(DigitsTrainer.EXIT_FAILURE, classAsFeature.status());
        assertTrue(classAsFeature.err().strip().endsWith("line 1, column 3: 'small' is not a number; if column 3 is "
                + "the class, name it with --label 2 (0-based), and predict scores the rows against it"),
                classAsFeature.err());
        // A header of numbers, as pandas writes for an array, ends in the label column's name, not a class: --header.
        Path numbers = Files.writeString(dir.resolve("numbered.csv"), "0,1,kind\n5,1,small\n");
        DigitsTrainerOptionsTest.Outcome numbered = run("predict", "--model", model.toString(), "--backend", "cpu",
                "--csv", numbers.toString());
        assertTrue(numbered.err().contains("read it as a header (--header); if column 3 holds the rows' classes "
                + "instead, name it with --label 2 (0-based), and predict scores the rows against it (though 'kind' is "
                + "not one of the model's classes)"), numbered.err());
        assertEquals(DigitsTrainer.EXIT_USAGE, run("predict", "--model", model.toString(), "--csv", data.toString(),
                "--header", "--label", "colour").status());
        assertEquals(DigitsTrainer.EXIT_USAGE, run("predict", "--model", model.toString(), "--label", "kind").status());
        assertEquals(DigitsTrainer.EXIT_USAGE, run("predict", "--model", model.toString(), "--csv", data.toString(),
                "--label", "kind").status());

        // The same file separated by ';', as spreadsheets write it in many locales: the option that reads it is named,
        // and with it the file predicts as before; a tab-separated copy the same.
        Path semicolons = Files.writeString(dir.resolve("semicolons.csv"), csv.toString().replace(',', ';'));
        DigitsTrainerOptionsTest.Outcome unread = run("predict", "--model", model.toString(), "--backend", "cpu",
                "--csv", semicolons.toString(), "--header", "--label", "kind");
        assertEquals(DigitsTrainer.EXIT_FAILURE, unread.status());
        assertTrue(unread.err().contains("semicolons.csv line 1 is one field, 'size;weight;kind', without a ',' "
                + "between fields: the file may be separated by ';' (--delimiter ';')"), unread.err());
        for (String[] separated : new String[][] {{";", "semicolons.csv"}, {"tab", "tabs.csv"}}) {
            Path file = separated[0].equals(";") ? semicolons
                    : Files.writeString(dir.resolve("tabs.csv"), csv.toString().replace(',', '\t'));
            DigitsTrainerOptionsTest.Outcome read = run("predict", "--model", model.toString(), "--backend", "cpu",
                    "--csv", file.toString(), "--header", "--label", "kind", "--delimiter", separated[0]);
            assertEquals(0, read.status(), read.err());
            assertTrue(read.out().contains(separated[1] + ": " + m.group(1) + " of 90 rows correct"), read.out());
        }
        assertEquals(DigitsTrainer.EXIT_USAGE, run("predict", "--model", model.toString(), "--csv", data.toString(),
                "--delimiter", "ab").status());
        assertEquals(DigitsTrainer.EXIT_USAGE, run("predict", "--model", model.toString(), "--delimiter", ";").status());

        Path far = Files.writeString(dir.resolve("far.csv"), "size,weight\n1000,1\n5,2\n");
        DigitsTrainerOptionsTest.Outcome warned = run("predict", "--model", model.toString(), "--backend", "cpu",
                "--csv", far.toString(), "--header");
        assertEquals(0, warned.status(), warned.err());
        assertTrue(warned.err().contains("warning: 1 of 4 values lie far outside the range the scaler was fitted on "
                + "(row 1, column size: 1000.0 against 0.0..26.0) in " + far), warned.err());
    }

    /** A large file is named on stderr before it is read, which takes seconds in silence otherwise. */
    @Test
    void aLargeFileIsNamedBeforeItIsRead() throws Exception {
        Path big = dir.resolve("big.csv");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(CsvReading.LARGE_FILE_BYTES);   // sparse: zeros, refused as binary from the first bytes
        }
        DigitsTrainerOptionsTest.Outcome o = run("--csv", big.toString(), "--label", "-1", "--epochs", "1", "--backend",
                "cpu");
        assertTrue(o.status() != 0, o.out());
        assertTrue(o.err().startsWith("digits: reading big.csv (" + CsvReading.LARGE_FILE_BYTES / 1_000_000
                + " MB)...\n") && !o.out().contains("reading"), o.err());
        Path gzipped = dir.resolve("big.csv.gz");   // a tenth of the size: gzipped numbers hold several times it
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(gzipped.toFile(), "rw")) {
            f.setLength(CsvReading.LARGE_FILE_BYTES / 10);
        }
        assertTrue(run("--csv", gzipped.toString(), "--label", "-1", "--epochs", "1").err().startsWith("digits: "
                + "reading big.csv.gz (" + CsvReading.LARGE_FILE_BYTES / 10 / 1_000_000 + " MB gzipped)...\n"));
        Path small = Files.writeString(dir.resolve("small.csv"), "1,2,0\n3,4,1\n");
        assertTrue(!run("--csv", small.toString(), "--label", "-1", "--epochs", "1").err().contains("reading"));
    }

    @Test
    void predictReadsABinaryClassifierWithOneSigmoidOutputAsTwoClasses() throws Exception {
        // The library's binary classifier: one sigmoid output, the probability of class 1 ("yes").
        StringBuilder csv = new StringBuilder("a,b,answer\n");
        java.util.Random random = new java.util.Random(3);
        int n = 120;
        float[] x = new float[n * 2];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = (float) random.nextGaussian();
            x[2 * i + 1] = (float) random.nextGaussian();
            y[i] = x[2 * i] - x[2 * i + 1] > 0 ? 1 : 0;
            csv.append(x[2 * i]).append(',').append(x[2 * i + 1]).append(',').append(y[i] > 0 ? "yes" : "no")
                    .append('\n');
        }
        Path data = Files.writeString(dir.resolve("binary.csv"), csv);
        Path model = dir.resolve("binary.safetensors");
        dev.nnj.api.data.Dataset train = new dev.nnj.api.data.Dataset(x, 2, y, 1);
        String libraryAccuracy;
        float[] libraryOutputs;
        try (dev.nnj.api.Backend backend = dev.nnj.api.Backends.get("cpu");
             dev.nnj.api.model.Sequential m = new dev.nnj.api.model.Sequential(backend, 2, 5);
             dev.nnj.api.optim.Adam adam = new dev.nnj.api.optim.Adam(0.05f)) {
            m.add(new dev.nnj.api.layers.Dense(6, dev.nnj.api.Activation.TANH))
                    .add(new dev.nnj.api.layers.Dense(1, dev.nnj.api.Activation.SIGMOID));
            dev.nnj.api.train.Trainer.builder().epochs(5).batchSize(32).seed(5).build()
                    .fit(m, dev.nnj.api.losses.Loss.binaryCrossEntropy(), adam, train, null);
            libraryAccuracy = String.format(java.util.Locale.ROOT, "%.4f",
                    m.evaluate(train, dev.nnj.api.losses.Loss.binaryCrossEntropy(), 256).accuracy());
            libraryOutputs = m.predict(x, n);
            dev.nnj.api.io.ModelFiles.save(m, model, dev.nnj.api.io.WeightLayout.IN_OUT,
                    dev.nnj.api.io.Preprocessing.none().withClassNames(List.of("no", "yes")), Map.of());
        }

        Path probabilities = dir.resolve("p.csv");
        DigitsTrainerOptionsTest.Outcome predicted = run("predict", "--model", model.toString(), "--backend", "cpu",
                "--csv", data.toString(), "--header", "--label", "answer", "--output", probabilities.toString());
        assertEquals(0, predicted.status(), predicted.err());
        assertTrue(predicted.out().contains("2 inputs, 2 classes (one output: class 1 above 0.5)"), predicted.out());
        assertTrue(predicted.out().contains("accuracy " + libraryAccuracy), "the library's accuracy, "
                + libraryAccuracy + ":\n" + predicted.out());
        List<String> lines = Files.readAllLines(probabilities);
        assertEquals("class,p_no,p_yes,label", lines.get(0), "the file's label last, where --label names it");
        assertEquals(n + 1, lines.size());
        for (int i = 0; i < n; i++) {
            String[] f = lines.get(i + 1).split(",");
            float p = libraryOutputs[i];
            assertEquals(p > 0.5f ? "yes" : "no", f[0], "row " + i + ", output " + p);
            assertEquals(1f - p, Float.parseFloat(f[1]), 0f, "row " + i + " p_no");
            assertEquals(p, Float.parseFloat(f[2]), 0f, "row " + i + " p_yes");
            assertEquals(y[i] > 0 ? "yes" : "no", f[3], "row " + i + " label");
        }
        String row0 = "row 1: class " + (libraryOutputs[0] > 0.5f ? "yes" : "no");
        assertTrue(predicted.out().contains(row0), predicted.out());

        // A regression model's one output is no probability: refused rather than printed as a class.
        Path regression = dir.resolve("regression.safetensors");
        try (dev.nnj.api.Backend backend = dev.nnj.api.Backends.get("cpu");
             dev.nnj.api.model.Sequential m = new dev.nnj.api.model.Sequential(backend, 2, 5)) {
            m.add(new dev.nnj.api.layers.Dense(1, dev.nnj.api.Activation.IDENTITY));
            dev.nnj.api.io.ModelFiles.save(m, regression);
        }
        DigitsTrainerOptionsTest.Outcome refused = run("predict", "--model", regression.toString(), "--backend", "cpu",
                "--csv", data.toString(), "--header", "--label", "answer");
        assertEquals(DigitsTrainer.EXIT_FAILURE, refused.status(), refused.out());
        assertTrue(refused.err().contains("gives one output that is not a probability (its last layer dense_1 ends in "
                + "identity, not a sigmoid)"), refused.err());
    }

    @Test
    void predictOutputQuotesClassNamesAndSaveLayoutTakesTheFilesOwnNames() throws Exception {
        // Labels as a spreadsheet quotes them, one holding the delimiter.
        StringBuilder csv = new StringBuilder("size,weight,label\n");
        for (int i = 0; i < 60; i++) {
            boolean big = i % 2 == 0;
            csv.append(big ? 10 + i % 5 : i % 5).append(',').append(i % 3).append(',')
                    .append(big ? "\"big, yes\"" : "small").append('\n');
        }
        Path data = Files.writeString(dir.resolve("quoted.csv"), csv);
        Path model = dir.resolve("quoted.safetensors");
        DigitsTrainerOptionsTest.Outcome trained = run("--csv", data.toString(), "--label", "label", "--header",
                "--scaler", "none", "--preset", "keras", "--backend", "cpu", "--epochs", "20", "--hidden", "8",
                "--progress-every", "0", "--save", model.toString(), "--save-layout", "out_in");
        assertEquals(0, trained.status(), trained.err());
        assertEquals("out_in", SafeTensors.read(model).metadata().get("nnj.weight_layout"),
                "--save-layout out_in, the file's own name for pytorch");

        Path probabilities = dir.resolve("p.csv");
        DigitsTrainerOptionsTest.Outcome predicted = run("predict", "--model", model.toString(), "--backend", "cpu",
                "--csv", data.toString(), "--header", "--label", "label", "--output", probabilities.toString());
        assertEquals(0, predicted.status(), predicted.err());
        assertTrue(predicted.out().contains("no scaler saved with it: the CSV's values go in as they are"),
                predicted.out());
        List<String> lines = Files.readAllLines(probabilities);
        assertEquals("class,\"p_big, yes\",p_small,label", lines.get(0));
        assertEquals(61, lines.size());
        for (String line : lines.subList(1, lines.size())) {
            assertTrue(line.matches("(\"big, yes\"|small),[0-9.E-]+,[0-9.E-]+,(\"big, yes\"|small)"), line);
        }

        // inspect lists the classes as the other commands do: a name holding a comma quoted, not read as two.
        DigitsTrainerOptionsTest.Outcome shown = run("inspect", model.toString());
        assertEquals(0, shown.status(), shown.err());
        assertTrue(shown.out().contains("classes    2: 'big, yes', small"), shown.out());

        assertEquals("plain", PredictCommand.csvField("plain"));
        assertEquals("\"a \"\"quote\"\"\"", PredictCommand.csvField("a \"quote\""));
        assertEquals("\" edge\"", PredictCommand.csvField(" edge"));
        assertEquals("\"two\nlines\"", PredictCommand.csvField("two\nlines"));
    }

    /**
     * A checkpoint of an nnj from before the run's settings were recorded (no digits.* keys): resumed with the
     * options' settings, said so, and refused when their optimizer is not the one whose state the file holds, naming
     * both (it said "Resuming with the checkpoint's settings: preset article, sgd", then refused Adam's state).
     */
    @Test
    void aCheckpointWithoutRunSettingsResumesWithTheOptionsAndSaysSo() throws Exception {
        Path checkpoints = dir.resolve("older");
        assertEquals(0, run("--backend", "cpu", "--preset", "keras", "--epochs", "2", "--hidden", "8",
                "--progress-every", "0", "--checkpoint-dir", checkpoints.toString()).status());
        SafeTensors.Contents contents = SafeTensors.read(checkpoints.resolve("last.safetensors"));
        Map<String, String> metadata = new java.util.LinkedHashMap<>(contents.metadata());
        metadata.keySet().removeIf(key -> key.startsWith("digits.") || key.equals("nnj.header_crc32c"));
        Path older = dir.resolve("older.safetensors");
        SafeTensors.write(older, new java.util.ArrayList<>(contents.tensors().values()), metadata);

        DigitsTrainerOptionsTest.Outcome article = run("--backend", "cpu", "--resume", older.toString(), "--epochs",
                "3", "--hidden", "8");
        assertEquals(DigitsTrainer.EXIT_USAGE, article.status(), article.err());
        assertTrue(article.err().contains("records no run settings") && article.err().contains("its optimizer state is "
                + "Adam's where these options train with sgd (preset article)"), article.err());
        DigitsTrainerOptionsTest.Outcome keras = run("--backend", "cpu", "--resume", older.toString(), "--preset",
                "keras", "--epochs", "3", "--hidden", "8", "--progress-every", "0");
        assertEquals(0, keras.status(), keras.err());
        assertTrue(keras.out().contains("Resuming with the options' settings (the checkpoint records none): preset "
                + "keras, adam"), keras.out());
    }

    /**
     * convert's summary names what the preprocessing holds: a model with class names and no scaler read "no scaler
     * and class names", as if it had neither.
     */
    @Test
    void convertSaysAModelHasClassNamesAndNoScaler() throws Exception {
        Path model = dir.resolve("unscaled.safetensors");
        assertEquals(0, run("--csv", DataAndPlotOptionsTest.blobs().toString(), "--label", "2", "--header",
                "--scaler", "none", "--epochs", "1", "--backend", "cpu", "--progress-every", "0", "--save",
                model.toString()).status());
        DigitsTrainerOptionsTest.Outcome converted = run("convert", model.toString(),
                dir.resolve("unscaled.onnx").toString());
        assertEquals(0, converted.status(), converted.err());
        assertTrue(converted.out().contains(" parameters, class names, no feature scaler) to "), converted.out());
    }

    /**
     * A model file the file system refuses is named with the reason: its exception's message is the path alone, which
     * predict, inspect and convert printed as the whole error ("digits: error: /m.safetensors"). The case itself
     * needs a user other than root (root reads a file of mode 000), so the message is checked here.
     */
    @Test
    void anUnreadableModelFileIsNamedWithTheReason() {
        Path file = Path.of("/models/m.safetensors");
        assertEquals("cannot read /models/m.safetensors: permission denied", Converters.cannotRead(file,
                new java.nio.file.AccessDeniedException(file.toString())));
        assertEquals("cannot read /models/m.safetensors: is a directory", Converters.cannotRead(file,
                new java.nio.file.FileSystemException(file.toString(), null, "Is a directory")));
        assertEquals("m.safetensors: the header is cut short", Converters.cannotRead(file,
                new java.io.IOException("m.safetensors: the header is cut short")), "the library's own message");
        assertEquals("permission denied", Converters.why(new java.nio.file.AccessDeniedException("/out.onnx")));
    }

    /**
     * A model file named for another tool's format is refused before anything is written: nnj writes safetensors
     * whatever the name, and a safetensors file called model.pt fails in torch.load.
     */
    @Test
    void aModelFileNamedForAnotherToolIsRefused() throws Exception {
        Path model = dir.resolve("m.safetensors");
        assertEquals(0, run("--preset", "keras", "--backend", "cpu", "--epochs", "1", "--hidden", "4",
                "--progress-every", "0", "--save", model.toString()).status());
        DigitsTrainerOptionsTest.Outcome pt = run("convert", model.toString(), dir.resolve("m.pt").toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, pt.status(), pt.out());
        assertTrue(pt.err().contains("m.pt names a PyTorch file (.pt), but nnj writes a safetensors model file "
                + "(m.safetensors; PyTorch reads it with safetensors.torch.load_file, in its layout with --layout "
                + "pytorch) or an ONNX model (m.onnx)"), pt.err());
        assertFalse(Files.exists(dir.resolve("m.pt")));
        DigitsTrainerOptionsTest.Outcome h5 = run("--preset", "keras", "--backend", "cpu", "--epochs", "1",
                "--save", dir.resolve("m.H5").toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, h5.status(), h5.out());
        assertTrue(h5.err().contains("names a Keras file (.h5)") && h5.err().contains("--save-layout pytorch"),
                h5.err());
        assertFalse(h5.out().contains("epoch"), "refused before training: " + h5.out());
        // Into a --checkpoint-dir the run would make: refused before the folder is made.
        Path fresh = dir.resolve("fresh-checkpoints");
        DigitsTrainerOptionsTest.Outcome inFolder = run("--preset", "keras", "--backend", "cpu", "--epochs", "1",
                "--checkpoint-dir", fresh.toString(), "--save", fresh.resolve("m.pt").toString());
        assertEquals(DigitsTrainer.EXIT_USAGE, inFolder.status(), inFolder.out());
        assertFalse(Files.exists(fresh), "no folder left behind");
    }
}
