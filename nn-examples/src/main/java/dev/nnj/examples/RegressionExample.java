package dev.nnj.examples;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.data.StandardScaler;
import dev.nnj.api.data.TrainTestSplit;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.Preprocessing;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.io.WeightLayout;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.metrics.RegressionReport;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Adam;
import dev.nnj.api.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/** Fits a regression on generated data: the README's regression example, compiled and run by the build. */
public final class RegressionExample {

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws IOException if the model file cannot be written or read
     */
    public static void main(String[] args) throws IOException {
        // 500 rows of 3 features around 50; the target, around 200, is a noisy linear function of them.
        Random random = new Random(7);
        int n = 500;
        float[] x = new float[n * 3];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                x[3 * i + j] = (float) (50 + 10 * random.nextGaussian());
            }
            y[i] = (float) (4 * x[3 * i] - 2 * x[3 * i + 1] + x[3 * i + 2] + 5 * random.nextGaussian());
        }
        IndexSplit.Datasets split = TrainTestSplit.split(new Dataset(x, 3, y, 1), 0.2, 42, false);
        Dataset train = split.train();
        Dataset test = split.test();
        // Standardize features and target with statistics of the training rows; the model file keeps both.
        StandardScaler xScaler = new StandardScaler().fit(train.features(), 3);
        StandardScaler yScaler = new StandardScaler().fit(train.targets(), 1);
        Dataset scaled = new Dataset(xScaler.transform(train.features(), 3), 3, yScaler.transform(train.targets(), 1), 1);

        Path file = Files.createTempFile("regression", ".safetensors");
        try (Backend backend = Backends.best()) {
            try (Sequential model = new Sequential(backend, 3, 42);
                 Adam adam = new Adam(0.01f)) {
                model.add(new Dense(32, Activation.RELU))
                     .add(new Dense(1));                                  // identity output: any real value
                Trainer.builder().epochs(40).batchSize(32).seed(42).build()
                        .fit(model, Loss.meanSquaredError(), adam, scaled, null);
                ModelFiles.save(model, file, WeightLayout.IN_OUT,
                        Preprocessing.none().withScaler(xScaler).withTargetScaler(yScaler), Map.of());
            }
            try (SavedModel saved = ModelFiles.load(file, backend)) {
                // Raw features in, targets in their own units out: both scalers are applied by predict.
                float[] predicted = saved.predict(test.features(), test.size());
                System.out.println(RegressionReport.of(predicted, test.targets(), 1));
            }
        } finally {
            Files.delete(file);
        }
    }

    private RegressionExample() {
    }
}
