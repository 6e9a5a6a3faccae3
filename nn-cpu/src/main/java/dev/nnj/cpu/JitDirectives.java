package dev.nnj.cpu;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.JMException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands HotSpot two compiler directives ({@code jit-directives.json} beside this class) that bring the Vector API
 * kernels up to compiled speed sooner in a cold JVM. The results are the same bit for bit: only which code is
 * compiled when changes.
 *
 * <ul>
 *   <li><b>C1 does not inline the Vector API into {@code dev.nnj.cpu}.</b> Until C2 has compiled a kernel, its
 *       C1 code calls the API's Java fallbacks either way. Inlined (the API is all {@code @ForceInline}) they made
 *       about 236 KB of code and 60-70 ms of compiling per GEMM micro-kernel, each compiled two or three times,
 *       for code that runs only until C2's arrives.</li>
 *   <li><b>C2 does not compile the Vector API's methods on their own.</b> Called out of line from that C1 code,
 *       the fallbacks (a lane loop and an allocation per vector operation) are the hottest methods of a cold run,
 *       so C2 compiled some fifty of them first, for about 0.3 s, while the kernels waited in its queue. C2 still
 *       inlines and intrinsifies them into the kernels, which is all the compiled kernels need: with this
 *       directive the four GEMM micro-kernels of a {@code ./digits --preset article} run were compiled by 0.87 s of
 *       the run instead of 1.43 s, and the fallbacks stay in C1's code (level 1) until then. It applies to every caller of the API
 *       in the JVM: another library's vector code compiled by C2 inlines the API just the same, and only its
 *       not-yet-compiled code runs the fallbacks from C1 instead of from C2.</li>
 * </ul>
 *
 * <p>A program normally passes directives at start-up ({@code -XX:CompilerDirectivesFile}, a diagnostic flag).
 * A library cannot, so the cpu backend adds them once per JVM, on the Vector API kernels' first product, through the
 * JDK's diagnostic command {@code Compiler.directives_add} (what {@code jcmd PID Compiler.directives_add FILE}
 * runs), reached from inside the JVM as the platform MBean server's {@code DiagnosticCommand} bean. Starting that
 * server takes 0.1-0.15 s of CPU in a cold JVM, so it runs on a daemon thread of its own, overlapping the first
 * ops, and only once a product of more than {@link SmallOps#MAX_ROWS} rows is computed: a service predicting a row at
 * a time never computes one, whatever its layers' widths, and so pays nothing for it. A plain {@code java -jar} run
 * of the digits trainer (default G1 collector) gained little from directives added this way: in six sets of
 * alternating runs 0.20-0.29 s faster in three, level in two, 0.39 s slower in one, 0.07 s on average, as the thread
 * is done only about a second into the process; given at start they took 0.43 s off (docs/benchmark-log.md,
 * 2026-12-04 15:45).
 *
 * <p>{@code -D}{@value #PROPERTY}{@code =false} leaves the JVM's directives alone: for a program that passes the
 * file itself at start-up (the {@code digits} launcher does, which is earlier still), or that wants no global
 * change. Where the command is missing (another JVM, a runtime without {@code jdk.management}) nothing is changed
 * and the reason is logged at DEBUG.
 */
final class JitDirectives {
    /** System property: {@code false} adds no directives. */
    static final String PROPERTY = "nnj.cpu.jitDirectives";
    /** The directives' file, a resource beside this class (HotSpot's directive JSON). */
    static final String RESOURCE = "jit-directives.json";

    private static final Logger LOG = LoggerFactory.getLogger(JitDirectives.class);
    private static volatile boolean started;
    private static volatile String answer;

    private JitDirectives() {
    }

    /** Whether {@value #PROPERTY} allows adding the directives (anything but {@code false}). */
    static boolean wanted() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "").trim());
    }

    /**
     * Adds the directives on a daemon thread, once per JVM, unless {@value #PROPERTY} is {@code false}. Costs nothing
     * after the first call: the vector kernels call it before each product they compute.
     */
    static void installInBackground() {
        Once.start();
    }

    /**
     * Adds the directives now, on the calling thread.
     *
     * @return HotSpot's answer ("2 compiler directives added"), or why none were added
     */
    static String install() {
        Path file = null;
        try (InputStream in = JitDirectives.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "not added: " + RESOURCE + " is missing from the class path";
            }
            // The command reads a file: the resource may be inside a jar. A daemon thread dies with the JVM, finally
            // blocks and all, so a program that ends while the MBean server starts still has its file deleted at exit.
            String text = forPackage(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
                    JitDirectives.class.getPackageName());
            file = Files.createTempFile("nnj-jit-directives", ".json");
            file.toFile().deleteOnExit();
            Files.writeString(file, text);
            Object answer = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "compilerDirectivesAdd", new Object[] {new String[] {file.toString()}},
                    new String[] {String[].class.getName()});
            return String.valueOf(answer).strip();
        } catch (IOException | JMException | RuntimeException | LinkageError e) {
            return "not added: " + e;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.debug("could not delete {}: {}", file, e.toString());
                }
            }
        }
    }

    /**
     * The directives with their match on this backend's classes pointed at the package they are in: a fat jar that
     * relocates nnj ({@code com.example.shaded.nnj.cpu}) would otherwise leave them matching no class, and the kernels
     * without the C1 directive, while HotSpot still answered "2 compiler directives added".
     *
     * <p>The match is found by its form, every match of a package's classes but the JDK's, not by its text: a
     * relocating shade rewrites string constants that spell nnj's packages, and would have rewritten the one to look
     * for.
     *
     * @param directives the resource's text, whose match is {@code "dev/nnj/cpu/*.*"}
     * @param packageName this class's package, {@code dev.nnj.cpu} unless relocated
     * @return the text to hand HotSpot
     */
    static String forPackage(String directives, String packageName) {
        return OWN_MATCH.matcher(directives).replaceAll(
                java.util.regex.Matcher.quoteReplacement("match: \"" + packageName.replace('.', '/') + "/*.*\""));
    }

    /** A directive's match of a package's classes, other than the JDK's. */
    private static final java.util.regex.Pattern OWN_MATCH =
            java.util.regex.Pattern.compile("match: \"(?!jdk/)[A-Za-z0-9_$/]+/\\*\\.\\*\"");

    /** Whether the thread has been started in this JVM. */
    static boolean started() {
        return started;
    }

    /**
     * Waits for the thread, for tests and diagnostics.
     *
     * @return HotSpot's answer, or why none was added; null when no thread was started
     * @throws InterruptedException if interrupted while waiting
     */
    static String awaitAnswer() throws InterruptedException {
        if (!started) {
            return null;
        }
        Once.THREAD.join();
        return answer;
    }

    /** Starts the thread on first use (holder idiom: once per JVM, and free after that). */
    private static final class Once {
        static final Thread THREAD = wanted() ? startThread() : null;

        static void start() {
            // Initialising this class started the thread.
        }

        private static Thread startThread() {
            Thread thread = new Thread(() -> {
                answer = install();
                LOG.debug("cpu kernels' compiler directives: {}", answer);
            }, "nnj-jit-directives");
            thread.setDaemon(true);
            try {
                thread.start();
            } catch (OutOfMemoryError | SecurityException e) {
                // No thread to be had ("unable to create native thread" under a thread limit): the kernels run as
                // they would without the directives. Thrown from here, it would fail this product and, this class
                // being then unusable, every later one.
                LOG.debug("cpu kernels' compiler directives: not added, no thread: {}", e.toString());
                return null;
            }
            started = true;
            return thread;
        }
    }
}
