package dev.nnj.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sets nnj's figures beside the anchors' from one {@code bench/compare-anchors.sh} session and writes
 * {@code comparison.md} in that session's folder. It reads the {@code key=value} lines the programs print:
 * <pre>
 *   numpy-sgemm.log    n=256 gflops=103.2                                  (bench/anchors/sgemm_numpy.py)
 *   nnj-gemm.log       nnj-gemm backend=cpu n=256 ... gflops=98.1          (GemmHarness)
 *   numpy-article.log  article-numpy seed=0 epochs=1000 train_s=4.4 acc=0.93 ...   (article_numpy.py)
 *   nnj-article.log    nnj-digits preset=article ... train_s=0.5 acc=0.94  (DigitsRun)
 *   torch-keras.log    keras-like-torch seed=0 epochs=1000 ... train_s=35 acc=0.97  (keras_like_torch.py)
 *   nnj-keras.log      nnj-digits preset=keras ... train_s=2.9 acc=0.97    (DigitsRun)
 *   environment.md     free text put at the top (versions, OpenBLAS kernel, threads)
 * </pre>
 * Ratios are speeds, nnj / anchor: GFLOP/s over GFLOP/s, and anchor time per epoch over nnj time per epoch.
 *
 * <pre>
 *   java -cp benchmarks.jar dev.nnj.bench.Comparison bench-results/2026-11-26 [--command TEXT]
 * </pre>
 */
public final class Comparison {
    /** GEMM targets: at least this fraction of OpenBLAS's GFLOP/s, by size. */
    static final double GEMM_TARGET_SMALL = 1.0;   // n = 64 .. 128
    static final double GEMM_TARGET_LARGE = 0.9;   // n = 256 .. 2048
    /** Digits targets: nnj at least this many times faster than the anchor. */
    static final double ARTICLE_TARGET = 8;
    static final double KERAS_TARGET = 10;
    /**
     * The epochs the digits targets are set for. A shorter run is mostly the JIT's warm-up on nnj's side and
     * Python's imports on the anchor's: its ratio is printed, but not judged against the target.
     */
    static final int TARGET_EPOCHS = 1000;

    private Comparison() {
    }

