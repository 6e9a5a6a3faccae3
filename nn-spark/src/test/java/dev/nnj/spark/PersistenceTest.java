package dev.nnj.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.layers.Parameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Save and load through Spark ML persistence, alone and inside a Pipeline. */
class PersistenceTest {
    private final SparkSession spark = SparkTestSession.get();

    @TempDir
    Path dir;

    private static List<Row> predictions(org.apache.spark.sql.Dataset<Row> out) {
        return out.select("prediction", "probability").collectAsList();
    }

    private static void assertSamePredictions(List<Row> expected, List<Row> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).getDouble(0), actual.get(i).getDouble(0), "prediction of row " + i);
            assertArrayEquals(((Vector) expected.get(i).get(1)).toArray(), ((Vector) actual.get(i).get(1)).toArray(),
                    "probabilities of row " + i);
        }
    }

    @Test
    void aSavedModelLoadsWithItsParamsAndPredictsTheSame() throws IOException {
        SparkTestSession.assumeHadoopFileSystems();
        // With dropout, which the saved network holds as layers and the loaded model keeps in its spec and its param.
        NnjClassificationModel model = SyncTrainingTest.classifier().setEpochs(1).setBatchSize(256).setDropout(0.2)
                .setProbabilityCol("p").fit(DigitsFrames.train(spark, 2));
        model.setProbabilityCol("probability");
        org.apache.spark.sql.Dataset<Row> test = DigitsFrames.test(spark, 2);
        String path = dir.resolve("model").toString();
        model.write().save(path);
        NnjClassificationModel loaded = NnjClassificationModel.load(path);
        assertEquals(model.uid(), loaded.uid());
        assertEquals(model.networkSpec(), loaded.networkSpec());
        assertEquals(0.2f, loaded.networkSpec().dropout());
        assertEquals(0.2, loaded.getOrDefault(loaded.dropout()));
        assertEquals("probability", loaded.getOrDefault(loaded.probabilityCol()));
        assertTrue(DigitsFrames.sameParameters(model, loaded));
        assertSamePredictions(predictions(model.transform(test)), predictions(loaded.transform(test)));
        Path network = dir.resolve("model/network/" + NnjModelWriter.NETWORK_FILE);
        assertTrue(Files.exists(network));
        // The network file is nnj's own model file: ModelFiles reads it with the model's parameters.
        try (Backend backend = Backends.get("cpu"); SavedModel saved = ModelFiles.load(network, backend)) {
            for (Parameter p : saved.model().parameters()) {
                assertArrayEquals(model.parameters().get(p.name()), p.read(), p.name());
            }
            assertEquals(model.parameters().size(), saved.model().parameters().size());
        }
        // Saving again without overwrite() refuses, as every Spark ML writer does.
        assertThrows(IOException.class, () -> model.write().save(path));
        model.write().overwrite().save(path);
    }

    @Test
    void aPipelineWithTheClassifierSavesAndLoads() throws IOException {
        SparkTestSession.assumeHadoopFileSystems();
        VectorAssembler assembler = new VectorAssembler().setInputCols(new String[] {"features"})
                .setOutputCol("assembled");
        NnjClassifier nn = SyncTrainingTest.classifier().setFeaturesCol("assembled").setEpochs(2).setBatchSize(256);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {assembler, nn});
        PipelineModel fitted = pipeline.fit(DigitsFrames.train(spark, 2));
        org.apache.spark.sql.Dataset<Row> test = DigitsFrames.test(spark, 2);
        String path = dir.resolve("pipeline").toString();
        fitted.write().save(path);
        PipelineModel loaded = PipelineModel.load(path);
        assertSamePredictions(predictions(fitted.transform(test)), predictions(loaded.transform(test)));
        // The unfitted estimator saves its params too.
        String estimatorPath = dir.resolve("estimator").toString();
        nn.write().save(estimatorPath);
        NnjClassifier reloaded = NnjClassifier.load(estimatorPath);
        assertEquals("assembled", reloaded.getOrDefault(reloaded.featuresCol()));
        assertEquals(2, reloaded.getOrDefault(reloaded.epochs()));
    }
}
