package dev.nnj.examples;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.data.Digits;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.init.Initializer;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Sgd;
import dev.nnj.api.train.Trainer;

/** The article's digits classifier in code, on nn-api's bundled digits: the README's example, compiled and run. */
public final class ArticleNetwork {

    /**
     * Trains the article's network and prints its test loss and accuracy.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        // All 1797 images min-max scaled, then scikit-learn's split: 1437 training and 360 test rows.
        IndexSplit.Datasets digits = Digits.scaledArticleSplit();

        try (Backend backend = Backends.best();
             Sequential model = new Sequential(backend, Digits.FEATURES, 0)) {   // 64 pixels in, seed 0
            // 64 sigmoid units, then 10 softmax outputs; weights drawn as np.random.randn, biases 0.
            model.add(new Dense(64, Activation.SIGMOID, Initializer.normal(0, 1), Initializer.zeros()))
                 .add(new Dense(Digits.CLASSES, Activation.SOFTMAX, Initializer.normal(0, 1), Initializer.zeros()));

            // Gradient descent on the whole training set at once (batch size 0), 1000 epochs, learning rate 0.1.
            Trainer trainer = Trainer.builder().epochs(1000).batchSize(0).build();
            try (Sgd gradientDescent = new Sgd(0.1f)) {
                trainer.fit(model, Loss.categoricalCrossEntropy(), gradientDescent, digits.train(), null);
            }
            System.out.println(model.evaluate(digits.test(), Loss.categoricalCrossEntropy(), 360));   // all 360 at once
        }
    }

    private ArticleNetwork() {
    }
}
