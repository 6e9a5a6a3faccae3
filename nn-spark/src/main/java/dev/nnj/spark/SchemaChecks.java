package dev.nnj.spark;

import java.util.Arrays;
import java.util.OptionalInt;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.BinaryAttribute;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/** Input and output column checks shared by the estimator and the model, with messages naming the column. */
final class SchemaChecks {
    private SchemaChecks() {
    }

    static void requireVector(StructType schema, String column) {
        StructField field = field(schema, column);
        if (!field.dataType().equals(SQLDataTypes.VectorType())) {
            throw new IllegalArgumentException("column '" + column + "' must be an ML vector "
                    + "(org.apache.spark.ml.linalg.Vector, e.g. from VectorAssembler), got "
                    + field.dataType().simpleString());
        }
    }

    static void requireNumeric(StructType schema, String column) {
        StructField field = field(schema, column);
        if (!(field.dataType() instanceof NumericType)) {
            throw new IllegalArgumentException("column '" + column + "' must be numeric (class indices 0, 1, 2, ...), got "
                    + field.dataType().simpleString() + "; use a StringIndexer for other labels");
        }
    }

    /**
     * The number of classes the label column's ML attribute declares, as Spark's own classifiers read it: a
     * {@code StringIndexer}'s output names every label it was fitted on, a binary attribute two. Training data that
     * lacks the last classes (a sample, a split) then still gets an output for each.
     *
     * @return the declared count, or empty when the column has no such metadata
     */
    static OptionalInt declaredClasses(StructType schema, String column) {
        Attribute attribute = Attribute.fromStructField(field(schema, column));
        if (attribute instanceof BinaryAttribute) {
            return OptionalInt.of(2);
        }
        if (attribute instanceof NominalAttribute) {
            Option<Object> count = ((NominalAttribute) attribute).getNumValues();
            if (count.isDefined()) {
                return OptionalInt.of((Integer) count.get());
            }
        }
        return OptionalInt.empty();
    }

    static StructType appendOutputs(StructType schema, String predictionCol, String probabilityCol,
                                    String rawPredictionCol) {
        for (String c : new String[] {predictionCol, probabilityCol, rawPredictionCol}) {
            if (!c.isEmpty() && Arrays.asList(schema.fieldNames()).contains(c)) {
                throw new IllegalArgumentException("output column '" + c + "' already exists in "
                        + Arrays.toString(schema.fieldNames()));
            }
        }
        StructType out = schema.add(predictionCol, DataTypes.DoubleType, false)
                .add(probabilityCol, SQLDataTypes.VectorType(), false);
        // As in MLlib, an empty name leaves the raw scores out.
        return rawPredictionCol.isEmpty() ? out : out.add(rawPredictionCol, SQLDataTypes.VectorType(), false);
    }

    private static StructField field(StructType schema, String column) {
        if (!Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException("no column '" + column + "' in " + Arrays.toString(schema.fieldNames()));
        }
        return schema.apply(column);
    }
}
