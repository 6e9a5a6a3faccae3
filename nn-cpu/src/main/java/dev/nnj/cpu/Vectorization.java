package dev.nnj.cpu;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides once per JVM whether the Vector API fast path can run, in the manner of Lucene's
 * {@code VectorizationProvider}: {@code jdk.incubator.vector} must be in the boot layer (the JVM was started
 * with {@code --add-modules jdk.incubator.vector}), {@value #PROPERTY} must not be {@code false}, HotSpot
 * must be using its C2 compiler, and the CPU's preferred vectors must be at least 256 bits. {@link VectorKernels} is then loaded by name; when
 * the module is missing it is never touched, and one warning says how to enable it.
 */
final class Vectorization {
    /** System property: {@code -Dnnj.cpu.vector=false} forces the scalar kernels. */
    static final String PROPERTY = "nnj.cpu.vector";
    static final String MODULE = "jdk.incubator.vector";
    private static final String IMPLEMENTATION = "dev.nnj.cpu.VectorKernels";
    private static final Logger LOG = LoggerFactory.getLogger(Vectorization.class);

    private Vectorization() {
    }

    /** True when the fast path is in use. */
    static boolean enabled() {
        return Probe.BITS > 0;
    }

    /** "Vector API fast path (512-bit)" or "scalar kernels (why)". */
    static String summary() {
        return Probe.SUMMARY;
    }

    /**
     * The kernels to use: the Vector API ones if enabled, else the plain Java ones; logs the choice at DEBUG, once a
     * JVM (a backend keeps a set of kernels for each of the threads that may call it at once, and the choice is the
     * same for each).
     */
    static Kernels create(WorkerPool pool) {
        if (!enabled()) {
            logChoice(summary());
            return new ScalarKernels(pool);
        }
        Kernels vector = vectorKernels(pool);
        logChoice(vector.label());
        return vector;
    }

    private static final java.util.concurrent.atomic.AtomicBoolean CHOICE_LOGGED =
            new java.util.concurrent.atomic.AtomicBoolean();

    private static void logChoice(String label) {
        if (!CHOICE_LOGGED.getAndSet(true)) {
            LOG.debug("cpu kernels: {}", label);
        }
    }

    private static Kernels vectorKernels(WorkerPool pool) {
        try {
            Constructor<?> ctor = Class.forName(IMPLEMENTATION).getDeclaredConstructor(WorkerPool.class);
            return (Kernels) ctor.newInstance(pool);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("cannot create " + IMPLEMENTATION, e);
        }
    }

    /**
     * False when HotSpot says it will not use C2 ({@code -Xint}, {@code -XX:TieredStopAtLevel} below 4,
     * {@code -XX:CompilationMode=quick-only}, {@code -XX:-UseCompiler}): the Vector API then runs interpreted or
     * from C1, boxing every vector, and is far slower than scalar code (as Lucene's {@code VectorizationProvider}
     * also checks). True when it cannot tell. {@code java.vm.info} names the C1-only modes ("emulated-client"),
     * {@code -XX:CompilationMode=quick-only} among them, whose flags the diagnostic bean would not show.
     */
    private static boolean optimizingCompiler() {
        String info = System.getProperty("java.vm.info", "");
        if (info.contains("interpreted mode") || info.contains("emulated-client")) {
            return false;
        }
        try {
            com.sun.management.HotSpotDiagnosticMXBean bean =
                    java.lang.management.ManagementFactory.getPlatformMXBean(
                            com.sun.management.HotSpotDiagnosticMXBean.class);
            if (bean == null) {
                return true;
            }
            if ("false".equals(bean.getVMOption("UseCompiler").getValue())) {
                return false;
            }
            return Integer.parseInt(bean.getVMOption("TieredStopAtLevel").getValue()) >= 4
                    || "false".equals(bean.getVMOption("TieredCompilation").getValue());
        } catch (RuntimeException | LinkageError e) {
            return true;
        }
    }

    /**
     * The probe's one warning, logged; or, when the program has no SLF4J provider (SLF4J then discards everything, and
     * prints only its own "No SLF4J providers were found"), written to stderr, so that the one actionable line about
     * a slow path is not lost. A program that chose slf4j-nop (its provider, or its SLF4J 1.7 binding, on the class
     * path) asked for silence, and gets it.
     */
    static void warn(String message) {
        if (LOG instanceof org.slf4j.helpers.NOPLogger && !silenceChosen()) {
            System.err.println("WARNING: nnj: " + message);
        } else {
            LOG.warn(message);
        }
    }

    /**
     * Whether the NOP loggers are SLF4J's answer to a choice, not to a missing provider: slf4j-nop's provider on the
     * class path of SLF4J 2, or on SLF4J 1.7 a binding at all (1.7 gives NOP loggers with a binding only when the
     * binding is nop's). SLF4J 2 ignores 1.7 bindings, whose {@code StaticLoggerBinder} then says nothing.
     */
    private static boolean silenceChosen() {
        if (loadable("org.slf4j.spi.SLF4JServiceProvider")) {   // SLF4J 2
            return loadable("org.slf4j.nop.NOPServiceProvider");
        }
        return loadable("org.slf4j.impl.StaticLoggerBinder");
    }

    private static boolean loadable(String className) {
        try {
            Class.forName(className, false, org.slf4j.Logger.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The probe, run on first use (holder idiom: once, thread-safe, lazily). */
    private static final class Probe {
        static final int BITS;
        static final String SUMMARY;

        static {
            int bits = 0;
            String why;
            if ("false".equalsIgnoreCase(System.getProperty(PROPERTY, "").trim())) {
                why = "scalar kernels (Vector API disabled by -D" + PROPERTY + "=false)";
            } else if (!optimizingCompiler()) {
                why = "scalar kernels (the JVM runs without its C2 compiler, which the Vector API needs)";
                warn("The cpu backend uses scalar kernels: the Vector API is only fast once compiled by C2, and"
                        + " this JVM runs without it (-Xint, -XX:TieredStopAtLevel below 4,"
                        + " -XX:CompilationMode=quick-only or -XX:-UseCompiler)");
            } else if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
                why = "scalar kernels (pass --add-modules " + MODULE + " for the fast path)";
                warn("Java Vector API not enabled, the cpu backend uses scalar kernels: pass --add-modules " + MODULE
                        + " to the java command to enable its fast path");
            } else {
                int preferred = 0;
                try {
                    Method m = Class.forName(IMPLEMENTATION).getDeclaredMethod("preferredBits");
                    preferred = (Integer) m.invoke(null);
                } catch (ReflectiveOperationException | LinkageError e) {
                    Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
                    warn("Java Vector API present but unusable, the cpu backend uses scalar kernels: " + cause);
                }
                if (preferred >= 256) {
                    bits = preferred;
                    why = "Vector API fast path (" + bits + "-bit)";
                } else if (preferred > 0) {
                    why = "scalar kernels (the CPU's vectors are " + preferred + "-bit, the fast path needs 256)";
                } else {
                    why = "scalar kernels (Vector API unusable)";
                }
            }
            BITS = bits;
            SUMMARY = why;
        }
    }
}
