package dev.nnj.cuda;

/**
 * The GPU reported a fault (an illegal address, a kernel that trapped, ...) that an earlier asynchronous kernel
 * or copy caused and that only surfaced when the host waited for the device, e.g. at {@code close()}. The context
 * is unusable afterwards: every result computed since the last successful read from the device is suspect.
 */
public class CudaDeviceFaultException extends CudaOperationException {
    private static final long serialVersionUID = 1L;

    /** The device, as the backend describes it. */
    private final String device;
    /** The operation that found the fault ({@code close}, a kernel's name). */
    private final String operation;

    /**
     * A fault found while waiting for the device.
     *
     * @param device    the device, as the backend describes it
     * @param operation what the host was doing when the fault surfaced, e.g. {@code close}
     * @param error     the driver's error text
     * @param cause     JCuda's exception
     */
    public CudaDeviceFaultException(String device, String operation, String error, Throwable cause) {
        super("cuda device fault on " + device + ", found at " + operation + ": " + error
                + " (an earlier kernel or copy failed asynchronously; the device's results since the last"
                + " successful read are suspect)", cause);
        this.device = device;
        this.operation = operation;
    }

    /**
     * The device that faulted.
     *
     * @return its description
     */
    public String device() {
        return device;
    }

    /**
     * What the host was doing when the fault surfaced.
     *
     * @return e.g. {@code close}
     */
    public String operation() {
        return operation;
    }
}
