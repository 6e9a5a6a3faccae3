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
 *   <li>{@code timing}: a CPU-vs-GPU table of square SGEMMs, each timed after a warm-up until at least half a
 *       second has passed, GPU times including a {@code synchronize()}.</li>
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

    /** Milliseconds per product, after one warm-up call, averaged over at least 0.5 s (and 3 calls). */
    static double gemmMillis(Backend b, int n) {
        Random r = new Random(n);
        float[] x = new float[n * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        try (Tensor a = b.tensor(x, n, n); Tensor w = b.tensor(x, n, n); Tensor c = b.zeros(n, n)) {
            b.gemm(false, false, 1f, a, w, 0f, c);
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
            } while (elapsed < 500_000_000L || calls < 3);
            b.synchronize();
            elapsed = System.nanoTime() - start;
            return elapsed / 1e6 / calls;
        }
    }
}
