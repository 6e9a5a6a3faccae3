package dev.nnj.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.nnj.api.Tensor;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A backend nobody closed gives its device back once it is unreachable (its memory, kernels, cuBLAS handle and
 * context), with a warning that it should have been closed; a closed one releases once, at close, without it.
 */
class UnclosedBackendTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(CudaBackend.class);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void capture() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void release() {
        logger.detachAppender(log);
    }

    /** An emulated device that counts its closes. */
    private static EmulatedDevice counting(CountDownLatch closed, AtomicInteger closes) {
        return new EmulatedDevice() {
            @Override
            public void close() {
                closes.incrementAndGet();
                closed.countDown();
            }
        };
    }

    @Test
    void anUnclosedBackendIsReleasedWhenUnreachableWithAWarning() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        AtomicInteger closes = new AtomicInteger();
        createAndDrop(counting(closed, closes));
        for (int i = 0; i < 200 && closed.getCount() > 0; i++) {
            System.gc();
            closed.await(20, TimeUnit.MILLISECONDS);
        }
        assertEquals(1, closes.get(), "the cleaner closed the device once");
        // The warning comes after the release (so that a warning that cannot be logged never keeps the device):
        // waited for, on the cleaner's thread.
        List<String> warnings = warnings();
        for (int i = 0; i < 500 && warnings.isEmpty(); i++) {
            Thread.sleep(10);
            warnings = warnings();
        }
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("A cuda backend on Emulated GPU (Java port of kernels.cu) was never "
                + "closed; its device memory (") && warnings.get(0).endsWith("Close each backend (try-with-resources) "
                + "to release them at once"), warnings.get(0));
    }

    /** The warnings logged so far; the appender adds them under its own lock, from the cleaner's thread. */
    private List<String> warnings() {
        synchronized (log) {
            return log.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                    .toList();
        }
    }

    /** Creates a backend with a tensor on it, and lets go of both. */
    private static void createAndDrop(EmulatedDevice device) {
        CudaBackend backend = new CudaBackend(device);
        Tensor t = backend.tensor(new float[] {1, 2, 3}, 3);
        assertEquals(2f, t.toArray()[1]);
    }

    @Test
    void aClosedBackendReleasesOnceAndWithoutAWarning() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        AtomicInteger closes = new AtomicInteger();
        CudaBackend backend = new CudaBackend(counting(closed, closes));
        backend.tensor(new float[] {1, 2, 3}, 3);
        backend.close();
        backend.close();
        assertEquals(1, closes.get());
        backend = null;
        for (int i = 0; i < 20; i++) {
            System.gc();
            Thread.sleep(5);
        }
        assertEquals(1, closes.get(), "the cleaner does not release it again");
        assertTrue(log.list.stream().noneMatch(e -> e.getLevel() == Level.WARN), log.list.toString());
    }
}
