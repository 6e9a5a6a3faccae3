package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link PooledKernels}: an op never shares its kernels with another op in flight, a thread per call reuses idle
 * kernels instead of building its own, and concurrent callers get as many instances as they need.
 */
class PooledKernelsTest {

    /** Counts the instances built and fails an op that finds its instance already in use by another op. */
    private static final class Counting {
        final AtomicInteger built = new AtomicInteger();
        final AtomicInteger overlaps = new AtomicInteger();

        Kernels create() {
            built.incrementAndGet();
            AtomicInteger inUse = new AtomicInteger();
            return (Kernels) Proxy.newProxyInstance(Kernels.class.getClassLoader(), new Class<?>[] {Kernels.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("label")) {
                            return "counting";
                        }
                        if (inUse.incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        Thread.sleep(0, 200_000);   // long enough for other threads to arrive meanwhile
                        inUse.decrementAndGet();
                        return method.getReturnType() == double.class ? 0.0 : null;
                    });
        }
    }

    @Test
    void aNewThreadForEveryCallReusesIdleKernels() throws InterruptedException {
        Counting counting = new Counting();
        PooledKernels kernels = new PooledKernels(16, counting::create);
        for (int i = 0; i < 200; i++) {
            Thread t = new Thread(() -> kernels.scale(new float[1], 1, 2f));
            t.start();
            t.join();
        }
        // Before: one instance (with its packing buffers) built per thread, 200 here.
        assertEquals(1, counting.built.get(), "built once, at construction");
        assertEquals(0, counting.overlaps.get());
    }

    @Test
    void concurrentCallersNeverShareAnInstance() throws InterruptedException {
        Counting counting = new Counting();
        PooledKernels kernels = new PooledKernels(4, counting::create);
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < 200; i++) {
                    kernels.multiply(new float[1], new float[1], new float[1], 1);
                    kernels.sumOfSquares(new float[1], 1);
                }
            });
            thread.start();
            all.add(thread);
        }
        start.countDown();
        for (Thread thread : all) {
            thread.join();
        }
        assertEquals(0, counting.overlaps.get(), "two ops ran on one instance at once");
        // 8 threads over 4 slots: extra instances are built while every slot is taken, and dropped on return.
        assertTrue(counting.built.get() >= 2, "callers overlapped: " + counting.built.get());
    }

    @Test
    void aThreadCallingAloneGetsTheSameInstanceEveryTime() {
        List<Kernels> lent = new ArrayList<>();
        PooledKernels kernels = new PooledKernels(16, () -> (Kernels) Proxy.newProxyInstance(
                Kernels.class.getClassLoader(), new Class<?>[] {Kernels.class}, (proxy, method, args) -> {
                    lent.add((Kernels) proxy);
                    return method.getName().equals("label") ? "one" : null;
                }));
        for (int i = 0; i < 100; i++) {
            kernels.scale(new float[1], 1, 1f);
        }
        // label() at construction, then the ops: all on the one instance, whose buffers stay sized for the caller.
        assertEquals(101, lent.size());
        assertTrue(lent.stream().allMatch(k -> k == lent.get(0)));
    }
}
