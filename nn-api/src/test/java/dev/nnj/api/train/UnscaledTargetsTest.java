package dev.nnj.api.train;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.data.DataChecks;
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
        String warning = Trainer.unscaledTargets(regression(new double[] {1, 30, 0.01}, 200), "mse");
        assertTrue(warning != null && warning.startsWith("training set: target column 1 spreads ")
                && warning.contains("as column 2"), warning);
    }

    /** Targets far from 0 against their spread lose their values to float32's steps, which scaling cannot undo. */
    @Test
    void targetsTooCoarseInFloat32AreNamedFirst() {
        float[] y = new float[300];
        Random r = new Random(3);
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (1e8 + 5 * r.nextGaussian());
        }
        String warning = Trainer.unscaledTargets(new Dataset(new float[300], 1, y, 1), "mse");
        assertTrue(warning != null && warning.startsWith("training set: target column 0 has mean 1.000e+08 and "
                + "standard deviation ") && warning.contains("as float32 its values are 8.00 apart there")
                && warning.contains("subtract a constant near the mean"), warning);
        assertNull(DataChecks.float32Coarse(1e8, 2e3), "a spread of 2000 around 1e8 keeps its values");
        assertNull(DataChecks.float32Coarse(0, 0), "a constant column");
    }

    /** scikit-learn's diabetes targets (mean 152, std 77) trained poorly unscaled; targets of 1e-8 to nothing. */
    @Test
    void targetsInTheHundredsAndTargetsNearZeroAreNamed() {
        String hundreds = Trainer.unscaledTargets(regression(new double[] {152}, 200), "mse");
        assertTrue(hundreds != null && hundreds.startsWith("training set: target column 0 has mean 15"), hundreds);
        String tiny = Trainer.unscaledTargets(regression(new double[] {1e-8, 3e-8}, 200), "mse");
        assertTrue(tiny != null && tiny.startsWith("training set: every target column is within 1e-03 of 0"), tiny);
        assertNull(Trainer.unscaledTargets(regression(new double[] {40}, 200), "mse"), "tens pass");
    }

    @Test
    void scaledTargetsPassQuietly() {
        assertNull(Trainer.unscaledTargets(regression(new double[] {1, 3, 0.5}, 200), "mse"));
        assertNull(Trainer.unscaledTargets(regression(new double[] {0}, 10), "mse"), "a constant column of 0");
    }
}
