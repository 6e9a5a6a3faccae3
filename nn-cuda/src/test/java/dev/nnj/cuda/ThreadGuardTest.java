package dev.nnj.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The threading rule without a GPU: the context follows the calling thread; overlapping calls are refused. */
class ThreadGuardTest {

    @Test
    void anotherThreadGetsTheContextMadeCurrentOnce() throws Exception {
        AtomicInteger madeCurrent = new AtomicInteger();
        ThreadGuard g = new ThreadGuard(madeCurrent::incrementAndGet);
        for (int i = 0; i < 3; i++) {
            g.enter("op");
            g.exit();
        }
        assertEquals(1, madeCurrent.get(), "once for the first thread");
        Thread t = new Thread(() -> {
            g.enter("op");
            g.exit();
            g.enter("op");
            g.exit();
        });
        t.start();
        t.join();
        assertEquals(2, madeCurrent.get(), "once more for the second thread");
        g.enter("op");
        g.exit();
        assertEquals(3, madeCurrent.get(), "and again when the first thread comes back");
    }

    @Test
    void aCallWhileAnotherThreadIsInsideAnOpIsRejectedNamingBoth() throws Exception {
        ThreadGuard g = new ThreadGuard(() -> { });
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            g.enter("gemm");
            try {
                inside.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                g.exit();
            }
        }, "trainer-thread");
        holder.start();
        inside.await();
        AtomicReference<String> message = new AtomicReference<>();
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.enter("fill"));
            message.set(e.getMessage());
        } finally {
            release.countDown();
            holder.join();
        }
        assertTrue(message.get().contains("'fill'"), message.get());
        assertTrue(message.get().contains("trainer-thread"), message.get());
        assertTrue(message.get().contains(Thread.currentThread().getName()), message.get());
        g.enter("fill");
        g.exit();
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
