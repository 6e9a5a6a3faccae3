package dev.nnj.cuda;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A caching allocator for device memory: blocks are rounded up to size classes, and a freed block goes to a
 * cache from which the next request of its class is served, without a device call.
 *
 * <p>Why: {@code cudaMalloc}/{@code cuMemFree} synchronise the whole device, and a training step asks for the
 * same shapes every batch, so after the first batch every allocation is a cache hit. (JCuda 12.6 lacks
 * {@code cuMemPoolSetAttribute}, so the driver's stream-ordered pool cannot keep memory across syncs.)
 *
 * <p>This class is the bookkeeping only; the device calls are behind {@link Memory}, so the policy is tested
 * without a GPU. All methods are synchronized: blocks are released from the backend's thread (close) and from
 * the {@link java.lang.ref.Cleaner} thread (a tensor that was never closed), and release is pure bookkeeping,
 * never a device call. Reusing a released block is safe because every op of a backend runs in order on one
 * stream: work already queued on the old tensor finishes before work on the new one starts.
 *
 * <p>Size classes: 512 bytes at least; powers of two up to 1 MiB; above that, multiples of a quarter of the
 * size's highest power of two (1.25, 1.5, 1.75, 2, 2.5 … MiB), so rounding wastes at most 25 %.
 *
 * @param <H> the device pointer type ({@code CUdeviceptr} on a GPU, anything in tests)
 */
final class CachingAllocator<H> {

    /** The device side: allocate (null when out of memory), free, and a line about the device for errors. */
    interface Memory<H> {
        /** A new block of exactly {@code bytes}, or null if the device is out of memory. */
        H allocate(long bytes);

        void free(H block);

        /** E.g. {@code NVIDIA H100 (device 0), 1.2 GiB free of 79.1 GiB}. */
        String describeDevice();

        /** Bytes the device reports free now ({@code cuMemGetInfo}); {@link Long#MAX_VALUE} if unknown. */
        default long freeBytes() {
            return Long.MAX_VALUE;
        }
    }

    /** A block handed to one tensor: its pointer, its size class and the size asked for. */
    static final class Block<H> {
        private final H handle;
        private final long size;
        private final long requested;
        private boolean released;

        Block(H handle, long size, long requested) {
            this.handle = handle;
            this.size = size;
            this.requested = requested;
        }

        H handle() {
            return handle;
        }

        /** The size class, in bytes (what the block occupies). */
        long size() {
            return size;
        }

        long requested() {
            return requested;
        }
    }

    /** A snapshot of the bookkeeping, in bytes. */
    record Stats(long inUse, long cached, long reserved, int liveBlocks, long allocations, long cacheHits) {
    }

    static final long MIN_BLOCK = 512;
    private static final long MIB = 1L << 20;

    private final Memory<H> memory;
    private final TreeMap<Long, ArrayDeque<H>> cache = new TreeMap<>();
    private final Set<Block<H>> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private long inUse;
    private long cached;
    private long allocations;
    private long cacheHits;
    private boolean closed;

    CachingAllocator(Memory<H> memory) {
        this.memory = memory;
    }

    /** The size class that a request of {@code bytes} is rounded up to. */
    static long sizeClass(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("block size must be positive, got " + bytes);
        }
        if (bytes <= MIN_BLOCK) {
            return MIN_BLOCK;
        }
        if (bytes <= MIB) {
            long p = Long.highestOneBit(bytes);
            return p == bytes ? p : p << 1;
        }
        long step = Long.highestOneBit(bytes) >> 2;
        return (bytes + step - 1) / step * step;
    }

    /**
     * A block of at least {@code bytes}: from the cache if one of its size class is free, else new from the
     * device; if the device is out of memory, the cache is emptied and the device asked once more.
     *
     * @throws DeviceOutOfMemoryException if the second attempt fails too
     */
    synchronized Block<H> allocate(long bytes) {
        if (closed) {
            throw new IllegalStateException("the allocator of this cuda backend is closed");
        }
        long size = sizeClass(bytes);
        allocations++;
        ArrayDeque<H> free = cache.get(size);
        H handle = null;
        if (free != null && !free.isEmpty()) {
            handle = free.pop();
            cached -= size;
            cacheHits++;
        }
        if (handle == null) {
            handle = memory.allocate(size);
            if (handle == null) {
                long freed = cached;
                emptyCache();
                handle = memory.allocate(size);
                if (handle == null) {
                    throw new DeviceOutOfMemoryException(outOfMemoryMessage(bytes, size, freed), bytes);
                }
            }
        }
        Block<H> block = new Block<>(handle, size, bytes);
        live.add(block);
        inUse += size;
        return block;
    }

    private String outOfMemoryMessage(long bytes, long size, long freed) {
        return "out of CUDA device memory: cannot allocate " + bytes(bytes) + " (size class " + bytes(size)
                + ") on " + memory.describeDevice() + "; nnj holds " + bytes(inUse) + " in " + live.size()
                + " live tensors; emptying the allocator cache (" + bytes(freed)
                + ") and retrying once did not help. Close tensors and models you no longer need, or use a"
                + " smaller batch.";
    }

    /** Returns a block to the cache. A second release of the same block, or one after close, does nothing. */
    synchronized void release(Block<H> block) {
        if (block.released || closed) {
            block.released = true;
            return;
        }
        block.released = true;
        live.remove(block);
        inUse -= block.size;
        cache.computeIfAbsent(block.size, k -> new ArrayDeque<>()).push(block.handle);
        cached += block.size;
    }

    /** Frees every cached block on the device; live blocks stay. */
    synchronized void emptyCache() {
        RuntimeException first = null;
        for (Map.Entry<Long, ArrayDeque<H>> e : cache.entrySet()) {
            for (H h : e.getValue()) {
                try {
                    memory.free(h);
                } catch (RuntimeException ex) {
                    // Keep freeing the rest; report the first failure.
                    if (first == null) {
                        first = ex;
                    }
                }
            }
        }
        cache.clear();
        cached = 0;
        if (first != null) {
            throw first;
        }
    }

    /** Frees everything, cached and live (tensors still open become unusable with their backend). */
    synchronized void close() {
        if (closed) {
            return;
        }
        try {
            emptyCache();
        } catch (RuntimeException ignored) {
            // As below: a device whose context a fault has broken fails every free; the device's own close
            // reports the fault once, naming the device.
        } finally {
            List<Block<H>> remaining = new ArrayList<>(live);
            for (Block<H> b : remaining) {
                b.released = true;
                try {
                    memory.free(b.handle);
                } catch (RuntimeException ignored) {
                    // The backend is going away; a failed free must not keep the others from running.
                }
            }
            live.clear();
            inUse = 0;
            closed = true;
        }
    }

    synchronized Stats stats() {
        return new Stats(inUse, cached, inUse + cached, live.size(), allocations, cacheHits);
    }

    /** {@code 1.50 GiB}, {@code 512 B}: sizes for humans. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.2f %s", v, units[u]);
    }
}
