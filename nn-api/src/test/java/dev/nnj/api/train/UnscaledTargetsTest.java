package dev.nnj.api.train;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.data.Dataset;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The warning a regression's fit gives when its targets are far from unit scale (Trainer.unscaledTargets). */
class UnscaledTargetsTest {

    private static Dataset regression(double[] scales, int rows) {
        Random r = new Random(5);
        float[] y = new float[rows * scales.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (scales[i % scales.length] * (1 + 0.3 * r.nextGaussian()));
        }
        return new Dataset(new float[rows], 1, y, scales.length);
    }

    @Test
    void targetsOfMillionsAreNamedWithTheCure() {
        String warning = Trainer.unscaledTargets(regression(new double[] {5e6}, 100), "huber");
        assertTrue(warning != null && warning.startsWith("training set: target column 0 has mean 5.")
                && warning.contains("Preprocessing.withTargetScaler") && warning.contains("(huber)"), warning);
    }

    @Test
    void columnsOnScalesAThousandfoldApartAreNamed() {
        String warning = Trainer.unscaledTargets(regression(new double[] {1, 100, 0.01}, 200), "mse");
        assertTrue(warning != null && warning.startsWith("training set: target column 1 spreads ")
                && warning.contains("as column 2"), warning);
    }

    @Test
    void scaledTargetsPassQuietly() {
        assertNull(Trainer.unscaledTargets(regression(new double[] {1, 3, 0.5}, 200), "mse"));
        assertNull(Trainer.unscaledTargets(regression(new double[] {0}, 10), "mse"), "a constant column of 0");
    }
}
