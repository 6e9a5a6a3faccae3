package dev.nnj.bench;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.Tensor;
import java.util.Locale;

/**
 * Square FP32 GEMM throughput measured the way the numpy anchor ({@code bench/anchors/sgemm_numpy.py})
 * measures OpenBLAS, so the two can be compared in one session: for each {@code n}, {@code reps =
 * max(3, 2e9 / 2n³)} products per round, the best of 3 rounds. Unlike numpy, the JVM first warms up (JIT)
 * for {@code --warmup} seconds per size.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp benchmarks.jar dev.nnj.bench.GemmHarness
 *        [--backend cpu] [--sizes 64,128,256,512,1024,2048] [--warmup 1.0]
 * </pre>
 * Prints one line per size: {@code nnj-gemm backend=cpu n=256 reps=59 best_s=0.000325 gflops=103.2}.
 */
public final class GemmHarness {
    private static final String USAGE = "usage: GemmHarness [--backend NAME] [--sizes 64,128,...] [--warmup SECONDS]";

    private GemmHarness() {
    }

    /**
     * Measures every size and prints one line each.
     *
     * @param args the options shown above
     */
    public static void main(String[] args) {
        String backendName = null;
        String sizes = "64,128,256,512,1024,2048";
        double warmup = 1.0;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                usage();
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--backend":
                    backendName = value;
                    break;
                case "--sizes":
                    sizes = value;
                    break;
                case "--warmup":
                    warmup = Double.parseDouble(value);
                    break;
                default:
                    usage();
            }
        }
        String refusal = BenchSupport.backendRefusal(backendName);
        if (refusal != null) {
            System.err.println("GemmHarness: " + refusal);
            System.exit(2);
            return;
        }
        try (Backend be = backendName == null ? Backends.best() : BenchSupport.open(backendName)) {
            System.out.println("# " + be.description());
            for (String s : sizes.split(",")) {
                measure(be, Integer.parseInt(s.trim()), warmup);
            }
        }
    }

    private static void usage() {
        System.err.println(USAGE);
        System.exit(2);
    }

    private static void measure(Backend be, int n, double warmupSeconds) {
        try (Tensor a = BenchSupport.random(be, 1, n, n);
             Tensor b = BenchSupport.random(be, 2, n, n);
             Tensor c = be.zeros(n, n)) {
            double flops = 2.0 * n * n * n;
            long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
            int calls = 0;
            while (calls < 3 || System.nanoTime() < warmupEnd) {
                be.gemm(false, false, 1f, a, b, 0f, c);
                calls++;
            }
            be.synchronize();
            int reps = Math.max(3, (int) (2e9 / flops));
            double best = Double.MAX_VALUE;
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                for (int r = 0; r < reps; r++) {
                    be.gemm(false, false, 1f, a, b, 0f, c);
                }
                be.synchronize();
                best = Math.min(best, (System.nanoTime() - t0) / 1e9 / reps);
            }
            System.out.printf(Locale.ROOT, "nnj-gemm backend=%s n=%d reps=%d best_s=%.9f gflops=%.1f%n", be.name(), n,
                    reps, best, flops / best / 1e9);
            System.out.flush();
        }
    }
}
