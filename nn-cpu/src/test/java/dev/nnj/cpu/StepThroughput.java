package dev.nnj.cpu;

/**
 * Prints the time of one training step ({@link TrainingStepOps}) for a few network sizes and thread counts,
 * for quick comparisons while tuning; nn-bench's JMH {@code TrainingStepBenchmark} is the reported one.
 */
public final class StepThroughput {
    private StepThroughput() {
    }

    public static void main(String[] args) {
        int[][] nets = {{32, 64, 64, 10}, {256, 784, 1024, 10}, {1437, 64, 64, 10}};
        int minThreads = 1;
        int maxThreads = 2;
        if (args.length >= 5) {
            // threads batch in hidden out
            minThreads = Integer.parseInt(args[0]);
            maxThreads = minThreads;
            nets = new int[][] {{Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                Integer.parseInt(args[4])}};
        }
        for (int threads = minThreads; threads <= maxThreads; threads++) {
            try (CpuBackend cpu = new CpuBackend(threads)) {
                for (int[] net : nets) {
                    TrainingStepOps step = new TrainingStepOps(cpu, net[0], net[1], net[2], net[3]);
                    int t = 1;
                    long warmEnd = System.nanoTime() + 2_000_000_000L;
                    while (System.nanoTime() < warmEnd) {
                        step.run(t++);
                    }
                    double best = Double.MAX_VALUE;
                    int rounds = Integer.getInteger("rounds", 5);
                    for (int round = 0; round < rounds; round++) {
                        int reps = 200;
                        long t0 = System.nanoTime();
                        for (int r = 0; r < reps; r++) {
                            step.run(t++);
                        }
                        best = Math.min(best, (System.nanoTime() - t0) / 1e3 / reps);
                    }
                    step.close();
                    System.out.printf("threads=%d batch=%d %dx%dx%d step_us=%.1f%n", threads, net[0], net[1], net[2],
                            net[3], best);
                }
            }
        }
    }
}
