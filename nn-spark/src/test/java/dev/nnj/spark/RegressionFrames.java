package dev.nnj.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A small synthetic regression, {@code y = 1000 + 300 x0 − 200 x1 + ε} with {@code x ~ N(0, 1)²} and
 * {@code ε ~ N(0, 20²)}: a label around 1e3 with std about 360, so that standardizing it matters, and an R² of at most
 * about 0.997 (the noise's share of the variance). Rows 0-299 train, 300-399 test, in two partitions each.
 */
final class RegressionFrames {
    static final int TRAIN = 300;
    static final int TEST = 100;

    private RegressionFrames() {
    }

    /** {@return the rows {x0, x1, y}, the same on every call} */
    static double[][] rows() {
        Random random = new Random(11);
        double[][] rows = new double[TRAIN + TEST][];
        for (int i = 0; i < rows.length; i++) {
            double x0 = random.nextGaussian();
            double x1 = random.nextGaussian();
            rows[i] = new double[] {x0, x1, 1000 + 300 * x0 - 200 * x1 + 20 * random.nextGaussian()};
        }
        return rows;
    }

    static Dataset<Row> train(SparkSession spark) {
        return frame(spark, 0, TRAIN);
    }

    static Dataset<Row> test(SparkSession spark) {
        return frame(spark, TRAIN, TRAIN + TEST);
    }

    /** Rows {@code [from, to)} as {@code features} (an ML vector), {@code label} and {@code weight} 1. */
    static Dataset<Row> frame(SparkSession spark, int from, int to) {
        double[][] rows = rows();
        List<Row> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(RowFactory.create(Vectors.dense(rows[i][0], rows[i][1]), rows[i][2], 1.0));
        }
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("label",
                DataTypes.DoubleType).add("weight", DataTypes.DoubleType);
        return spark.createDataFrame(new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext())
                .parallelize(out, 2), schema);
    }
}
