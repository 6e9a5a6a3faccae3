package dev.nnj.spark.bench;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.LossKind;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Adam;
import dev.nnj.api.train.Trainer;
import dev.nnj.examples.DigitsData;
import dev.nnj.spark.NetworkSpec;
import dev.nnj.spark.NnjClassificationModel;
import dev.nnj.spark.NnjClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * nnj on Spark beside MLlib's {@code MultilayerPerceptronClassifier} on the same DataFrames: training time
 * (wall clock of {@code fit}, data already cached) and test accuracy, on {@code local[1]} and
 * {@code local[2]}. A program, not a test: {@code scripts/spark-bench.sh [digits|synthetic|all]}.
 *
 * <p>System properties: {@code bench.rows} (synthetic training rows, default 1,000,000),
 * {@code bench.masters} (default {@code local[1],local[2]}).
 */
public final class SparkBenchmark {
    private static final StructType SCHEMA = new StructType()
            .add("features", SQLDataTypes.VectorType(), false)
            .add("label", DataTypes.DoubleType, false);

    private SparkBenchmark() {
    }

    /**
     * @param args {@code digits}, {@code synthetic} or {@code all}
     */
    public static void main(String[] args) {
        String what = args.length > 0 ? args[0] : "all";
        // One nnj thread per Spark task, as MLlib computes one task per core.
        System.setProperty("nnj.cpu.threads", "1");
        String[] masters = System.getProperty("bench.masters", "local[1],local[2]").split(",");
        List<String> lines = new ArrayList<>();
        for (String master : masters) {
            SparkSession spark = SparkSession.builder().appName("nnj-spark-bench").master(master)
                    .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                    .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.driver.memory", "6g").getOrCreate();
            int partitions = spark.sparkContext().defaultParallelism();
            try {
                if (what.equals("digits") || what.equals("all")) {
                    digits(spark, master, partitions, lines);
                }
                if (what.equals("synthetic") || what.equals("all")) {
                    synthetic(spark, master, partitions, lines);
                }
            } finally {
                spark.stop();
            }
        }
        System.out.println();
        System.out.println("| data | master | trainer | settings | fit (s) | test accuracy |");
        System.out.println("|---|---|---|---|---:|---:|");
        for (String line : lines) {
            System.out.println(line);
        }
    }

    private static void digits(SparkSession spark, String master, int partitions, List<String> lines) {
        IndexSplit.Datasets split = DigitsData.scaledArticleSplit();
        Dataset<Row> train = frame(spark, split.train(), partitions).persist(StorageLevel.MEMORY_ONLY());
        Dataset<Row> test = frame(spark, split.test(), partitions).persist(StorageLevel.MEMORY_ONLY());
        train.count();
        test.count();
        int epochs = 20;
        if (master.equals("local[1]")) {
            lines.add(singleMachineDigits(split, epochs));
        }
        // Warm-up (not reported): one short run of each, so the JIT has compiled the hot paths.
        for (int run = 0; run < 2; run++) {
            boolean report = run == 1;
            int e = report ? epochs : 1;
            timeNnj(lines, report, "digits", master, train, test, nnj(e, 32, "sync", 1, 1e-3),
                    "sync, Adam 1e-3, batch 32, " + e + " epochs");
            timeNnj(lines, report, "digits", master, train, test, nnj(e, 32, "average", 8, 1e-3),
                    "average every 8, Adam 1e-3, batch 32, " + e + " epochs");
            timeNnj(lines, report, "digits", master, train, test, nnj(e, 256, "sync", 1, 1e-2),
                    "sync, Adam 1e-2, batch 256, " + e + " epochs");
            timeMllib(lines, report, "digits", master, train, test, new MultilayerPerceptronClassifier()
                    .setLayers(new int[] {64, 64, 10}).setMaxIter(report ? 100 : 5).setSeed(7),
                    "L-BFGS, " + (report ? 100 : 5) + " iterations");
            timeMllib(lines, report, "digits", master, train, test, new MultilayerPerceptronClassifier()
                    .setLayers(new int[] {64, 64, 10}).setSolver("gd").setStepSize(0.5).setMaxIter(report ? 300 : 5)
                    .setSeed(7), "gd (full batch), step 0.5, " + (report ? 300 : 5) + " iterations");
        }
        train.unpersist();
        test.unpersist();
    }

    private static String singleMachineDigits(IndexSplit.Datasets split, int epochs) {
        NetworkSpec spec = new NetworkSpec(64, new int[] {64}, new Activation[] {Activation.RELU}, 10,
                LossKind.CATEGORICAL_CROSS_ENTROPY);
        String line = null;
        for (int run = 0; run < 2; run++) {
            try (Backend backend = Backends.get("cpu");
                 Sequential model = spec.build(backend, 7);
                 Adam adam = new Adam(1e-3f, 0.9f, 0.999f, 1e-7f, 0f)) {
                long start = System.nanoTime();
                Trainer.builder().epochs(epochs).batchSize(32).shuffle(true).seed(7).build()
                        .fit(model, spec.loss(), adam, split.train(), null);
                double seconds = (System.nanoTime() - start) / 1e9;
                double accuracy = model.evaluate(split.test(), spec.loss(), 512).accuracy();
                line = row("digits", "no Spark", "nnj Trainer, 1 thread", "Adam 1e-3, batch 32, " + epochs + " epochs",
                        seconds, accuracy);
            }
        }
        System.out.println(line);
        return line;
    }

