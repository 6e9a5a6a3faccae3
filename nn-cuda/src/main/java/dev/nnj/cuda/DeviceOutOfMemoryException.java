package dev.nnj.cuda;

/**
 * Device memory ran out even after the allocator emptied its cache and tried once more. The message names the
 * requested size, the device, and what nnj and the device report in use.
 */
public class DeviceOutOfMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The size asked for, in bytes. */
    private final long requestedBytes;

    /**
     * An exception with its message and the size that could not be allocated.
     *
     * @param message the requested size, the device and the memory in use
     * @param requestedBytes the size asked for, in bytes
     */
    public DeviceOutOfMemoryException(String message, long requestedBytes) {
        super(message);
        this.requestedBytes = requestedBytes;
    }

    /**
     * The size asked for, before rounding to a size class.
     *
     * @return the bytes requested
     */
    public long requestedBytes() {
        return requestedBytes;
    }
}
