package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.LossKind;
import dev.nnj.api.Tensor;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Adam;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
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
    /** Steps run before counting: enough for C2 to compile the Vector API loops. */
    private static final int WARM_UP = 2000;
    /** Steps per counted window. */
    static final int WINDOW = 200;
    /** Windows tried at most. */
    private static final int WINDOWS = 20;

    @Test
    void trainingStepAllocatesNothingOnceWarm() {
        try (CpuBackend cpu = new CpuBackend(2)) {
            TrainingStepOps step = new TrainingStepOps(cpu, BATCH, IN, HIDDEN, OUT);
            assertEquals(0, fewestBytesAllocatedByAWindow(step::run),
                    "bytes allocated by " + WINDOW + " training steps (" + cpu.description() + ")");
            step.close();
        }
    }

    /** Every loss's value and gradient, all three run in one JVM (the value's logarithms go through a scratch). */
    @Test
    void everyLossAllocatesNothingOnceWarm() {
        Kernels kernels = Vectorization.create(null);
        java.util.Random rnd = new java.util.Random(4);
        int rows = 1437;
        int cols = 10;
        float[] p = new float[rows * cols];
        for (int i = 0; i < p.length; i++) {
            p[i] = 0.01f + 0.98f * rnd.nextFloat();
        }
        float[] y = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            y[i * cols + rnd.nextInt(cols)] = 1f;
        }
        float[] g = new float[rows * cols];
        dev.nnj.api.LossKind[] kinds = dev.nnj.api.LossKind.values();
        assertEquals(0, fewestBytesAllocatedByAWindow(step -> {
            dev.nnj.api.LossKind kind = kinds[step % kinds.length];
            kernels.lossSum(kind, p, y, rows, cols);
            kernels.lossGradient(kind, p, y, g, rows, cols);
        }), "bytes allocated by " + WINDOW + " loss values and gradients (" + kernels.label() + ")");
    }

    /**
     * The same through the model API (Sequential forward and backward, an Adam step): the thread-confinement
     * checks on every training call allocate nothing either.
     */
    @Test
    void modelTrainingStepWithItsThreadChecksAllocatesNothingOnceWarm() {
        try (CpuBackend cpu = new CpuBackend(2);
             Sequential model = new Sequential(cpu, IN, 1);
             Adam adam = new Adam(1e-3f)) {
            model.add(new Dense(HIDDEN, Activation.RELU)).add(new Dense(OUT, Activation.SOFTMAX));
            java.util.Random r = new java.util.Random(2);
            float[] xs = new float[BATCH * IN];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = (float) r.nextGaussian();
            }
            float[] ys = new float[BATCH * OUT];
            for (int i = 0; i < BATCH; i++) {
                ys[i * OUT + r.nextInt(OUT)] = 1f;
            }
            Loss loss = Loss.categoricalCrossEntropy();
            try (Tensor x = cpu.tensor(xs, BATCH, IN); Tensor y = cpu.tensor(ys, BATCH, OUT)) {
                assertEquals(0, fewestBytesAllocatedByAWindow(step -> modelStep(model, adam, loss, x, y)),
                        "bytes allocated by " + WINDOW + " model training steps (" + cpu.description() + ")");
            }
        }
    }

    /** A training step through a shuffling loader with row weights (class or sample weights) allocates nothing either. */
    @Test
    void weightedLoaderTrainingStepAllocatesNothingOnceWarm() {
        try (CpuBackend cpu = new CpuBackend(2);
             Sequential model = new Sequential(cpu, IN, 1);
             Adam adam = new Adam(1e-3f)) {
            model.add(new Dense(HIDDEN, Activation.RELU)).add(new Dense(OUT, Activation.SOFTMAX));
            java.util.Random r = new java.util.Random(3);
            int rows = 4 * BATCH;
            float[] xs = new float[rows * IN];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = (float) r.nextGaussian();
            }
            float[] ys = new float[rows * OUT];
            float[] weights = new float[rows];
            for (int i = 0; i < rows; i++) {
                ys[i * OUT + r.nextInt(OUT)] = 1f;
                weights[i] = 0.5f + r.nextFloat();
            }
            Loss loss = Loss.categoricalCrossEntropy();
            dev.nnj.api.data.Dataset data = new dev.nnj.api.data.Dataset(xs, IN, ys, OUT);
            try (dev.nnj.api.model.BatchLoader loader = new dev.nnj.api.model.BatchLoader(cpu, data, BATCH, true, 5,
                    weights)) {
                int[] batch = {0};
                assertEquals(0, fewestBytesAllocatedByAWindow(step -> {
                    if (batch[0] % loader.batchesPerEpoch() == 0) {
                        loader.startEpoch();
                    }
                    loader.load(batch[0]++ % loader.batchesPerEpoch());
                    model.forward(loader.features(), true);
                    model.backward(loss, loader);
                    adam.step(model.parameters());
                }), "bytes allocated by " + WINDOW + " weighted training steps (" + cpu.description() + ")");
            }
        }
    }

    /**
     * A new thread's first sigmoid, tanh, ELU, softmax and binary cross-entropy allocate nothing once the kernels
     * are warm: the exponential's and logarithm's scratch comes with the kernels an op borrows ({@link ExpScratch}),
     * not from the thread. Until it did, each new thread (a virtual thread per request) allocated 32 KB of
     * thread-locals at its first exponential.
     */
    @Test
    void aNewThreadsFirstExponentialsAllocateNothingOnceWarm() throws InterruptedException {
        com.sun.management.ThreadMXBean threads = allocationCounter();
        Kernels kernels = new PooledKernels(16, () -> Vectorization.create(null));
        java.util.Random rnd = new java.util.Random(6);
        int rows = 16;
        int cols = 64;
        float[] z = new float[rows * cols];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) rnd.nextGaussian();
        }
        float[] bias = new float[cols];
        float[] out = new float[rows * cols];
        float[] y = new float[rows * cols];
        Activation[] elementwise = {Activation.SIGMOID, Activation.TANH, Activation.ELU};
        Runnable ops = () -> {
            for (Activation f : elementwise) {
                kernels.biasActivation(z, bias, rows, cols, f, 1f, out);
            }
            kernels.biasActivation(z, bias, rows * cols / 10, 10, Activation.SOFTMAX, 0f, out);
            kernels.biasActivation(z, bias, rows, cols, Activation.SOFTMAX, 0f, out);
            kernels.lossSum(LossKind.BINARY_CROSS_ENTROPY, out, y, rows, cols);
        };
        for (int i = 0; i < WARM_UP * 5; i++) {
            ops.run();
        }
        long best = Long.MAX_VALUE;
        java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();
        for (int window = 0; window < WINDOWS && best != 0; window++) {
            bytes.set(0);
            for (int t = 0; t < 20; t++) {
                Thread thread = new Thread(() -> {
                    long probe = threads.getCurrentThreadAllocatedBytes();
                    long before = threads.getCurrentThreadAllocatedBytes();
                    ops.run();
                    long after = threads.getCurrentThreadAllocatedBytes();
                    bytes.addAndGet(after - before - (before - probe));
                });
                thread.start();
                thread.join();
            }
            best = Math.min(best, bytes.get());
        }
        assertEquals(0, best, "bytes allocated by the first ops of 20 new threads (" + kernels.label() + ")");
    }

    /** The JVM's per-thread allocation counter, enabled; skips the test where there is none. */
    private static com.sun.management.ThreadMXBean allocationCounter() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "no per-thread allocation counter");
        threads.setThreadAllocatedMemoryEnabled(true);
        return threads;
    }

    /**
     * Runs {@link #WARM_UP} steps, then windows of {@link #WINDOW} steps until one allocates nothing (at most
     * {@link #WINDOWS} of them), and returns the fewest bytes a window allocated on the calling thread and
     * the backend's workers. Each step gets its number, counting from 1; the lambda that runs them is made
     * once, before the counting starts.
     */
    static long fewestBytesAllocatedByAWindow(IntConsumer step) {
        com.sun.management.ThreadMXBean threads = allocationCounter();
        for (int i = 0; i < WARM_UP; i++) {
            step.accept(i + 1);
        }
        long[] ids = threadIds();
        // Reading the counters allocates the array they come back in: measure that alone first.
        long probe = sum(threads.getThreadAllocatedBytes(ids));
        long overhead = sum(threads.getThreadAllocatedBytes(ids)) - probe;
        long best = Long.MAX_VALUE;
        for (int window = 0; window < WINDOWS && best != 0; window++) {
            long before = sum(threads.getThreadAllocatedBytes(ids));
            for (int i = 0; i < WINDOW; i++) {
                step.accept(WARM_UP + 1000 + i);
            }
            best = Math.min(best, sum(threads.getThreadAllocatedBytes(ids)) - before - overhead);
        }
        return best;
    }

    private static void modelStep(Sequential model, Adam adam, Loss loss, Tensor x, Tensor y) {
        model.forward(x, true);
        model.backward(loss, y);
        adam.step(model.parameters());
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
}
