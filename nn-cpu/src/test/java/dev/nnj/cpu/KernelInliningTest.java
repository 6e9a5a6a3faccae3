package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.LossKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vector kernels as C2 compiles them, read from a warm JVM's compile log ({@code -XX:+LogCompilation}): no
 * Vector API operation in them may depend on a type profile or stay a call.
 *
 * <p>Why it matters: a Vector API operation is fast only when C2 replaces it by an intrinsic, which it can do
 * only when it knows the vector's exact class at that point. It knows it from the code itself (a vector made
 * from the species constant {@code S}, or cast with {@link VectorGemm#EXACT}), or else from a type profile,
 * which it uses behind a type check, and stops using once the methods inlined into that compile have recorded
 * 100 failed type checks between them: the Vector API's shared methods collect such failures after some JIT
 * histories (see {@code ActivationJitHistoryAllocationTest}), and the operation then stays a call and boxes
 * every vector, an allocation each and several times the time. Where C2 must rely on a profile: a vector
 * carried around a loop or merged from two branches (C2 types it as any {@code FloatVector}), a reinterpreted
 * one, and everything in a compile after C2's parse-time inlining budget is spent (JDK 17's
 * {@code NodeCountInliningCutoff}, about 45 Vector API operations; later operations are inlined late, on the
 * declared types).
 *
 * <p>So a fresh JVM runs every vector kernel until C2 has compiled it, and for every C2 compile of an nnj method
 * this test requires: no call into the Vector API bound by a receiver profile ({@code <call ... receiver=>}), no
 * such call left unbound ({@code no static binding}, {@code virtual call}), none refused as not compilable (what
 * {@link JitDirectives}' C2 exclusion of the Vector API's methods must not cause), and every {@code VectorSupport}
 * intrinsic applied. Unlike the allocation tests, it does not need the unlucky history: it fails on the code
 * that would box under one. It runs once without the directives and once with them given at the JVM's start.
 */
class KernelInliningTest {
    private static final int ROWS = 300;
    private static final int ROUNDS = 400;
    /** Methods that must have been compiled by C2, or the test would pass on nothing. */
    private static final String[] MUST_COMPILE = {
        "VectorMicroKernels rowA" + VectorGemm.MR + "x2", "VectorMicroKernels colA" + VectorGemm.MR + "x2",
        "VectorExp expNonPositiveInPlace",
        "VectorExp logInPlace", "VectorActivationKernel$2 forwardRow", "VectorActivationKernel$3 forwardRow",
        "VectorActivationKernel$6 forwardRow", "VectorSoftmax vectorSoftmaxRow", "VectorReductions columnSums",
        "VectorOptimizers adam",
    };

    @Test
    void noVectorOperationInACompiledKernelDependsOnATypeProfile(@TempDir Path dir) throws Exception {
        checkCompiledKernels(dir, List.of("-D" + JitDirectives.PROPERTY + "=false"));
    }

    /**
     * The same with {@link JitDirectives}' directives in force from the start, as the digits launcher gives them: C2
     * must still inline and intrinsify the Vector API methods it is told not to compile on their own.
     */
    @Test
    void theJitDirectivesLeaveTheCompiledKernelsAsTheyWere(@TempDir Path dir) throws Exception {
        Path directives = dir.resolve(JitDirectives.RESOURCE);
        try (var in = JitDirectives.class.getResourceAsStream(JitDirectives.RESOURCE)) {
            Files.copy(in, directives);
        }
        checkCompiledKernels(dir, List.of("-XX:CompilerDirectivesFile=" + directives,
                "-D" + JitDirectives.PROPERTY + "=false"));
    }

