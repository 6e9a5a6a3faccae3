package dev.nnj.cpu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes out {@code VectorMicroKernels.java}, the hand-unrolled register-tile kernels of {@link VectorGemm}.
 *
 * <p>Every accumulator of a tile must be its own local variable for the JIT to keep it in a register (a
 * helper taking vectors would box them), so the kernels are unrolled text; this program is their source.
 * Run it after changing a kernel's shape, from the repository root:
 * <pre>{@code
 * mvn -B -q -pl nn-cpu test-compile
 * java -cp nn-cpu/target/test-classes:nn-cpu/target/classes dev.nnj.cpu.VectorMicroKernelsGenerator \
 *     nn-cpu/src/main/java/dev/nnj/cpu/VectorMicroKernels.java
 * }</pre>
 * With no argument it prints the file. {@code VectorMicroKernelsGeneratedTest} fails when the committed
 * file and this program's output differ.
 *
 * <p>Kernels: heights 12, 8, 6 and 4 rows by two vectors, and 12 and 6 rows by one vector; each in the
 * {@code rowA} layout (row {@code r} of packed A at {@code ao + r * KA + p}) and the {@code colA} layout
 * (column {@code p} of A at {@code ao + p * lda + r}).
 */
public final class VectorMicroKernelsGenerator {
    /** Heights of the two-vector kernels, in the order they are written. */
    private static final int[] TWO_VECTOR_HEIGHTS = {12, 8, 6, 4};
    /** Heights of the one-vector kernels: always the full tile (12 at 512 bits, 6 at 256). */
    private static final int[] ONE_VECTOR_HEIGHTS = {12, 6};

    private VectorMicroKernelsGenerator() {
    }

    /**
     * Writes the file to the path given, or prints it when there is none.
     *
     * @param args optional path of the file to write
     * @throws IOException when the file cannot be written
     */
    public static void main(String[] args) throws IOException {
        String text = generate();
        if (args.length == 0) {
            System.out.print(text);
            return;
        }
        Path target = Path.of(args[0]).toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), "VectorMicroKernels", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /**
     * The full text of {@code VectorMicroKernels.java}.
     *
     * @return the Java source, lines ended by {@code \n}
     */
    public static String generate() {
        StringBuilder out = new StringBuilder(64 * 1024);
        header(out);
        for (Layout layout : Layout.values()) {
            dispatcher(out, layout);
            for (int h : TWO_VECTOR_HEIGHTS) {
                out.append('\n');
                kernel(out, layout, h, 2);
            }
            for (int h : ONE_VECTOR_HEIGHTS) {
                out.append('\n');
                kernel(out, layout, h, 1);
            }
            if (layout != Layout.COL_A) {
                out.append('\n');
            }
        }
        out.append("}\n");
        return out.toString();
    }

    /** Where a kernel reads A: the two packed layouts of {@code VectorGemm.packA}. */
    private enum Layout {
        ROW_A("rowA", "", "row {@code r} of A at {@code ao + r * KA + p}", "p"),
        COL_A("colA", " int lda,", "column {@code p} of A at {@code ao + p * lda + r}", "p * lda");

        final String name;
        /** Extra parameter after {@code ao}. */
        final String lda;
        final String javadoc;
        /** Offset of step {@code p}'s first A value from {@code ao}. */
        final String step;

        Layout(String name, String lda, String javadoc, String step) {
            this.name = name;
            this.lda = lda;
            this.javadoc = javadoc;
            this.step = step;
        }

        /** Index of row {@code r}'s A value of a step, {@code a} being row 0's. */
        String a(int r) {
            if (r == 0) {
                return "a";
            }
            if (this == COL_A) {
                return "a + " + r;
            }
            return r == 1 ? "a + KA" : "a + " + r + " * KA";
        }
    }

