package dev.nnj.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The allocator's policy against a fake device with a fixed capacity that records every call. */
class CachingAllocatorTest {

    /** A device of {@code capacity} bytes; handles are fresh objects, so reuse is visible as identity. */
    static final class FakeMemory implements CachingAllocator.Memory<Object> {
        final long capacity;
        long used;
        int allocations;
        int frees;
        final List<Long> sizes = new ArrayList<>();
        private final java.util.Map<Object, Long> blocks = new java.util.IdentityHashMap<>();

        FakeMemory(long capacity) {
            this.capacity = capacity;
        }

        @Override
        public Object allocate(long bytes) {
            if (used + bytes > capacity) {
                return null;
            }
            used += bytes;
            allocations++;
            sizes.add(bytes);
            Object h = new Object();
            blocks.put(h, bytes);
            return h;
        }

        @Override
        public void free(Object block) {
            Long size = blocks.remove(block);
            if (size == null) {
                throw new AssertionError("double free");
            }
            used -= size;
            frees++;
        }

        @Override
        public String describeDevice() {
            return "Fake GPU (device 0), " + (capacity - used) + " B free of " + capacity + " B";
        }
    }

    @Test
    void sizeClasses() {
        assertEquals(512, CachingAllocator.sizeClass(1));
        assertEquals(512, CachingAllocator.sizeClass(512));
        assertEquals(1024, CachingAllocator.sizeClass(513));
        assertEquals(1 << 20, CachingAllocator.sizeClass((1 << 19) + 1));
        assertEquals(1 << 20, CachingAllocator.sizeClass(1 << 20));
        assertEquals((1 << 20) + (1 << 18), CachingAllocator.sizeClass((1 << 20) + 1), "1.25 MiB");
        assertEquals(3L << 29, CachingAllocator.sizeClass((5L << 28) + 1), "1.25 GiB + 1 → 1.5 GiB");
        for (long b = 1; b < (1L << 34); b = b * 3 + 7) {
            long c = CachingAllocator.sizeClass(b);
            assertTrue(c >= b && (c <= 512 || c <= b * 2), b + " → " + c);
            if (b > (1 << 20)) {
                assertTrue(c - b <= b / 4 + 1, "at most 25% waste above 1 MiB: " + b + " → " + c);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> CachingAllocator.sizeClass(0));
    }

    @Test
    void freedBlocksAreReusedWithoutDeviceCalls() {
        FakeMemory mem = new FakeMemory(1 << 30);
        CachingAllocator<Object> a = new CachingAllocator<>(mem);
        CachingAllocator.Block<Object> x = a.allocate(4000);
        Object handle = x.handle();
        a.release(x);
        CachingAllocator.Block<Object> y = a.allocate(3000);
        assertSame(handle, y.handle(), "same size class (4 KiB): served from the cache");
        assertEquals(1, mem.allocations);
        CachingAllocator.Block<Object> z = a.allocate(5000);
        assertNotSame(handle, z.handle());
        assertEquals(2, mem.allocations);
        CachingAllocator.Stats s = a.stats();
        assertEquals(4096 + 8192, s.inUse());
        assertEquals(2, s.liveBlocks());
        assertEquals(1, s.cacheHits());
    }

    @Test
    void inUseReturnsToItsStartWhenEverythingIsReleasedAndDoubleReleaseIsIgnored() {
        CachingAllocator<Object> a = new CachingAllocator<>(new FakeMemory(1 << 30));
        long start = a.stats().inUse();
        List<CachingAllocator.Block<Object>> blocks = new ArrayList<>();
        for (int i = 1; i < 50; i++) {
            blocks.add(a.allocate(i * 1000L));
        }
        assertTrue(a.stats().inUse() > start);
        for (CachingAllocator.Block<Object> b : blocks) {
            a.release(b);
            a.release(b);
        }
        assertEquals(start, a.stats().inUse());
        assertEquals(0, a.stats().liveBlocks());
        assertTrue(a.stats().cached() > 0);
    }

    @Test
    void outOfMemoryEmptiesTheCacheAndRetriesOnce() {
        FakeMemory mem = new FakeMemory(10_000);
        CachingAllocator<Object> a = new CachingAllocator<>(mem);
        a.release(a.allocate(4096));
        a.release(a.allocate(2048));
        assertEquals(6144, mem.used, "both cached, still held on the device");
        CachingAllocator.Block<Object> big = a.allocate(8192);
        assertEquals(8192, mem.used, "the cache was given back to make room");
        assertEquals(2, mem.frees);
        assertEquals(8192, big.size());
    }

    @Test
    void outOfMemoryAfterTheRetryNamesSizeDeviceAndUse() {
        FakeMemory mem = new FakeMemory(10_000);
        CachingAllocator<Object> a = new CachingAllocator<>(mem);
        a.allocate(4096);
        DeviceOutOfMemoryException e = assertThrows(DeviceOutOfMemoryException.class, () -> a.allocate(7000));
        assertEquals(7000, e.requestedBytes());
        String msg = e.getMessage();
        assertTrue(msg.contains("6.84 KiB"), msg);
        assertTrue(msg.contains("size class 8.00 KiB"), msg);
        assertTrue(msg.contains("Fake GPU (device 0)"), msg);
        assertTrue(msg.contains("nnj holds 4.00 KiB in 1 live tensors"), msg);
    }

    @Test
    void closeFreesCachedAndLiveBlocksAndLaterReleasesAreHarmless() {
        FakeMemory mem = new FakeMemory(1 << 20);
        CachingAllocator<Object> a = new CachingAllocator<>(mem);
        CachingAllocator.Block<Object> live = a.allocate(1000);
        a.release(a.allocate(3000));
        a.close();
        assertEquals(0, mem.used);
        a.release(live);
        assertEquals(0, mem.used);
        assertThrows(IllegalStateException.class, () -> a.allocate(1));
    }

    @Test
    void releaseFromAnotherThreadIsOnlyBookkeeping() throws Exception {
        FakeMemory mem = new FakeMemory(1 << 20);
        CachingAllocator<Object> a = new CachingAllocator<>(mem);
        CachingAllocator.Block<Object> b = a.allocate(1000);
        Thread t = new Thread(() -> a.release(b));
        t.start();
        t.join();
        assertEquals(0, mem.frees, "no device call from a thread without a context");
        assertEquals(0, a.stats().inUse());
    }
}
