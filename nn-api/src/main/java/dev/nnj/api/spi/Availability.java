package dev.nnj.api.spi;

/**
 * Result of a backend's availability probe: whether it can run here, and a human-readable reason either
 * way ("available: NVIDIA H100, compute capability 9.0, …" or "no NVIDIA driver").
 */
public record Availability(boolean available, String reason) {

    public Availability {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("an availability reason is required");
        }
    }

    public static Availability available(String reason) {
        return new Availability(true, reason);
    }

    public static Availability unavailable(String reason) {
        return new Availability(false, reason);
    }
}
