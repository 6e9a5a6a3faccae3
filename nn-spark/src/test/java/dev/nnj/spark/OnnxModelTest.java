package dev.nnj.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.LossKind;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.SavedModel;
import java.nio.file.Path;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * A classifier trained in PyTorch scores a DataFrame: its ONNX file, read by {@code ModelFiles.load} (nn-onnx is on
 * the class path, through nn-examples), becomes a Spark model with {@link NnjClassificationModel#of}.
 */
class OnnxModelTest {
    /** PyTorch's digits classifier, committed with the script that made it (nn-onnx's make_torch_fixtures.py). */
    private static final Path TORCH_DIGITS = Path.of("../nn-onnx/src/test/resources/dev/nnj/onnx/torch_digits.onnx");

    private final SparkSession spark = SparkTestSession.get();

    @Test
    void aPyTorchClassifierFromOnnxScoresTheTestFrameWithPyTorchsAccuracy() throws Exception {
        NetworkSpec spec = new NetworkSpec(64, new int[] {32}, new Activation[] {Activation.RELU}, 10,
                LossKind.CATEGORICAL_CROSS_ENTROPY);
        NnjClassificationModel model;
        try (Backend cpu = Backends.get("cpu");
             SavedModel saved = ModelFiles.load(TORCH_DIGITS, cpu)) {
            model = NnjClassificationModel.of(spec, saved.model());
        }
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
                .evaluate(model.transform(DigitsFrames.test(spark, 2)));
        // PyTorch's own test accuracy, printed by make_torch_fixtures.py: 349 of the 360 images.
        assertEquals(349.0 / 360, accuracy, 1e-9);
    }
}
