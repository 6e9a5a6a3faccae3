package dev.nnj.spark;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.attribute.BinaryAttribute;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/** Input and output column checks shared by the estimator and the model, with messages naming the column. */
final class SchemaChecks {
    private SchemaChecks() {
    }

    static void requireVector(StructType schema, String column) {
        StructField field = field(schema, column, "featuresCol");
        if (!field.dataType().equals(SQLDataTypes.VectorType())) {
            throw new IllegalArgumentException("column '" + column + "' must be an ML vector "
                    + "(org.apache.spark.ml.linalg.Vector, e.g. from VectorAssembler), got "
                    + field.dataType().simpleString());
        }
    }

    static void requireNumeric(StructType schema, String column) {
        StructField field = field(schema, column, "labelCol");
        if (!(field.dataType() instanceof NumericType)) {
            throw new IllegalArgumentException("column '" + column + "' must be numeric (class indices 0, 1, 2, ...), "
                    + "got " + field.dataType().simpleString() + "; use a StringIndexer for other labels");
        }
    }

    /**
     * Requires a regressor's label column to be there and numeric (any Spark numeric type, as MLlib's regressors read
     * it); each value's bounds (finite, within float32) are checked as the rows are read.
     *
     * @param schema the training data's schema
     * @param column the label column's name
     * @throws IllegalArgumentException naming the column, and its type when it is not numeric
     */
    static void requireRealLabel(StructType schema, String column) {
        StructField field = field(schema, column, "labelCol");
        if (!(field.dataType() instanceof NumericType)) {
            throw new IllegalArgumentException("column '" + column + "' (labelCol) must be numeric (a real number per "
                    + "row), got " + field.dataType().simpleString());
        }
    }

    /**
     * Requires the weight column ({@code weightCol}) to be there and numeric: any Spark numeric type, as MLlib reads
     * its weights; the values' bounds (finite, {@code >= 0}) are checked as the rows are read.
     *
     * @param schema the training data's schema
     * @param column the weight column's name, not empty
     * @throws IllegalArgumentException naming the column, and its type when it is not numeric
     */
    static void requireWeights(StructType schema, String column) {
        StructField field = field(schema, column, "weightCol");
        if (!(field.dataType() instanceof NumericType)) {
            throw new IllegalArgumentException("column '" + column + "' (weightCol) must be numeric (a weight per row, "
                    + "finite and >= 0), got " + field.dataType().simpleString());
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
        Attribute attribute = Attribute.fromStructField(field(schema, column, "labelCol"));
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

    /**
     * The name among {@code names} that Spark would take for {@code name}: the same, or, as Spark resolves column names
     * by default ({@code spark.sql.caseSensitive} false), one that differs only in case; null for none.
     */
    static String sameName(List<String> names, String name) {
        boolean caseSensitive = org.apache.spark.sql.internal.SQLConf.get().caseSensitiveAnalysis();
        for (String n : names) {
            if (caseSensitive ? n.equals(name) : n.equalsIgnoreCase(name)) {
                return n;
            }
        }
        return null;
    }

    /**
     * The schema with the output columns appended, as MLlib's classifiers append theirs: an empty name leaves its
     * column out, and a name that is an input column's or another output's is refused (Spark would otherwise make two
     * columns of that name, and the first query to read it would fail on an ambiguous reference).
     *
     * @param classes the class count, which gives the prediction its nominal attribute and the vectors their size
     *                (as MLlib's models do), or 0 when it is not known yet (the estimator's schema, before fit)
     */
    static StructType appendOutputs(StructType schema, String predictionCol, String probabilityCol,
                                    String rawPredictionCol, int classes) {
        String[] params = {"predictionCol", "probabilityCol", "rawPredictionCol"};
        String[] names = {predictionCol, probabilityCol, rawPredictionCol};
        List<String> existing = Arrays.asList(schema.fieldNames());
        for (int i = 0; i < names.length; i++) {
            if (names[i].isEmpty()) {
                continue;
            }
            String clash = sameName(existing, names[i]);
            if (clash != null) {
                throw new IllegalArgumentException("output column '" + names[i] + "' (" + params[i]
                        + ") already exists in " + existing + (clash.equals(names[i]) ? "" : " as '" + clash + "' ("
                        + "Spark resolves column names ignoring case)") + "; choose another name"
                        + (probabilityCol.isEmpty() && rawPredictionCol.isEmpty() ? "" : ", or an empty one for no "
                        + "column"));
            }
            for (int j = 0; j < i; j++) {
                if (sameName(List.of(names[j]), names[i]) != null) {
                    throw new IllegalArgumentException(params[j] + " and " + params[i] + " are both '" + names[i]
                            + "'; each output needs its own column (an empty name leaves one out)");
                }
            }
        }
        StructType out = schema;
        if (!predictionCol.isEmpty()) {
            out = out.add(classes > 0
                    ? NominalAttribute.defaultAttr().withName(predictionCol).withNumValues(classes).toStructField()
                    : new StructField(predictionCol, DataTypes.DoubleType, false, Metadata.empty()));
        }
        for (String vectorCol : new String[] {probabilityCol, rawPredictionCol}) {
            if (!vectorCol.isEmpty()) {
                out = out.add(classes > 0 ? new AttributeGroup(vectorCol, classes).toStructField()
                        : new StructField(vectorCol, SQLDataTypes.VectorType(), false, Metadata.empty()));
            }
        }
        return out;
    }

    /**
     * The rows a {@code mapPartitions} with a row encoder of {@code out} gave, with {@code out}'s names, types and
     * metadata: the encoder's columns carry no metadata, so this puts back the input columns' and the outputs' ML
     * attributes, and a string's collation, which the encoder drops.
     *
     * @param predicted the encoder's rows
     * @param out       the schema they are to have
     * @return the same rows under {@code out}
     */
    static Dataset<Row> withSchema(Dataset<Row> predicted, StructType out) {
        // Positional names first: the input may hold two columns of one name (a join), which a select by name refuses.
        String[] positional = new String[out.fields().length];
        for (int i = 0; i < positional.length; i++) {
            positional[i] = "_nnj_col_" + i;
        }
        Dataset<Row> renamed = predicted.toDF(positional);
        Column[] columns = new Column[out.fields().length];
        for (int i = 0; i < columns.length; i++) {
            StructField field = out.fields()[i];
            Column c = renamed.col(positional[i]);
            if (!renamed.schema().fields()[i].dataType().equals(field.dataType())) {
                c = c.cast(field.dataType());   // the row encoder drops a string's collation
            }
            columns[i] = c.as(field.name(), field.metadata());
        }
        return renamed.select(columns);
    }

    /**
     * A column name as Spark's resolver takes it literally, dots and backticks included: unquoted, {@code f.vec} is
     * read as field {@code vec} of a struct column {@code f}, while the schema checks here match names exactly.
     *
     * @param name a column's name
     * @return the name in backticks, its own backticks doubled
     */
    static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /** The column {@code param} names, or an error naming both and the columns there are. */
    private static StructField field(StructType schema, String column, String param) {
        if (!Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException("no column '" + column + "' (" + param + ") in "
                    + Arrays.toString(schema.fieldNames()) + "; set " + param + " to one of these");
        }
        return schema.apply(column);
    }
}
