package dev.nnj.api;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * Internal, not API: the JVM heap as a memory budget: how much a new host array may take, so that a request that
 * cannot fit is refused with its size before the allocation fails with an {@link OutOfMemoryError} halfway through
 * building a model.
 *
 * <pre>
 *   budget = maxMemory − live,   live = min(heap in use now, heap in use after the last collection)
 * </pre>
 * Heap in use now counts garbage a collection would free, so on its own it would refuse requests that fit;
 * the after-collection figure (from the memory pool beans, where the JVM reports it) removes most of that.
 * The estimate errs on the side of letting a request through: it is a check against absurd sizes, not an
 * allocator.
 *
 * <p><b>Internal:</b> public only because another nnj package uses it; not API, and it may change in any
 * release (see docs/architecture.md).
 */
public final class HostMemory {
    /** Most elements a Java array (and so one tensor) can hold on common JVMs. */
    public static final long MAX_ARRAY_ELEMENTS = Integer.MAX_VALUE - 8;

    private HostMemory() {
    }

    /** {@return bytes of heap a new allocation may take now (see the class comment)} */
    public static long availableBytes() {
        Runtime rt = Runtime.getRuntime();
        long max = rt.maxMemory();
        if (max == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        long usedNow = rt.totalMemory() - rt.freeMemory();
        long usedAfterGc = 0;
        boolean known = false;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                MemoryUsage u = pool.getCollectionUsage();
                if (u != null) {
                    usedAfterGc += u.getUsed();
                    known = true;
                }
            }
        }
        long live = known ? Math.min(usedNow, usedAfterGc) : usedNow;
        return Math.max(0, max - live);
    }

    /**
     * Throws unless a {@code float[]} of {@code elements} can be made: at most {@link #MAX_ARRAY_ELEMENTS}
     * elements and {@code 4 · elements} bytes within {@link #availableBytes()}.
     *
     * @param what     names the array in the message
     * @param elements its length, computed in long arithmetic by the caller
     * @throws MemoryBudgetException naming the size
     */
    public static void requireArray(String what, long elements) {
        requireElements(what, elements);
        requireBytes(what, elements * Float.BYTES, availableBytes(), "the JVM heap (raise -Xmx)");
    }

    /**
     * Throws if {@code elements} is more than one array or tensor can hold.
     *
     * @param what     names the buffer in the message
     * @param elements its element count in long arithmetic
     * @throws MemoryBudgetException naming the count and the limit
     */
    public static void requireElements(String what, long elements) {
        if (elements < 0 || elements > MAX_ARRAY_ELEMENTS) {
            throw new MemoryBudgetException(what + " has " + elements + " elements, more than one array or tensor "
                    + "can hold (" + MAX_ARRAY_ELEMENTS + ")", elements * Float.BYTES, -1);
        }
    }

    /**
     * Throws if {@code bytes} exceed {@code budget}.
     *
     * @param what   names the request
     * @param bytes  bytes it needs
     * @param budget bytes available
     * @param where  names the budget, e.g. {@code "free memory of the cuda device"}
     * @throws MemoryBudgetException with both figures
     */
    public static void requireBytes(String what, long bytes, long budget, String where) {
        if (bytes > budget) {
            throw new MemoryBudgetException(what + " needs " + MemoryBudgetException.describeBytes(bytes)
                    + ", more than the " + MemoryBudgetException.describeBytes(budget) + " available in " + where,
                    bytes, budget);
        }
    }
}
