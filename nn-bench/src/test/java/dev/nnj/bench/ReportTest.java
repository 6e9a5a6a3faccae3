package dev.nnj.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke tests of the converters on small samples in JMH's and the anchors' formats; no benchmark runs. */
class ReportTest {

    private static String sample() throws IOException {
        try (InputStream in = ReportTest.class.getResourceAsStream("/jmh-sample.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsJmhJson() throws IOException {
        List<Report.Result> results = Report.parse(sample());
        assertEquals(5, results.size());
        Report.Result gemm = results.get(0);
        assertEquals("GemmBenchmark", gemm.className());
        assertEquals("gemm", gemm.method());
        assertEquals("64", gemm.param("n"));
        assertEquals(5.0, gemm.score());
        assertTrue(Double.isNaN(gemm.error()), "JMH writes a missing error as \"NaN\"");
        assertEquals(0.001, gemm.allocPerOp());
        assertEquals(0.25, results.get(2).allocPerOp(), "the '·'-prefixed key of older JMH versions is read too");
        assertEquals("a \"quoted\" value", results.get(4).param("label"));
    }

    @Test
    void convertsTimesAndThroughputsToSecondsPerOp() {
        assertEquals(5e-6, Report.secondsPerOp(5, "us/op"), 1e-18);
        assertEquals(4e-3, Report.secondsPerOp(4, "ms/op"), 1e-15);
        assertEquals(0.5e-3, Report.secondsPerOp(2, "ops/ms"), 1e-15);
        assertTrue(Double.isNaN(Report.secondsPerOp(1, "furlongs")));
    }

    /** The Markdown with runs of spaces (the column padding) collapsed, so that checks name cells only. */
    private static String squash(String md) {
        return md.replaceAll(" +", " ");
    }

    @Test
    void namesTheCommitAndTheLoadWhenKnown() throws IOException {
        String md = Report.render(Report.parse(sample()), "t", "2026-12-04", "test machine" + Machine.loadAverage(),
                "cpu", "bench/run x", "36412fc-dirty");
        assertTrue(md.contains("- Commit: 36412fc-dirty\n"), md);
        assertTrue(md.contains("- Machine: test machine" + Machine.loadAverage() + "\n"), md);   // no load off Linux
        assertTrue(!Report.render(Report.parse(sample()), "t", "d", "m", "cpu", "c").contains("- Commit:"));
    }

    @Test
    void rendersTablesWithDerivedFigures() throws IOException {
        String md = squash(Report.render(Report.parse(sample()), "t", "2026-11-26", "test machine",
                "cpu: pure Java, 2 threads", "bench/run x"));
        // 2·64³ flops in 5 µs = 104.9 GFLOP/s; no error, and no steadiness to judge, from one iteration
        assertTrue(md.contains("| cpu | 64 | 5.000 µs (1 iteration: steadiness unknown) | – | 104.9 | 0.00100 |"),
                md);
        // 2·256·784·1024 flops in 4.110 ms = 100.0 GFLOP/s, the weight-gradient product of that shape
        assertTrue(md.contains("| cpu | 256×784 · 784×1024 | | | | | 4.110 ms | 100.0 | 0.500 |"), md);
        assertTrue(md.contains("| alloc B/op (most of the three) |"), "the Dense table's allocation column: " + md);
        // 2000 µs per step = 500 steps/s, alloc 0.25 B/op
        assertTrue(md.contains("| cpu | mlp-b256 | 2000 µs | 13 | 500.0 | 0.250 |"), md);
        // a throughput of 2 epochs/ms is 500 µs per epoch, 0.50 s for 1000
        assertTrue(md.contains("| cpu | article | 500.0 µs | – | 0.50 s | – |"), md);
        assertTrue(md.contains("- JVM: OpenJDK 64-Bit Server VM 17.0.15"), md);
        assertTrue(md.contains("| Other.run | {label=a \"quoted\" value} | 1500 | – | ns/op |"), md);
        assertTrue(md.contains("- Command: `bench/run x`"), md);
        assertTrue(md.contains("- Backends: cpu: pure Java, 2 threads"), md);
    }

    /**
     * A quick run on a busy machine measured a training step at 64,876 µs and 4.7 MB before C2 had compiled it (the
     * steady state: 14.8 µs, 0 B): a result whose iterations differ by more than 2× is marked, with a note.
     */
    @Test
    void marksResultsWhoseIterationsWereNotWarmedUp() {
        String json = "[" + step("digits-b32", "[[129752.0, 20.0]]", 4710024) + ","
                + step("mlp-b256", "[[15.1, 14.8]]", 0.09) + "]";
        String md = squash(Report.render(Report.parse(json), "t", "2026-12-04", "test machine", "cpu", "quick"));
        assertTrue(md.contains("| cpu | digits-b32 | 64886 µs (not warmed up) |"), md);
        assertTrue(md.contains("| 4710024 (not warmed up) |"), md);
        assertTrue(md.contains("| cpu | mlp-b256 | 14.95 µs |"), md);
        assertTrue(md.contains("**(not warmed up)**: one measured iteration took more than 2"), md);
        String settled = squash(Report.render(Report.parse("[" + step("mlp-b256", "[[15.1, 14.8]]", 0.09) + "]"),
                "t", "2026-12-04", "test machine", "cpu", "full"));
        assertTrue(!settled.contains("not warmed up"), settled);
    }

    private static String step(String model, String rawData, double alloc) {
        return "{\"benchmark\": \"dev.nnj.bench.TrainingStepBenchmark.step\", \"mode\": \"avgt\", "
                + "\"params\": {\"backend\": \"cpu\", \"model\": \"" + model + "\"}, "
                + "\"primaryMetric\": {\"score\": " + average(rawData) + ", \"scoreError\": \"NaN\", "
                + "\"scoreUnit\": \"us/op\", \"rawData\": " + rawData + "}, "
                + "\"secondaryMetrics\": {\"gc.alloc.rate.norm\": {\"score\": " + alloc + "}}}";
    }

    private static double average(String rawData) {
        String[] v = rawData.replaceAll("[\\[\\] ]", "").split(",");
        double sum = 0;
        for (String x : v) {
            sum += Double.parseDouble(x);
        }
        return sum / v.length;
    }

    /**
     * With {@code -i 1} there is no second iteration to compare with: the 64,876 µs of a step measured before C2 had
     * compiled it got no mark at all. It gets its own, and a note.
     */
    @Test
    void marksResultsOfOneIterationAsOfUnknownSteadiness() {
        String md = squash(Report.render(Report.parse("[" + step("digits-b32", "[[64876.0]]", 4710024) + "]"),
                "t", "2026-12-05", "test machine", "cpu", "quick -i 1"));
        assertTrue(md.contains("| cpu | digits-b32 | 64876 µs (1 iteration: steadiness unknown) |"), md);
        assertTrue(md.contains("**(1 iteration: steadiness unknown)**: with one measured iteration"), md);
        String two = squash(Report.render(Report.parse("[" + step("mlp-b256", "[[15.1, 14.8]]", 0.09) + "]"),
                "t", "2026-12-05", "test machine", "cpu", "quick"));
        assertTrue(!two.contains("steadiness unknown"), two);
    }

    /**
     * Converting an older results file stamped the conversion's date, and this machine and its load as the run's.
     * The date is now the file's; the machine is the converting one's unless --same-run says the run just ended here.
     */
    @Test
    void datesTheRunByTheResultsFileAndNamesTheConvertingMachine(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("gemm.json");
        Files.writeString(json, sample(), StandardCharsets.UTF_8);
        Files.setLastModifiedTime(json, java.nio.file.attribute.FileTime.from(
                java.time.Instant.parse("2026-12-01T21:57:30Z")));
        Path md = dir.resolve("gemm.md");
        Report.main(new String[] {json.toString(), md.toString()});
        String text = Files.readString(md, StandardCharsets.UTF_8);
        assertTrue(text.contains("- Date: 2026-12-01 21:57 UTC (gemm.json's last-modified time)\n"), text);
        assertTrue(text.contains("- Machine: converting machine (not necessarily the run's): "
                + Machine.describe()), text);
        assertTrue(!text.contains("at the end of the run"), text);

        Report.main(new String[] {json.toString(), md.toString(), "--same-run"});
        text = Files.readString(md, StandardCharsets.UTF_8);
        assertTrue(text.contains("- Date: 2026-12-01 21:57 UTC (gemm.json's last-modified time)\n"), text);
        assertTrue(text.contains("- Machine: " + Machine.describe()), text);
        assertTrue(!text.contains("converting machine"), text);
    }

    /** Report's exit status, with what it printed on stdout and stderr. */
    private record Ran(int status, String out, String err) {
    }

    private static Ran report(String... args) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Report.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ran(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A truncated file ends in one line naming it and the place, status 2, not Jackson's stack trace. */
    @Test
    void refusesMalformedJsonInOneLine(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("broken.json");
        Files.writeString(json, "[{\"benchmark\": \"x.Gemm.gemm\",", StandardCharsets.UTF_8);
        Path md = dir.resolve("broken.md");
        Ran r = report(json.toString(), md.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("Report: " + json + ": malformed JSON at line 1, column "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(!Files.exists(md));
        // Valid JSON of another shape is refused as well, rather than read as no results.
        Files.writeString(json, "{\"benchmark\": \"x\"}", StandardCharsets.UTF_8);
        r = report(json.toString());
        assertEquals(2, r.status());
        assertEquals("Report: " + json + ": not JMH's JSON results: an array of results expected, found an object\n",
                r.err().replace("\r", ""));
    }

    /** An empty file, or JMH's "[ ]" when every benchmark failed, is said on stderr; no header-only report. */
    @Test
    void refusesResultsWithoutBenchmarks(@TempDir Path dir) throws IOException {
        Path md = dir.resolve("none.md");
        for (String text : new String[] {"", "\n", "[ ]\n"}) {
            Path json = dir.resolve("none.json");
            Files.writeString(json, text, StandardCharsets.UTF_8);
            Ran r = report(json.toString(), md.toString());
            assertEquals(1, r.status(), "'" + text + "'");
            assertTrue(r.err().startsWith("Report: " + json + ": " + (text.isBlank() ? "the file is empty"
                    : "no benchmark results in it") + ": no report written"), r.err());
            assertEquals("", r.out());
            assertTrue(!Files.exists(md), "'" + text + "'");
        }
    }

    @Test
    void rejectsBrokenJson() {
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[{\"a\": 1,]"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": \"open"));
        assertEquals(Map.of("a", List.of(1.0, true)), Json.parse(" {\"a\" : [1, true]} "));
    }

    @Test
    void comparesAnchorLogs(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("numpy-sgemm.log"), "n=64 gflops=50.0\nn=256 gflops=100.0\n");
        Files.writeString(dir.resolve("nnj-gemm.log"), "# cpu: pure Java\n"
                + "nnj-gemm backend=cpu n=64 reps=3 best_s=0.1 gflops=55.0\n"
                + "nnj-gemm backend=cpu n=256 reps=3 best_s=0.1 gflops=80.0\n");
        Files.writeString(dir.resolve("numpy-article.log"),
                "article-numpy seed=0 epochs=1000 train_s=4.000 acc=0.9300 final_train_loss=0.1\n"
                        + "article-numpy seed=1 epochs=1000 train_s=5.000 acc=0.9400 final_train_loss=0.1\n");
        Files.writeString(dir.resolve("nnj-article.log"),
                "nnj-digits preset=article backend=cpu seed=0 epochs=1000 batch=1437 train_s=0.400 acc=0.9400\n"
                        + "nnj-digits preset=article backend=cpu seed=1 epochs=1000 batch=1437 train_s=0.500 acc=0.9500\n");
        Files.writeString(dir.resolve("torch-keras.log"),
                "keras-like-torch seed=0 epochs=1000 batch=32 train_s=40.000 acc=0.9700 val_loss=0.1\n");
        Files.writeString(dir.resolve("nnj-keras.log"),
                "nnj-digits preset=keras backend=cpu seed=0 epochs=100 batch=32 train_s=0.200 acc=0.9600\n");
        String md = squash(Comparison.render(dir, null));
        assertTrue(md.contains("| 64 | 55.0 | 50.0 | 1.10× | ≥ 1.0× | yes |"), md);
        assertTrue(md.contains("| 256 | 80.0 | 100.0 | 0.80× | ≥ 0.9× | no |"), md);
        // article: 4.5 s against 0.45 s on average = 10× (target 8×)
        assertTrue(md.contains("| 0.450 s | 4.500 s | 10.00× | ≥ 8× | yes | 0.9450 (0.9400–0.9500) |"), md);
        // keras: 40 ms per epoch against 2 ms per epoch = 20×, compared per epoch
        assertTrue(md.contains("(100 vs 1000 epochs: compared per epoch) | 0.200 s | 40.000 s | 20.00× | ≥ 10× | "
                + "n/a: 100 epochs, the target is for 1000 |"), "a short run is not judged: " + md);
        assertTrue(!md.contains("alternating runs"), "one run of each side: " + md);

        // Two alternating runs of each side (compare-anchors.sh's GEMM_ROUNDS): each size's best run counts.
        Files.writeString(dir.resolve("numpy-sgemm.log"), "n=64 gflops=50.0\nn=256 gflops=100.0\n"
                + "n=64 gflops=60.0\nn=256 gflops=90.0\n");
        Files.writeString(dir.resolve("nnj-gemm.log"), "# cpu: pure Java\n"
                + "nnj-gemm backend=cpu n=64 reps=3 best_s=0.1 gflops=55.0\n"
                + "nnj-gemm backend=cpu n=256 reps=3 best_s=0.1 gflops=80.0\n# cpu: pure Java\n"
                + "nnj-gemm backend=cpu n=64 reps=3 best_s=0.1 gflops=66.0\n"
                + "nnj-gemm backend=cpu n=256 reps=3 best_s=0.1 gflops=95.0\n");
        String twice = squash(Comparison.render(dir, null));
        assertTrue(twice.contains("best of 3 rounds (numpy's method) in each of 2 alternating runs of each side, the "
                + "best run counting"), twice);
        assertTrue(twice.contains("| 64 | 66.0 | 60.0 | 1.10× | ≥ 1.0× | yes |"), twice);
        assertTrue(twice.contains("| 256 | 95.0 | 100.0 | 0.95× | ≥ 0.9× | yes |"), twice);
    }

    @Test
    void splitsKeyValueLines() {
        assertEquals(Map.of("tag", "nnj-gemm", "n", "64", "gflops", "1.5"),
                Comparison.keyValues("nnj-gemm n=64 gflops=1.5"));
        assertEquals(Map.of("n", "64", "gflops", "51.0"), Comparison.keyValues("n=64 gflops=51.0"));
        assertTrue(Comparison.keyValues("# a comment with x=1").isEmpty());
    }

    /** "AMD EPYC" alone named machines of several generations alike: the numbers tell them apart. */
    @Test
    void namesTheProcessorsFamilyModelAndStepping() {
        assertEquals(", family 26 model 2 stepping 1 (Zen 5)", Machine.generation("AuthenticAMD", "26", "2", "1"));
        assertEquals(", family 6 model 143 stepping 8", Machine.generation("GenuineIntel", "6", "143", "8"));
        assertEquals("", Machine.generation(null, null, null, null));
    }
}
