package dev.nnj.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a JMH result file ({@code -rf json}) into Markdown tables, one per benchmark class, with the
 * derived figures JMH does not print: GFLOP/s of the GEMM and Dense products ({@code 2·m·k·n / time}),
 * steps per second, the projected time of 1000 digits epochs, and the allocation per operation when the
 * run used {@code -prof gc}.
 *
 * <pre>
 *   java -cp nn-bench/target/benchmarks.jar dev.nnj.bench.Report results.json [results.md]
 *        [--command "bench/run-benchmarks.sh full"] [--title "..."] [--backends "cpu: pure Java, ..."]
 *        [--same-run]
 * </pre>
 * Without an output file the Markdown goes to standard output. The date is the JSON file's last-modified time (JMH
 * writes it at the end of the run), not the conversion's. The machine and load average are this JVM's: with
 * {@code --same-run} (bench/run-benchmarks.sh converts right after JMH) they are given as the run's, else as the
 * converting machine's, which need not be the one that ran the benchmarks.
 */
public final class Report {
    private static final String USAGE =
            "usage: Report <results.json> [<out.md>] [--command TEXT] [--title TEXT] [--backends TEXT] [--commit TEXT]"
                    + " [--same-run]";

    private Report() {
    }

    /**
     * Writes the Markdown report; exits with {@link #run}'s status when that is not 0.
     *
     * @param args the JMH JSON file, an optional output file and the options shown above
     * @throws IOException if the results cannot be read or the report written
     */
    public static void main(String[] args) throws IOException {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Writes the Markdown report, or says in one line on {@code err} why not.
     *
     * @param args the JMH JSON file, an optional output file and the options shown above
     * @param out  where the Markdown goes when no output file is given (and the usage, for {@code --help})
     * @param err  where problems are said
     * @return 0 when written; 2 for a bad command line, a missing file or one that is not JMH's JSON results; 1 for
     *         results without a single benchmark (no report is written: a header without tables would pass for one)
     * @throws IOException if the results cannot be read or the report written
     */
    static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        String in = null;
        String outFile = null;
        String command = null;
        String backends = null;
        String commit = null;
        String title = "nnj benchmark results";
        boolean sameRun = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            boolean hasValue = i + 1 < args.length;
            if (a.equals("--command") && hasValue) {
                command = args[++i];
            } else if (a.equals("--title") && hasValue) {
                title = args[++i];
            } else if (a.equals("--backends") && hasValue) {
                backends = args[++i];
            } else if (a.equals("--commit") && hasValue) {
                commit = args[++i];
            } else if (a.equals("--same-run")) {
                sameRun = true;
            } else if (a.equals("-h") || a.equals("--help")) {
                out.println(USAGE);
                return 0;
            } else if (in == null) {
                in = a;
            } else if (outFile == null) {
                outFile = a;
            } else {
                err.println(USAGE);
                return 2;
            }
        }
        if (in == null) {
            err.println(USAGE);
            return 2;
        }
        String json;
        try {
            json = Files.readString(Path.of(in), StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            err.println("Report: " + in + ": no such file (JMH's JSON results, -rf json -rff FILE)");
            err.println(USAGE);
            return 2;
        }
        List<Result> results;
        try {
            results = parse(json);
        } catch (IllegalArgumentException e) {
            // A truncated or hand-edited file: the reader needs the file and the place, not Jackson's stack trace.
            err.println("Report: " + in + ": " + e.getMessage().replace('\n', ' '));
            return 2;
        }
        if (results.isEmpty()) {
            // JMH leaves "[ ]" when every benchmark failed: a report of a header alone would read as a run.
            err.println("Report: " + in + ": " + (json.isBlank() ? "the file is empty" : "no benchmark results in it")
                    + ": no report written (did every benchmark fail, or none match? see JMH's output)");
            return 1;
        }
        String md = render(results, title, dateOf(Path.of(in)), machineOf(sameRun), backends, command, commit);
        if (outFile == null) {
            out.print(md);
        } else {
            Files.writeString(Path.of(outFile), md, StandardCharsets.UTF_8);
        }
        return 0;
    }

