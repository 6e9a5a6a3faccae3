package dev.nnj.api;


/**
 * What a program needs to know about one backend provider on the class path, as data: its name, its
 * priority in {@link Backends#best()}, whether it can run here and why (or why not). Programs print or
 * filter these instead of reading exception messages.
 *
 * @param name the provider's selection name, {@code "cpu"} or {@code "cuda"}
 * @param priority higher wins in {@link Backends#best()}
 * @param available whether the provider's probe says it can run here
 * @param reason the probe's human-readable reason, either way
 */
public record ProviderStatus(String name, int priority, boolean available, String reason) {
    /**
     * The priority of a provider that could not be loaded (see {@link Backends#providers()}), whose own is
     * unknown: {@link Integer#MIN_VALUE}, so it comes after every other.
     */
    public static final int UNKNOWN_PRIORITY = Integer.MIN_VALUE;

    /**
     * Probes {@code provider}. A probe that throws, which a provider must not do, is reported as unavailable
     * with the exception as its reason rather than propagated.
     *
     * @param provider the provider to probe
     * @return its status
     */
    public static ProviderStatus of(BackendProvider provider) {
        Availability a;
        try {
            a = provider.availability();
        } catch (InvalidSettingException e) {
            throw e;   // a setting the user got wrong is theirs to fix: say which, rather than "unavailable"
        } catch (RuntimeException | LinkageError e) {
            a = Availability.unavailable("probe failed: " + e);
        }
        return new ProviderStatus(provider.name(), provider.priority(), a.available(), a.reason());
    }

    /**
     * One line for humans: {@code cuda (priority 100): unavailable: no NVIDIA driver}, {@code cpu (priority 0):
     * available: pure Java, 2 threads}, or {@code (priority unknown)} for {@link #UNKNOWN_PRIORITY}. An available
     * provider's reason is prefixed "available: " unless it starts so itself (nnj's own do).
     *
     * @return the provider's name, priority, state and reason
     */
    public String describe() {
        String state = !available ? "unavailable: "
                : reason != null && reason.regionMatches(true, 0, "available", 0, 9) ? "" : "available: ";
        return name + " (priority " + (priority == UNKNOWN_PRIORITY ? "unknown" : String.valueOf(priority)) + "): "
                + state + reason;
    }
}
