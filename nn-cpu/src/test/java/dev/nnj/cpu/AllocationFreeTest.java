package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.LossKind;
import dev.nnj.api.Tensor;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A training step of a two-layer network, written as the backend ops a Dense/softmax/cross-entropy/Adam
 * model issues, allocates nothing once warm: neither the calling thread nor the pool's workers.
 *
 * <p>"Once warm" matters on the fast path: until HotSpot's C2 has compiled a Vector API loop, the
 * interpreter and C1 hold vectors as heap objects. So the test warms up, then looks at successive windows
 * of steps and requires one of them to allocate zero bytes; a kernel that allocates per call (a buffer, a
 * capturing lambda, a boxed value) allocates in every window and fails.
 */
class AllocationFreeTest {
    private static final int BATCH = 64;
    private static final int IN = 300;
    private static final int HIDDEN = 200;
    private static final int OUT = 10;

    @Test
    void trainingStepAllocatesNothingOnceWarm() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "no per-thread allocation counter");
        threads.setThreadAllocatedMemoryEnabled(true);
        try (CpuBackend cpu = new CpuBackend(2)) {
            Step step = new Step(cpu);
            for (int i = 0; i < 2000; i++) {
                step.run(i + 1);
            }
            long[] ids = threadIds();
            // Reading the counters allocates the array they come back in: measure that alone first.
            long probe = sum(threads.getThreadAllocatedBytes(ids));
            long overhead = sum(threads.getThreadAllocatedBytes(ids)) - probe;
            long best = Long.MAX_VALUE;
            for (int window = 0; window < 20 && best != 0; window++) {
                long before = sum(threads.getThreadAllocatedBytes(ids));
                for (int i = 0; i < 200; i++) {
                    step.run(3000 + i);
                }
                best = Math.min(best, sum(threads.getThreadAllocatedBytes(ids)) - before - overhead);
            }
            assertEquals(0, best, "bytes allocated by 200 training steps (" + cpu.description() + ")");
            step.close();
        }
    }

    /** The calling thread and the backend's workers. */
    private static long[] threadIds() {
        List<Long> ids = new ArrayList<>();
        ids.add(Thread.currentThread().getId());
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("nnj-cpu")) {
                ids.add(t.getId());
            }
        }
        long[] out = new long[ids.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.get(i);
        }
        return out;
    }

    private static long sum(long[] values) {
        long s = 0;
        for (long v : values) {
            s += Math.max(0, v);
        }
        return s;
    }

    /** x (BATCH, IN) → Dense relu (HIDDEN) → Dense softmax (OUT) → cross-entropy, Adam on all four parameters. */
    private static final class Step {
        private final CpuBackend cpu;
        private final Tensor x;
        private final Tensor y;
        private final Tensor w1;
        private final Tensor b1;
        private final Tensor w2;
        private final Tensor b2;
        private final Tensor a1;
        private final Tensor a2;
        private final Tensor dz2;
        private final Tensor da1;
        private final Tensor dz1;
        private final Tensor[] grads;
        private final Tensor[] moments;
        private final Tensor[] params;
        private final Tensor loss;
        private final Tensor correct;

        Step(CpuBackend cpu) {
            this.cpu = cpu;
            java.util.Random rnd = new java.util.Random(3);
            x = random(cpu, rnd, BATCH, IN);
            float[] onehot = new float[BATCH * OUT];
            for (int i = 0; i < BATCH; i++) {
                onehot[i * OUT + rnd.nextInt(OUT)] = 1f;
            }
            y = cpu.tensor(onehot, BATCH, OUT);
            w1 = random(cpu, rnd, IN, HIDDEN);
            b1 = cpu.zeros(HIDDEN);
            w2 = random(cpu, rnd, HIDDEN, OUT);
            b2 = cpu.zeros(OUT);
            a1 = cpu.zeros(BATCH, HIDDEN);
            a2 = cpu.zeros(BATCH, OUT);
            dz2 = cpu.zeros(BATCH, OUT);
            da1 = cpu.zeros(BATCH, HIDDEN);
            dz1 = cpu.zeros(BATCH, HIDDEN);
            grads = new Tensor[] {cpu.zeros(IN, HIDDEN), cpu.zeros(HIDDEN), cpu.zeros(HIDDEN, OUT), cpu.zeros(OUT)};
            moments = new Tensor[8];
            params = new Tensor[] {w1, b1, w2, b2};
            for (int i = 0; i < 4; i++) {
                moments[2 * i] = cpu.zeros(params[i].shape());
                moments[2 * i + 1] = cpu.zeros(params[i].shape());
            }
            loss = cpu.zeros(1);
            correct = cpu.zeros(1);
        }

        void run(int t) {
            // Forward.
            cpu.gemm(false, false, 1f, x, w1, 0f, a1);
            cpu.biasActivation(a1, b1, Activation.RELU, 0f, a1);
            cpu.gemm(false, false, 1f, a1, w2, 0f, a2);
            cpu.biasActivation(a2, b2, Activation.SOFTMAX, 0f, a2);
            cpu.lossSum(LossKind.CATEGORICAL_CROSS_ENTROPY, a2, y, 1f, loss);
            cpu.countCorrect(a2, y, 1f, correct);
            // Backward: the fused softmax + cross-entropy gradient, then the chain rule down.
            cpu.scaledDifference(1f / BATCH, a2, y, dz2);
            cpu.gemm(true, false, 1f, a1, dz2, 0f, grads[2]);
            cpu.columnSums(dz2, 1f, 0f, grads[3]);
            cpu.gemm(false, true, 1f, dz2, w2, 0f, da1);
            cpu.activationBackward(Activation.RELU, 0f, a1, da1, dz1);
            cpu.gemm(true, false, 1f, x, dz1, 0f, grads[0]);
            cpu.columnSums(dz1, 1f, 0f, grads[1]);
            for (int i = 0; i < 4; i++) {
                cpu.adamStep(params[i], grads[i], moments[2 * i], moments[2 * i + 1], 1e-4f, 0.9f, 0.999f, 1e-8f,
                        0f, false, t);
            }
        }

        void close() {
            for (Tensor t : new Tensor[] {x, y, w1, b1, w2, b2, a1, a2, dz2, da1, dz1, loss, correct}) {
                t.close();
            }
            for (Tensor t : grads) {
                t.close();
            }
            for (Tensor t : moments) {
                t.close();
            }
        }

        private static Tensor random(CpuBackend cpu, java.util.Random rnd, int rows, int cols) {
            float[] data = new float[rows * cols];
            for (int i = 0; i < data.length; i++) {
                data[i] = (rnd.nextFloat() - 0.5f) * 0.1f;
            }
            return cpu.tensor(data, rows, cols);
        }
    }
}