    /**
     * The run's date for the header: the results file's last-modified time, which JMH sets as the run ends. The time
     * of a conversion days later would date the figures wrongly.
     *
     * @param json JMH's results file
     * @return e.g. {@code 2026-12-05 21:57 UTC (results.json's last-modified time)}
     * @throws IOException if the file's time cannot be read
     */
    static String dateOf(Path json) throws IOException {
        return Files.getLastModifiedTime(json).toInstant().atZone(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"))
                + " (" + json.getFileName() + "'s last-modified time)";
    }

    /**
     * The machine line: this machine and its load average now, which are the run's only when the conversion follows
     * the run on the same machine ({@code --same-run}); otherwise they are labelled as the converting machine's.
     */
    static String machineOf(boolean sameRun) {
        return sameRun ? Machine.describe() + Machine.loadAverage()
                : "converting machine (not necessarily the run's): " + Machine.describe()
                        + Machine.loadAverage("at the conversion");
    }

    /** A measured iteration this many times another marks a result as not warmed up ({@link Result#settled}). */
    static final double UNSETTLED_RATIO = 2;
    /** The mark of such a result in the tables, explained under them. */
    static final String UNSETTLED_MARK = "(not warmed up)";
    /** The mark of a result of one measured iteration, which {@link Result#settled} cannot judge. */
    static final String SINGLE_MARK = "(1 iteration: steadiness unknown)";

    /** One benchmark result, flattened from JMH's JSON. */
    record Result(String benchmark, String className, String method, String mode, Map<String, String> params,
                  double score, double error, String unit, double allocPerOp, Map<String, Object> raw) {

        String param(String name) {
            return params.getOrDefault(name, "");
        }

        /** Seconds per operation, from an average/single-shot time or a throughput. */
        double secondsPerOp() {
            return Report.secondsPerOp(score, unit);
        }

        /**
         * Whether the measured iterations agree within a factor of {@value #UNSETTLED_RATIO}: one that took several
         * times another ran partly before the JIT had compiled the code (a quick run's one second of warm-up on a
         * busy machine), so neither its time nor its allocation is the steady state's.
         */
        boolean settled() {
            Object primary = raw.get("primaryMetric");
            if (primary == null) {
                return true;
            }
            double min = Double.POSITIVE_INFINITY;
            double max = 0;
            Object rawData = Json.object(primary).get("rawData");
            if (rawData == null) {
                return true;
            }
            for (Object fork : Json.array(rawData)) {
                for (Object iteration : Json.array(fork)) {
                    double v = Json.number(iteration);
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            return !(min > 0 && max / min > UNSETTLED_RATIO);
        }

        /**
         * Whether the result has exactly one measured iteration (JMH's {@code -i 1}): nothing to compare it with, so
         * {@link #settled} holds however far from the steady state it was.
         */
        boolean singleIteration() {
            Object primary = raw.get("primaryMetric");
            Object rawData = primary == null ? null : Json.object(primary).get("rawData");
            if (rawData == null) {
                return false;
            }
            int count = 0;
            for (Object fork : Json.array(rawData)) {
                count += Json.array(fork).size();
            }
            return count == 1;
        }

        /** The time per operation in the score's own unit, e.g. {@code 123.4 µs}; throughputs are inverted. */
        String timeText() {
            return !settled() ? steadyTimeText() + " " + UNSETTLED_MARK
                    : singleIteration() ? steadyTimeText() + " " + SINGLE_MARK : steadyTimeText();
        }

        private String steadyTimeText() {
            if (unit.endsWith("/op")) {
                return Markdown.sig(score, 4) + " " + unit.substring(0, unit.length() - 3).replace("us", "µs");
            }
            double s = secondsPerOp();
            if (Double.isNaN(s)) {
                return Markdown.sig(score, 4) + " " + unit;
            }
            return s >= 1 ? Markdown.sig(s, 4) + " s" : s >= 1e-3 ? Markdown.sig(s * 1e3, 4) + " ms"
                    : Markdown.sig(s * 1e6, 4) + " µs";
        }

        /** The error in the unit of {@link #timeText} (– for throughputs and single iterations). */
        String errorText() {
            return Double.isNaN(error) || !unit.endsWith("/op") ? "–" : Markdown.sig(error, 2);
        }

        String allocText() {
            return Double.isNaN(allocPerOp) ? "–" : Markdown.sig(allocPerOp, 3) + (settled() ? "" : " " + UNSETTLED_MARK);
        }
    }

    /**
     * JMH's results, in file order; none for an empty text or an empty array.
     *
     * @throws IllegalArgumentException for malformed JSON, or JSON that is not an array of JMH's result objects
     */
    static List<Result> parse(String json) {
        List<Result> results = new ArrayList<>();
        if (json.isBlank()) {
            return results;
        }
        Object top = Json.parse(json);
        // Anything but JMH's array of results (an object, a number) would otherwise read as no results at all.
        if (!(top instanceof List)) {
            throw new IllegalArgumentException("not JMH's JSON results: an array of results expected, found "
                    + (top instanceof Map ? "an object" : top instanceof String ? "a string"
                    : top instanceof Double ? "a number" : String.valueOf(top)));
        }
        for (Object o : Json.array(top)) {
            Map<String, Object> r = Json.object(o);
            // JMH writes an object per result; a bare value among them is not a result to show as "null".
            if (!(o instanceof Map) || !r.containsKey("benchmark")) {
                throw new IllegalArgumentException("not JMH's JSON results: an element without \"benchmark\"");
            }
            String benchmark = String.valueOf(r.get("benchmark"));
            int dot = benchmark.lastIndexOf('.');
            String method = benchmark.substring(dot + 1);
            String cls = dot < 0 ? "" : benchmark.substring(benchmark.lastIndexOf('.', dot - 1) + 1, dot);
            Map<String, String> params = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : Json.object(r.get("params")).entrySet()) {
                params.put(e.getKey(), String.valueOf(e.getValue()));
            }
            Map<String, Object> primary = Json.object(r.get("primaryMetric"));
            double alloc = Double.NaN;
            for (Map.Entry<String, Object> e : Json.object(r.get("secondaryMetrics")).entrySet()) {
                // "gc.alloc.rate.norm" (JMH prefixes it with '·' in some versions)
                if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                    alloc = Json.number(Json.object(e.getValue()).get("score"));
                }
            }
            results.add(new Result(benchmark, cls, method, String.valueOf(r.get("mode")), params,
                    Json.number(primary.get("score")), Json.number(primary.get("scoreError")),
                    String.valueOf(primary.get("scoreUnit")), alloc, r));
        }
        return results;
    }

    static double secondsPerOp(double score, String unit) {
        if (unit.endsWith("/op")) {
            return score * secondsOf(unit.substring(0, unit.length() - 3));
        }
        if (unit.startsWith("ops/")) {
            return secondsOf(unit.substring(4)) / score;
        }
        return Double.NaN;
    }

    private static double secondsOf(String unit) {
        switch (unit) {
            case "ns":
                return 1e-9;
            case "us":
                return 1e-6;
            case "ms":
                return 1e-3;
            case "s":
                return 1;
            case "min":
                return 60;
            default:
                return Double.NaN;
        }
    }

    /** GFLOP/s of {@code flops} floating-point operations per benchmark operation. */
    static String gflops(double flops, Result r) {
        return Markdown.fixed(flops / r.secondsPerOp() / 1e9, 1);
    }

    /** The Markdown report; {@code backends} (one description per line) and {@code command} may be null. */
    static String render(List<Result> results, String title, String date, String machine, String backends,
                         String command) {
        return render(results, title, date, machine, backends, command, null);
    }

    /**
     * The Markdown report, with the commit the benchmarks were built from (null: not known) among its header lines.
     */
    static String render(List<Result> results, String title, String date, String machine, String backends,
                         String command, String commit) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(title).append("\n\n");
        sb.append("- Date: ").append(date).append('\n');
        sb.append("- Machine: ").append(machine).append('\n');
        if (backends != null && !backends.isBlank()) {
            sb.append("- Backends: ").append(backends.strip().replace("\n", "; ")).append('\n');
        }
        if (!results.isEmpty()) {
            Map<String, Object> first = results.get(0).raw();
            sb.append("- JVM: ").append(first.get("vmName")).append(' ').append(first.get("jdkVersion"))
                    .append(" (").append(first.get("vmVersion")).append("), fork flags `")
                    .append(String.join(" ", strings(first.get("jvmArgs")))).append("`\n");
            sb.append("- JMH ").append(first.get("jmhVersion")).append(": ")
                    .append(num(first.get("forks"))).append(" fork(s), warm-up ")
                    .append(num(first.get("warmupIterations"))).append(" × ").append(first.get("warmupTime"))
                    .append(", measurement ").append(num(first.get("measurementIterations"))).append(" × ")
                    .append(first.get("measurementTime")).append(", mode ").append(first.get("mode")).append('\n');
        }
        if (command != null && !command.isBlank()) {
            sb.append("- Command: `").append(command).append("`\n");
        }
        if (commit != null && !commit.isBlank()) {
            sb.append("- Commit: ").append(commit.strip()).append('\n');
        }
        sb.append("\n± is JMH's 99.9% confidence half-width (– when there were too few iterations to compute it). ")
                .append("alloc is `gc.alloc.rate.norm` from `-prof gc` (– when the run had no GC profiler).\n");
        if (results.stream().anyMatch(r -> !r.settled())) {
            sb.append("\n**").append(UNSETTLED_MARK).append("**: one measured iteration took more than ")
                    .append(Markdown.sig(UNSETTLED_RATIO, 2)).append("× another, so part of it ran before the JIT ")
                    .append("had compiled the code: neither its time nor its allocation is the steady state's. Run ")
                    .append("`full`, or add `-wi 5`.\n");
        }
        if (results.stream().anyMatch(Result::singleIteration)) {
            sb.append("\n**").append(SINGLE_MARK).append("**: with one measured iteration there is no second to ")
                    .append("compare it with, so a time taken partly before the JIT had compiled the code cannot be ")
                    .append("told from a steady one. Measure at least 2 iterations (`-i 2` or more).\n");
        }

        List<Result> gemm = new ArrayList<>();
        List<Result> dense = new ArrayList<>();
        List<Result> step = new ArrayList<>();
        List<Result> epoch = new ArrayList<>();
        List<Result> other = new ArrayList<>();
        for (Result r : results) {
            switch (r.className()) {
                case "GemmBenchmark":
                    gemm.add(r);
                    break;
                case "DenseBenchmark":
                    dense.add(r);
                    break;
                case "TrainingStepBenchmark":
                    step.add(r);
                    break;
                case "EpochBenchmark":
                    epoch.add(r);
                    break;
                default:
                    other.add(r);
            }
        }
        if (!gemm.isEmpty()) {
            Markdown t = new Markdown("backend", ">n", ">time / product", ">±", ">GFLOP/s", ">alloc B/op");
            for (Result r : gemm) {
                double n = Double.parseDouble(r.param("n"));
                t.row(r.param("backend"), r.param("n"), r.timeText(), r.errorText(), gflops(2 * n * n * n, r),
                        r.allocText());
            }
            section(sb, "GEMM: C = A·B, square, FP32", "GFLOP/s = 2n³ / time.", t);
        }
        if (!dense.isEmpty()) {
            section(sb, "Dense layer products", "Shape batch×in · in×out; each product is 2·batch·in·out flops: "
                    + "forward x·W, input gradient dZ·Wᵀ, weight gradient xᵀ·dZ.", denseTable(dense));
        }
        if (!step.isEmpty()) {
            Markdown t = new Markdown("backend", "model", ">time / step", ">±", ">steps/s", ">alloc B/op");
            for (Result r : step) {
                t.row(r.param("backend"), r.param("model"), r.timeText(), r.errorText(),
                        Markdown.sig(1 / r.secondsPerOp(), 4), r.allocText());
            }
            section(sb, "Training step: forward, loss, backward, optimizer",
                    "digits = 64-64-10 relu/softmax with Adam (the keras preset), mlp = 784-1024-1024-10 with Adam; "
                            + "-bN is the batch. Zero allocation shows as alloc ≈ 0 B/op.", t);
        }
        if (!epoch.isEmpty()) {
            Markdown t = new Markdown("backend", "preset", ">time / epoch", ">±", ">1000 epochs", ">alloc B/epoch");
            for (Result r : epoch) {
                t.row(r.param("backend"), r.param("preset"), r.timeText(), r.errorText(),
                        Markdown.fixed(1000 * r.secondsPerOp(), 2) + " s", r.allocText());
            }
            section(sb, "Digits: one training epoch (with the test-set evaluation)",
                    "article = full batch of 1437 rows, SGD; keras = 45 batches of 32, Adam. The allocation per "
                            + "epoch includes the trainer's per-call set-up, spread over 10 epochs.", t);
        }
        if (!other.isEmpty()) {
            Markdown t = new Markdown("benchmark", "params", ">score", ">±", "unit");
            for (Result r : other) {
                t.row(r.className() + "." + r.method(), r.params().toString(), Markdown.sig(r.score(), 4),
                        Double.isNaN(r.error()) ? "–" : Markdown.sig(r.error(), 2), r.unit());
            }
            section(sb, "Other benchmarks", null, t);
        }
        return sb.toString();
    }

