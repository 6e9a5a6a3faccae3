package dev.nnj.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version of nnj these classes belong to, for the files and logs that record which nnj wrote them (a model
 * file's {@code nnj.written_by}, an ONNX file's {@code producer_version}, the digits trainer's first line).
 *
 * <p>The build writes it into a resource beside this class, so that it is right however the jar is run: on the
 * class path, on the module path, or inside an application's shaded jar, where a manifest's
 * {@code Implementation-Version} is missing ({@code Package.getImplementationVersion()} is null for a named module)
 * or is the application's own.
 */
public final class NnjVersion {
    /** What {@link #current()} says when the classes were built without the build's resources (an IDE's output). */
    public static final String UNKNOWN = "(development build)";
    private static final String CURRENT = read();

    private NnjVersion() {
    }

    /**
     * This nnj's version.
     *
     * @return for example {@code "0.1.0"}, or {@link #UNKNOWN} when the build's version resource is missing
     */
    public static String current() {
        return CURRENT;
    }

    private static String read() {
        try (InputStream in = NnjVersion.class.getResourceAsStream("nnj-version.properties")) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "").trim();
            // Unfiltered (copied by a tool that does not run Maven's resource filtering): no version to tell.
            return v.isEmpty() || v.startsWith("${") ? UNKNOWN : v;
        } catch (IOException | IllegalArgumentException e) {
            return UNKNOWN;   // a version string is not worth failing the library's first use
        }
    }
}
