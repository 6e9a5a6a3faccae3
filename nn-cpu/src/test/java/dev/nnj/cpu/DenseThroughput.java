package dev.nnj.cpu;

import dev.nnj.api.Tensor;
import java.util.Random;

/**
 * Prints GFLOP/s of the three products of a Dense layer (forward {@code x·W}, input gradient
 * {@code dZ·Wᵀ}, weight gradient {@code xᵀ·dZ}) for {@code batch x in x out} shapes, for quick
 * comparisons while tuning; the reported numbers are nn-bench's JMH {@code DenseBenchmark}. Arguments:
 * {@code [threads] [shape ...]}.
 */
public final class DenseThroughput {
    private static final String[] SHAPES = {"32x64x64", "32x64x10", "1437x64x64", "1437x64x10", "32x784x1024",
        "32x1024x1024", "32x1024x10", "256x784x1024", "256x1024x1024", "256x1024x10", "1024x784x1024",
        "1024x1024x1024", "1024x1024x10"};

    private DenseThroughput() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : CpuBackend.defaultThreads();
        String[] shapes = SHAPES;
        if (args.length > 1) {
            shapes = new String[args.length - 1];
            System.arraycopy(args, 1, shapes, 0, shapes.length);
        }
        try (CpuBackend cpu = new CpuBackend(threads)) {
            System.out.println(cpu.description());
            Random rnd = new Random(1);
            // The first pass warms up the JIT (Vector API code is slow until C2 has compiled it) and is not shown.
            for (int pass = 0; pass < 2; pass++) {
                for (String shape : shapes) {
                    measure(cpu, rnd, shape, pass == 1);
                }
            }
        }
    }

    private static void measure(CpuBackend cpu, Random rnd, String shape, boolean print) {
        {
            {
                String[] p = shape.split("x");
                int batch = Integer.parseInt(p[0]);
                int in = Integer.parseInt(p[1]);
                int out = Integer.parseInt(p[2]);
                try (Tensor x = random(cpu, rnd, batch, in); Tensor w = random(cpu, rnd, in, out);
                     Tensor dz = random(cpu, rnd, batch, out); Tensor z = cpu.zeros(batch, out);
                     Tensor dx = cpu.zeros(batch, in); Tensor dw = cpu.zeros(in, out)) {
                    double flops = 2.0 * batch * in * out;
                    StringBuilder sb = new StringBuilder(shape);
                    for (int op = 0; op < 3; op++) {
                        int reps = (int) Math.max(3, 1e9 / flops);
                        double best = Double.MAX_VALUE;
                        for (int round = 0; round < 5; round++) {
                            long t0 = System.nanoTime();
                            for (int r = 0; r < reps; r++) {
                                if (op == 0) {
                                    cpu.gemm(false, false, 1f, x, w, 0f, z);
                                } else if (op == 1) {
                                    cpu.gemm(false, true, 1f, dz, w, 0f, dx);
                                } else {
                                    cpu.gemm(true, false, 1f, x, dz, 0f, dw);
                                }
                            }
                            best = Math.min(best, (System.nanoTime() - t0) / (double) reps);
                        }
                        sb.append(op == 0 ? " fwd=" : op == 1 ? " bwdIn=" : " bwdW=")
                                .append(String.format("%.1f", flops / best));
                    }
                    if (print) {
                        System.out.println(sb);
                    }
                }
            }
        }
    }

    private static Tensor random(CpuBackend cpu, Random rnd, int rows, int cols) {
        float[] data = new float[rows * cols];
        for (int i = 0; i < data.length; i++) {
            data[i] = rnd.nextFloat() - 0.5f;
        }
        return cpu.tensor(data, rows, cols);
    }
}
