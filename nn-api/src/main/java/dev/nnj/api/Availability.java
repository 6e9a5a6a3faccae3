package dev.nnj.api;

/**
 * Result of a backend's availability probe: whether it can run here, and a human-readable reason either
 * way ("available: NVIDIA H100, compute capability 9.0, …" or "no NVIDIA driver").
 *
 * @param available whether the backend can run here
 * @param reason    why, in words, either way
 */
public record Availability(boolean available, String reason) {

    /**
     * Checks that the reason is present.
     *
     * @param available whether the backend can run
     * @param reason why, in one line
     */
    public Availability {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("an availability reason is required");
        }
    }

    /**
     * A backend that can run.
     *
     * @param reason what it found, for example the device name
     * @return an available status
     */
    public static Availability available(String reason) {
        return new Availability(true, reason);
    }

    /**
     * A backend that cannot run.
     *
     * @param reason what is missing, for example the driver
     * @return an unavailable status
     */
    public static Availability unavailable(String reason) {
        return new Availability(false, reason);
    }
}
