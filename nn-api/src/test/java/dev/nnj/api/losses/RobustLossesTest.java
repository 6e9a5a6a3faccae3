package dev.nnj.api.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The Huber and absolute-error terms against PyTorch 1.13's {@code HuberLoss} and {@code L1Loss} (mean reduction)
 * on the same six predictions and targets: the mean of the terms is the loss, each gradient times {@code N C = 6} is
 * PyTorch's {@code p.grad} times 6.
 */
class RobustLossesTest {
    private static final float[] P = {0.5f, -2f, 3f, 1.25f, 0f, -0.75f};
    private static final float[] Y = {0f, 1f, -1f, 1f, 0.5f, 0.25f};

    private static void check(ElementwiseLoss loss, double torchLoss, double[] torchGrad) {
        double sum = 0;
        for (int i = 0; i < P.length; i++) {
            sum += loss.value(P[i], Y[i]);
            assertEquals(torchGrad[i] * P.length, loss.gradient(P[i], Y[i]), 1e-6, "gradient " + i);
        }
        assertEquals(torchLoss, sum / P.length, 1e-7, "mean loss");
    }

    @Test
    void huberIsPyTorchsHuberLoss() {
        check(new RobustLosses.Huber(1f), 1.1302083730697632,
                new double[] {0.0833333358168602, -0.1666666716337204, 0.1666666716337204, 0.0416666679084301,
                    -0.0833333358168602, -0.1666666716337204});
        check(new RobustLosses.Huber(0.5f), 0.6510416865348816,
                new double[] {0.0833333358168602, -0.0833333358168602, 0.0833333358168602, 0.0416666679084301,
                    -0.0833333358168602, -0.0833333358168602});
        assertEquals("huber", Loss.huber(1f).label());
        assertEquals("huber(delta=0.5)", Loss.huber(0.5f).toString(), "the δ in summaries");
        assertThrows(IllegalArgumentException.class, () -> Loss.huber(0f));
        assertThrows(IllegalArgumentException.class, () -> Loss.huber(Float.NaN));
    }

    @Test
    void absoluteErrorIsPyTorchsL1Loss() {
        check(new RobustLosses.Absolute(), 1.5416666269302368,
                new double[] {0.1666666716337204, -0.1666666716337204, 0.1666666716337204, 0.1666666716337204,
                    -0.1666666716337204, -0.1666666716337204});
        assertEquals(0f, new RobustLosses.Absolute().gradient(2f, 2f), "0 where p = y, as PyTorch's");
        assertEquals("mae", Loss.meanAbsoluteError().label());
    }
}