    private static void header(StringBuilder out) {
        out.append("package dev.nnj.cpu;\n"
                + "\n"
                + "import static dev.nnj.cpu.VectorGemm.CA;\n"
                + "import static dev.nnj.cpu.VectorGemm.EXACT;\n"
                + "import static dev.nnj.cpu.VectorGemm.KA;\n"
                + "import static dev.nnj.cpu.VectorGemm.L;\n"
                + "import static dev.nnj.cpu.VectorGemm.MR;\n"
                + "import static dev.nnj.cpu.VectorGemm.S;\n"
                + "\n"
                + "import jdk.incubator.vector.FloatVector;\n"
                + "\n"
                + "// Generated by VectorMicroKernelsGenerator (nn-cpu/src/test/java): edit the generator, not this file.\n"
                + "\n"
                + "/**\n"
                + " * The register-tile kernels of {@link VectorGemm}: {@code C[tile] (+)= Ã[h rows, kc] · B[kc, nv vectors]}.\n"
                + " *\n"
                + " * <p>Each keeps its {@code h x nv} accumulators in vector registers for the whole {@code kc} loop; each\n"
                + " * step loads {@code nv} vectors of B row {@code p} (at {@code bo + p * ldb}), broadcasts the {@code h}\n"
                + " * values of A column {@code p} and issues {@code h x nv} independent FMAs, enough to hide the FMA latency\n"
                + " * on two pipes. The tile starts from C when {@code accumulate}, else from zero, and is stored back.\n"
                + " *\n"
                + " * <p>Two layouts of packed A, both a plain copy of the caller's array (see {@code VectorGemm.packA}):\n"
                + " * {@code rowA} kernels read row {@code r} of the tile at {@code ao + r * KA + p} (A not transposed), and\n"
                + " * {@code colA} kernels read column {@code p} at {@code ao + p * CA + r} (A transposed). {@code KA} and\n"
                + " * {@code CA} are compile-time constants, so the {@code h} loads of a step share one index register with\n"
                + " * constant displacements and HotSpot removes their bounds checks.\n"
                + " *\n"
                + " * <p>Heights: 12 (the full tile at 512 bits), 6 (the full tile at 256 bits) and 8 and 4 for the last rows\n"
                + " * of C; one-vector kernels serve slivers at most {@code L} wide (a 10-class output layer), which would\n"
                + " * otherwise compute mostly padding. The code is unrolled, written out by {@code VectorMicroKernelsGenerator}\n"
                + " * in this module's tests, as every accumulator must be its own local variable for the JIT to keep it in a\n"
                + " * register; a helper call taking vectors would box them. A kernel is more Vector API operations than C2\n"
                + " * inlines while parsing, so every operation is called on a vector cast to its exact class\n"
                + " * ({@link VectorGemm#EXACT}), which C2 then knows without a type profile even where it inlines late: the\n"
                + " * FMAs on the B vectors ({@code b·a + c}, the same bits as {@code a·b + c}; two casts per step rather\n"
                + " * than one per broadcast of A), the stores on the accumulators.\n"
                + " */\n"
                + "final class VectorMicroKernels {\n"
                + "    private VectorMicroKernels() {\n"
                + "    }\n"
                + "\n");
    }

    /** The method that picks a kernel by height and width. */
    private static void dispatcher(StringBuilder out, Layout layout) {
        String n = layout.name;
        String lda = layout.lda.isEmpty() ? "" : " lda,";
        out.append("    /** Runs the ").append(n).append(" kernel of {@code h} rows ({@link VectorGemm#tileHeight})"
                + " and {@code nv} vectors. */\n");
        out.append("    static void ").append(n).append("(int h, int nv, int kc, float[] pa, int ao,")
                .append(layout.lda).append(" float[] b, int bo, int ldb, float[] c,\n");
        out.append("            int co, int ldc, boolean accumulate) {\n");
        out.append("        if (nv == 1) {\n");
        out.append("            // Always the full MR rows: the tile is computed into scratch and only its valid rows"
                + " are copied.\n");
        String args = "(kc, pa, ao," + lda + " b, bo, ldb, c, co, ldc, accumulate);\n";
        out.append("            if (MR == 12) {\n");
        out.append("                ").append(n).append("12x1").append(args);
        out.append("            } else {\n");
        out.append("                ").append(n).append("6x1").append(args);
        out.append("            }\n");
        out.append("            return;\n");
        out.append("        }\n");
        out.append("        switch (h) {\n");
        for (int h : TWO_VECTOR_HEIGHTS) {
            boolean last = h == TWO_VECTOR_HEIGHTS[TWO_VECTOR_HEIGHTS.length - 1];
            out.append(last ? "            default:\n" : "            case " + h + ":\n");
            out.append("                ").append(n).append(h).append("x2").append(args);
            out.append("                break;\n");
        }
        out.append("        }\n");
        out.append("    }\n");
    }

