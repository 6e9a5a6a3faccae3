package dev.nnj.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The threading rule without a GPU: each op makes the context current on its thread; overlapping calls take turns. */
class ThreadGuardTest {

    @Test
    void everyOutermostOpMakesTheContextCurrentOnItsThread() throws Exception {
        AtomicInteger madeCurrent = new AtomicInteger();
        ThreadGuard g = new ThreadGuard(madeCurrent::incrementAndGet);
        for (int i = 0; i < 3; i++) {
            g.enter("op");
            g.exit();
        }
        assertEquals(3, madeCurrent.get(), "each op on the same thread: other code may have changed its context");
        Thread t = new Thread(() -> {
            g.enter("op");
            g.exit();
        });
        t.start();
        t.join();
        assertEquals(4, madeCurrent.get(), "and on another thread");
        g.enter("outer");
        g.enter("inner");
        g.exit();
        g.exit();
        assertEquals(5, madeCurrent.get(), "an op built from other ops sets it once");
    }

    @Test
    void aCallWhileAnotherThreadIsInsideAnOpWaitsForIt() throws Exception {
        ThreadGuard g = new ThreadGuard(() -> { });
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean holderLeft = new AtomicBoolean();
        Thread holder = new Thread(() -> {
            g.enter("gemm");
            try {
                inside.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                holderLeft.set(true);
                g.exit();
            }
        }, "trainer-thread");
        holder.start();
        inside.await();
        AtomicBoolean sawHolderLeft = new AtomicBoolean();
        Thread waiter = new Thread(() -> {
            g.enter("fill");
            sawHolderLeft.set(holderLeft.get());
            g.exit();
        }, "predict-thread");
        waiter.start();
        waiter.join(200);
        assertTrue(waiter.isAlive(), "the second thread waits while the first is inside an op");
        release.countDown();
        holder.join();
        waiter.join(10_000);
        assertFalse(waiter.isAlive(), "the second thread runs once the first has left");
        assertTrue(sawHolderLeft.get(), "and only after the first has left");
    }

    @Test
    void reentryFromTheSameThreadAndClose() {
        AtomicInteger madeCurrent = new AtomicInteger();
        ThreadGuard g = new ThreadGuard(madeCurrent::incrementAndGet);
        g.enter("tensor");
        g.enter("zeros");
        g.exit();
        g.exit();
        assertEquals(1, madeCurrent.get());
        g.enter("close");
        g.close();
        g.exit();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.enter("gemm"));
        assertTrue(e.getMessage().contains("closed"));
    }
}