    private static void checkCompiledKernels(Path dir, List<String> options) throws Exception {
        assumeTrue(Vectorization.create(null) instanceof VectorKernels, "the Vector API fast path is not in use");
        Path log = dir.resolve("compilation.xml");
        List<String> jvm = new ArrayList<>(List.of("-XX:+IgnoreUnrecognizedVMOptions", "-XX:+UnlockDiagnosticVMOptions",
                "-XX:+LogCompilation", "-XX:LogFile=" + log));
        jvm.addAll(options);
        ChildJvm.run(jvm, KernelInliningTest.class);
        assumeTrue(Files.exists(log), "no compile log: not a HotSpot JVM");
        String text = Files.readString(log, StandardCharsets.ISO_8859_1);
        List<String> problems = new ArrayList<>();
        TreeSet<String> compiled = new TreeSet<>();
        for (int at = text.indexOf("<task "); at >= 0; at = text.indexOf("<task ", at + 1)) {
            int end = text.indexOf("</task>", at);
            if (end < 0) {
                break;
            }
            String task = text.substring(at, end);
            String header = task.substring(0, task.indexOf('>'));
            Matcher method = Pattern.compile("method='dev\\.nnj\\.cpu\\.(\\S+ \\S+?) ").matcher(header);
            boolean c2 = !header.contains("level=") || header.contains("level='4'");
            if (!c2 || !method.find() || !task.contains("<task_done success='1'")) {
                continue;
            }
            String name = method.group(1) + (header.contains("osr_bci") ? " (on-stack)" : "");
            compiled.add(method.group(1));
            for (String problem : problems(task)) {
                problems.add(name + ": " + problem);
            }
        }
        List<String> missing = new ArrayList<>();
        for (String m : MUST_COMPILE) {
            if (!compiled.contains(m)) {
                missing.add(m);
            }
        }
        assertTrue(missing.isEmpty(), "not compiled by C2 in the warm-up, so not checked: " + missing
                + "; compiled: " + compiled);
        assertTrue(problems.isEmpty(), problems.size() + " Vector API calls that depend on a type profile or stayed"
                + " calls:\n" + String.join("\n", problems));
    }