    /** One kernel of {@code h} rows by {@code nv} (1 or 2) vectors. */
    private static void kernel(StringBuilder out, Layout layout, int h, int nv) {
        boolean two = nv == 2;
        out.append("    /** ").append(h).append(" rows x ").append(two ? "2 vectors" : "1 vector").append(", ")
                .append(h * nv).append(" accumulators; ").append(layout.javadoc).append(". */\n");
        out.append("    static void ").append(layout.name).append(h).append('x').append(nv)
                .append("(int kc, float[] pa, int ao,").append(layout.lda)
                .append(" float[] b, int bo, int ldb, float[] c, int co, int ldc,\n");
        out.append("            boolean accumulate) {\n");
        for (int r = 0; r < h; r++) {
            out.append("        FloatVector c").append(r).append('a').append(';');
            if (two) {
                out.append(" FloatVector c").append(r).append("b;");
            }
            out.append('\n');
        }
        out.append("        if (accumulate) {\n");
        for (int r = 0; r < h; r++) {
            out.append("            c").append(r).append("a = FloatVector.fromArray(S, c, ").append(cRow(r)).append(");");
            if (two) {
                out.append(" c").append(r).append("b = FloatVector.fromArray(S, c, ").append(cRow(r)).append(" + L);");
            }
            out.append('\n');
        }
        out.append("        } else {\n");
        for (int r = 0; r < h; r++) {
            out.append("            c").append(r).append("a = FloatVector.zero(S);");
            if (two) {
                out.append(" c").append(r).append("b = FloatVector.zero(S);");
            }
            out.append('\n');
        }
        out.append("        }\n");
        out.append("        for (int p = 0; p < kc; p++) {\n");
        out.append("            int bp = bo + p * ldb;\n");
        out.append("            int a = ao + ").append(layout.step).append(";\n");
        out.append("            FloatVector b0 = EXACT.cast(FloatVector.fromArray(S, b, bp));\n");
        if (two) {
            out.append("            FloatVector b1 = EXACT.cast(FloatVector.fromArray(S, b, bp + L));\n");
        }
        for (int r = 0; r < h; r++) {
            out.append("            FloatVector a").append(r).append(" = FloatVector.broadcast(S, pa[")
                    .append(layout.a(r)).append("]);\n");
            out.append("            c").append(r).append("a = b0.fma(a").append(r).append(", c").append(r).append("a);");
            if (two) {
                out.append(" c").append(r).append("b = b1.fma(a").append(r).append(", c").append(r).append("b);");
            }
            out.append('\n');
        }
        out.append("        }\n");
        for (int r = 0; r < h; r++) {
            out.append("        EXACT.cast(c").append(r).append("a).intoArray(c, ").append(cRow(r)).append(");");
            if (two) {
                out.append(" EXACT.cast(c").append(r).append("b).intoArray(c, ").append(cRow(r)).append(" + L);");
            }
            out.append('\n');
        }
        out.append("    }\n");
    }

    /** Offset of row {@code r} of the C tile. */
    private static String cRow(int r) {
        return r == 0 ? "co" : r == 1 ? "co + ldc" : "co + " + r + " * ldc";
    }

    /** Reads a source file as UTF-8 (for the test). */
    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
