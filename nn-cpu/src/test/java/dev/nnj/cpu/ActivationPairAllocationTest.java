package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnj.api.Activation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every network's pair of elementwise activations allocates nothing once warm, each pair in a JVM of its own.
 *
 * <p>{@link ActivationAllocationTest} runs all of them in one JVM, where the call into each activation's loops is
 * megamorphic and every kernel compiles alone. A network has one or two activations, and with two, HotSpot
 * inlines both kernels into the one caller: if that grows past C2's inlining budget, a helper that takes or
 * returns a vector is left out of line and every vector crossing it is boxed. Which pairs do that depends on
 * the JIT's state, so each pair gets a fresh JVM ({@link #main}), small arrays (the compiled code does not
 * depend on their size, and the warm-up is then quick) and a row width with a scalar tail (the larger code).
 */
class ActivationPairAllocationTest {
    private static final int ROWS = 48;
    /** A row width that is not a whole number of vectors: the tails are part of the compiled code. */
    private static final int COLS = 70;
    /** Rounds of both activations, interleaved, before either is counted. */
    private static final int WARM_UP = 3000;

    @Test
    void everyPairOfActivationsAllocatesNothingOnceWarm() throws Exception {
        assumeTrue(Vectorization.create(null) instanceof VectorKernels, "the Vector API fast path is not in use");
        List<Activation> elementwise = new ArrayList<>();
        for (Activation f : Activation.values()) {
            if (f != Activation.SOFTMAX) {
                elementwise.add(f);
            }
        }
        List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i < elementwise.size(); i++) {
            for (int j = i + 1; j < elementwise.size(); j++) {
                pairs.add(new String[] {elementwise.get(i).name(), elementwise.get(j).name()});
            }
        }
        ExecutorService jvms = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
        try {
            List<Future<String>> results = new ArrayList<>();
            for (String[] pair : pairs) {
                results.add(jvms.submit(() -> runPair(pair[0], pair[1])));
            }
            List<String> allocating = new ArrayList<>();
            for (Future<String> r : results) {
                String line = r.get(5, TimeUnit.MINUTES);
                if (!line.isEmpty()) {
                    allocating.add(line);
                }
            }
            assertTrue(allocating.isEmpty(), "pairs that allocate once warm: " + allocating);
        } finally {
            jvms.shutdownNow();
        }
    }

    /** Runs {@link #main} for one pair in a new JVM; returns "" or what allocated. */
    private static String runPair(String first, String second) throws IOException, InterruptedException {
        String result = "";
        for (String line : ChildJvm.run(ActivationPairAllocationTest.class, first, second).split("\n")) {
            if (line.startsWith("ALLOCATES ")) {
                result += (result.isEmpty() ? "" : "; ") + first + " + " + second + ": " + line.substring(10);
            }
        }
        return result;
    }

    /**
     * Warms up two activations interleaved, then prints {@code ALLOCATES <activation>: <bytes> bytes per forward
     * and backward} for each one whose forward and backward pass still allocates.
     *
     * @param args the two activations' names
     */
    public static void main(String[] args) {
        Activation[] pair = {Activation.valueOf(args[0]), Activation.valueOf(args[1])};
        for (String line : ActivationAllocationTest.allocatingOnceWarm(Vectorization.create(null), pair, ROWS, COLS,
                WARM_UP, 7, false)) {
            System.out.println("ALLOCATES " + line);
        }
    }
}
