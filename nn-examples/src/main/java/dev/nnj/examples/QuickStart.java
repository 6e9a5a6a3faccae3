package dev.nnj.examples;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.data.TrainTestSplit;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.metrics.Predictions;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Adam;
import dev.nnj.api.train.EarlyStopping;
import dev.nnj.api.train.History;
import dev.nnj.api.train.LearningRateSchedule;
import dev.nnj.api.train.Trainer;
import java.util.Random;

/** Trains a small classifier on generated data: the README's quick start, compiled and run by the build. */
public final class QuickStart {

    /**
     * Runs the quick start.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        // 600 points in the plane; the class is the quadrant a point lies in (4 classes).
        Random random = new Random(42);
        int n = 600;
        float[] features = new float[n * 2];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            float x = (float) random.nextGaussian();
            float y = (float) random.nextGaussian();
            features[2 * i] = x;
            features[2 * i + 1] = y;
            labels[i] = (x > 0 ? 1 : 0) + (y > 0 ? 2 : 0);
        }
        Dataset all = Dataset.ofLabels(features, 2, labels, 4);
        // A stratified split: 20 % test, kept for the end (the trainer holds out 20 % of the rest to validate on).
        IndexSplit.Datasets trainTest = TrainTestSplit.split(all, 0.2, 42, true);
        Dataset train = trainTest.train();
        Dataset test = trainTest.test();

        try (Backend backend = Backends.best();                       // CUDA if usable, else the CPU
             Sequential model = new Sequential(backend, 2, 42)) {     // 2 inputs, seed 42
            model.add(new Dense(16, Activation.RELU))
                 .add(new Dense(4, Activation.SOFTMAX));
            System.out.println(model.summary());

            Trainer trainer = Trainer.builder().epochs(60).batchSize(32).seed(42)
                    .validationSplit(0.2)                             // stratified, from the training rows
                    // 5 epochs of warm-up from 0.1 of the rate, then a cosine down to 1e-4 at epoch 60
                    .schedule(LearningRateSchedule.cosineWithWarmup(5, 60, 0.1, 1e-4))
                    .earlyStopping(EarlyStopping.onValidationLoss(10, true))
                    .listener(stats -> {
                        if (stats.epoch() % 10 == 0) {
                            System.out.println(stats);
                        }
                    })
                    .build();
            try (Adam adam = new Adam(0.01f)) {
                History history = trainer.fit(model, Loss.categoricalCrossEntropy(), adam, train);
                System.out.println(history);
            }
            System.out.println(model.evaluate(test, Loss.categoricalCrossEntropy(), 256));
            System.out.println(Predictions.of(model, test).report());
        }
    }

    private QuickStart() {
    }
}
