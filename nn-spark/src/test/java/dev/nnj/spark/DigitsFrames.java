package dev.nnj.spark;

import dev.nnj.api.data.Dataset;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.examples.DigitsData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The bundled digits as DataFrames ({@code features} vector, {@code label} double), the article's min-max
 * scaling and split, in the same row order as the nnj {@link Dataset}s, so that distributed and
 * single-machine training see the same rows.
 */
final class DigitsFrames {
    static final StructType SCHEMA = new StructType()
            .add("features", SQLDataTypes.VectorType(), false)
            .add("label", DataTypes.DoubleType, false);

    private static IndexSplit.Datasets split;

    private DigitsFrames() {
    }

    static synchronized IndexSplit.Datasets split() {
        if (split == null) {
            split = DigitsData.scaledArticleSplit();
        }
        return split;
    }

    static org.apache.spark.sql.Dataset<Row> train(SparkSession spark, int partitions) {
        return frame(spark, split().train(), partitions);
    }

    static org.apache.spark.sql.Dataset<Row> test(SparkSession spark, int partitions) {
        return frame(spark, split().test(), partitions);
    }

    /** Rows in data-set order, cut into {@code partitions} contiguous slices. */
    static org.apache.spark.sql.Dataset<Row> frame(SparkSession spark, Dataset data, int partitions) {
        return frame(spark, data, null, partitions);
    }

    /**
     * Rows in data-set order with a {@code weight} column (double) holding {@code weights[i]} in row {@code i}, cut
     * into {@code partitions} contiguous slices; without a weight column when {@code weights} is null.
     */
    static org.apache.spark.sql.Dataset<Row> frame(SparkSession spark, Dataset data, float[] weights,
                                                   int partitions) {
        int d = data.featureCount();
        float[] x = data.features();
        int[] labels = data.labels();
        List<Row> rows = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            double[] v = new double[d];
            for (int j = 0; j < d; j++) {
                v[j] = x[i * d + j];
            }
            rows.add(weights == null ? RowFactory.create(Vectors.dense(v), (double) labels[i])
                    : RowFactory.create(Vectors.dense(v), (double) labels[i], (double) weights[i]));
        }
        StructType schema = weights == null ? SCHEMA : SCHEMA.add("weight", DataTypes.DoubleType, false);
        return spark.createDataFrame(new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext())
                .parallelize(rows, partitions), schema);
    }

    /** Fraction of rows whose prediction equals the label. */
    static double accuracy(org.apache.spark.sql.Dataset<Row> predictions) {
        List<Row> rows = predictions.select("label", "prediction").collectAsList();
        int correct = 0;
        for (Row r : rows) {
            if (r.getDouble(0) == r.getDouble(1)) {
                correct++;
            }
        }
        return (double) correct / rows.size();
    }

    /** True when two models' parameters are bit-identical. */
    static boolean sameParameters(NnjClassificationModel a, NnjClassificationModel b) {
        if (!a.parameters().keySet().equals(b.parameters().keySet())) {
            return false;
        }
        for (String name : a.parameters().keySet()) {
            if (!Arrays.equals(a.parameters().get(name), b.parameters().get(name))) {
                return false;
            }
        }
        return true;
    }
}
