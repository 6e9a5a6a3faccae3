package dev.nnj.cpu;

import dev.nnj.api.Tensor;
import java.util.Random;

/**
 * Prints GEMM throughput of the CPU backend for square sizes, for quick comparisons while tuning (the
 * reported benchmarks are the JMH ones in nn-bench). Run from nn-cpu with the test class path:
 * {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:<nn-api jar>
 * dev.nnj.cpu.GemmThroughput [threads] [ta tb]}.
 */
public final class GemmThroughput {
    private GemmThroughput() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : CpuBackend.defaultThreads();
        boolean ta = args.length > 1 && args[1].equals("t");
        boolean tb = args.length > 2 && args[2].equals("t");
        int[] sizes = {64, 128, 256, 512, 1024, 2048};
        if (args.length > 3) {
            sizes = new int[args.length - 3];
            for (int i = 3; i < args.length; i++) {
                sizes[i - 3] = Integer.parseInt(args[i]);
            }
        }
        try (CpuBackend cpu = new CpuBackend(threads)) {
            System.out.println(cpu.description() + (ta ? " aT" : "") + (tb ? " bT" : ""));
            Random rnd = new Random(42);
            for (int n : sizes) {
                float[] ha = new float[n * n];
                float[] hb = new float[n * n];
                for (int i = 0; i < ha.length; i++) {
                    ha[i] = rnd.nextFloat();
                    hb[i] = rnd.nextFloat();
                }
                try (Tensor a = cpu.tensor(ha, n, n); Tensor b = cpu.tensor(hb, n, n); Tensor c = cpu.zeros(n, n)) {
                    double flops = 2.0 * n * n * n;
                    // Warm up for a second first: Vector API code is slow until C2 has compiled it.
                    long warmEnd = System.nanoTime() + 1_000_000_000L;
                    while (System.nanoTime() < warmEnd) {
                        cpu.gemm(ta, tb, 1f, a, b, 0f, c);
                    }
                    int reps = (int) Math.max(3, 2e9 / flops);
                    double best = Double.MAX_VALUE;
                    for (int round = 0; round < 5; round++) {
                        long t0 = System.nanoTime();
                        for (int r = 0; r < reps; r++) {
                            cpu.gemm(ta, tb, 1f, a, b, 0f, c);
                        }
                        best = Math.min(best, (System.nanoTime() - t0) / (double) reps);
                    }
                    System.out.printf("n=%d gflops=%.1f%n", n, flops / best);
                }
            }
        }
    }
}