    private static NnjClassifier nnj(int epochs, int batch, String mode, int k, double lr) {
        return new NnjClassifier().setLayers(new int[] {64}).setActivations(new String[] {"relu"})
                .setOptimizer("adam").setLearningRate(lr).setEpsilon(1e-7).setEpochs(epochs).setBatchSize(batch)
                .setTrainingMode(mode).setAveragingSteps(k).setSeed(7).setBackend("cpu");
    }

    private static void timeNnj(List<String> lines, boolean report, String data, String master, Dataset<Row> train,
                                Dataset<Row> test, NnjClassifier nn, String settings) {
        long start = System.nanoTime();
        NnjClassificationModel model = nn.fit(train);
        double seconds = (System.nanoTime() - start) / 1e9;
        double accuracy = accuracy(model.transform(test));
        String line = row(data, master, "nnj " + nn.getOrDefault(nn.trainingMode()), settings, seconds, accuracy);
        System.out.println((report ? "" : "(warm-up) ") + line);
        if (report) {
            lines.add(line);
        }
    }

    private static void timeMllib(List<String> lines, boolean report, String data, String master, Dataset<Row> train,
                                  Dataset<Row> test, MultilayerPerceptronClassifier mlp, String settings) {
        long start = System.nanoTime();
        MultilayerPerceptronClassificationModel model = mlp.fit(train);
        double seconds = (System.nanoTime() - start) / 1e9;
        double accuracy = accuracy(model.transform(test));
        String line = row(data, master, "MLlib MLP (sigmoid)", settings, seconds, accuracy);
        System.out.println((report ? "" : "(warm-up) ") + line);
        if (report) {
            lines.add(line);
        }
    }

    private static void synthetic(SparkSession spark, String master, int partitions, List<String> lines) {
        int rows = Integer.getInteger("bench.rows", 1_000_000);
        Dataset<Row> train = teacherData(spark, rows, partitions, 1).persist(StorageLevel.MEMORY_ONLY());
        Dataset<Row> test = teacherData(spark, 100_000, partitions, 2).persist(StorageLevel.MEMORY_ONLY());
        train.count();
        test.count();
        String size = String.format(Locale.ROOT, "synthetic %,d x 64", rows);
        timeNnj(lines, true, size, master, train, test, nnj(1, 8192, "sync", 1, 1e-2),
                "sync, Adam 1e-2, batch 8192, 1 epoch");
        timeNnj(lines, true, size, master, train, test, nnj(1, 512, "average", 64, 3e-3),
                "average every 64, Adam 3e-3, batch 512, 1 epoch");
        timeMllib(lines, true, size, master, train, test, new MultilayerPerceptronClassifier()
                .setLayers(new int[] {64, 64, 10}).setMaxIter(10).setSeed(7), "L-BFGS, 10 iterations");
        train.unpersist();
        test.unpersist();
    }

    /**
     * Rows {@code x ~ U(-1, 1)⁶⁴} labelled by a fixed random teacher network,
     * {@code y = argmax(W₂ᵀ tanh(W₁ᵀ x))} with 32 hidden units and 10 classes: learnable, not linear.
     */
    static Dataset<Row> teacherData(SparkSession spark, int rows, int partitions, long stream) {
        Random r = new Random(1234);
        double[][] w1 = new double[64][32];
        double[][] w2 = new double[32][10];
        for (double[] row : w1) {
            for (int j = 0; j < row.length; j++) {
                row[j] = r.nextGaussian() / 4;
            }
        }
        for (double[] row : w2) {
            for (int j = 0; j < row.length; j++) {
                row[j] = r.nextGaussian();
            }
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Integer> parts = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            parts.add(p);
        }
        return spark.createDataFrame(sc.parallelize(parts, partitions).flatMap(p -> {
            int from = (int) ((long) rows * p / partitions);
            int to = (int) ((long) rows * (p + 1) / partitions);
            Random g = new Random(stream * 1_000_003L + p);
            List<Row> out = new ArrayList<>(to - from);
            double[] h = new double[32];
            for (int i = from; i < to; i++) {
                double[] x = new double[64];
                for (int j = 0; j < 64; j++) {
                    x[j] = 2 * g.nextDouble() - 1;
                }
                for (int k = 0; k < 32; k++) {
                    double z = 0;
                    for (int j = 0; j < 64; j++) {
                        z += x[j] * w1[j][k];
                    }
                    h[k] = Math.tanh(z);
                }
                int best = 0;
                double bestScore = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < 10; c++) {
                    double s = 0;
                    for (int k = 0; k < 32; k++) {
                        s += h[k] * w2[k][c];
                    }
                    if (s > bestScore) {
                        bestScore = s;
                        best = c;
                    }
                }
                out.add(RowFactory.create(Vectors.dense(x), (double) best));
            }
            return out.iterator();
        }), SCHEMA);
    }

    private static Dataset<Row> frame(SparkSession spark, dev.nnj.api.data.Dataset data, int partitions) {
        int d = data.featureCount();
        float[] x = data.features();
        int[] labels = data.labels();
        List<Row> rows = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            double[] v = new double[d];
            for (int j = 0; j < d; j++) {
                v[j] = x[i * d + j];
            }
            rows.add(RowFactory.create(Vectors.dense(v), (double) labels[i]));
        }
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(rows, partitions), SCHEMA);
    }

    private static double accuracy(Dataset<Row> predictions) {
        return new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(predictions);
    }

    private static String row(String data, String master, String trainer, String settings, double seconds,
                              double accuracy) {
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f | %.4f |", data, master, trainer, settings,
                seconds, accuracy);
    }
}
