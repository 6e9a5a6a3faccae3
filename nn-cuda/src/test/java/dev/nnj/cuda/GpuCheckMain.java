package dev.nnj.cuda;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.Tensor;
import dev.nnj.api.Availability;
import java.util.Locale;
import java.util.Random;

/**
 * The Java steps of {@code scripts/gpu-check.sh}, run from the prepared bundle on a GPU machine:
 * <ul>
 *   <li>{@code probe}: prints the runtime and the CUDA probe's verdict; exit status 0 when available, 2 when
 *       not (the script stops there with that reason);</li>
 *   <li>{@code timing}: a CPU-vs-GPU table of square SGEMMs, each timed for at least half a second after a
 *       warm-up of at least one, GPU times including a {@code synchronize()}; skipped, with the reason, where the
 *       cuda backend cannot run.</li>
 * </ul>
 */
public final class GpuCheckMain {
    private GpuCheckMain() {
    }

    public static void main(String[] args) {
        String step = args.length == 0 ? "probe" : args[0];
        if (step.equals("probe")) {
            System.out.println("java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name")
                    + "), " + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                    + Runtime.getRuntime().availableProcessors() + " CPUs");
            Availability a = new CudaBackendProvider().availability();
            System.out.println("nnj cuda backend: " + a.reason());
            System.exit(a.available() ? 0 : 2);
        } else if (step.equals("timing")) {
            timing(args.length > 1 ? Integer.parseInt(args[1]) : 2048);
        } else {
            System.err.println("usage: GpuCheckMain probe|timing [max size]");
            System.exit(64);
        }
    }

    private static void timing(int maxSize) {
        Availability cuda = new CudaBackendProvider().availability();
        if (!cuda.available()) {
            // Only reached with NNJ_GPU_CHECK_CONTINUE=1 on a machine without a usable GPU: nothing to compare.
            System.out.println("skipped: the cuda backend cannot run here: " + cuda.reason());
            return;
        }
        try (Backend cpu = Backends.get("cpu"); Backend gpu = Backends.get("cuda")) {
            System.out.println("SGEMM C = A·B, square, FP32 (CPU: " + cpu.description() + ")");
            System.out.println("                            (GPU: " + gpu.description() + ")");
            System.out.printf(Locale.ROOT, "%6s | %10s %9s | %10s %9s | %8s%n", "n", "cpu ms", "GFLOP/s", "gpu ms",
                    "GFLOP/s", "speed-up");
            for (int n = 128; n <= maxSize; n *= 2) {
                double cpuMs = gemmMillis(cpu, n);
                double gpuMs = gemmMillis(gpu, n);
                double gflop = 2.0 * n * n * n / 1e9;
                System.out.printf(Locale.ROOT, "%6d | %10.3f %9.1f | %10.3f %9.1f | %7.1fx%n", n, cpuMs,
                        gflop / cpuMs * 1e3, gpuMs, gflop / gpuMs * 1e3, cpuMs / gpuMs);
            }
        }
    }

    /**
     * Milliseconds per product, averaged over at least 0.5 s (and 3 calls) after a warm-up of at least 1 s. The
     * warm-up is timed, not counted: this step runs in a fresh JVM, and the CPU kernels run interpreted until the JIT
     * has compiled them (one warm-up call left the first row's CPU time about 1000 times too slow).
     */
    static double gemmMillis(Backend b, int n) {
        Random r = new Random(n);
        float[] x = new float[n * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        try (Tensor a = b.tensor(x, n, n); Tensor w = b.tensor(x, n, n); Tensor c = b.zeros(n, n)) {
            repeat(b, a, w, c, 1_000_000_000L);
            return repeat(b, a, w, c, 500_000_000L);
        }
    }

    /** Runs the product for at least {@code nanos} (and 3 calls); the milliseconds per call. */
    private static double repeat(Backend b, Tensor a, Tensor w, Tensor c, long nanos) {
        b.synchronize();
        int calls = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            b.gemm(false, false, 1f, a, w, 0f, c);
            calls++;
            if (calls % 8 == 0 || calls < 8) {
                b.synchronize();
            }
            elapsed = System.nanoTime() - start;
        } while (elapsed < nanos || calls < 3);
        b.synchronize();
        elapsed = System.nanoTime() - start;
        return elapsed / 1e6 / calls;
    }
}
