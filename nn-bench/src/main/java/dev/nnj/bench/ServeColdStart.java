package dev.nnj.bench;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.data.CsvReader;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.SavedModel;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * A service's cold start, as {@code bench/serve-cold-start.sh} measures it in a fresh JVM per run: load a saved
 * model, then predict one row per call, as a request handler would, and print one machine-readable line in the
 * format of the anchor {@code bench/anchors/serve_numpy.py}:
 * <pre>
 *   serve program=nnj kernels="…" rows_ms=93.3 backend_ms=257.5 model_ms=27.8 load_ms=378.6 first_call_us=3988
 *         first_1000_ms=36.2 first_1000_alloc_mb=0.6 warm_median_us=2.7 classes_sum=89733
 * </pre>
 * {@code load_ms} is the time from {@code main} to a loaded model: reading the rows with nnj's {@link CsvReader}
 * ({@code rows_ms}, as the anchor counts its own CSV read; the first SLF4J call, which sets up logging, falls in it),
 * creating the backend ({@code backend_ms}) and loading the file ({@code model_ms}); {@code first_call_us} the very first prediction; {@code first_1000_ms}
 * the first thousand calls together, and the bytes they allocated on the calling thread; {@code warm_median_us}
 * the median of the last thousand calls; {@code classes_sum} the predicted classes summed over all calls, to see
 * that two programs answered alike. Rows are the CSV's columns but the last (a label), taken in turn.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp benchmarks.jar dev.nnj.bench.ServeColdStart MODEL ROWS.csv CALLS
 * </pre>
 */
public final class ServeColdStart {
    private static final String USAGE = "usage: ServeColdStart MODEL.safetensors ROWS.csv CALLS (at least 2000)";

    private ServeColdStart() {
    }

    /**
     * Runs the measurement.
     *
     * @param args the model file, the rows' CSV file and the number of calls
     * @throws IOException when a file cannot be read
     */
    public static void main(String[] args) throws IOException {
        long start = System.nanoTime();
        if (args.length != 3) {
            System.err.println(USAGE);
            System.exit(2);
        }
        int calls = parseCalls(args[2]);
        float[][] rows = readRows(Path.of(args[1]));
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] latency = new long[calls];
        long classesSum = 0;
        long allocated;
        long rowsRead = System.nanoTime();
        long backendReady;
        long modelLoaded;
        String kernels;
        try (Backend backend = Backends.best()) {
            backendReady = System.nanoTime();
            SavedModel model = ModelFiles.load(Path.of(args[0]), backend);
            modelLoaded = System.nanoTime();
            kernels = backend.description();
            long bytesBefore = threads.getCurrentThreadAllocatedBytes();
            allocated = 0;
            for (int i = 0; i < calls; i++) {
                float[] row = rows[i % rows.length];
                long t0 = System.nanoTime();
                int[] predicted = model.predictClasses(row, 1);
                latency[i] = System.nanoTime() - t0;
                classesSum += predicted[0];
                if (i == 999) {
                    allocated = threads.getCurrentThreadAllocatedBytes() - bytesBefore;
                }
            }
            model.close();
        }
        long first1000 = 0;
        for (int i = 0; i < 1000; i++) {
            first1000 += latency[i];
        }
        long[] last = Arrays.copyOfRange(latency, calls - 1000, calls);
        Arrays.sort(last);
        System.out.printf(Locale.ROOT, "serve program=nnj kernels=\"%s\" rows_ms=%.1f backend_ms=%.1f model_ms=%.1f "
                        + "load_ms=%.1f first_call_us=%.0f first_1000_ms=%.1f first_1000_alloc_mb=%.1f "
                        + "warm_median_us=%.1f classes_sum=%d%n",
                kernels, (rowsRead - start) / 1e6, (backendReady - rowsRead) / 1e6, (modelLoaded - backendReady) / 1e6,
                (modelLoaded - start) / 1e6, latency[0] / 1e3, first1000 / 1e6, allocated / 1e6, last[500] / 1e3, classesSum);
    }

    private static int parseCalls(String text) {
        try {
            int calls = Integer.parseInt(text);
            if (calls >= 2000) {
                return calls;
            }
        } catch (NumberFormatException e) {
            // the usage line below says what is expected
        }
        System.err.println("CALLS must be a whole number of at least 2000, got '" + text + "'\n" + USAGE);
        System.exit(2);
        return 0;
    }

    /** Each row's numbers but the last column (a label, read as text whatever it is), by nnj's CSV reader. */
    private static float[][] readRows(Path csv) {
        CsvReader.Table table = CsvReader.numeric().withLabelColumn(-1).withTextLabels(true).read(csv);
        float[][] rows = new float[table.rows()][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = Arrays.copyOfRange(table.values(), r * table.columns(), (r + 1) * table.columns());
        }
        return rows;
    }
}
