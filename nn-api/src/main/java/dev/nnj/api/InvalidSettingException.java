package dev.nnj.api;

/**
 * A configuration setting (a {@code nnj.*} system property or an {@code NNJ_*} environment variable) holds a
 * value the library does not accept. The message names the setting, the value and the accepted values.
 *
 * <p>It is a configuration error, not a missing device: backend discovery ({@link Backends}) lets it through
 * instead of reporting the backend as unavailable, so the user sees the setting to fix.
 */
public final class InvalidSettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    /** The setting as the user wrote it, e.g. {@code -Dnnj.cpu.threads}. */
    private final String setting;

    /**
     * An exception naming the setting, the value found and the values accepted.
     *
     * @param setting  how the user wrote the setting: {@code -Dnnj.cpu.threads} or {@code NNJ_BACKEND}
     * @param value    the value found
     * @param accepted the accepted values, in words: {@code "a whole number from 1 to 32768"}
     */
    public InvalidSettingException(String setting, String value, String accepted) {
        super("invalid setting " + setting + "='" + value + "': accepted values are " + accepted);
        this.setting = setting;
    }

    /**
     * The setting as the user wrote it.
     *
     * @return {@code -Dnnj.cpu.threads}, {@code NNJ_BACKEND}, …
     */
    public String setting() {
        return setting;
    }
}