    /**
     * Writes {@code comparison.md} for one session.
     *
     * @param args the session folder holding the logs
     * @throws IOException if a log cannot be read or the report written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1 && !(args.length == 3 && args[1].equals("--command"))) {
            System.err.println("usage: Comparison <session folder> [--command TEXT]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        String md = render(dir, args.length == 3 ? args[2] : null);
        Files.writeString(dir.resolve("comparison.md"), md, StandardCharsets.UTF_8);
        System.out.print(md);
    }

    static String render(Path dir, String command) throws IOException {
        StringBuilder sb = new StringBuilder("# nnj beside its anchors\n\n");
        sb.append("- Folder: `").append(dir).append("`\n");
        sb.append("- Machine: ").append(Machine.describe()).append(Machine.loadAverage()).append('\n');
        if (command != null && !command.isBlank()) {
            sb.append("- Command: `").append(command).append("`\n");
        }
        Path env = dir.resolve("environment.md");
        if (Files.exists(env)) {
            sb.append('\n').append(Files.readString(env, StandardCharsets.UTF_8).strip()).append('\n');
        }
        sb.append("\nRatios are speeds, nnj / anchor (higher is better for nnj): GFLOP/s over GFLOP/s for GEMM, "
                + "anchor time per epoch over nnj time per epoch for the digits runs.\n");
        gemm(sb, records(dir.resolve("nnj-gemm.log"), "gflops"), records(dir.resolve("numpy-sgemm.log"), "gflops"));
        List<Map<String, String>> nnjArticle = records(dir.resolve("nnj-article.log"), "train_s");
        List<Map<String, String>> numpyArticle = records(dir.resolve("numpy-article.log"), "train_s");
        List<Map<String, String>> nnjKeras = records(dir.resolve("nnj-keras.log"), "train_s");
        List<Map<String, String>> torchKeras = records(dir.resolve("torch-keras.log"), "train_s");
        Markdown t = new Markdown("run", ">nnj time", ">anchor time", ">nnj / anchor speed", "target", "met",
                ">nnj test acc", ">anchor test acc");
        digitsRow(t, "article preset vs the article's numpy code", nnjArticle, numpyArticle, ARTICLE_TARGET);
        digitsRow(t, "keras preset vs Keras-like PyTorch", nnjKeras, torchKeras, KERAS_TARGET);
        sb.append("\n## Digits training (time of the whole training loop)\n\n");
        sb.append("Times are means over the seeds run; accuracy is on the 360 test images (mean, min–max). "
                + "The first nnj seed includes the JVM's JIT warm-up.\n\n");
        sb.append(t.render());
        Markdown seeds = new Markdown("run", ">seed", ">epochs", ">train s", ">test acc");
        for (List<Map<String, String>> runs : List.of(nnjArticle, numpyArticle, nnjKeras, torchKeras)) {
            for (Map<String, String> r : runs) {
                seeds.row(r.get("tag") + (r.containsKey("preset") ? " " + r.get("preset") : ""), r.get("seed"),
                        r.get("epochs"), r.get("train_s"), r.get("acc"));
            }
        }
        if (!seeds.isEmpty()) {
            sb.append("\nPer seed:\n\n").append(seeds.render());
        }
        return sb.toString();
    }

    private static void gemm(StringBuilder sb, List<Map<String, String>> nnj, List<Map<String, String>> blas) {
        Map<String, Double> nnjByN = byN(nnj);
        Map<String, Double> blasByN = byN(blas);
        Map<String, Boolean> sizes = new LinkedHashMap<>();
        for (String n : blasByN.keySet()) {
            sizes.put(n, true);
        }
        for (String n : nnjByN.keySet()) {
            sizes.put(n, true);
        }
        Markdown t = new Markdown(">n", ">nnj GFLOP/s", ">OpenBLAS GFLOP/s", ">nnj / OpenBLAS", "target", "met");
        for (String n : sizes.keySet()) {
            double a = nnjByN.getOrDefault(n, Double.NaN);
            double b = blasByN.getOrDefault(n, Double.NaN);
            double target = Integer.parseInt(n) <= 128 ? GEMM_TARGET_SMALL : GEMM_TARGET_LARGE;
            t.row(n, Markdown.fixed(a, 1), Markdown.fixed(b, 1), ratio(a / b), "≥ " + Markdown.fixed(target, 1) + "×",
                    met(a / b, target));
        }
        long runs = sizes.isEmpty() ? 1 : Math.max(runs(nnj, sizes.keySet().iterator().next()),
                runs(blas, sizes.keySet().iterator().next()));
        sb.append("\n## GEMM: square FP32 C = A·B, best of 3 rounds (numpy's method)").append(runs > 1
                ? " in each of " + runs + " alternating runs of each side, the best run counting" : "")
                .append("\n\n").append(t.render());
    }

    /** Each size's GFLOP/s: the best of the runs the log holds (compare-anchors.sh alternates the sides' runs). */
    private static Map<String, Double> byN(List<Map<String, String>> records) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map<String, String> r : records) {
            if (r.containsKey("n")) {
                out.merge(r.get("n"), Double.parseDouble(r.get("gflops")), Math::max);
            }
        }
        return out;
    }

    /** How many runs of size {@code n} the log holds. */
    private static long runs(List<Map<String, String>> records, String n) {
        return records.stream().filter(r -> n.equals(r.get("n"))).count();
    }

    private static void digitsRow(Markdown t, String label, List<Map<String, String>> nnj,
                                  List<Map<String, String>> anchor, double target) {
        double nnjTime = mean(nnj, "train_s");
        double anchorTime = mean(anchor, "train_s");
        double speed = (anchorTime / mean(anchor, "epochs")) / (nnjTime / mean(nnj, "epochs"));
        double epochs = Math.min(mean(nnj, "epochs"), mean(anchor, "epochs"));
        String met = epochs < TARGET_EPOCHS
                ? "n/a: " + (long) epochs + " epochs, the target is for " + TARGET_EPOCHS
                : met(speed, target);
        t.row(label + epochsNote(nnj, anchor), seconds(nnjTime), seconds(anchorTime), ratio(speed),
                "≥ " + Markdown.fixed(target, 0) + "×", met, accuracy(nnj), accuracy(anchor));
    }

    private static String epochsNote(List<Map<String, String>> nnj, List<Map<String, String>> anchor) {
        double a = mean(nnj, "epochs");
        double b = mean(anchor, "epochs");
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return "";
        }
        return a == b ? String.format(Locale.ROOT, " (%d epochs, %d+%d runs)", (long) a, nnj.size(), anchor.size())
                : String.format(Locale.ROOT, " (%d vs %d epochs: compared per epoch)", (long) a, (long) b);
    }

    private static String seconds(double s) {
        return Double.isNaN(s) ? "–" : Markdown.fixed(s, 3) + " s";
    }

    private static String ratio(double r) {
        return Double.isNaN(r) || Double.isInfinite(r) ? "–" : Markdown.fixed(r, 2) + "×";
    }

    private static String met(double ratio, double target) {
        if (Double.isNaN(ratio) || Double.isInfinite(ratio)) {
            return "not measured";
        }
        return ratio >= target ? "yes" : "no";
    }

    private static String accuracy(List<Map<String, String>> runs) {
        if (runs.isEmpty()) {
            return "–";
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Map<String, String> r : runs) {
            double a = Double.parseDouble(r.get("acc"));
            min = Math.min(min, a);
            max = Math.max(max, a);
        }
        String mean = Markdown.fixed(mean(runs, "acc"), 4);
        return runs.size() == 1 ? mean : mean + " (" + Markdown.fixed(min, 4) + "–" + Markdown.fixed(max, 4) + ")";
    }

    private static double mean(List<Map<String, String>> runs, String key) {
        if (runs.isEmpty()) {
            return Double.NaN;
        }
        double sum = 0;
        for (Map<String, String> r : runs) {
            sum += Double.parseDouble(r.get(key));
        }
        return sum / runs.size();
    }

    /** The {@code key=value} lines of {@code file} that carry {@code requiredKey}; none if the file is missing. */
    static List<Map<String, String>> records(Path file, String requiredKey) throws IOException {
        List<Map<String, String>> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Map<String, String> r = keyValues(line);
            if (r.containsKey(requiredKey)) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * {@code "nnj-gemm backend=cpu n=64 gflops=51.2"} → {@code {tag=nnj-gemm, backend=cpu, n=64, gflops=51.2}}:
     * the first word without '=' is the tag; lines starting with '#' give an empty map.
     */
    static Map<String, String> keyValues(String line) {
        Map<String, String> out = new LinkedHashMap<>();
        String s = line.strip();
        if (s.isEmpty() || s.startsWith("#")) {
            return out;
        }
        for (String word : s.split("\\s+")) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                out.put(word.substring(0, eq), word.substring(eq + 1));
            } else if (!out.containsKey("tag")) {
                out.put("tag", word);
            }
        }
        return out;
    }
}