    /** The problems of one C2 compile ({@code <task>} element of the log). */
    static List<String> problems(String task) {
        Map<String, String> klasses = new HashMap<>();
        Matcher k = Pattern.compile("<klass id='(\\d+)' name='([^']+)'").matcher(task);
        while (k.find()) {
            klasses.put(k.group(1), k.group(2));
        }
        Map<String, String> methods = new HashMap<>();
        Matcher m = Pattern.compile("<method id='(\\d+)' holder='(\\d+)' name='([^']+)'").matcher(task);
        while (m.find()) {
            methods.put(m.group(1), klasses.getOrDefault(m.group(2), "?") + "." + m.group(3));
        }
        List<String> problems = new ArrayList<>();
        String[] lines = task.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher call = Pattern.compile("^<call method='(\\d+)'").matcher(line);
            if (call.find()) {
                String callee = methods.getOrDefault(call.group(1), "?");
                boolean vectorApi = callee.startsWith("jdk.incubator.vector.")
                        || callee.startsWith("jdk.internal.vm.vector.");
                if (vectorApi && line.contains(" receiver=")) {
                    problems.add(callee + " bound by a receiver type profile");
                }
                if (vectorApi && i + 1 < lines.length && (lines[i + 1].contains("reason='no static binding'")
                        || lines[i + 1].contains("reason='virtual call'")
                        || callee.startsWith("jdk.internal.vm.vector.") && lines[i + 1].startsWith("<inline_fail")
                        // A method the directives keep C2 from compiling on its own must still be inlined.
                        || lines[i + 1].startsWith("<inline_fail") && (lines[i + 1].contains("not compilable")
                                || lines[i + 1].contains("disallowed")))) {
                    problems.add(callee + " left a call (" + lines[i + 1] + ")");
                }
            }
            Matcher late = Pattern.compile("^<late_inline method='(\\d+)'").matcher(line);
            if (late.find() && methods.getOrDefault(late.group(1), "").startsWith("jdk.internal.vm.vector.")) {
                int j = i + 1;
                while (j < lines.length && !lines[j].startsWith("</late_inline>")) {
                    j++;
                }
                if (j + 1 >= lines.length || !lines[j + 1].startsWith("<intrinsic")) {
                    problems.add(methods.get(late.group(1)) + " inlined late and not as an intrinsic");
                }
            }
        }
        return problems;
    }

    /** Runs every vector kernel until C2 has compiled it, on the shapes of the digits trainer and a few more. */
    public static void main(String[] args) throws InterruptedException {
        Kernels k = Vectorization.create(null);
        Random random = new Random(5);
        int cols = 64;
        float[] z = TestArrays.gaussian(random, ROWS * cols);
        float[] bias = TestArrays.gaussian(random, cols);
        float[] sums = new float[cols];
        float[] out = new float[ROWS * cols];
        float[] dZ = new float[ROWS * cols];
        float[] dA = TestArrays.gaussian(random, ROWS * cols);
        float[] y = new float[ROWS * cols];
        for (int i = 0; i < ROWS; i++) {
            y[i * cols + i % cols] = 1f;
        }
        float[] p = new float[ROWS * cols];
        float[] params = TestArrays.gaussian(random, ROWS * cols);
        float[] grads = TestArrays.gaussian(random, ROWS * cols);
        float[] state1 = new float[ROWS * cols];
        float[] state2 = new float[ROWS * cols];
        float[] state3 = new float[ROWS * cols];
        // The digits trainer's products, one large enough for the blocked path, and row counts that end in
        // tiles of 8 and 4 rows.
        int[][] shapes = {{ROWS, 64, 64}, {64, 64, ROWS}, {ROWS, 10, 64}, {64, 10, ROWS}, {96, 96, 96},
            {104, 64, 64}, {100, 64, 64}};
        float[][][] operands = new float[shapes.length][][];
        for (int s = 0; s < shapes.length; s++) {
            int[] mnk = shapes[s];
            operands[s] = new float[][] {TestArrays.gaussian(random, mnk[0] * mnk[2]),
                TestArrays.gaussian(random, mnk[2] * mnk[1]), new float[mnk[0] * mnk[1]]};
        }
        double sink = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (int s = 0; s < shapes.length; s++) {
                int[] mnk = shapes[s];
                for (int variant = 0; variant < 8; variant++) {
                    k.gemm((variant & 1) != 0, (variant & 2) != 0, mnk[0], mnk[1], mnk[2], 1f, operands[s][0],
                            operands[s][1], (variant & 4) != 0 ? 1f : 0f, operands[s][2]);
                }
            }
            for (Activation f : Activation.values()) {
                k.biasActivation(z, bias, ROWS, cols, f, 0.1f, out);
                k.activationBackward(f, 0.1f, out, dA, dZ, ROWS, cols);
            }
            k.biasActivation(z, bias, ROWS, 10, Activation.SOFTMAX, 0f, p);
            for (int c : new int[] {64, 35, 16}) {   // the four-vector and one-vector column loops, a scalar tail
                k.columnSums(dA, ROWS, c, 1f, round % 2, sums);
            }
            for (LossKind kind : LossKind.values()) {
                k.biasActivation(z, bias, ROWS, cols, kind == LossKind.MSE ? Activation.TANH : Activation.SIGMOID,
                        0f, p);
                sink += k.lossSum(kind, p, y, ROWS, cols);
                k.lossGradient(kind, p, y, dZ, ROWS, cols);
            }
            int n = params.length;
            k.sgdStep(params, grads, state1, n, 1e-6f, round % 2 == 0 ? 0f : 0.9f, 0f, 1e-4f, round % 3 == 0,
                    round == 1);
            k.adamStep(params, grads, state1, state2, null, n, 1e-6f, 0.9f, 0.999f, 1e-8f, 1e-4f, round % 2 == 0, 1e-6f,
                    0.5f);
            k.rmspropStep(params, grads, state1, round % 2 == 0 ? state2 : null, state3, n, 1e-6f, 0.99f, 1e-8f,
                    0f, round % 3 == 0 ? 0f : 0.9f);
            k.adagradStep(params, grads, state3, n, 1e-6f, 1e-10f, 0f);
            sink += k.sumOfSquares(grads, n);
            k.scale(grads, n, 1f);
            k.clamp(grads, n, 100f);
            sink += k.countCorrect(p, y, ROWS, 10);
            k.multiply(out, dA, dZ, out.length);
            k.scaledDifference(0.5f, out, dA, dZ, out.length);
            k.dropoutMask(0.2f, round, state3, state3.length);
        }
        // A second for the compiles still queued (on a loaded machine the compiler threads lag behind), so that
        // each kernel's C2 compile is in the log.
        Thread.sleep(1000);
        System.out.println("done " + (sink != 0));
    }
}
