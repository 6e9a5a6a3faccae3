package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The cpu backend's side of the thread-safety contract: its ops are safe for concurrent callers (each thread
 * has its own kernels, the worker pool takes one job at a time), its worker threads are daemons that end
 * when the backend is closed or dropped, and a tensor of another cpu backend instance is named as such.
 * The model-level contract is in the shared conformance suite ({@code ThreadingConformance}).
 */
class CpuConcurrencyTest {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void concurrentOpsOnOneBackendGiveTheSingleThreadedNumbers() throws Exception {
        try (CpuBackend cpu = new CpuBackend(4)) {
            // Sizes above the split thresholds, so the parts of each op run on the shared worker pool, and
            // small ones that run on the caller only; odd sizes exercise the kernels' edges.
            int[][] shapes = {{97, 131, 83}, {256, 64, 200}, {3, 300, 257}, {5, 7, 9}, {64, 10, 300}};
            Random r = new Random(7);
            Tensor[][] operands = new Tensor[shapes.length][];
            float[][] expected = new float[shapes.length][];
            for (int s = 0; s < shapes.length; s++) {
                int m = shapes[s][0];
                int k = shapes[s][1];
                int n = shapes[s][2];
                Tensor a = cpu.tensor(TestArrays.gaussian(r, m * k), m, k);
                Tensor b = cpu.tensor(TestArrays.gaussian(r, k * n), k, n);
                Tensor bias = cpu.tensor(TestArrays.gaussian(r, n), n);
                operands[s] = new Tensor[] {a, b, bias};
                expected[s] = run(cpu, a, b, bias, m, n);
            }
            int threads = 6;
            int rounds = 60;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        start.await();
                        int wrong = 0;
                        for (int i = 0; i < rounds; i++) {
                            int s = (i + thread) % shapes.length;
                            Tensor[] o = operands[s];
                            if (!close(expected[s], run(cpu, o[0], o[1], o[2], shapes[s][0], shapes[s][2]))) {
                                wrong++;
                            }
                        }
                        return wrong;
                    }));
                }
                start.countDown();
                int wrong = 0;
                for (Future<Integer> f : futures) {
                    wrong += f.get(100, TimeUnit.SECONDS);
                }
                assertEquals(0, wrong, "results that differ from one thread's, of " + threads * rounds);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /**
     * Within 1e-5 of the reference. Not bit equality: the Vector API kernels are not bit-reproducible across
     * JIT tiers (a lane reduction may change its order when C2 compiles it, an ulp), so a reference taken
     * early can differ in its last bit from a later call on any thread; a race misses by far more.
     */
    private static boolean close(float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= 1e-5 * Math.max(1, Math.abs(expected[i])))) {
                return false;
            }
        }
        return expected.length == actual.length;
    }

    /** {@code softmax(a·b + bias)}, then its column sums: a GEMM, a row-wise op and a reduction. */
    private static float[] run(CpuBackend cpu, Tensor a, Tensor b, Tensor bias, int m, int n) {
        try (Tensor c = cpu.zeros(m, n); Tensor sums = cpu.zeros(n)) {
            cpu.gemm(false, false, 1f, a, b, 0f, c);
            cpu.biasActivation(c, bias, Activation.SOFTMAX, 0f, c);
            cpu.columnSums(c, 1f, 0f, sums);
            float[] out = Arrays.copyOf(c.toArray(), m * n + n);
            System.arraycopy(sums.toArray(), 0, out, m * n, n);
            return out;
        }
    }


    @Test
    void workerThreadsAreDaemonsAndEndOnClose() throws Exception {
        CpuBackend cpu = new CpuBackend(3);
        List<Thread> workers = liveWorkers();
        assertTrue(workers.size() >= 2, "the backend's workers are running: " + workers);
        for (Thread t : workers) {
            assertTrue(t.isDaemon(), t.getName() + " is a daemon thread");
        }
        cpu.close();
        for (Thread t : workers) {
            t.join(10_000);
        }
        for (Thread t : workers) {
            assertTrue(!t.isAlive() || !isWorkerOf(t), t.getName() + " ended after close()");
        }
    }

    /**
     * A service shutting down closes the backend while a request still multiplies on it: that request ends, with
     * the closed backend named or with its answer, never by spinning forever in a half-run product.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void closingTheBackendWhileAnotherThreadMultipliesEndsThatThread() throws Exception {
        Random r = new Random(3);
        float[] a = TestArrays.gaussian(r, 2048 * 64);
        float[] b = TestArrays.gaussian(r, 64 * 64);
        for (int trial = 0; trial < 30; trial++) {
            CpuBackend cpu = new CpuBackend(3);
            Tensor ta = cpu.tensor(a, 2048, 64);
            Tensor tb = cpu.tensor(b, 64, 64);
            Tensor out = cpu.zeros(2048, 64);
            AtomicReference<Throwable> end = new AtomicReference<>();
            Thread caller = new Thread(() -> {
                try {
                    while (true) {
                        cpu.gemm(false, false, 1f, ta, tb, 0f, out);
                    }
                } catch (Throwable t) {
                    end.set(t);
                }
            }, "request");
            caller.setDaemon(true);
            caller.start();
            Thread.sleep(5 + trial % 11);
            cpu.close();
            caller.join(10_000);
            assertTrue(!caller.isAlive(), "trial " + trial + ": the multiplying thread did not end after close()");
            assertTrue(end.get() instanceof IllegalStateException
                    && end.get().getMessage().contains("the cpu backend is closed"),
                    "trial " + trial + ": " + end.get());
        }
    }

    /**
     * A server thread's first call builds that thread's kernels: their buffers are sized by what the call needs,
     * not by the pool (a full-depth edge sliver for each of 32 pool threads made it 2.2 MB).
     */
    @Test
    void aNewThreadsFirstSmallProductAllocatesLittleWhateverThePoolSize() throws Exception {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean,
                "this JVM does not count allocated bytes per thread");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
        try (CpuBackend cpu = new CpuBackend(32)) {
            Tensor a = cpu.tensor(TestArrays.gaussian(new Random(5), 32 * 64), 32, 64);
            Tensor w = cpu.tensor(TestArrays.gaussian(new Random(6), 64 * 10), 64, 10);
            long[] allocated = new long[1];
            Thread t = new Thread(() -> {
                try (Tensor out = cpu.zeros(32, 10)) {
                    long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
                    cpu.gemm(false, false, 1f, a, w, 0f, out);
                    allocated[0] = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
                }
            });
            t.start();
            t.join();
            assertTrue(allocated[0] < 512 * 1024, "a new thread's first (32, 64) x (64, 10) allocated "
                    + allocated[0] + " bytes");
        }
    }

    private static boolean isWorkerOf(Thread t) {
        return t.getName().startsWith("nnj-cpu");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aThousandBackendsDroppedWithoutCloseLeaveTheThreadCountFlat() throws Exception {
        int before = settledWorkerCount(0, 20_000);
        int peak = 0;
        for (int i = 0; i < 1000; i++) {
            CpuBackend dropped = new CpuBackend(4);   // three workers each, never closed
            try (Tensor t = dropped.zeros(2, 2)) {
                dropped.fill(t, 1f);
            }
            if (i % 50 == 49) {
                System.gc();
                peak = Math.max(peak, liveWorkers().size());
            }
        }
        int after = settledWorkerCount(before, 60_000);
        assertTrue(after <= before, "worker threads: " + before + " before, " + after + " after dropping 1,000"
                + " backends (3,000 workers; at most " + peak + " alive at a check)");
        assertTrue(peak < 1000, "dropped backends' workers end while the loop runs, not only at the end: " + peak);
    }

    /**
     * A backend dropped without close() is named when the collector releases its workers (at WARN once a JVM, then
     * at DEBUG); one closed says nothing.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aBackendDroppedWithoutCloseIsNamedWhenReleased() throws Exception {
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                WorkerPool.class);
        ch.qos.logback.classic.Level level = log.getLevel();
        log.setLevel(ch.qos.logback.classic.Level.DEBUG);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen =
                new ch.qos.logback.core.read.ListAppender<>();
        seen.start();
        log.addAppender(seen);
        try {
            try (CpuBackend closed = new CpuBackend(3)) {
                closed.zeros(1, 1).close();
            }
            assertTrue(seen.list.isEmpty(), "a closed backend: " + seen.list);
            dropOneBackend();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (seen.list.isEmpty() && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(20);
            }
            assertTrue(!seen.list.isEmpty() && seen.list.get(0).getFormattedMessage().startsWith("a cpu backend was "
                    + "not closed: the garbage collector released its 2 worker threads"), seen.list.toString());
        } finally {
            log.detachAppender(seen);
            log.setLevel(level);
        }
    }

    private static void dropOneBackend() {
        CpuBackend dropped = new CpuBackend(3);
        dropped.zeros(1, 1).close();
    }

    /** Nudges the GC until at most {@code target} pool workers are alive or {@code millis} pass; returns the count. */
    private static int settledWorkerCount(int target, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        int count = liveWorkers().size();
        while (count > target && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
            count = liveWorkers().size();
        }
        return count;
    }

    private static List<Thread> liveWorkers() {
        List<Thread> live = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && isWorkerOf(t)) {
                live.add(t);
            }
        }
        return live;
    }

    @Test
    void aTensorOfAnotherCpuBackendInstanceIsNamedAsSuch() {
        try (CpuBackend first = new CpuBackend(1); CpuBackend second = new CpuBackend(1)) {
            Tensor mine = first.zeros(2, 3);
            Tensor theirs = second.zeros(2, 3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> first.copy(theirs, mine));
            String m = e.getMessage();
            assertTrue(m.contains("copy: tensor 'src' (2, 3) belongs to another cpu backend instance (#"), m);
            assertTrue(m.contains("op runs on #"), m);
            assertTrue(!m.contains("lives on cpu, op runs on cpu"), m);
        }
    }
}