    private static Markdown denseTable(List<Result> dense) {
        // One row per (backend, shape), the three products side by side.
        Map<String, Result[]> rows = new LinkedHashMap<>();
        String[] methods = {"forward", "backwardInput", "backwardWeights"};
        for (Result r : dense) {
            Result[] row = rows.computeIfAbsent(r.param("backend") + "\u0000" + r.param("shape"), k -> new Result[3]);
            for (int i = 0; i < methods.length; i++) {
                if (methods[i].equals(r.method())) {
                    row[i] = r;
                }
            }
        }
        Markdown t = new Markdown("backend", "shape", ">x·W", ">GFLOP/s", ">dZ·Wᵀ", ">GFLOP/s", ">xᵀ·dZ",
                ">GFLOP/s", ">alloc B/op (most of the three)");
        for (Map.Entry<String, Result[]> e : rows.entrySet()) {
            String[] key = e.getKey().split("\u0000", -1);
            int[] s = DenseBenchmark.parseShape(key[1]);
            double flops = 2.0 * s[0] * s[1] * s[2];
            Object[] cells = new Object[9];
            cells[0] = key[0];
            cells[1] = s[0] + "×" + s[1] + " · " + s[1] + "×" + s[2];
            Result most = null;   // the product that allocated most: the column says whether any did
            for (int i = 0; i < 3; i++) {
                Result r = e.getValue()[i];
                cells[2 + 2 * i] = r == null ? "" : r.timeText();
                cells[3 + 2 * i] = r == null ? "" : gflops(flops, r);
                if (r != null && (most == null || Double.isNaN(most.allocPerOp())
                        || r.allocPerOp() > most.allocPerOp())) {
                    most = r;
                }
            }
            cells[8] = most == null ? "" : most.allocText();
            t.row(cells);
        }
        return t;
    }

    private static void section(StringBuilder sb, String heading, String note, Markdown table) {
        sb.append("\n## ").append(heading).append("\n\n");
        if (note != null) {
            sb.append(note).append("\n\n");
        }
        sb.append(table.render());
    }

    private static List<String> strings(Object list) {
        List<String> out = new ArrayList<>();
        for (Object o : Json.array(list)) {
            out.add(String.valueOf(o));
        }
        return out;
    }

    private static String num(Object value) {
        double d = Json.number(value);
        return d == Math.rint(d) ? String.format(Locale.ROOT, "%d", (long) d) : String.valueOf(value);
    }
}
