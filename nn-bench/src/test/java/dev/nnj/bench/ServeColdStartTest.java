package dev.nnj.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.model.Sequential;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ServeColdStart's report: one line, in the anchor's format, with the classes the model gives. */
class ServeColdStartTest {
    private static final Pattern LINE = Pattern.compile("serve program=nnj kernels=\"[^\"]+\" rows_ms=[0-9.]+ "
            + "backend_ms=[0-9.]+ model_ms=[0-9.]+ load_ms=[0-9.]+ first_call_us=[0-9]+ first_1000_ms=[0-9.]+ "
            + "first_1000_alloc_mb=[0-9.]+ warm_median_us=[0-9.]+ classes_sum=([0-9]+)\n");

    @TempDir
    Path dir;

    @Test
    void reportsOneLineWithTheClassesSummed() throws Exception {
        Path file = dir.resolve("model.safetensors");
        int expectedSum = 0;
        // Three rows, each with a label column the program ignores; 2,000 calls take each in turn.
        float[][] rows = {{1f, 0f, 0f}, {0f, 1f, 0f}, {0f, 0f, 1f}};
        try (Backend backend = Backends.get("cpu")) {
            try (Sequential model = new Sequential(backend, 2, 7)) {
                model.add(new Dense(4, Activation.RELU)).add(new Dense(3, Activation.SOFTMAX));
                ModelFiles.save(model, file);
            }
            try (SavedModel saved = ModelFiles.load(file, backend)) {
                for (int i = 0; i < 2000; i++) {
                    float[] row = rows[i % rows.length];
                    expectedSum += saved.predictClasses(new float[] {row[0], row[1]}, 1)[0];
                }
            }
        }
        Path csv = dir.resolve("rows.csv");
        Files.writeString(csv, "1,0,9\n0,1,9\n0,0,9\n");
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ServeColdStart.main(new String[] {file.toString(), csv.toString(), "2000"});
        } finally {
            System.setOut(stdout);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        Matcher m = LINE.matcher(out);
        assertTrue(m.matches(), "unexpected report: " + out);
        assertEquals(expectedSum, Integer.parseInt(m.group(1)));
    }
}
