package dev.nnj.api;

/**
 * A model, a batch or a table whose buffers would not fit: more elements than one tensor or Java array can
 * hold, or more bytes than the memory budget of where they would live (the JVM heap for host arrays and the
 * cpu backend, free device memory for an accelerator). Thrown before anything is allocated, with the bytes
 * the request needs and the budget it was measured against.
 */
public class MemoryBudgetException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Bytes the request needs, at least. */
    private final long requiredBytes;
    /** Bytes available, or -1 when the limit was an element count. */
    private final long budgetBytes;

    /**
     * An exception with its message and the sizes that did not fit.
     *
     * @param message       what was asked for, how much it needs, the budget, and what to change
     * @param requiredBytes bytes the request needs (at least)
     * @param budgetBytes   bytes available, or -1 when the limit was an element count rather than memory
     */
    public MemoryBudgetException(String message, long requiredBytes, long budgetBytes) {
        super(message);
        this.requiredBytes = requiredBytes;
        this.budgetBytes = budgetBytes;
    }

    /** {@return bytes the refused request needs (a lower bound)} */
    public long requiredBytes() {
        return requiredBytes;
    }

    /** {@return bytes that were available, or -1 when an element limit was hit} */
    public long budgetBytes() {
        return budgetBytes;
    }

    /**
     * A size for people: {@code 1.28 GB (1280000000 bytes)}.
     *
     * @param bytes a byte count
     * @return the count in decimal units, with the exact figure
     */
    public static String describeBytes(long bytes) {
        String[] units = {"bytes", "kB", "MB", "GB", "TB", "PB"};
        double v = bytes;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return u == 0 ? bytes + " bytes" : String.format(java.util.Locale.ROOT, "%.2f %s (%d bytes)", v, units[u], bytes);
    }
}
