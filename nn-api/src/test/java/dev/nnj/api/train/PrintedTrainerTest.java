package dev.nnj.api.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnj.api.metrics.Predictions;
import org.junit.jupiter.api.Test;

/** What a notebook shows for a trainer and a run's predictions: their settings in a line, not an object's hash. */
class PrintedTrainerTest {

    @Test
    void aTrainerPrintsItsSettings() {
        assertEquals("Trainer(10 epochs, batches of 32, shuffled with seed 0)", Trainer.builder().build().toString());
        Trainer t = Trainer.builder().epochs(100).batchSize(8).seed(7).validationSplit(0.1)
                .listener(s -> { }).build();
        assertEquals("Trainer(100 epochs, batches of 8, shuffled with seed 7, validation split 0.1, 1 listener)",
                t.toString());
    }

    @Test
    void predictionsPrintTheirRowsAndClasses() {
        assertEquals("Predictions[2 rows, 3 classes]", Predictions.of(new float[] {0.2f, 0.3f, 0.5f, 0.6f, 0.3f,
                0.1f}, 3, new int[] {2, 0}).toString());
    }
}
